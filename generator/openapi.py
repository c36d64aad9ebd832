"""A typed view of an OpenAPI document: the one place that knows how its parts are found.

validate, normalise, build, diff and the models step walk operations, parameters and
component schemas through this module, and follow `$ref`s with its one resolver, so that a
rule about the document's shape (which keys are methods, how a chain of `$ref`s ends, when a
schema admits null) is written once. (api_surface reads generated Python, not the document.)
The view reads the document and never changes it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .pointer import join_pointer, resolve_pointer, split_pointer

# The fields of a Path Item Object that are operations.
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
PARAMETER_LOCATIONS = ("path", "query", "header", "cookie")
# What a `$ref` to a component schema starts with.
SCHEMA_REF = "#/components/schemas/"


def schema_component(ref: Any) -> str | None:
    """The component schema a `#/components/schemas/X` ref names (X), else None."""
    if isinstance(ref, str) and ref.startswith(SCHEMA_REF):
        tokens = split_pointer(ref[1:])
        if len(tokens) == 3:
            return tokens[2]
    return None


def component_name(node: Any) -> str | None:
    """The component schema a `{$ref: ...}` node names, else None."""
    return schema_component(node.get("$ref")) if isinstance(node, dict) else None


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


@dataclass(frozen=True, slots=True)
class Located:
    """A node of the document and the JSON pointer it sits at."""

    node: Any
    pointer: str


def resolve(document: Any, node: Any, pointer: str) -> Located | None:
    """Follow a chain of local `$ref`s from `node` (at `pointer`) to the node it names.

    The one cycle rule: a chain that meets a `$ref` it has already followed ends in None, as
    does one that leaves the document (a ref not starting with `#/`: `#` alone, the whole
    document, is never a schema, parameter or response either) or names nothing. A node that is
    not a `$ref` is its own target.
    """
    seen: set[str] = set()
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        ref = node["$ref"]
        if ref in seen or not ref.startswith("#/"):
            return None
        seen.add(ref)
        try:
            node, pointer = resolve_pointer(document, ref[1:]), ref[1:]
        except KeyError:
            return None
    return Located(node, pointer)


@dataclass(frozen=True, slots=True)
class OperationView:
    """One operation: where it is, and the path item's shared parameters beside it."""

    path: str
    method: str
    node: dict[str, Any]
    pointer: str  # of the operation, inside the path item a `$ref` led to
    shared: list[Any]  # the path item's `parameters`, as written
    shared_pointer: str

    @property
    def operation_id(self) -> str | None:
        value = self.node.get("operationId")
        return value if isinstance(value, str) else None

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"


@dataclass(frozen=True, slots=True)
class ParameterView:
    """A parameter of an operation: the entry as listed and the Parameter Object it names."""

    name: str
    location: str  # path, query, header or cookie
    node: dict[str, Any]  # the resolved Parameter Object
    entry_pointer: str  # where the operation (or its path item) lists it
    pointer: str  # where the Parameter Object is


