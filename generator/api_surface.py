"""The public Python API of a generated package, read with `ast`, and how it changed.

A reviewer of a spec change wants the effect on client code: which classes, methods, keyword
arguments and model fields appear, disappear or change type. Only the user-visible modules are
read (the client classes, the resources, the models); the runtime modules are the same for
every spec. Async twins (`AsyncXResource`, `x_async`) mirror their sync originals and are left
out so that each change is reported once.
"""

from __future__ import annotations

import ast
import copy
import json
import re
from dataclasses import dataclass

from .diff_report import ApiChange, Severity

B, P, N = Severity.BREAKING, Severity.POTENTIALLY_BREAKING, Severity.NON_BREAKING


@dataclass(frozen=True)
class Symbol:
    kind: str  # class, method, function, parameter, field, member, attribute, export
    name: str  # e.g. PetsResource.list, PetsResource.list(limit), models.Pet.name
    signature: str  # what is compared: annotation and default, bases, return type
    parent: str | None = None  # the symbol it belongs to: a removed class hides its fields
    required: bool = False  # a parameter or field without a default


# `Field(...)` arguments that document a field without changing what it accepts.
_DOCUMENTATION_ARGUMENTS = frozenset({"examples", "description", "title"})


class _WithoutDocumentation(ast.NodeTransformer):
    def visit_Call(self, node: ast.Call) -> ast.AST:
        if isinstance(node.func, ast.Name) and node.func.id == "Field":
            node.keywords = [k for k in node.keywords if k.arg not in _DOCUMENTATION_ARGUMENTS]
        return self.generic_visit(node)


def _text(node: ast.expr | None) -> str:
    """An annotation or default as compared: an edited example is not an API change, and
    `builtins.list` (spelled so inside a resource with a method named `list`) is `list`."""
    if node is None:
        return ""
    text = ast.unparse(node)
    if "Field(" in text:  # only then is there documentation to drop (a copy is slow)
        text = ast.unparse(_WithoutDocumentation().visit(copy.deepcopy(node)))
    return text.replace("builtins.", "")


def _annotation_text(node: ast.expr | None) -> str:
    """`_text` of an annotation, a type written as a string (the whole, or the type of an
    `Annotated`) as the expression it holds: a models module writes a field's type so where
    the class it names comes later (models.py, `_evaluable`), which a new class elsewhere in
    the module can change without changing the type."""
    if node is None:
        return ""
    node = _unquoted(node)
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) \
            and node.value.id == "Annotated" and isinstance(node.slice, ast.Tuple) \
            and node.slice.elts:
        node = ast.Subscript(node.value, ast.Tuple([_unquoted(node.slice.elts[0]),
                                                    *node.slice.elts[1:]], ast.Load()),
                             ast.Load())
    return _text(node)


def _unquoted(node: ast.expr) -> ast.expr:
    """The expression a string `node` holds; any other node as it is."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        try:
            return ast.parse(node.value, mode="eval").body
        except (SyntaxError, ValueError):  # ValueError: a NUL character
            pass
    return node


def _twin_of(name: str, names: set[str]) -> bool:
    """`AsyncX`, `XWithRawResponse` and `x_async` mirror X: report X's changes once."""
    for prefix, suffix in (("Async", ""), ("", "WithRawResponse"), ("Async", "WithRawResponse"),
                           ("", "_async")):
        if name.startswith(prefix) and name.endswith(suffix) and len(name) > len(prefix + suffix) \
                and name[len(prefix):len(name) - len(suffix)] in names:
            return True
    return False


def _public(name: str) -> bool:
    return not name.startswith("_")


