"""The models step: pydantic v2 models from the spec's schemas, by datamodel-code-generator."""

from __future__ import annotations

import ast
import builtins
import contextlib
import copy
import hashlib
import heapq
import itertools
import json
import re
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any, TypeVar

from datamodel_code_generator import InputFileType, PythonVersion, generate
from datamodel_code_generator.enums import DataModelType

from . import cache, discriminators, model_library, model_parts, model_worker, naming
from .diagnostics import Diagnostic, Level, SpecError
from .format import format_python
from .ir import Directions
from .openapi import SCHEMA_REF, OpenApiDocument
from .parallel import parallel_map

model_library.apply()  # before any model is made, in whichever process makes it

# Every option that shapes the output is pinned here, so output never depends on
# datamodel-code-generator's defaults moving under us.
_OPTIONS: dict[str, Any] = {
    "input_file_type": InputFileType.OpenAPI,
    "output_model_type": DataModelType.PydanticV2BaseModel,
    "target_python_version": PythonVersion.PY_311,
    "disable_timestamp": True,
    "use_annotated": True,
    "field_constraints": True,
    "use_union_operator": True,
    "use_schema_description": True,
    "use_field_description": True,
    "strict_nullable": True,
    "set_default_enum_member": True,
    "parent_scoped_naming": True,
    "use_standard_collections": True,
    "extra_fields": "allow",  # unknown response fields are kept, not dropped
    "allow_population_by_field_name": True,
    "formatters": [],  # black runs once over the whole package, in the format step
}


_Node = TypeVar("_Node", bound=ast.AST)
# Builtin names, with those of Python versions after 3.11 that a class could be called (so that
# the output does not depend on the Python that generates it)
_BUILTINS = frozenset(dir(builtins)) | {"PythonFinalizationError"}

# No model is known to be sent or received: the models keep their defaults both ways.
_NOT_DIRECTED = Directions()


def generate_model_modules(document: dict[str, Any], header: str, expected: tuple[str, ...],
                           directions: Directions = _NOT_DIRECTED) -> dict[str, str]:
    """The files of the package's `models` package, by name (`__init__.py`, `_part07.py`):
    the models, each in the module of the part it was generated in
    (`model_parts.keyed_plan`; modules that need each other's bases become one, and a spec
    below `SPLIT_AT` is one `_all` module made of cached parts), and an `__init__` that imports
    a class from its module when it is first used (see `split_modules`)."""
    source, module_of = _generate(document, header, expected)
    return split_modules(source, module_of, header, directions)


def worker_model_modules(document: dict[str, Any], header: str, expected: tuple[str, ...],
                         directions: Directions) -> tuple[dict[str, str], bool]:
    """The job of the models' worker process (`model_worker`): `generate_model_modules`, and
    whether they are formatted: here, unless the caller waits for them already."""
    modules = generate_model_modules(document, header, expected, directions)
    if model_worker.caller_waits():
        return modules, False
    return format_python(modules), True


def _generate(document: dict[str, Any], header: str, expected: tuple[str, ...]
              ) -> tuple[str, dict[str, str]]:
    """The models module (not `directed` yet), and the module of the `models` package each
    class goes to (absent: `SINGLE_MODULE`)."""
    if not expected:
        return f"{header}\nfrom __future__ import annotations\n", {}
    schemas = OpenApiDocument(document).schemas
    keyed = model_parts.keyed_plan(schemas)
    single = len(keyed) == 1
    if single:
        # still one module, but made of (cached) parts: a regeneration reruns the changed one.
        # Whether or not a cache is on, so the output cannot depend on it.
        keyed = model_parts.keyed_plan(schemas, model_parts.CACHED_BUCKETS)
    merged = _generate_in_parts(document, header, [names for _, names in keyed],
                                [_part_module(key) for key, _ in keyed]) \
        if len(keyed) > 1 else None
    if merged is not None:
        module, defined, wire_fields, module_of = merged
        _check_names(defined, wire_fields, expected, document)
        return sort_imports(module), {} if single else module_of
    return whole_run(document, header, expected), {}


def whole_run(document: dict[str, Any], header: str, expected: tuple[str, ...]) -> str:
    """The models module from one run of the library over every schema: what a merge of parts
    must equal, and the fallback when parts cannot be merged."""
    source = _post_processed(_run(document, header), document)
    body = ast.parse(source).body
    _check_names(_defined(body), {node.name: _wire_fields(node) for node in body
                                  if isinstance(node, ast.ClassDef)}, expected, document)
    return sort_imports(stable_order(source))


def _part_module(key: int) -> str:
    return f"_part{key:02d}"


def warm_up() -> None:
    """Make datamodel-code-generator import what its first call imports (~0.2 s, after the
    ~0.1 s of importing this module), so that a process can do it while another loads the
    spec (`model_worker`)."""
    _run({"openapi": "3.0.3", "info": {"title": "warm-up", "version": "0"}, "paths": {},
          "components": {"schemas": {"A": {"type": "object"}}}}, "")


def field_aliases(document: dict[str, Any]) -> dict[str, str]:
    """Python names (from naming.py) for the model fields pydantic would not accept under
    their natural name; the wire name stays the field's alias."""
    names: set[str] = set()
    stack: list[Any] = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            properties = node.get("properties")
            if isinstance(properties, dict):
                names.update(str(name) for name in properties)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return naming.field_aliases(names)


def _run(document: dict[str, Any], header: str) -> str:
    """datamodel-code-generator's module for `document`, as it writes it."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            source = generate(document, custom_file_header=header,
                              aliases=field_aliases(document) or None, **_OPTIONS)
        except Exception as exc:  # the library raises plain exceptions for bad schemas
            raise SpecError([Diagnostic(
                Level.ERROR,
                f"datamodel-code-generator could not build the models: {exc}",
                "/components/schemas",
                hint="the schema it names is likely invalid; `clientgen validate` lists problems",
            )]) from exc
    if not isinstance(source, str):
        raise TypeError("datamodel-code-generator returned several modules; expected one")
    return source


@dataclass(frozen=True)
class _Piece:
    """One class of a models module: its text (with the comments before it), the classes it
    needs to exist when it is created, and its fields' wire names."""

    name: str
    text: str
    depends: tuple[str, ...]
    wire_fields: tuple[str, ...]
    mentions: tuple[str, ...] = ()  # every class of the module it names (annotations too)
    uses: tuple[str, ...] = ()  # every name its code reads: what its module must import
    # its fields' annotations, found when a module is split (`split_modules`), not cached
    annotations: tuple[_Annotation, ...] = ()


