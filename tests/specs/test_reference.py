"""The facts taken from the vendors' API reference pages, checked against the specs.

Each tests/fixtures/reference/<vendor>.json is an inventory of what the reference pages state,
page by page (facts only, no prose), so that a later change of a page can be compared field by
field:

    {"spec": "fivetran.yaml",                       # a file in specs/
     "pages": [
       {"url": "https://...",                        # the page the facts come from
        "operations": [
          {"method": "post", "path": "/v1/groups",   # as the page writes them
           "operationId": "create_group",            # the spec's operationId for it
           "supplementary": true,                    # optional: the page only adds facts to an
                                                     # operation whose externalDocs names another
           "fields": [
             {"in": "body",                          # path | query | body | response
              "name": "name",                        # dotted path into the body (below)
              "type": "string",                      # string|integer|number|boolean|object|array
              "required": true,                      # optional: absent when the page says nothing
              "enum": ["A", "B"]}]}]}]}              # optional: the values the page lists

Rules the check applies:
- The operation is the spec's operation with the same method and the same path, path parameter
  names aside (`/v1/groups/{groupId}` is `/v1/groups/{group_id}`); it has the given operationId
  and, unless `supplementary`, `externalDocs.url` equal to the page's url.
- A `path` field is the spec's path parameter at the same position in the path template; a
  `query` field the query parameter of that name.
- A `body` or `response` field's name is a dotted path from the request body's schema or the
  successful (2xx) response's schema. Arrays are stepped through to their items, and the segment
  `*` stands for any key of a map (`additionalProperties`): `data.schemas.*.enabled`.
- The field's type must be one the spec allows there, `required` must equal the spec's flag, and
  `enum` must be exactly the set of values the spec allows.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, SPECS
from tests.specs.spec_support import (
    allowed_values,
    iter_operations,
    load_fixture,
    load_spec,
    resolve,
)

REFERENCE_DIR = ROOT / "tests" / "fixtures" / "reference"
INVENTORIES = sorted(REFERENCE_DIR.glob("*.json"))
FIELD_KEYS = {"in", "name", "type", "required", "enum"}
LOCATIONS = {"path", "query", "body", "response"}
TYPES = {"string", "integer", "number", "boolean", "object", "array"}
_TEMPLATE = re.compile(r"\{[^}]*\}")


def _skeleton(path: str) -> str:
    return _TEMPLATE.sub("{}", path)


def _find(spec: dict[str, Any], method: str, path: str) -> tuple[str, dict[str, Any]] | None:
    matches = [
        (spec_path, op)
        for spec_path, spec_method, op in iter_operations(spec)
        if spec_method == method and _skeleton(spec_path) == _skeleton(path)
    ]
    assert len(matches) <= 1, f"{method} {path} matches {len(matches)} operations"
    return matches[0] if matches else None


def _parameters(spec: dict[str, Any], spec_path: str, operation: dict[str, Any]) -> list[Any]:
    item = spec["paths"][spec_path]
    return [resolve(spec, p) for p in [*item.get("parameters", []), *operation.get("parameters", [])]]


def _types(spec: dict[str, Any], schema: Any) -> set[str]:
    """The JSON types a schema allows (following $ref, allOf, anyOf and oneOf)."""
    schema = resolve(spec, schema)
    if "type" in schema:
        declared = schema["type"]
        return {declared} if isinstance(declared, str) else set(declared)
    if "const" in schema:
        return {type(schema["const"]).__name__.replace("str", "string").replace("bool", "boolean")}
    found: set[str] = set()
    for keyword in ("allOf", "anyOf", "oneOf"):
        for part in schema.get(keyword, []):
            found |= _types(spec, part)
    return found


def _variants(spec: dict[str, Any], schema: Any) -> list[dict[str, Any]]:
    """The object schemas a value may have to match: the schema itself, its allOf parts, and the
    branches of its anyOf/oneOf, all with $refs followed."""
    schema = resolve(spec, schema)
    found = [schema]
    for keyword in ("allOf", "anyOf", "oneOf"):
        for part in schema.get(keyword, []):
            found += _variants(spec, part)
    return found


def _required(spec: dict[str, Any], schema: Any, name: str) -> bool:
    """Whether every value of `schema` must have property `name`."""
    schema = resolve(spec, schema)
    if name in schema.get("required", []):
        return True
    if any(_required(spec, part, name) for part in schema.get("allOf", [])):
        return True
    for keyword in ("anyOf", "oneOf"):
        branches = schema.get(keyword, [])
        if branches and all(_required(spec, b, name) for b in branches):
            return True
    return False


def _step_into_items(spec: dict[str, Any], schema: Any) -> Any:
    while "array" in _types(spec, schema):
        schema = next(v["items"] for v in _variants(spec, schema) if "items" in v)
    return schema


def _child(spec: dict[str, Any], schema: Any, segment: str) -> tuple[Any, bool] | None:
    """The subschema under one path segment and whether it is required there, or None."""
    schema = _step_into_items(spec, schema)
    if segment == "*":
        maps = [v["additionalProperties"] for v in _variants(spec, schema)
                if isinstance(v.get("additionalProperties"), dict)]
        return (maps[0], False) if maps else None
    for variant in _variants(spec, schema):
        if segment in variant.get("properties", {}):
            return variant["properties"][segment], _required(spec, schema, segment)
    return None


def _body_schema(spec: dict[str, Any], operation: dict[str, Any], where: str) -> Any:
    if where == "body":
        body = resolve(spec, operation.get("requestBody", {}))
        return body.get("content", {}).get("application/json", {}).get("schema")
    statuses = sorted(s for s in operation.get("responses", {}) if str(s).startswith("2"))
    if not statuses:
        return None
    response = resolve(spec, operation["responses"][statuses[0]])
    return response.get("content", {}).get("application/json", {}).get("schema")


def _check_field(
    spec: dict[str, Any],
    spec_path: str,
    page_path: str,
    operation: dict[str, Any],
    field: dict[str, Any],
) -> list[str]:
    where, name = field["in"], field["name"]
    label = f"{field['in']} {name}"
    if where in ("path", "query"):
        parameters = [p for p in _parameters(spec, spec_path, operation) if p["in"] == where]
        if where == "path":
            page_names = [n[1:-1] for n in _TEMPLATE.findall(page_path)]
            spec_names = [n[1:-1] for n in _TEMPLATE.findall(spec_path)]
            if name not in page_names:
                return [f"{label}: not a parameter of the page's path {page_path}"]
            spec_name = spec_names[page_names.index(name)]
            parameters = [p for p in parameters if p["name"] == spec_name]
        else:
            parameters = [p for p in parameters if p["name"] == name]
        if not parameters:
            return [f"{label}: no such parameter"]
        schema, required = parameters[0]["schema"], parameters[0].get("required", False)
    else:
        schema = _body_schema(spec, operation, where)
        if schema is None:
            return [f"{label}: the operation has no JSON {where}"]
        required = False
        for segment in name.split("."):
            child = _child(spec, schema, segment)
            if child is None:
                return [f"{label}: no property {segment!r}"]
            schema, required = child
    problems = []
    allowed = _types(spec, schema)
    if field["type"] not in allowed:
        problems.append(f"{label}: type {field['type']} but the spec allows {sorted(allowed)}")
    if "required" in field and field["required"] != required:
        problems.append(f"{label}: required is {field['required']} on the page, {required} in the spec")
    if "enum" in field:
        values = allowed_values(spec, schema)
        if values is None or set(values) != set(field["enum"]):
            problems.append(f"{label}: values {sorted(field['enum'])} on the page, {values} in the spec")
    return problems


def test_there_are_reference_inventories() -> None:
    assert INVENTORIES, "no tests/fixtures/reference/*.json found"


@pytest.mark.parametrize("inventory_path", INVENTORIES, ids=lambda p: p.stem)
def test_inventory_is_well_formed(inventory_path: Path) -> None:
    inventory = load_fixture(inventory_path)
    assert set(inventory) == {"spec", "pages"}
    assert (SPECS / inventory["spec"]).is_file(), f"spec {inventory['spec']} not found"
    urls = [page["url"] for page in inventory["pages"]]
    assert len(urls) == len(set(urls)), "a page is listed twice"
    for page in inventory["pages"]:
        assert set(page) == {"url", "operations"} and page["url"].startswith("https://"), page
        assert page["operations"], page["url"]
        for operation in page["operations"]:
            assert set(operation) <= {"method", "path", "operationId", "supplementary", "fields"}
            assert operation["method"] in {"get", "post", "put", "patch", "delete"}, operation
            for field in operation["fields"]:
                assert {"in", "name", "type"} <= set(field) <= FIELD_KEYS, field
                assert field["in"] in LOCATIONS and field["type"] in TYPES, field


@pytest.mark.parametrize("inventory_path", INVENTORIES, ids=lambda p: p.stem)
def test_every_reference_fact_is_in_the_spec(inventory_path: Path) -> None:
    inventory = load_fixture(inventory_path)
    spec = load_spec(SPECS / inventory["spec"])
    problems = []
    for page in inventory["pages"]:
        for page_op in page["operations"]:
            where = f"{page['url']} {page_op['method'].upper()} {page_op['path']}"
            found = _find(spec, page_op["method"], page_op["path"])
            if found is None:
                problems.append(f"{where}: no such operation")
                continue
            spec_path, operation = found
            if operation.get("operationId") != page_op["operationId"]:
                problems.append(f"{where}: operationId is {operation.get('operationId')!r}")
            cited = operation.get("externalDocs", {}).get("url")
            if not page_op.get("supplementary") and cited != page["url"]:
                problems.append(f"{where}: externalDocs names {cited!r}")
            for field in page_op["fields"]:
                problems += [
                    f"{where}: {p}"
                    for p in _check_field(spec, spec_path, page_op["path"], operation, field)
                ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("inventory_path", INVENTORIES, ids=lambda p: p.stem)
def test_every_operation_names_an_inventoried_page(inventory_path: Path) -> None:
    inventory = load_fixture(inventory_path)
    spec = load_spec(SPECS / inventory["spec"])
    cited_pages = {
        (page["url"], op["operationId"])
        for page in inventory["pages"]
        for op in page["operations"]
        if not op.get("supplementary")
    }
    missing = [
        f"{op.get('operationId')}: {op.get('externalDocs', {}).get('url')}"
        for _, _, op in iter_operations(spec)
        if (op.get("externalDocs", {}).get("url"), op.get("operationId")) not in cited_pages
    ]
    assert not missing, missing


# The checker itself, on a small spec and inventory: it must notice each kind of difference.

_TINY_SPEC: dict[str, Any] = {
    "paths": {
        "/v1/things/{thing_id}": {
            "parameters": [{"name": "thing_id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "patch": {
                "operationId": "update_thing",
                "externalDocs": {"url": "https://example.com/update"},
                "requestBody": {"content": {"application/json": {"schema": {
                    "type": "object",
                    "required": ["mode"],
                    "properties": {
                        "mode": {"type": "string", "enum": ["A", "B"]},
                        "parts": {"type": "object", "additionalProperties": {
                            "type": "array", "items": {"type": "object", "properties": {"n": {"type": "integer"}}}}},
                    },
                }}}},
                "responses": {"200": {"content": {"application/json": {"schema": {"type": "object"}}}}},
            },
        }
    }
}


@pytest.mark.parametrize(
    "field, problem",
    [
        ({"in": "path", "name": "thingId", "type": "string", "required": True}, None),
        ({"in": "path", "name": "thingId", "type": "integer"}, "type integer"),
        ({"in": "body", "name": "mode", "type": "string", "required": True, "enum": ["B", "A"]}, None),
        ({"in": "body", "name": "mode", "type": "string", "required": False}, "required is False"),
        ({"in": "body", "name": "mode", "type": "string", "enum": ["A", "B", "C"]}, "values"),
        ({"in": "body", "name": "parts.*.n", "type": "integer", "required": False}, None),
        ({"in": "body", "name": "parts.*.m", "type": "integer"}, "no property 'm'"),
        ({"in": "query", "name": "limit", "type": "integer"}, "no such parameter"),
    ],
)
def test_the_checker_notices_each_difference(field: dict[str, Any], problem: str | None) -> None:
    path = "/v1/things/{thing_id}"
    operation = _TINY_SPEC["paths"][path]["patch"]
    problems = _check_field(_TINY_SPEC, path, "/v1/things/{thingId}", operation, field)
    if problem is None:
        assert problems == []
    else:
        assert len(problems) == 1 and problem in problems[0], problems