class OpenApiDocument:
    """Read-only access to a bundled OpenAPI document's operations, parameters and schemas."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    def resolve(self, node: Any, pointer: str = "") -> Located | None:
        return resolve(self.data, node, pointer)

    def target(self, node: Any, pointer: str = "") -> tuple[Any, str]:
        """Where a `$ref` chain leads; `{}` (at `pointer`) when it leads nowhere. For walks
        that treat a broken reference as "anything" because validation reports it."""
        located = resolve(self.data, node, pointer)
        return (located.node, located.pointer) if located is not None else ({}, pointer)

    @property
    def schemas(self) -> dict[str, Any]:
        """`components.schemas`, or {} when the document has none (or it is not a mapping)."""
        return as_dict(as_dict(self.data.get("components")).get("schemas"))

    def path_items(self) -> Iterator[tuple[str, Any, str]]:
        """Each entry of `paths` as written: (path, item, pointer), in document order."""
        for path, item in as_dict(self.data.get("paths")).items():
            yield str(path), item, join_pointer("/paths", path)

    def operations(self) -> Iterator[OperationView]:
        """Every operation, in document order; path items are followed through `$ref`s, and
        entries that are not mappings are passed over (validation reports them)."""
        for path, item, item_pointer in self.path_items():
            located = self.resolve(item, item_pointer)
            if located is None or not isinstance(located.node, dict):
                continue
            item, item_pointer = located.node, located.pointer
            shared = as_list(item.get("parameters"))
            shared_pointer = join_pointer(item_pointer, "parameters")
            for method, operation in item.items():
                if method in HTTP_METHODS and isinstance(operation, dict):
                    yield OperationView(path, method, operation, join_pointer(item_pointer, method),
                                        shared, shared_pointer)

    def parameter_entries(self, operation: OperationView) -> Iterator[tuple[Any, str]]:
        """The path item's parameter entries, then the operation's: (entry, its pointer)."""
        for entries, base in ((operation.shared, operation.shared_pointer),
                              (operation.node.get("parameters"),
                               join_pointer(operation.pointer, "parameters"))):
            for index, entry in enumerate(as_list(entries)):
                yield entry, join_pointer(base, index)

    def parameters(self, operation: OperationView, any_location: bool = False
                   ) -> dict[tuple[str, str], ParameterView]:
        """(in, name) -> the parameter the operation sends; an operation's own entry overrides
        the path item's, and a later entry an earlier one. Malformed entries are left out, and so
        is an `in` OpenAPI 3 does not have (Swagger's `body`, a typo) unless `any_location`: a
        reader that reports changes (diff) must see those too."""
        merged: dict[tuple[str, str], ParameterView] = {}
        for entry, entry_pointer in self.parameter_entries(operation):
            located = self.resolve(entry, entry_pointer)
            if located is None or not isinstance(located.node, dict):
                continue
            name, location = located.node.get("name"), located.node.get("in")
            if isinstance(name, str) and isinstance(location, str) and (
                    any_location or location in PARAMETER_LOCATIONS):
                merged[(location, name)] = ParameterView(name, location, located.node,
                                                         entry_pointer, located.pointer)
        return merged


def nullable(schema: dict[str, Any]) -> bool:
    """Whether `null` is a value of the schema, in any of the ways 3.0 and 3.1 say so."""
    types = schema.get("type")
    members = [m for key in ("oneOf", "anyOf") if isinstance(schema.get(key), list)
               for m in schema[key]]
    return (schema.get("nullable") is True or types == "null"
            or (isinstance(types, list) and "null" in types)
            or any(isinstance(m, dict) and m.get("type") == "null" for m in members)
            or (isinstance(schema.get("enum"), list) and None in schema["enum"])
            or ("const" in schema and schema["const"] is None))


# The types JSON Schema names.
SCHEMA_TYPES = ("string", "integer", "number", "boolean", "array", "object", "null")
# Keywords whose value is a mapping of names to schemas, a list of schemas, or one schema.
SUBSCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
SUBSCHEMA_VALUES = ("items", "additionalProperties", "unevaluatedProperties", "unevaluatedItems",
                    "additionalItems", "not", "if", "then", "else", "contains", "propertyNames")


def ref_cycle(document: Any, node: Any) -> list[str]:
    """The refs of the cycle that ends `resolve`'s chain from `node` (the refs from the first
    one met twice on), or [] when the chain ends anywhere else."""
    chain: list[str] = []
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        ref = node["$ref"]
        if ref in chain:
            return chain[chain.index(ref):]
        if not ref.startswith("#/"):
            return []
        chain.append(ref)
        try:
            node = resolve_pointer(document, ref[1:])
        except KeyError:
            return []
    return []


def schema_nodes(document: dict[str, Any]) -> Iterator[Located]:
    """Every schema object written in the document, with its pointer: the component schemas,
    the `schema` of each parameter, header and media type (in paths, webhooks, callbacks and
    components), and the schemas nested in those. `$ref`s are not followed: what they name is
    met where it is written. A node a YAML alias repeats is met at each place."""
    components = as_dict(document.get("components"))
    for name, schema in as_dict(components.get("schemas")).items():
        yield from _schema_tree(schema, join_pointer("/components/schemas", name))
    for section in ("parameters", "headers", "requestBodies", "responses"):
        for name, entry in as_dict(components.get(section)).items():
            yield from _holder_schemas(entry, join_pointer("/components", section, name))
    for section in ("pathItems", "callbacks"):
        for name, entry in as_dict(components.get(section)).items():
            pointer = join_pointer("/components", section, name)
            items = [("", entry)] if section == "pathItems" else _entries(entry)
            for key, item in items:
                yield from _path_item_schemas(item, join_pointer(pointer, key) if key else pointer)
    for section in ("paths", "webhooks"):
        for key, item in _entries(document.get(section)):
            yield from _path_item_schemas(item, join_pointer("/" + section, key))


def _entries(mapping: Any) -> list[tuple[str, Any]]:
    """The entries of a Paths, Responses or Callback object, without its `x-` extensions."""
    return [(str(key), value) for key, value in as_dict(mapping).items()
            if not str(key).startswith("x-")]


def _path_item_schemas(item: Any, pointer: str) -> Iterator[Located]:
    item = as_dict(item)
    for index, parameter in enumerate(as_list(item.get("parameters"))):
        yield from _holder_schemas(parameter, join_pointer(pointer, "parameters", index))
    for method in HTTP_METHODS:
        operation = as_dict(item.get(method))
        base = join_pointer(pointer, method)
        for index, parameter in enumerate(as_list(operation.get("parameters"))):
            yield from _holder_schemas(parameter, join_pointer(base, "parameters", index))
        if "requestBody" in operation:
            yield from _holder_schemas(operation["requestBody"], join_pointer(base, "requestBody"))
        for status, response in _entries(operation.get("responses")):
            yield from _holder_schemas(response, join_pointer(base, "responses", status))
        for name, callback in _entries(operation.get("callbacks")):
            for key, callback_item in _entries(callback):
                yield from _path_item_schemas(callback_item,
                                              join_pointer(base, "callbacks", name, key))


def _holder_schemas(holder: Any, pointer: str) -> Iterator[Located]:
    """The schemas of a parameter, header, request body or response (a `$ref` holds none)."""
    holder = as_dict(holder)
    if "$ref" in holder:
        return
    if "schema" in holder:
        yield from _schema_tree(holder["schema"], join_pointer(pointer, "schema"))
    for media_type, media in as_dict(holder.get("content")).items():
        media = as_dict(media)
        if "schema" in media:
            yield from _schema_tree(media["schema"],
                                    join_pointer(pointer, "content", media_type, "schema"))
    for name, header in as_dict(holder.get("headers")).items():
        yield from _holder_schemas(header, join_pointer(pointer, "headers", name))


def _schema_tree(schema: Any, pointer: str) -> Iterator[Located]:
    """`schema` and the schemas nested in it, each before those inside it."""
    stack = [(schema, pointer)]
    while stack:
        node, at = stack.pop()
        if not isinstance(node, dict):
            continue  # a boolean schema, or a mistake validation reports
        yield Located(node, at)
        children: list[tuple[Any, str]] = []
        for key in SUBSCHEMA_MAPS:
            children += [(child, join_pointer(at, key, name))
                         for name, child in as_dict(node.get(key)).items()]
        for key in SUBSCHEMA_LISTS:
            children += [(child, join_pointer(at, key, index))
                         for index, child in enumerate(as_list(node.get(key)))]
        children += [(node[key], join_pointer(at, key)) for key in SUBSCHEMA_VALUES if key in node]
        stack.extend(reversed(children))


# Keys whose values are data (examples, defaults), not spec structure: a "$ref" inside is text.
_DATA_KEYS = frozenset({"example", "examples", "default", "enum", "const", "value"})
# Keys whose values map user-chosen names to spec objects: a child named "example" is a name.
_NAME_MAPS = frozenset({
    "properties", "patternProperties", "$defs", "definitions", "schemas", "parameters",
    "responses", "requestBodies", "headers", "securitySchemes", "links", "callbacks",
    "pathItems", "paths", "content", "encoding", "mapping", "webhooks", "examples",
})


def ref_holders(node: Any, pointer: str) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Every mapping with a `$ref` key under `node`: (its pointer, the key it sits under, it).

    A mapping of user-chosen names (`properties`, `schemas`, ...) is not a holder even when
    one of its names is `$ref`: a property may be called that."""
    stack: list[tuple[Any, str, str, bool]] = [(node, pointer, "", False)]
    while stack:
        current, current_pointer, parent_key, names_only = stack.pop()
        if isinstance(current, dict):
            if "$ref" in current and not names_only:
                yield current_pointer, parent_key, current
            for key in sorted(current, reverse=True):
                value = current[key]
                # `examples` is a map of Example Objects (which may be `$ref`s) on a media type
                # or parameter, but a list of plain data in a JSON Schema.
                is_example_map = key == "examples" and isinstance(value, dict)
                if not names_only and (key == "$ref" or key in _DATA_KEYS and not is_example_map):
                    continue
                child_names_only = not names_only and key in _NAME_MAPS
                # a child of a name map is known by the map (`responses`), not by its own name
                # (`'404'`), which says nothing about what kind of object it is
                child_key = parent_key if names_only else key
                stack.append((value, join_pointer(current_pointer, key), child_key,
                              child_names_only))
        elif isinstance(current, list):
            for index in range(len(current) - 1, -1, -1):
                stack.append((current[index], join_pointer(current_pointer, index), parent_key,
                              False))