@dataclass(frozen=True)
class _Annotation:
    """A field's annotation in its class's text: where it is (lines counted from the text's
    first, columns in UTF-8 bytes as `ast` counts them) and the names it reads; for an
    `Annotated[type, ...]`, the names of the rest (`Annotated`, the metadata), the type being
    its `inner` annotation."""

    start: tuple[int, int]
    end: tuple[int, int]
    names: frozenset[str]
    inner: _Annotation | None = None


@dataclass(frozen=True)
class _Part:
    imports: tuple[tuple[str, tuple[str, ...]], ...]  # `from x import a, b`: ("x", ("a", "b"))
    pieces: tuple[_Piece, ...]


def _generate_part(job: tuple[dict[str, Any], str]) -> _Part | None:
    """One part, post-processed like a whole module; None when it cannot be merged."""
    document, header = job
    try:
        # a copy: parts share schemas, and the library may change what it is given
        source = _post_processed(_run(copy.deepcopy(document), header), document)
        split = _split(source)
    except Exception:  # whatever it is, the whole run reports it, in context
        return None
    if split is None:
        return None
    prefix, pieces = split
    statements = ast.parse(prefix).body
    if not all(isinstance(node, ast.ImportFrom) and not any(a.asname for a in node.names)
               for node in statements):
        return None  # only `from x import a, b` lines can be merged by name
    return _Part(tuple((f"{'.' * node.level}{node.module or ''}",
                        tuple(alias.name for alias in node.names))
                       for node in statements if isinstance(node, ast.ImportFrom)),
                 tuple(pieces))


# Cached parts are keyed by what shaped them: the input, this code (all of the generator: the
# field aliases come from naming.py), the library and what it renders with, and Python.
_CODE_KEY = hashlib.sha256(b"".join(
    path.read_bytes() for path in sorted(Path(__file__).parent.glob("*.py"))
) + repr([sys.version_info[:2], *(version(name) for name in (
    "datamodel-code-generator", "pydantic", "jinja2"))]).encode()).hexdigest()


def _generate_in_parts(document: dict[str, Any], header: str, parts: list[list[str]],
                       modules: list[str] | None = None
                       ) -> tuple[str, set[str], dict[str, set[str]], dict[str, str]] | None:
    """The models module merged from independently generated parts (with the names it
    defines, each class's wire fields and the module (of `modules`, one a part; by default
    numbered in order) of the part that made it), or None when the merge would not equal a
    whole run.
    """
    if modules is None:
        modules = [_part_module(index) for index in range(len(parts))]
    jobs = [model_parts.part_document(document, own) for own in parts]
    keys = [hashlib.sha256((_CODE_KEY + header + json.dumps(part, default=str)).encode())
            .hexdigest() for part, _ in jobs]
    results: dict[int, _Part | None] = {}
    for index, key in enumerate(keys):
        cached = cache.read(_CACHE_KIND, key)
        decoded = None if cached is None else _decode(cached)
        if decoded is not None:  # a damaged entry is generated again
            results[index] = decoded
    missing = sorted((i for i in range(len(jobs)) if i not in results),
                     key=lambda i: -len(parts[i]))  # the longest first: they bound the wall time
    try:
        generated = parallel_map(_generate_part, [(jobs[i][0], header) for i in missing],
                                 parallel=len(missing) > 1)
    except Exception:  # e.g. a worker process died: one whole run instead
        return None
    for index, result in zip(missing, generated, strict=True):
        results[index] = result
        if result is not None:
            cache.write(_CACHE_KIND, keys[index], _encode(result))
    components = set(document["components"]["schemas"])
    kept: dict[str, _Piece] = {}
    module_of: dict[str, str] = {}
    imports: dict[str, set[str]] = {}
    for index, (own, (_, stand_ins)) in enumerate(zip(parts, jobs, strict=True)):
        part = results[index]
        if part is None:
            return None
        names = {piece.name for piece in part.pieces}
        if not set(own) <= names:
            return None  # the part renamed one of its schemas
        for piece in _own_pieces(part.pieces, own, stand_ins):
            inline = piece.name not in own
            if piece.name in kept or (inline and (
                    piece.name.rstrip("0123456789") in components or piece.name in components)):
                return None  # a name the whole run would have given to something else
            kept[piece.name] = piece
            module_of[piece.name] = modules[index]
        for module, names_imported in part.imports:
            imports.setdefault(module, set()).update(names_imported)
    if set(kept) & {name for names in imports.values() for name in names}:
        return None  # a class of one part would hide a name another part imports
    future = imports.pop("__future__", set())
    lines = [header, ""]
    if future:
        lines += [f"from __future__ import {', '.join(sorted(future))}", ""]
    lines += [f"from {source} import {', '.join(sorted(names))}"
              for source, names in sorted(imports.items())]
    merged = _assemble("\n".join(lines), list(kept.values()))
    if merged is None:
        return None
    return merged, set(kept), {piece.name: set(piece.wire_fields) for piece in kept.values()}, \
        module_of


def _own_pieces(pieces: tuple[_Piece, ...], own: list[str], stand_ins: set[str]
                ) -> list[_Piece]:
    """The classes of a part that are its own: its schemas' classes and the inline classes
    they name, not those of its stand-ins (whole bases have inline classes of their own)."""
    by_name = {piece.name: piece for piece in pieces}
    reached: set[str] = set()
    pending = [name for name in own if name in by_name]
    while pending:
        name = pending.pop()
        if name in reached or name in stand_ins:
            continue
        reached.add(name)
        pending.extend(n for n in by_name[name].mentions if n in by_name)
    return [piece for piece in pieces if piece.name in reached]


_CACHE_KIND = "models"


def _encode(part: _Part) -> str:
    return json.dumps([list(part.imports), [
        [p.name, p.text, list(p.depends), list(p.wire_fields), list(p.mentions), list(p.uses)]
        for p in part.pieces]])


def _decode(text: str) -> _Part | None:
    """A cached part, or None when the entry is damaged."""
    try:
        imports, pieces = json.loads(text)
        return _Part(tuple((module, tuple(names)) for module, names in imports), tuple(
            _Piece(name, body, tuple(depends), tuple(wire), tuple(mentions), tuple(uses))
            for name, body, depends, wire, mentions, uses in pieces
        ))
    except (ValueError, TypeError):
        return None


def _post_processed(source: str, document: dict[str, Any]) -> str:
    """The library's module as clientgen ships it: tagged, compilable, lenient, built on first
    use.

    Line ends first become `\\n`: Python reads a `\\r` (in a docstring, from a description)
    as one too, so the edits below, which count lines as Python does, would miss their place.
    What Python reads is the same either way: it turns both into `\\n` inside strings too.
    """
    source = source.replace("\r\n", "\n").replace("\r", "\n")
    schemas = OpenApiDocument(document).schemas
    return deferred_builds(lenient_enums(flat_unions(
        typed_recursive_containers(tagged_unions(source, _tags(document)), schemas))))