def _parameters(function: ast.FunctionDef | ast.AsyncFunctionDef,
                owner: str) -> list[Symbol]:
    arguments = function.args
    positional = [*arguments.posonlyargs, *arguments.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(arguments.defaults))
    defaults += arguments.defaults
    pairs = list(zip(positional, defaults)) + list(zip(arguments.kwonlyargs,
                                                       arguments.kw_defaults))
    symbols = []
    for argument, default in pairs:
        if argument.arg in ("self", "cls", "client"):
            continue
        signature = argument.arg + (f": {_annotation_text(argument.annotation)}"
                                    if argument.annotation else "")
        if default is not None:
            signature += f" = {_text(default)}"
        symbols.append(Symbol("parameter", f"{owner}({argument.arg})", signature, owner,
                              required=default is None))
    return symbols


def _class_symbols(node: ast.ClassDef, name: str, kind_of_members: str) -> list[Symbol]:
    """A class, its public annotated attributes (fields), enum members and methods."""
    bases = ", ".join(_text(base) for base in node.bases)
    symbols = [Symbol("class", name, f"class {node.name}({bases})")]
    is_enum = any(_text(base).endswith("Enum") for base in node.bases)
    for statement in node.body:
        if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            field = statement.target.id
            if not _public(field) or field == "model_config":
                continue
            signature = f"{field}: {_annotation_text(statement.annotation)}"
            if statement.value is not None:
                signature += f" = {_text(statement.value)}"
            symbols.append(Symbol(kind_of_members, f"{name}.{field}", signature, name,
                                  required=statement.value is None))
        elif is_enum and isinstance(statement, ast.Assign):
            for target in statement.targets:
                if isinstance(target, ast.Name) and _public(target.id):
                    symbols.append(Symbol("member", f"{name}.{target.id}",
                                          f"{target.id} = {_text(statement.value)}", name))
        elif isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
            if not _public(statement.name) and statement.name != "__init__":
                continue
            method = f"{name}.{statement.name}"
            symbols.append(Symbol("method", method,
                                  f"-> {_annotation_text(statement.returns)}", name))
            symbols += _parameters(statement, method)
    return symbols


# Symbols already read, by what they were read from: ("file", path, text) or ("class", prefix,
# kind of members, text); a file or class with the same text has the same symbols.
Seen = dict[tuple[str, ...], list[Symbol]]
_LINE_END = re.compile(r"\r\n|\r|\n")  # where Python's line numbers count one


def _module_symbols(source: str, prefix: str, kind_of_members: str,
                    seen: Seen | None = None) -> list[Symbol]:
    tree = ast.parse(source)
    names = {n.name for n in tree.body
             if isinstance(n, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)}
    lines = _LINE_END.split(source) if seen is not None else []
    symbols: list[Symbol] = []
    for node in tree.body:
        if not isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) or \
                not _public(node.name) or _twin_of(node.name, names):
            continue
        if isinstance(node, ast.ClassDef):
            if seen is None:
                symbols += _class_symbols(node, prefix + node.name, kind_of_members)
                continue
            key = ("class", prefix, kind_of_members,
                   "\n".join(lines[node.lineno - 1:node.end_lineno]))
            found = seen.get(key)
            if found is None:
                found = seen[key] = _class_symbols(node, prefix + node.name, kind_of_members)
            symbols += found
        else:
            # Functions take the same arguments as their resource methods, which are listed.
            symbols.append(Symbol("function", prefix + node.name,
                                  f"-> {_annotation_text(node.returns)}"))
    return symbols


