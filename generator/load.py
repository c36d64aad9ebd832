"""Load a spec (YAML through ruamel.yaml, or JSON), bundle relative-file `$ref`s into one
document, and remember where every node came from so diagnostics can say file:line:col."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError

from .diagnostics import Diagnostic, Level, Location, SpecError

MAX_SPEC_BYTES = 64 * 1024 * 1024


class _SpecConstructor(RoundTripConstructor):
    """Keeps dates as the strings the author wrote: a spec's `example: 2024-01-01` is text."""


_SpecConstructor.add_constructor(
    "tag:yaml.org,2002:timestamp", _SpecConstructor.construct_yaml_str
)


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Constructor = _SpecConstructor
    return yaml


def escape_pointer_token(token: str | int) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def unescape_pointer_token(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def join_pointer(pointer: str, *tokens: str | int) -> str:
    return pointer + "".join("/" + escape_pointer_token(t) for t in tokens)


def split_pointer(pointer: str) -> list[str]:
    if pointer in ("", "/"):
        return [] if pointer == "" else [""]
    return [unescape_pointer_token(t) for t in pointer.lstrip("/").split("/")]


def resolve_pointer(data: Any, pointer: str) -> Any:
    """Follow a JSON pointer; raises KeyError when any step is missing."""
    node = data
    for token in split_pointer(pointer):
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise KeyError(token)
    return node


@dataclass
class Document:
    """One file of a spec: its parsed data and, on demand, the position of every node."""

    path: Path
    display: str  # the name used in messages: as the user gave it, never made absolute
    text: str
    data: Any
    _positions: dict[str, tuple[int, int]] | None = field(default=None, repr=False)

    def location(self, pointer: str) -> Location:
        """The position of the node at `pointer`, or of its nearest ancestor that has one."""
        if self._positions is None:
            self._positions = _positions_of(self.text)
        tokens = split_pointer(pointer)
        while True:
            key = "".join("/" + escape_pointer_token(t) for t in tokens)
            if key in self._positions:
                line, column = self._positions[key]
                return Location(self.display, line, column)
            if not tokens:
                return Location(self.display)
            tokens.pop()


def _positions_of(text: str) -> dict[str, tuple[int, int]]:
    """Pointer -> (line, column), 1-based, from a round-trip parse (JSON is YAML here)."""
    try:
        tree = _yaml().load(text)
    except Exception:  # the text was already parsed once; positions are best effort
        return {}
    positions: dict[str, tuple[int, int]] = {"": (1, 1)}
    stack: list[tuple[str, Any]] = [("", tree)]
    while stack:
        pointer, node = stack.pop()
        if isinstance(node, CommentedMap):
            for key in node:
                child = join_pointer(pointer, str(key))
                line, column = node.lc.key(key)
                positions[child] = (line + 1, column + 1)
                stack.append((child, node[key]))
        elif isinstance(node, CommentedSeq):
            for index, item in enumerate(node):
                child = join_pointer(pointer, index)
                line, column = node.lc.item(index)
                positions[child] = (line + 1, column + 1)
                stack.append((child, item))
    return positions


def _plain(node: Any) -> Any:
    """ruamel's round-trip containers -> plain dicts and lists (keys as strings)."""
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, str):
        return str(node)  # drop ruamel's scalar-string subclasses
    return node


def _error(display: str, message: str, hint: str = "", line: int | None = None,
           column: int | None = None) -> SpecError:
    return SpecError(
        [Diagnostic(Level.ERROR, message, "", Location(display, line, column), hint)]
    )