@dataclass(frozen=True)
class Tags:
    """How a fallback union picks its member (discriminators.TAGS): by the value of a property
    (`wire_name` in JSON, `attribute` on a model), a listed value naming its member's class."""

    wire_name: str
    attribute: str
    members: tuple[tuple[str, tuple[str, ...]], ...]  # (class name, its values)
    fallback: str


def _tags(document: dict[str, Any]) -> dict[str, Tags]:
    """The fallback unions of a models document, by class name."""
    schemas = OpenApiDocument(document).schemas
    marked = {name: schema[discriminators.TAGS] for name, schema in schemas.items()
              if isinstance(schema, dict) and discriminators.TAGS in schema}
    if not marked:
        return {}
    aliases = field_aliases(document)
    return {name: Tags(tags["property"], aliases.get(tags["property"], tags["property"]),
                       tuple((member, tuple(values)) for member, values in tags["members"]),
                       tags["fallback"])
            for name, tags in marked.items()}


def tagged_unions(source: str, tags: dict[str, Tags]) -> str:
    """`source` with each fallback union's root choosing its member by the discriminator's
    value (pydantic's callable `Discriminator`, from the runtime's `discriminated_by`): a value
    the spec lists is validated as its own model only, any other value as the fallback."""
    if not tags:
        return source
    tree = ast.parse(source)
    encoded = [line.encode() for line in _lines(source)]
    # pydantic's `Tag`, under another name where a schema's class is called so (Petstore's)
    classes = {node.name for node in tree.body if isinstance(node, ast.ClassDef)}
    tag = "Tag" if "Tag" not in classes else next(
        name for name in (f"PydanticTag{'_' * n}" for n in itertools.count())
        if name not in classes)
    replacements: list[tuple[ast.expr, str]] = []
    for node in tree.body:
        found = tags.get(node.name) if isinstance(node, ast.ClassDef) else None
        base = node.bases[0] if isinstance(node, ast.ClassDef) and node.bases else None
        root = next((s for s in node.body if isinstance(s, ast.AnnAssign)
                     and isinstance(s.target, ast.Name) and s.target.id == "root"),
                    None) if isinstance(node, ast.ClassDef) else None
        if found is None or not isinstance(base, ast.Subscript) or root is None:
            continue
        members = list(dict.fromkeys([name for name, _ in found.members] + [found.fallback]))
        values = {value: name for name, names in found.members for value in names}
        tagged = " | ".join(f"Annotated[{name}, {tag}({name!r})]" for name in members)
        replacements += [
            (base.slice, " | ".join(members)),
            (root.annotation, f"Annotated[{tagged}, discriminated_by({found.wire_name!r}, "
                              f"{found.attribute!r}, {values!r}, {found.fallback!r})]"),
        ]
    if not replacements:
        return source
    edited = _replaced(encoded, [(node.lineno, node.col_offset, node.end_lineno or 0,
                                  node.end_col_offset or 0, text) for node, text in replacements])
    return _with_imports(edited, {(0, "pydantic"): {"Tag" if tag == "Tag" else f"Tag as {tag}"},
                                  (0, "typing"): {"Annotated"},
                                  (1, "_models"): {"discriminated_by"}})


def directed(source: str, directions: Directions) -> str:
    """`source` with its models fitted to the way their data travels (`_direction_edits`)."""
    tree = ast.parse(source)
    classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    names = {name: (_names(node) & classes.keys()) - {name} for name, node in classes.items()}
    edits = [edit for name, edit_of in _direction_edits(names, directions).items()
             for edit in edit_of(classes[name])]
    return _replaced([line.encode() for line in _lines(source)], edits) if edits else source


_Edit = tuple[int, int, int, int, str]  # ast's span (columns in UTF-8 bytes) and its new text


def _direction_edits(names: dict[str, set[str]], directions: Directions
                     ) -> dict[str, Callable[[ast.ClassDef], list[_Edit]]]:
    """How each class that is edited is fitted to the way its data travels, by class name,
    from the classes each class names (`names`).

    - A model only ever sent (reached from a request body or parameter, never from a
      response) refuses unknown fields when it is built (`extra="forbid"`): a misspelled
      field is an error that names it, not a field the server ignores.
    - A model that is received (reached from a response; also when it is sent too) has no
      defaults: a field the server did not send reads `None`, not the spec's default, and
      `model_fields_set` shows what was sent. (A request leaves unset fields out anyway.)

    "Reached" follows what a class names: its fields' types, its bases, its root's members.
    """
    sent, received = _reached(names, directions.sent), _reached(names, directions.received)
    return {**dict.fromkeys(sent - received, _forbid_extra),
            **dict.fromkeys(received, _without_defaults)}


def _reached(names: dict[str, set[str]], roots: tuple[str, ...]) -> set[str]:
    found: set[str] = set()
    stack = [root for root in roots if root in names]
    while stack:
        name = stack.pop()
        if name not in found:
            found.add(name)
            stack.extend(names[name])
    return found


def _forbid_extra(node: ast.ClassDef) -> list[_Edit]:
    """The edit that turns `extra="allow"` into `"forbid"` in the class's `model_config`."""
    return [(value.lineno, value.col_offset, value.end_lineno or 0, value.end_col_offset or 0,
             '"forbid"')
            for statement in node.body
            if isinstance(statement, ast.AnnAssign | ast.Assign)
            and isinstance(statement.value, ast.Call)
            for keyword in statement.value.keywords
            if keyword.arg == "extra" and isinstance(value := keyword.value, ast.Constant)
            and value.value == "allow"]


def _without_defaults(node: ast.ClassDef) -> list[_Edit]:
    """The edits that make each field with a default other than None default to None (its
    type then admits None)."""
    edits = []
    for statement in node.body:
        if not (isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name)
                and statement.value is not None and statement.target.id not in ("root",)
                and not (isinstance(statement.value, ast.Constant)
                         and statement.value.value is None)):
            continue
        annotation = statement.annotation
        if isinstance(annotation, ast.Name) and annotation.id == "ClassVar" or (
            isinstance(annotation, ast.Subscript) and isinstance(annotation.value, ast.Name)
            and annotation.value.id == "ClassVar"
        ):
            continue
        typed = parts[0] if (parts := _annotated(annotation)) else annotation
        if isinstance(typed, ast.Subscript) and isinstance(typed.value, ast.Name) \
                and typed.value.id == "Literal":
            continue  # a `const`: the value is the type, and it may tag a discriminated union
        value = statement.value
        edits.append((value.lineno, value.col_offset, value.end_lineno or 0,
                      value.end_col_offset or 0, "None"))
        if not any(isinstance(member, ast.Constant) and member.value is None
                   for member in (_union_members(typed) if isinstance(typed, ast.BinOp)
                                  else [typed])):
            end_line, end_col = typed.end_lineno or 0, typed.end_col_offset or 0
            edits.append((end_line, end_col, end_line, end_col, " | None"))
    return edits


