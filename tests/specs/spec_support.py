"""Shared helpers for the spec tests: loading specs and validating values against their schemas.

Schemas are validated with jsonschema's Draft 2020-12 validator (the dialect of OpenAPI 3.1). The
whole spec is registered as one resource, so a schema is addressed by its JSON pointer inside the
spec and its `$ref: '#/components/schemas/...'` resolve the way they do in the spec itself.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012
from ruamel.yaml import YAML

from tests.conftest import ROOT, SPECS

FIXTURE_DIR = ROOT / "tests" / "fixtures" / "documents"

# The URI the spec under test is registered at; `$ref`s inside it resolve against this base.
SPEC_URI = "urn:clientgen:spec-under-test"

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# Keywords whose value is a subschema, a list of subschemas, or a map of name -> subschema.
_SUBSCHEMA = (
    "additionalProperties",
    "items",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedProperties",
    "unevaluatedItems",
    "contentSchema",
)
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SUBSCHEMA_MAPS = ("properties", "patternProperties", "dependentSchemas", "$defs")


def spec_paths() -> list[Path]:
    return sorted(SPECS.glob("*.yaml"))


def fixture_paths() -> list[Path]:
    return sorted(FIXTURE_DIR.glob("*.json"))


@functools.cache
def load_spec(path: Path) -> dict[str, Any]:
    """The spec as plain JSON-compatible data (ruamel's safe loader rejects duplicate keys)."""
    with path.open(encoding="utf-8") as stream:
        spec: dict[str, Any] = YAML(typ="safe", pure=True).load(stream)
    return spec


def load_fixture(path: Path) -> dict[str, Any]:
    fixture: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return fixture


def pointer(*segments: str) -> str:
    """A JSON pointer (RFC 6901), percent-encoded for use as a URI fragment."""
    return "".join(
        "/" + quote(s.replace("~", "~0").replace("/", "~1"), safe="~") for s in segments
    )


def resolve(spec: dict[str, Any], node: Any) -> Any:
    """Follow a local `$ref` (e.g. to components/responses) to the object it names."""
    return follow(spec, node, "")[0]


def follow(spec: dict[str, Any], node: Any, at: str) -> tuple[Any, str]:
    """Follow local `$ref`s from `node`, found at pointer `at`, to the object they name; with
    that object's pointer (where `validator_at` finds a schema inside it)."""
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        assert ref.startswith("#/"), f"only local $refs are supported, got {ref}"
        node = spec
        for segment in ref[2:].split("/"):
            node = node[unquote(segment).replace("~1", "/").replace("~0", "~")]
        at = ref[1:]
    return node, at


def validator_at(spec: dict[str, Any], schema_pointer: str) -> Draft202012Validator:
    """A validator for the schema at `schema_pointer` (as made by `pointer`) inside `spec`."""
    registry = Registry().with_resource(SPEC_URI, DRAFT202012.create_resource(spec))
    return Draft202012Validator(
        {"$ref": f"{SPEC_URI}#{schema_pointer}"},
        registry=registry,
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def schema_errors(spec: dict[str, Any], schema_pointer: str, value: Any) -> list[str]:
    validator = validator_at(spec, schema_pointer)
    return [
        f"{'/'.join(map(str, error.absolute_path)) or '<root>'}: {error.message}"
        for error in validator.iter_errors(value)
    ]


# -- examples -----------------------------------------------------------------------------------


def iter_examples(spec: dict[str, Any]) -> Iterator[tuple[str, str, Any]]:
    """Every example in the spec as (where it is, pointer of the schema it must match, value).

    Covers schema `example`/`examples` (at any depth) and the `example`/`examples` of parameters,
    headers and media types (whose named examples hold the value in `.value`).
    """
    components = spec.get("components", {})
    for name, schema in components.get("schemas", {}).items():
        yield from _schema_examples(schema, pointer("components", "schemas", name))
    for kind in ("parameters", "headers"):
        for name, obj in components.get(kind, {}).items():
            yield from _holder_examples(spec, obj, pointer("components", kind, name))
    for name, obj in components.get("responses", {}).items():
        yield from _response_examples(
            spec, obj, pointer("components", "responses", name)
        )
    for name, obj in components.get("requestBodies", {}).items():
        yield from _content_examples(
            spec, obj, pointer("components", "requestBodies", name)
        )
    for group in ("paths", "webhooks"):
        for path, item in spec.get(group, {}).items():
            yield from _path_item_examples(spec, item, pointer(group, path))


def _path_item_examples(
    spec: dict[str, Any], item: dict[str, Any], at: str
) -> Iterator[tuple[str, str, Any]]:
    for index, parameter in enumerate(item.get("parameters", [])):
        yield from _holder_examples(spec, parameter, f"{at}/parameters/{index}")
    for method in HTTP_METHODS:
        operation = item.get(method)
        if operation is None:
            continue
        op_at = f"{at}{pointer(method)}"
        for index, parameter in enumerate(operation.get("parameters", [])):
            yield from _holder_examples(spec, parameter, f"{op_at}/parameters/{index}")
        if "requestBody" in operation:
            yield from _content_examples(
                spec, operation["requestBody"], f"{op_at}/requestBody"
            )
        for status, response in operation.get("responses", {}).items():
            yield from _response_examples(
                spec, response, f"{op_at}/responses{pointer(str(status))}"
            )


def _response_examples(
    spec: dict[str, Any], response: dict[str, Any], at: str
) -> Iterator[tuple[str, str, Any]]:
    if "$ref" in response:  # walked where it is defined
        return
    for name, header in response.get("headers", {}).items():
        yield from _holder_examples(spec, header, f"{at}/headers{pointer(name)}")
    yield from _content_examples(spec, response, at)


def _content_examples(
    spec: dict[str, Any], holder: dict[str, Any], at: str
) -> Iterator[tuple[str, str, Any]]:
    if "$ref" in holder:
        return
    for media_type, media in holder.get("content", {}).items():
        yield from _holder_examples(spec, media, f"{at}/content{pointer(media_type)}")


def _holder_examples(
    spec: dict[str, Any], holder: dict[str, Any], at: str
) -> Iterator[tuple[str, str, Any]]:
    """Examples of a parameter, header or media type object (all hold a `schema`)."""
    if "$ref" in holder:
        return
    if "content" in holder:  # a parameter or header described by a media type
        yield from _content_examples(spec, holder, at)
    if "schema" not in holder:
        return
    schema_at = f"{at}/schema"
    yield from _schema_examples(holder["schema"], schema_at)
    if "example" in holder:
        yield f"{at}/example", schema_at, holder["example"]
    for name, example in holder.get("examples", {}).items():
        example = resolve(spec, example)
        if "value" in example:
            yield f"{at}/examples{pointer(name)}/value", schema_at, example["value"]


def _schema_examples(schema: Any, at: str) -> Iterator[tuple[str, str, Any]]:
    if not isinstance(schema, dict):
        return
    if "example" in schema:
        yield f"{at}/example", at, schema["example"]
    for index, example in enumerate(schema.get("examples", [])):
        yield f"{at}/examples/{index}", at, example
    for keyword in _SUBSCHEMA:
        if keyword in schema:
            yield from _schema_examples(schema[keyword], f"{at}/{keyword}")
    for keyword in _SUBSCHEMA_LISTS:
        for index, subschema in enumerate(schema.get(keyword, [])):
            yield from _schema_examples(subschema, f"{at}/{keyword}/{index}")
    for keyword in _SUBSCHEMA_MAPS:
        for name, subschema in schema.get(keyword, {}).items():
            yield from _schema_examples(subschema, f"{at}/{keyword}{pointer(name)}")


# -- operations and schemas ---------------------------------------------------------------------


def iter_operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(path, method, operation) for every operation in the spec."""
    for path, item in spec.get("paths", {}).items():
        for method in HTTP_METHODS:
            if method in item:
                yield path, method, item[method]


def find_operation(
    spec: dict[str, Any], operation_id: str
) -> tuple[str, str, dict[str, Any]]:
    matches = [
        op for op in iter_operations(spec) if op[2].get("operationId") == operation_id
    ]
    assert (
        len(matches) == 1
    ), f"{len(matches)} operations have operationId {operation_id!r}"
    return matches[0]


def _json_media_type(content: dict[str, Any], where: str) -> str:
    json_types = [m for m in content if m == "application/json" or m.endswith("+json")]
    assert json_types, f"{where} has no JSON media type (has {sorted(content)})"
    return json_types[0]


def body_media_type(
    spec: dict[str, Any], operation_id: str, kind: str, status: str | None
) -> tuple[str, dict[str, Any]]:
    """The JSON media type object of an operation's request body or of its response `status`,
    with its pointer."""
    path, method, operation = find_operation(spec, operation_id)
    op_at = pointer("paths", path, method)
    if kind == "request":
        assert "requestBody" in operation, f"{operation_id} has no request body"
        body = operation["requestBody"]
        at = body["$ref"][1:] if "$ref" in body else f"{op_at}/requestBody"
        content = resolve(spec, body)["content"]
    elif kind == "response":
        responses = operation.get("responses", {})
        assert (
            status is not None and status in responses
        ), f"{operation_id} declares no {status} response (has {sorted(responses)})"
        response = responses[status]
        at = (
            response["$ref"][1:]
            if "$ref" in response
            else f"{op_at}/responses{pointer(status)}"
        )
        content = resolve(spec, response).get("content", {})
    else:
        raise AssertionError(f"kind must be 'request' or 'response', got {kind!r}")
    media_type = _json_media_type(
        content, f"{operation_id} {kind} {status or ''}".strip()
    )
    return f"{at}/content{pointer(media_type)}", content[media_type]


def body_schema_pointer(
    spec: dict[str, Any], operation_id: str, kind: str, status: str | None
) -> str:
    """Pointer of the JSON schema of an operation's request body or of its response `status`."""
    media_at, _ = body_media_type(spec, operation_id, kind, status)
    return f"{media_at}/schema"


def schema_properties(spec: dict[str, Any], schema: Any) -> dict[str, Any]:
    """The properties a schema declares itself or through `allOf`, following `$ref`s."""
    schema = resolve(spec, schema)
    properties: dict[str, Any] = {}
    for part in schema.get("allOf", []):
        properties.update(schema_properties(spec, part))
    properties.update(schema.get("properties", {}))
    return properties


_COMBINATORS = ("allOf", "anyOf", "oneOf")


def alternatives(spec: dict[str, Any], schema: Any) -> list[list[dict[str, Any]]]:
    """The shapes a value of `schema` may take, with `$ref`s followed: one for each choice of
    `anyOf`/`oneOf` branch, each the list of schemas that all apply to the value (the schema's
    own keywords and its `allOf` parts). The parts are stripped of `allOf`/`anyOf`/`oneOf`, so
    a shape can be wrapped as `{"allOf": shape}` and expanded again without changing."""
    schema = resolve(spec, schema)
    if not isinstance(schema, dict):  # a boolean schema: `true` allows anything, `false` nothing
        return [[{}]] if schema else []
    found = [[{k: v for k, v in schema.items() if k not in _COMBINATORS}]]
    for part in schema.get("allOf", []):
        found = [shape + more for shape in found for more in alternatives(spec, part)]
    for keyword in ("anyOf", "oneOf"):
        if keyword in schema:
            branches = [b for part in schema[keyword] for b in alternatives(spec, part)]
            found = [shape + branch for shape in found for branch in branches]
    return found


def json_type(value: Any) -> str:
    """The JSON type of a value (`true` is a boolean, not an integer)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def shape_types(shape: list[dict[str, Any]]) -> set[str]:
    """The JSON types a shape (from `alternatives`) allows: those every typed part allows, or
    without a `type` keyword those of its `const`/`enum` values; empty when nothing says."""
    declared = [{s["type"]} if isinstance(s["type"], str) else set(s["type"]) for s in shape if "type" in s]
    if not declared:
        declared = [{json_type(v) for v in values} for s in shape if (values := _closed_values(s)) is not None]
    return set.intersection(*declared) if declared else set()


def _closed_values(schema: dict[str, Any]) -> list[Any] | None:
    if "const" in schema:
        return [schema["const"]]
    if "enum" in schema:
        return list(schema["enum"])
    return None


def _same(a: Any, b: Any) -> bool:
    return json_type(a) == json_type(b) and bool(a == b)


def allowed_values(spec: dict[str, Any], schema: Any, of_type: str | None = None) -> list[Any] | None:
    """The `enum`/`const` values a schema allows (of its items for an array), or None when some
    value is left open. With `of_type`, only the values of that JSON type, in the shapes that
    allow it: `anyOf: [{type: integer, enum: [0, 1]}, {type: 'null'}]` gives [0, 1] for
    "integer". Looks through allOf (every part applies) and anyOf/oneOf (any branch may)."""
    found: list[Any] = []
    for shape in alternatives(spec, schema):
        if of_type is not None and of_type not in shape_types(shape):
            continue
        values: list[Any] | None
        if of_type == "array" or (of_type is None and shape_types(shape) == {"array"}):
            items = [s["items"] for s in shape if "items" in s]
            values = allowed_values(spec, {"allOf": items}) if items else None
        else:
            closed = [v for v in map(_closed_values, shape) if v is not None]
            values = [
                v for v in closed[0] if all(any(_same(v, w) for w in c) for c in closed[1:])
                if of_type is None or json_type(v) == of_type
            ] if closed else None
        if values is None:
            return None
        found += [v for v in values if not any(_same(v, w) for w in found)]
    return found