def _reject_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def read_document(path: Path, display: str) -> Document:
    """Parse one file. Every failure is a SpecError naming the file and, where known, the line."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise _error(display, "file not found", "check the path") from None
    except IsADirectoryError:
        raise _error(display, "is a directory, not a spec file", "pass the .yaml or .json file") from None
    except OSError as exc:
        raise _error(display, f"cannot read the file: {exc.strerror}") from None
    if len(raw) > MAX_SPEC_BYTES:
        raise _error(
            display,
            f"the file is {len(raw) // (1024 * 1024)} MiB; specs over "
            f"{MAX_SPEC_BYTES // (1024 * 1024)} MiB are refused",
            "split it into files joined with relative $refs",
        )
    if b"\x00" in raw:
        raise _error(display, "this is a binary file, not a YAML or JSON spec")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _error(display, f"the file is not UTF-8 text (byte {exc.start})",
                     "save the spec as UTF-8") from None
    if path.suffix.lower() == ".json":
        data = _parse_json(text, display)
    else:
        data = _parse_yaml(text, display)
    return Document(path=path, display=display, text=text, data=data)


def _parse_json(text: str, display: str) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_reject_duplicate_keys)
    except json.JSONDecodeError as exc:
        raise _error(display, f"invalid JSON: {exc.msg}", "", exc.lineno, exc.colno) from None
    except _DuplicateKey as exc:
        document = Document(Path(display), display, text, None)
        line = _first_duplicate_line(text, exc.key)
        raise SpecError([Diagnostic(
            Level.ERROR, f"duplicate key {exc.key!r}", "",
            Location(document.display, line) if line else Location(display),
            "each key may appear once in an object; remove or merge the repeated one",
        )]) from None


def _first_duplicate_line(text: str, key: str) -> int | None:
    needle = json.dumps(key) + ":"
    seen = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line.replace('" :', '":'):
            seen += 1
            if seen == 2:
                return number
    return None


def _parse_yaml(text: str, display: str) -> Any:
    try:
        tree = _yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        if "duplicate key" in problem:
            hint = "each key may appear once in a mapping; remove or merge the repeated one"
        else:
            hint = "check the indentation and quoting around this line"
        raise _error(
            display,
            f"invalid YAML: {problem}",
            hint,
            mark.line + 1 if mark else None,
            mark.column + 1 if mark else None,
        ) from None
    except Exception as exc:  # ruamel raises a few unmarked errors (e.g. bad encodings)
        raise _error(display, f"invalid YAML: {exc}") from None
    return _plain(tree)


@dataclass
class LoadedSpec:
    """The bundled document plus where each part of it was read from."""

    data: dict[str, Any]
    root: Document
    # Pointer of a node bundled in from another file -> (that file, pointer inside it).
    origins: dict[str, tuple[Document, str]] = field(default_factory=dict)

    @property
    def display(self) -> str:
        return self.root.display

    def locate(self, pointer: str) -> Location:
        for prefix, (document, inner) in self.origins.items():
            if pointer == prefix or pointer.startswith(prefix + "/"):
                return document.location(inner + pointer[len(prefix):])
        return self.root.location(pointer)


def load_spec(path: Path | str, display: str | None = None) -> LoadedSpec:
    """Read a spec and bundle every relative-file `$ref` into it, as `#/components/...`."""
    path = Path(path)
    root = read_document(path, display if display is not None else str(path))
    if not isinstance(root.data, dict):
        kind = "empty" if root.data is None else f"a {type(root.data).__name__}"
        raise _error(root.display, f"the spec is {kind}, not a mapping",
                     "an OpenAPI document starts with `openapi: 3.1.0`, `info` and `paths`", 1, 1)
    bundler = _Bundler(root)
    bundler.run()
    if bundler.diagnostics:
        raise SpecError(bundler.diagnostics)
    return LoadedSpec(data=root.data, root=root, origins=bundler.origins)


# Where a `$ref` sits decides which components section an external target goes into.
_SECTION_BY_PARENT_KEY = {
    "parameters": "parameters",
    "responses": "responses",
    "requestBody": "requestBodies",
    "headers": "headers",
    "examples": "examples",
    "securitySchemes": "securitySchemes",
}


class _Bundler:
    def __init__(self, root: Document) -> None:
        self.root = root
        self.documents: dict[Path, Document] = {root.path.resolve(): root}
        self.hoisted: dict[tuple[Path, str], str] = {}  # (file, pointer) -> local ref
        self.origins: dict[str, tuple[Document, str]] = {}
        self.diagnostics: list[Diagnostic] = []

    def run(self) -> None:
        self._walk(self.root, self.root.data, "")

    def _walk(self, document: Document, node: Any, pointer: str) -> None:
        """Rewrite external refs under `node`, which sits at `pointer` in `document`."""
        for child_pointer, parent_key, holder in _ref_holders(node, pointer):
            ref = holder["$ref"]
            if not isinstance(ref, str):
                self._fail(document, child_pointer, "`$ref` must be a string",
                           "write `$ref: '#/components/schemas/Name'`")
                continue
            target_file, _, fragment = ref.partition("#")
            if not target_file:
                if document is not self.root:
                    holder["$ref"] = self._hoist(document, fragment, parent_key, child_pointer)
                continue
            holder["$ref"] = self._external(document, target_file, fragment, parent_key,
                                            child_pointer)

    def _external(self, document: Document, target_file: str, fragment: str, parent_key: str,
                  pointer: str) -> str:
        if "://" in target_file:
            self._fail(document, pointer, f"remote $ref {target_file!r} is not supported",
                       "download the file and refer to it by a relative path")
            return "#"
        path = (document.path.parent / target_file).resolve()
        target = self.documents.get(path)
        if target is None:
            try:
                target = read_document(path, _display_join(document.display, target_file))
            except SpecError as exc:
                for diagnostic in exc.diagnostics:
                    self.diagnostics.append(Diagnostic(
                        diagnostic.level,
                        f"$ref {target_file!r}: {diagnostic.message}",
                        pointer, document.location(pointer), diagnostic.hint,
                    ))
                return "#"
            self.documents[path] = target
        return self._hoist(target, fragment, parent_key, pointer, source=document)

    def _hoist(self, document: Document, fragment: str, parent_key: str, pointer: str,
               source: Document | None = None) -> str:
        """Copy the target into the root's components and return the local ref to it."""
        key = (document.path.resolve(), fragment)
        if key in self.hoisted:
            return self.hoisted[key]
        try:
            target = resolve_pointer(document.data, fragment)
        except KeyError:
            where = source or document
            self._fail(where, pointer, f"$ref target {document.display}#{fragment} does not exist",
                       "check the file name and the JSON pointer after '#'")
            return "#"
        tokens = split_pointer(fragment)
        if len(tokens) == 3 and tokens[0] == "components":
            section, name = tokens[1], tokens[2]
        else:
            section = _SECTION_BY_PARENT_KEY.get(parent_key, "schemas")
            name = tokens[-1] if tokens else document.path.stem
        components = self.root.data.setdefault("components", {})
        existing = components.setdefault(section, {})
        unique_name, n = name, 1
        while unique_name in existing:
            n += 1
            unique_name = f"{name}{n}"
        local = join_pointer("/components", section, unique_name)
        self.hoisted[key] = "#" + local
        copied = json.loads(json.dumps(target))  # never share nodes between two places
        existing[unique_name] = copied
        self.origins[local] = (document, fragment)
        self._walk(document, copied, fragment)
        return "#" + local

    def _fail(self, document: Document, pointer: str, message: str, hint: str) -> None:
        self.diagnostics.append(
            Diagnostic(Level.ERROR, message, pointer, document.location(pointer), hint)
        )