def _replaced(lines: list[bytes], replacements: list[_Edit]) -> str:
    """The module of UTF-8 `lines` with each (line, column, end line, end column) span (ast's
    positions: columns count bytes) replaced by its text; spans must not overlap."""
    for start_line, start_col, end_line, end_col, text in sorted(replacements, reverse=True):
        head = lines[start_line - 1][:start_col]
        tail = lines[end_line - 1][end_col:]
        lines[start_line - 1:end_line] = [head + text.encode() + tail]
    return b"\n".join(lines).decode()


def _with_imports(source: str, wanted: dict[tuple[int, str], set[str]]) -> str:
    """`source` importing `wanted` names too ((level, module) -> names), merged into its
    one-line `from` imports or added after them."""
    tree = ast.parse(source)
    lines = _lines(source)
    imports = [node for node in tree.body if isinstance(node, ast.ImportFrom)]
    added: list[str] = []
    for (level, module), names in sorted(wanted.items()):
        existing = next((node for node in imports
                         if (node.level, node.module) == (level, module)), None)
        text = f"from {'.' * level}{module} import "
        if existing is None:
            added.append(text + ", ".join(sorted(names)))
            continue
        present = {_imported(alias) for alias in existing.names}
        lines[existing.lineno - 1:existing.end_lineno or existing.lineno] = [
            text + ", ".join(sorted(present | names))
        ] + [""] * ((existing.end_lineno or existing.lineno) - existing.lineno)
    last = max((node.end_lineno or node.lineno for node in imports), default=0)
    lines[last:last] = added
    return "\n".join(lines)


def typed_recursive_containers(source: str, schemas: dict[str, Any]) -> str:
    """`source` with the item type put back into each root model the library wrote as a bare
    `list` or `dict`: it drops it when an array's items (or an object's values) lead back to
    the schema itself (`Tree: {type: array, items: {$ref: Tree}}`), which mypy --strict
    rejects. The type is rebuilt from the schema (`list["Tree"]`), `Any` where it cannot be."""
    if not re.search(r"RootModel\[\s*(?:list|dict)\s*\]", source):
        return source  # (parsing is most of the post-processing of a part)
    tree = ast.parse(source)
    edits: list[tuple[ast.expr, str]] = []
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        bare = [base.slice for base in node.bases if isinstance(base, ast.Subscript)
                and isinstance(base.value, ast.Name) and base.value.id == "RootModel"
                and isinstance(base.slice, ast.Name) and base.slice.id in ("list", "dict")]
        if not bare or not isinstance(bare[0], ast.Name):
            continue
        container = bare[0].id
        annotation = _container_annotation(schemas.get(node.name), depth=0)
        if annotation is None or not annotation.startswith(container):
            annotation = "list[Any]" if container == "list" else "dict[str, Any]"
        edits.append((bare[0], annotation))
        edits.extend((field.annotation, annotation) for field in node.body
                     if isinstance(field, ast.AnnAssign)
                     and isinstance(field.target, ast.Name) and field.target.id == "root"
                     and isinstance(field.annotation, ast.Name))
    if not edits:
        return source
    lines = [line.encode() for line in _lines(source)]  # ast's column offsets are bytes
    for name, text in sorted(edits, key=lambda e: (e[0].lineno, e[0].col_offset), reverse=True):
        line = lines[name.lineno - 1]
        lines[name.lineno - 1] = (line[:name.col_offset] + text.encode()
                                  + line[name.end_col_offset or name.col_offset:])
    result = b"\n".join(lines).decode()
    if "Any]" not in "".join(text for _, text in edits) or re.search(
            r"^from typing import .*\bAny\b", result, flags=re.MULTILINE):
        return result
    typing_import = re.search(r"^from typing import ([\w, ]+)$", result, flags=re.MULTILINE)
    if typing_import is not None:
        names = sorted({*typing_import.group(1).split(", "), "Any"})
        return (result[:typing_import.start()] + f"from typing import {', '.join(names)}"
                + result[typing_import.end():])
    return result.replace("from __future__ import annotations\n",
                          "from __future__ import annotations\nfrom typing import Any\n", 1)


def _container_annotation(schema: Any, depth: int) -> str | None:
    """The annotation of an array/object-of-values schema made of `$ref`s, or None."""
    if not isinstance(schema, dict) or depth > 8:
        return None
    ref = schema.get("$ref")
    if isinstance(ref, str):
        name = ref.removeprefix(SCHEMA_REF)
        return f'"{name}"' if ref.startswith(SCHEMA_REF) and name.isidentifier() else None
    if schema.get("type") == "array":
        item = _container_annotation(schema.get("items"), depth + 1)
        return f"list[{item}]" if item else None
    if schema.get("type") == "object" and not schema.get("properties"):
        value = _container_annotation(schema.get("additionalProperties"), depth + 1)
        return f"dict[str, {value}]" if value else None
    return None


def deferred_builds(source: str) -> str:
    """`source` with its models deriving from the runtime's `BaseModel` and `RootModel`
    (templates/runtime/_models.py) instead of pydantic's: the same classes, except that they
    build their validators when first used.

    pydantic otherwise builds each model's validator when the class is created: for a few
    thousand schemas, importing the package would take most of a minute. Deferred, a model is
    built (with the models it needs) the first time it is used, and names of classes that come
    later in the module are resolved then. `_assemble` ends the module with
    `build_models(globals())`, which builds them all at import when deferring is turned off.
    """
    tree = _imports_part(source)
    imports = {(node.level, node.module): node for node in tree.body
               if isinstance(node, ast.ImportFrom)}
    pydantic_import = imports.get((0, "pydantic"))
    if pydantic_import is None:
        return source
    pydantic_names = {_imported(alias) for alias in pydantic_import.names}
    bases = pydantic_names & set(_RUNTIME_BASES)
    if not bases:
        return source
    # the runtime's names may come in several lines (lenient enums, tagged unions): one line
    runtime_imports = [node for node in tree.body if isinstance(node, ast.ImportFrom)
                       and (node.level, node.module) == (1, "_models")]
    runtime_names = {_imported(alias) for node in runtime_imports for alias in node.names}
    runtime_names |= bases | {"build_models"}
    runtime_line = f"from ._models import {', '.join(sorted(runtime_names))}"
    kept = [f"from pydantic import {', '.join(sorted(pydantic_names - bases))}"
            ] if pydantic_names - bases else []
    edits = [(pydantic_import, kept if runtime_imports else [*kept, runtime_line])]
    edits += [(node, [runtime_line] if index == 0 else [])
              for index, node in enumerate(runtime_imports)]
    lines = _lines(source)
    for statement, replacement in sorted(edits, key=lambda edit: -edit[0].lineno):
        lines[statement.lineno - 1:statement.end_lineno or statement.lineno] = replacement
    return "\n".join(lines)