def _exports(source: str) -> list[Symbol]:
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.List | ast.Tuple) and any(
                isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            names = {e.value for e in node.value.elts
                     if isinstance(e, ast.Constant) and isinstance(e.value, str)}
            return [Symbol("export", name, name) for name in sorted(names)
                    if not _twin_of(name, names)]
    return []


def _file_symbols(relative: str, source: str, seen: Seen | None = None) -> list[Symbol]:
    """The public symbols of one file of a package (its path relative to the package)."""
    if relative == "__init__.py":
        return _exports(source)
    if relative == "_client.py":
        return _module_symbols(source, "", "attribute", seen)
    if relative.startswith("models/") and relative != "models/__init__.py":
        return _module_symbols(source, "models.", "field", seen)  # one module of them
    if relative.startswith("resources/") and relative != "resources/__init__.py":
        module = relative.removeprefix("resources/").removesuffix(".py")
        symbols = []
        for symbol in _module_symbols(source, "", "field", seen):
            if symbol.kind == "function":  # functions live in their module's namespace
                symbol = Symbol("function", f"resources.{module}.{symbol.name}",
                                symbol.signature)
            symbols.append(symbol)
        return symbols
    return []


def public_surface(files: dict[str, str], package: str, seen: Seen | None = None
                   ) -> dict[str, Symbol]:
    """Every public symbol of a generated package, by name. `seen` remembers the symbols of
    each file and class by its text, so what another package has too is read once. Raises
    SyntaxError when a file that is read is not Python."""
    symbols: list[Symbol] = []
    for path, source in sorted(files.items()):
        if not path.startswith(f"{package}/") or not path.endswith(".py"):
            continue
        relative = path[len(package) + 1:]
        if seen is None:
            symbols += _file_symbols(relative, source)
            continue
        found = seen.get(("file", relative, source))
        if found is None:
            found = seen["file", relative, source] = _file_symbols(relative, source, seen)
        symbols += found
    return {symbol.name: symbol for symbol in symbols}


def encode_surface(surface: dict[str, Symbol]) -> str:
    """A surface as JSON text, for the cache (`decode_surface` reads it back)."""
    return json.dumps([[s.kind, s.name, s.signature, s.parent, s.required]
                       for s in surface.values()])


def decode_surface(text: str) -> dict[str, Symbol] | None:
    """A surface `encode_surface` wrote; None when the text is damaged."""
    try:
        return {name: Symbol(kind, name, signature, parent, required)
                for kind, name, signature, parent, required in json.loads(text)}
    except (ValueError, TypeError):
        return None


def _hidden(symbol: Symbol, gone: dict[str, Symbol]) -> bool:
    """A symbol whose parent was removed (or added) is reported with its parent; the parent's
    own parent is then gone too, so one step up is enough."""
    return symbol.parent is not None and symbol.parent in gone


def _added(symbol: Symbol) -> ApiChange:
    if symbol.kind == "parameter" and symbol.required:
        severity, what = B, "required parameter"
    elif symbol.kind == "field" and symbol.required:
        severity, what = P, "required field"  # constructing the model now needs it
    else:
        severity, what = N, symbol.kind
    return ApiChange(f"{symbol.kind}-added", severity,
                     f"{what} `{_shown(symbol)}` added", symbol.name)


def _removed(symbol: Symbol) -> ApiChange:
    return ApiChange(f"{symbol.kind}-removed", B, f"{symbol.kind} `{_shown(symbol)}` removed",
                     symbol.name)


def _type_members(annotation: str) -> frozenset[str] | None:
    """The alternatives an annotation allows (`int | None` -> {int, None}; `Optional`,
    `Union` and `Literal` spelled out, `Annotated` metadata dropped); None for "anything"."""
    try:
        tree = ast.parse(annotation, mode="eval").body
    except SyntaxError:
        return frozenset({annotation})
    members: set[str] = set()
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            stack += [node.left, node.right]
            continue
        if isinstance(node, ast.Subscript):
            head = ast.unparse(node.value).rsplit(".", 1)[-1]
            arguments = list(node.slice.elts) if isinstance(node.slice, ast.Tuple) \
                else [node.slice]
            if head in ("Optional", "Union"):
                stack += arguments
                if head == "Optional":
                    members.add("None")
                continue
            if head == "Annotated":
                stack.append(arguments[0])
                continue
            if head == "Literal":
                members.update(f"Literal[{ast.unparse(a)}]" for a in arguments)
                continue
        text = ast.unparse(node)
        if text in ("Any", "typing.Any", "object"):
            return None
        members.add(text)
    return frozenset(members)


def _accepts(wide: frozenset[str] | None, narrow: frozenset[str] | None) -> bool:
    """Does every value typed `narrow` type-check as `wide`? (mypy promotes int to float)"""
    if wide is None:
        return True
    if narrow is None:
        return False
    return all(m in wide or (m == "int" and "float" in wide) for m in narrow)


def _annotation(signature: str) -> str:
    """`name: T = default` -> T; `-> T` -> T."""
    if signature.startswith("-> "):
        return signature[3:]
    return signature.partition(": ")[2].split(" = ")[0]


def _severity_of_change(old: Symbol, new: Symbol) -> tuple[Severity, str]:
    """What the change does to code written against OLD: mypy rejects an old call, or old
    code reads a value that is no longer there. Returns the severity and why."""
    before = _type_members(_annotation(old.signature))
    after = _type_members(_annotation(new.signature))
    wider, narrower = _accepts(after, before), _accepts(before, after)
    if new.kind == "parameter":
        if new.required and not old.required:
            return B, "calls that leave it out fail"
        if not wider:
            return B, "calls passing an old value no longer type-check"
        if old.signature.split(" = ")[1:] != new.signature.split(" = ")[1:] and \
                not (old.required and not new.required):
            return P, "calls that leave it out get another default"
        return N, "every old call still type-checks"
    if new.kind in ("method", "function"):
        if after == frozenset({"None"}) and before != after:
            return B, "it no longer returns a value"
        if narrower:
            return N, "it returns a subset of what it did"
        return B, "code using the result as before may no longer type-check"
    if new.kind in ("field", "attribute"):
        if not wider and not narrower:
            return B, "neither reading nor setting it type-checks as before"
        if new.required and not old.required:
            return P, "constructing the model now needs it"
        if wider and narrower:
            return P if new.kind == "field" else N, "its default changed"
        if wider:  # a model sent: fine; a model read: values it never had
            return P, "code reading it may meet values it did not handle"
        return P, "code constructing it with some old values no longer type-checks"
    return P, ""


def _changed(old: Symbol, new: Symbol) -> ApiChange:
    severity, why = _severity_of_change(old, new)
    return ApiChange(f"{new.kind}-changed", severity,
                     f"{new.kind} `{new.name}` changed: `{old.signature}` → `{new.signature}`"
                     + (f" ({why})" if why else ""), new.name)


def _shown(symbol: Symbol) -> str:
    """`PetsResource.list(limit: int | NotGiven = NOT_GIVEN)`, `models.Pet.tag: str | None`."""
    if symbol.kind == "parameter":
        return f"{symbol.parent}({symbol.signature})"
    if symbol.kind in ("field", "attribute", "member"):
        return f"{symbol.parent}.{symbol.signature}"
    return symbol.name


def diff_surfaces(old: dict[str, Symbol], new: dict[str, Symbol]) -> list[ApiChange]:
    removed = {name: s for name, s in old.items() if name not in new}
    added = {name: s for name, s in new.items() if name not in old}
    changes = [_removed(s) for s in removed.values() if not _hidden(s, removed)]
    changes += [_added(s) for s in added.values() if not _hidden(s, added)]
    changed = [name for name in old if name in new and old[name].signature != new[name].signature]
    # A root model's `root` field repeats what its class line says: state the change once.
    restated = {f"{name}.root" for name in changed if new[name].kind == "class"}
    changes += [_changed(old[name], new[name]) for name in changed if name not in restated]
    return sorted(changes, key=lambda c: (-c.severity, c.symbol))


def diff_packages(old_files: dict[str, str], old_package: str, new_files: dict[str, str],
                  new_package: str) -> list[ApiChange]:
    """How the public API of the package generated from NEW differs from OLD's."""
    seen: Seen = {}  # what both have is read once
    return diff_surfaces(public_surface(old_files, old_package, seen),
                         public_surface(new_files, new_package, seen))