def _display_join(base_display: str, relative: str) -> str:
    return str(Path(base_display).parent / relative)


# Keys whose values are data (examples, defaults), not spec structure: a "$ref" inside is text.
_DATA_KEYS = frozenset({"example", "examples", "default", "enum", "const", "value"})
# Keys whose values map user-chosen names to spec objects: a child named "example" is a name.
_NAME_MAPS = frozenset({
    "properties", "patternProperties", "$defs", "definitions", "schemas", "parameters",
    "responses", "requestBodies", "headers", "securitySchemes", "links", "callbacks",
    "pathItems", "paths", "content", "encoding", "mapping", "webhooks", "examples",
})


def _ref_holders(node: Any, pointer: str) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Every mapping with a `$ref` key under `node`: (its pointer, its parent key, it)."""
    stack: list[tuple[Any, str, str]] = [(node, pointer, "")]
    while stack:
        current, current_pointer, parent_key = stack.pop()
        if isinstance(current, dict):
            if "$ref" in current:
                yield current_pointer, parent_key, current
            names_only = parent_key in _NAME_MAPS
            for key in sorted(current, reverse=True):
                value = current[key]
                # `examples` is a map of Example Objects (which may be `$ref`s) on a media type
                # or parameter, but a list of plain data in a JSON Schema.
                is_example_map = key == "examples" and isinstance(value, dict)
                if key == "$ref" or (
                    not names_only and key in _DATA_KEYS and not is_example_map
                ):
                    continue
                stack.append((value, join_pointer(current_pointer, key), key))
        elif isinstance(current, list):
            for index in range(len(current) - 1, -1, -1):
                stack.append((current[index], join_pointer(current_pointer, index), parent_key))