def _imports_part(source: str) -> ast.Module:
    """`source` parsed up to its first class when no import follows it (the library and the
    edits here put imports first), else all of it: what to parse to read a large module's
    imports."""
    first = re.search(r"^(?:class |@)", source, flags=re.MULTILINE)
    if first is not None and not re.search(r"^(?:from|import) ", source[first.start():],
                                           flags=re.MULTILINE):
        with contextlib.suppress(SyntaxError):  # the cut fell inside a string
            return ast.parse(source[:first.start()])
    return ast.parse(source)


# What the models of a package derive from: the runtime's deferred-build twins of pydantic's.
_RUNTIME_BASES = ("BaseModel", "RootModel")
_BUILD_FOOTER = "\n\nbuild_models(globals())\n"


def _imported(alias: ast.alias) -> str:
    return alias.name + (f" as {alias.asname}" if alias.asname else "")


def _segment(encoded: list[bytes], node: ast.expr | ast.keyword) -> str:
    """The text of `node` in a module whose lines (`_lines`) are `encoded` in UTF-8: ast's
    column offsets count bytes. (`ast.get_source_segment` splits the whole module each call.)"""
    return _span(encoded, (node.lineno - 1, node.col_offset),
                 ((node.end_lineno or node.lineno) - 1, node.end_col_offset or 0))


def _span(encoded: list[bytes], start: tuple[int, int], end: tuple[int, int]) -> str:
    """The text from `start` to `end` (0-based lines, columns in bytes) of UTF-8 `encoded`."""
    (first, column), (last, end_column) = start, end
    if first == last:
        return encoded[first][column:end_column].decode()
    return b"\n".join([encoded[first][column:], *encoded[first + 1:last],
                       encoded[last][:end_column]]).decode()


# Each enum base -> its twin in the package runtime (templates/runtime/_models.py), which accepts
# a value the spec does not list when it parses a response; building a request stays strict.
_LENIENT_ENUMS = {"Enum": "LenientEnum", "IntEnum": "LenientIntEnum", "StrEnum": "LenientStrEnum"}


def lenient_enums(source: str) -> str:
    """`source` with every enum class deriving from the lenient twin of its base."""
    if not re.search(r"\b(?:Int|Str)?Enum\b", source):
        return source
    tree = ast.parse(source)
    bases = [
        base
        for node in tree.body if isinstance(node, ast.ClassDef)
        for base in node.bases if isinstance(base, ast.Name) and base.id in _LENIENT_ENUMS
    ]
    enum_imports = [node for node in tree.body
                    if isinstance(node, ast.ImportFrom) and node.module == "enum"]
    if not bases or len(enum_imports) != 1:
        return source
    # ast's column offsets are bytes
    lines = [line.encode() for line in _lines(source)]
    lines = [line + b"\n" for line in lines[:-1]] + lines[-1:]
    for base in sorted(bases, key=lambda b: (b.lineno, b.col_offset), reverse=True):
        line = lines[base.lineno - 1]
        lines[base.lineno - 1] = (line[:base.col_offset] + _LENIENT_ENUMS[base.id].encode()
                                  + line[base.end_col_offset or base.col_offset:])
    rewritten = b"".join(lines).decode()
    replaced = {id(base) for base in bases}
    still_used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)
                  and node.id in _LENIENT_ENUMS and id(node) not in replaced}
    enum_import = enum_imports[0]
    kept = [alias.name for alias in enum_import.names if alias.asname or alias.name in still_used
            or alias.name not in _LENIENT_ENUMS]
    lenient = sorted({_LENIENT_ENUMS[base.id] for base in bases})
    replacement = (f"from enum import {', '.join(kept)}\n" if kept else "") + \
        f"from ._models import {', '.join(lenient)}\n"
    result = [line + "\n" for line in rewritten.split("\n")]
    result[-1] = result[-1][:-1]
    result[enum_import.lineno - 1:enum_import.end_lineno] = [replacement]
    return "".join(result)


# CPython's parser nests one level per `|` and gives up somewhere between 1,500 and 3,000
# members; a union this long is written `Union[...]`, which is flat.
LONG_UNION = 500
_PARSE_RECURSION_LIMIT = 20_000


def flat_unions(source: str) -> str:
    """`source` with every `A | B | ...` of more than LONG_UNION members as `Union[A, B, ...]`,
    so the module compiles (and imports) at Python's default recursion limit."""
    if source.count(" | ") < LONG_UNION:
        return source
    encoded = [line.encode() for line in _lines(source)]
    previous_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(previous_limit, _PARSE_RECURSION_LIMIT))
    try:
        tree = ast.parse(source)
        replacements: list[tuple[int, int, int, int, str]] = []
        stack: list[ast.AST] = [tree]
        while stack:
            node = stack.pop()
            if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
                members = _union_members(node)
                if len(members) > LONG_UNION:
                    texts = [_segment(encoded, m) for m in members]
                    replacements.append((node.lineno, node.col_offset, node.end_lineno or 0,
                                         node.end_col_offset or 0,
                                         f"Union[{', '.join(texts)}]"))
                    continue  # its members are copied as written: no edit may overlap it
            stack.extend(ast.iter_child_nodes(node))
    finally:
        sys.setrecursionlimit(previous_limit)
    if not replacements:
        return source
    result = _replaced(encoded, replacements)
    return result.replace("from __future__ import annotations\n",
                          "from __future__ import annotations\nfrom typing import Union\n", 1)


def _union_members(node: ast.BinOp) -> list[ast.expr]:
    """The operands of a left-nested chain `A | B | C`, in order, without recursion."""
    members: list[ast.expr] = []
    current: ast.expr = node
    while isinstance(current, ast.BinOp) and isinstance(current.op, ast.BitOr):
        members.append(current.right)
        current = current.left
    members.append(current)
    return members[::-1]


def _wire_fields(node: ast.ClassDef) -> set[str]:
    """The names a model class's fields have on the wire (their alias, else their name)."""
    fields: set[str] = set()
    for statement in node.body:
        if not isinstance(statement, ast.AnnAssign) or not isinstance(statement.target, ast.Name):
            continue
        if statement.target.id == "model_config":
            continue
        aliases = [keyword.value.value for call in ast.walk(statement)
                   if isinstance(call, ast.Call) for keyword in call.keywords
                   if keyword.arg == "alias" and isinstance(keyword.value, ast.Constant)]
        fields.add(str(aliases[0]) if aliases else statement.target.id)
    return fields


def _defined(body: list[ast.stmt]) -> set[str]:
    """The names a module's top level defines."""
    return {
        node.name for node in body if isinstance(node, ast.ClassDef)
    } | {
        target.id
        for node in body
        if isinstance(node, ast.Assign | ast.AnnAssign)
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(target, ast.Name)
    }


def _check_names(defined: set[str], wire_fields: dict[str, set[str]], expected: tuple[str, ...],
                 document: dict[str, Any]) -> None:
    # datamodel-code-generator names an inline schema after where it sits (`Pet.owner` ->
    # `PetOwner`); when a component already has that name it renames the component to
    # `PetOwner1` and gives the inline schema the component's name. Generating on would
    # silently validate responses against the wrong model.
    properties = {
        name: set(schema["properties"])
        for name, schema in (document.get("components", {}).get("schemas", {}) or {}).items()
        if isinstance(schema, dict) and isinstance(schema.get("properties"), dict)
    }
    # Confirmed by the fields: the class under the component's name does not hold the
    # component's properties (a `Model01` next to `Model0` may just be an inline enum's name).
    taken_over = sorted(
        name for name in expected
        if f"{name}1" in defined and f"{name}1" not in expected and name in properties
        and name in wire_fields and wire_fields[name] != properties[name]
    )
    if taken_over:
        raise SpecError([Diagnostic(
            Level.ERROR,
            f"schema {name!r} has the name datamodel-code-generator gives an inline schema "
            f"(a property of another schema, e.g. `{name}` for `<Parent>.<property>`)",
            f"/components/schemas/{name}",
            hint="rename the component, or move the inline schema into components/schemas "
                 "with a $ref",
        ) for name in taken_over])
    missing = [name for name in expected if name not in defined]
    if missing:
        raise SpecError([Diagnostic(
            Level.ERROR,
            "internal error: the models step did not define " + ", ".join(sorted(missing)),
            "/components/schemas",
            hint="this is a bug in clientgen: please report it together with the spec",
        )])


def _lines(source: str) -> list[str]:
    """Lines as Python counts them: only \\n ends one (a U+2028 inside a string does not)."""
    return source.split("\n")


def stable_order(source: str) -> str:
    """The classes of `source` in name order, except where one must come before another.

    datamodel-code-generator writes classes in the order it meets them, so a new `$ref`
    between two schemas can move unrelated classes and turn a one-field change into a large
    diff. Only base classes and default values must exist when a class is created; those are
    the only constraints kept. A field whose type comes later is resolved when its model is
    first built, after the module has run (see `deferred_builds`).
    """
    split = _split(source)
    if split is None:
        return source
    return _assemble(*split) or source  # a cycle cannot happen in valid code; never lose one


def _split(source: str) -> tuple[str, list[_Piece]] | None:
    """What comes before the classes of a module, and its classes; None when something other
    than classes (and their `model_rebuild()` calls) follows the first class."""
    found = _classes(source)
    if found is None:
        return None
    prefix, classes = found
    names = {node.name for node, _, _ in classes}
    return prefix, [_piece(node, text, start, names, annotations=False)
                    for node, text, start in classes]


def _classes(source: str) -> tuple[str, list[tuple[ast.ClassDef, str, int]]] | None:
    """What comes before the classes of a module, and each class: its node, its text (the
    lines after the previous class, its leading comments, up to its end) and the line (0-based)
    that text starts at; None as for `_split`."""
    tree = ast.parse(source)
    positions = [i for i, node in enumerate(tree.body) if isinstance(node, ast.ClassDef)]
    if not positions or positions[-1] - positions[0] + 1 != len(positions):
        return None
    classes = [node for node in tree.body if isinstance(node, ast.ClassDef)]
    lines = _lines(source)
    suffix_lines = [line for line in lines[(classes[-1].end_lineno or 0):] if line.strip()]
    if len({node.name for node in classes}) != len(classes) or not all(
        re.fullmatch(r"\w+\.model_rebuild\(\)", line) for line in suffix_lines
    ):
        return None
    starts = [min([node.lineno, *(d.lineno for d in node.decorator_list)]) for node in classes]
    found = []
    previous_end = starts[0] - 1
    for node in classes:
        end = node.end_lineno or node.lineno
        found.append((node, "\n".join(lines[previous_end:end]), previous_end))
        previous_end = end
    return "\n".join(lines[: starts[0] - 1]).rstrip("\n"), found


def _piece(node: ast.ClassDef, text: str, start: int, names: set[str], annotations: bool
           ) -> _Piece:
    """The class `node` of a module whose classes are `names`, its `text` starting at line
    `start` (0-based) of the module, as a `_Piece`."""
    evaluated: list[ast.AST] = [*node.bases, *node.keywords, *node.decorator_list]
    for statement in node.body:
        if isinstance(statement, ast.AnnAssign | ast.Assign) and statement.value is not None:
            evaluated.append(statement.value)
    uses = _names(node)
    mentions = sorted(((uses | _strings(node)) & names) - {node.name})
    # a class named like a builtin (`Exception`) must exist before a class whose field it
    # types: until then its name is the builtin's, which pydantic, evaluating the annotation
    # as the class is made, would take for the field's type
    typed = _names(*(s.annotation for s in node.body if isinstance(s, ast.AnnAssign)))
    depends = sorted(((_names(*evaluated) | (typed & _BUILTINS)) & names) - {node.name})
    first = start + len(text) - len(text.lstrip("\n"))  # its first line, 0-based
    return _Piece(node.name, text.strip("\n"), tuple(depends), tuple(sorted(_wire_fields(node))),
                  tuple(mentions), tuple(sorted(uses)),
                  _annotations(node, first) if annotations else ())


def _annotations(node: ast.ClassDef, first: int) -> tuple[_Annotation, ...]:
    """The annotations of the fields of class `node`, whose text starts at line `first`
    (0-based) of its module."""

    def annotation(expression: ast.expr, names: set[str],
                   inner: _Annotation | None = None) -> _Annotation:
        return _Annotation((expression.lineno - 1 - first, expression.col_offset),
                           ((expression.end_lineno or expression.lineno) - 1 - first,
                            expression.end_col_offset or 0), frozenset(names), inner)

    found = []
    for statement in node.body:
        if isinstance(statement, ast.AnnAssign):
            expression = statement.annotation
            parts = _annotated(expression)
            if parts is None:
                found.append(annotation(expression, _names(expression)))
            else:
                typed, rest = parts
                found.append(annotation(expression, _names(*rest),
                                        annotation(typed, _names(typed))))
    return tuple(found)


def _annotated(annotation: ast.expr) -> tuple[ast.expr, list[ast.expr]] | None:
    """The type of an `Annotated[type, ...]` annotation, and the rest (`Annotated`, the
    metadata); None for another annotation."""
    if isinstance(annotation, ast.Subscript) and isinstance(annotation.value, ast.Name) \
            and annotation.value.id == "Annotated" \
            and isinstance(annotation.slice, ast.Tuple) and annotation.slice.elts:
        typed, *metadata = annotation.slice.elts
        return typed, [annotation.value, *metadata]
    return None


def _under(kind: type[_Node], *roots: ast.AST) -> list[_Node]:
    """The nodes of `kind` under `roots` (theirs included), as `ast.walk` finds them, in
    another order and in three quarters of the time (walking the classes is most of the
    post-processing of a large models module)."""
    found: list[_Node] = []
    stack = list(roots)
    while stack:
        node = stack.pop()
        if isinstance(node, kind):
            found.append(node)
        for field in node._fields:
            value = getattr(node, field, None)
            if isinstance(value, ast.AST):
                stack.append(value)
            elif isinstance(value, list):
                stack.extend(item for item in value if isinstance(item, ast.AST))
    return found


def _names(*roots: ast.AST) -> set[str]:
    """The names (`ast.Name`) under `roots`."""
    return {node.id for node in _under(ast.Name, *roots)}


def _strings(*roots: ast.AST) -> set[str]:
    """The string constants under `roots` (forward references among them)."""
    return {node.value for node in _under(ast.Constant, *roots) if isinstance(node.value, str)}


def _assemble(prefix: str, pieces: list[_Piece]) -> str | None:
    """A module of `prefix`, then `pieces` in name order as far as their dependencies allow,
    then the call that builds the models at import when asked to (when `prefix` imports it);
    None when that cannot be made."""
    text = {piece.name: piece.text for piece in pieces}
    ordered = _topological({piece.name: {d for d in piece.depends if d in text}
                            for piece in pieces})
    if ordered is None:
        return None
    body = "\n\n\n".join(text[name] for name in ordered)
    footer = _BUILD_FOOTER if re.search(r"^from \._models import .*\bbuild_models\b", prefix,
                                        flags=re.MULTILINE) else ""
    return f"{prefix}\n\n\n{body}\n{footer}"


def _topological(depends: dict[str, set[str]]) -> list[str] | None:
    """Names with their dependencies first, the smallest ready name next; None on a cycle."""
    dependents: dict[str, list[str]] = {name: [] for name in depends}
    for name, deps in depends.items():
        for dependency in deps:
            dependents[dependency].append(name)
    waiting = {name: len(deps) for name, deps in depends.items()}
    ready = [name for name, count in waiting.items() if not count]
    heapq.heapify(ready)
    ordered: list[str] = []
    while ready:
        name = heapq.heappop(ready)
        ordered.append(name)
        for other in dependents[name]:
            waiting[other] -= 1
            if not waiting[other]:
                heapq.heappush(ready, other)
    return ordered if len(ordered) == len(depends) else None


def sort_imports(source: str) -> str:
    """The module's leading one-line imports in a fixed order (standard library, third party,
    the package itself), so a new import never moves the others."""
    lines = _lines(source)
    block = [i for i, line in enumerate(lines[:60])
             if line.startswith(("from ", "import ")) and not line.startswith("from __future__")]
    if not block or block != list(range(block[0], block[-1] + 1)) or any(
        lines[i].rstrip().endswith(("(", "\\")) for i in block
    ):
        return source

    def key(line: str) -> tuple[int, str]:
        module = line.split()[1]
        if module.startswith("."):
            return 2, module
        return (0 if module.split(".")[0] in sys.stdlib_module_names else 1), module

    lines[block[0]: block[-1] + 1] = sorted((lines[i] for i in block), key=key)
    return "\n".join(lines)


# The module of the `models` package that holds every class when the models were made in one
# part (a small spec, or parts that could not be merged).
SINGLE_MODULE = "_all"


def split_modules(source: str, module_of: dict[str, str], header: str,
                  directions: Directions = _NOT_DIRECTED) -> dict[str, str]:
    """The files of the `models` package for the models module `source`: each class in the
    module `module_of` names (else SINGLE_MODULE), and an `__init__.py` that imports a class
    from its module when it is first asked for (PEP 562 `__getattr__`, the runtime's
    `lazy_models`), so `import <package>` imports no model and `from <package>.models import
    Pet` imports Pet's module and what it needs.

    A module imports at its top the classes of other modules it needs while its classes are
    created (bases, defaults: `_Piece.depends`); modules that would need each other so become
    one. The classes its fields only name are imported for type checkers, and put into its
    namespace by its last line (`build_models(globals(), {module: names})`), after its own
    classes exist, so modules whose fields name each other import in any order.
    """
    lines = _lines(source)
    while lines and (not lines[-1].strip() or lines[-1].strip() == _BUILD_FOOTER.strip()):
        lines.pop()
    found = _classes("\n".join(lines))
    if found is None:  # not only classes: kept as it is, in one module
        defined = sorted(node.name for node in ast.parse(source).body
                         if isinstance(node, ast.ClassDef))
        text = re.sub(r"^from \._models import", "from .._models import",
                      directed(source, directions), flags=re.MULTILINE)
        return {"__init__.py": _models_init(header, {SINGLE_MODULE: defined}),
                f"{SINGLE_MODULE}.py": text}
    prefix, classes = found
    pieces = _fitted_pieces(classes, directions)
    home = {piece.name: module_of.get(piece.name, SINGLE_MODULE) for piece in pieces}
    needs: dict[str, set[str]] = {module: set() for module in home.values()}
    for piece in pieces:
        needs[home[piece.name]].update(home[d] for d in piece.depends if d in home)
    for module, cycle in _cycles(needs).items():  # those that need each other become one
        for name, where in home.items():
            if where in cycle:
                home[name] = module
    prefix_imports = [node for node in ast.parse(prefix).body
                      if isinstance(node, ast.ImportFrom) and node.module != "__future__"]
    by_module: dict[str, list[_Piece]] = {}
    for piece in pieces:
        by_module.setdefault(home[piece.name], []).append(piece)
    files = {f"{module}.py": _model_module(header, module, members, home, prefix_imports)
             for module, members in sorted(by_module.items())}
    exported = {module: sorted(piece.name for piece in members)
                for module, members in sorted(by_module.items())}
    return {"__init__.py": _models_init(header, exported), **files}


def _fitted_pieces(classes: list[tuple[ast.ClassDef, str, int]], directions: Directions
                   ) -> list[_Piece]:
    """The pieces of `_classes`, each fitted to the way its data travels (`_direction_edits`):
    the module is parsed once; a class that is edited (a few in a large client: 1,326 of
    9,538 classes of the vendor benchmark's) is parsed again, alone, once edited."""
    names = {node.name for node, _, _ in classes}
    pieces = [_piece(node, text, start, names, annotations=True)
              for node, text, start in classes]
    edit_of = _direction_edits({piece.name: (set(piece.uses) & names) - {piece.name}
                                for piece in pieces}, directions)
    for index, (node, text, start) in enumerate(classes):
        edits = edit_of[node.name](node) if node.name in edit_of else []
        if edits:
            edited = _replaced([line.encode() for line in _lines(text)],
                               [(line - start, column, end_line - start, end_column, new)
                                for line, column, end_line, end_column, new in edits])
            [again] = [n for n in ast.parse(edited).body if isinstance(n, ast.ClassDef)]
            pieces[index] = _piece(again, edited, 0, names, annotations=True)
    return pieces


def _cycles(needs: dict[str, set[str]]) -> dict[str, set[str]]:
    """The modules that need each other (directly or not), each group by its smallest name."""
    reach: dict[str, set[str]] = {}
    for start, needed in needs.items():
        seen: set[str] = set()
        stack = list(needed)
        while stack:
            module = stack.pop()
            if module not in seen:
                seen.add(module)
                stack.extend(needs.get(module, ()))
        reach[start] = seen
    groups: dict[str, set[str]] = {}
    for module in sorted(needs):
        group = {module} | {other for other in reach[module] if module in reach[other]}
        if len(group) > 1:
            groups.setdefault(min(group), group)
    return groups


def _model_module(header: str, module: str, pieces: list[_Piece], home: dict[str, str],
                  prefix_imports: list[ast.ImportFrom]) -> str:
    """One module of the `models` package: `pieces`, with what they use (see `split_modules`)."""
    own = {piece.name for piece in pieces}
    used = {name for piece in pieces for name in piece.uses}
    created: dict[str, set[str]] = {}  # needed when the classes are created: imported
    named: dict[str, set[str]] = {}  # only named by fields: linked by `build_models`
    for piece in pieces:
        for name in piece.mentions:
            if name in home and name not in own:
                target = created if name in piece.depends else named
                target.setdefault(home[name], set()).add(name)
    for where, names in created.items():
        named[where] = named.get(where, set()) - names
    named = {where: names for where, names in named.items() if names}
    imports: list[str] = []
    imported = {name for names in created.values() for name in names}  # names bound at run time
    for node in prefix_imports:
        runtime = (node.level, node.module) == (1, "_models")
        aliases = [alias for alias in node.names if (alias.asname or alias.name) in used
                   or runtime and alias.name == "build_models"]
        kept = {_imported(alias) for alias in aliases}
        imported.update(alias.asname or alias.name for alias in aliases)
        if node.module == "typing" and node.level == 0 and named:
            kept.add("TYPE_CHECKING")
        if kept:
            level = "." * (node.level + 1) if node.level else ""
            imports.append(f"from {level}{node.module or ''} import {', '.join(sorted(kept))}")
    if named and not any(line.startswith("from typing import") for line in imports):
        imports.append("from typing import TYPE_CHECKING")
    if not any(line.startswith("from .._models import") for line in imports):
        imports.append("from .._models import build_models")
    imports += [f"from .{where} import {', '.join(sorted(names))}"
                for where, names in sorted(created.items())]
    checking = "".join(f"\n    from .{where} import {', '.join(sorted(names))}"
                       for where, names in sorted(named.items()))
    references = ", ".join(f"{where!r}: ({', '.join(repr(n) for n in sorted(names))},)"
                           for where, names in sorted(named.items()))
    footer = f"build_models(globals(), {{{references}}})" if named else "build_models(globals())"
    body = "\n\n\n".join(_evaluable(pieces, imported, set(home)))  # the models module's order
    head = sort_imports("\n".join([header, "", *imports]))
    if checking:
        head += f"\n\nif TYPE_CHECKING:{checking}"
    return f"{head}\n\n\n{body}\n\n\n{footer}\n"


def _evaluable(pieces: list[_Piece], imported: set[str], classes: set[str]) -> list[str]:
    """The texts of `pieces`, in order, each field annotation that names a class not defined
    yet as its class is created (a later class, the class itself, one imported for type
    checkers only) written as a string; of an `Annotated[...]` whose metadata can be
    evaluated, only its type.

    A models module is written without `from __future__ import annotations`, so Python
    evaluates the other annotations as it creates each class, where pydantic compiled and
    evaluated each string one by one (importing every model of a large vendor's client took
    0.3 s less: 2.6 -> 2.3 s). pydantic evaluates a string as the class is made if it can,
    and otherwise when the model is built, once the names exist; so a class named like a
    builtin must come before the classes that name it (`_piece`).
    """
    defined = set(imported)

    def late(annotation: _Annotation) -> bool:
        return not all(name in defined or name not in classes and name in _BUILTINS
                       for name in annotation.names)

    texts = []
    for piece in pieces:
        quoted = []
        for annotation in piece.annotations:
            if late(annotation):
                quoted.append(annotation)
            elif annotation.inner is not None and late(annotation.inner):
                quoted.append(annotation.inner)  # `Annotated["Later | None", Field(...)]`
        texts.append(_quoted(piece.text, quoted) if quoted else piece.text)
        defined.add(piece.name)
    return texts


def _quoted(text: str, annotations: list[_Annotation]) -> str:
    """`text` with each of `annotations` written as a string of its source (on one line)."""
    encoded = [line.encode() for line in _lines(text)]
    edits = []
    for annotation in annotations:
        (line, column), (end_line, end_column) = annotation.start, annotation.end
        source = _span(encoded, annotation.start, annotation.end)
        if line != end_line:  # a line break inside brackets: the expression, on one line
            source = ast.unparse(ast.parse(f"({source})", mode="eval"))
        edits.append((line + 1, column, end_line + 1, end_column, repr(source)))
    return _replaced(encoded, edits)


def _models_init(header: str, modules: dict[str, list[str]]) -> str:
    """The `__init__.py` of the `models` package: every class, imported from its module when
    first asked for; type checkers see the imports."""
    names = sorted(name for members in modules.values() for name in members)
    checking = "".join(f"\n    from .{module} import {', '.join(members)}"
                       for module, members in sorted(modules.items()) if members)
    table = ", ".join(f"{module!r}: ({', '.join(repr(n) for n in members)},)"
                      for module, members in sorted(modules.items()) if members)
    return "\n".join([
        header,
        '"""The models of the API. Each class is imported from the module that defines it the '
        "first time\nit is asked for (`models.Pet`, `from .models import Pet`), so importing "
        'the client\nimports no model."""',
        "",
        "from __future__ import annotations",
        "",
        "from typing import TYPE_CHECKING",
        "",
        "from .._models import lazy_models",
        "",
        *([f"if TYPE_CHECKING:{checking}", ""] if checking else []),
        f"__all__ = [{', '.join(repr(name) for name in names)}]",
        "",
        "if not TYPE_CHECKING:",
        f"    __getattr__, __dir__ = lazy_models(__name__, {{{table}}})",
        "",
    ])
