"""The facts taken from the vendors' API reference pages, checked against the specs.

Each tests/fixtures/reference/<vendor>.json is an inventory of what the reference pages state,
page by page (facts only, no prose), so that a later change of a page can be compared field by
field:

    {"spec": "fivetran.yaml",                       # a file in specs/
     "pages": [
       {"url": "https://...",                        # the page (or #section) the facts come from
        "operations": [
          {"method": "post", "path": "/v1/groups",   # as the page writes them
           "operationId": "create_group",            # the spec's operationId for it
           "supplementary": true,                    # optional, only `true`: the page only adds
                                                     # facts to an operation whose externalDocs
                                                     # names another inventoried page
           "fields": [
             {"in": "body",                          # path | query | body | response
              "name": "items.[].name",               # dotted path into the body (below)
              "type": "string",                      # string|integer|number|boolean|object|array
                                                     # |null
              "required": true,                      # optional: absent when the page says nothing
              "enum": ["A", "B"]}]}]}]}              # optional: the values the page gives

What a field states:
- `name`: for `path` and `query` the parameter's name as the page writes it. For `body` and
  `response` a dotted path from the request body or the successful (2xx) response: a property
  name steps into an object, `[]` into the items of an array (a list response starts with `[].`:
  `[].report_card.steps.[].type`), and `*` into the values of a map (`additionalProperties`):
  `data.schemas.*.enabled`. An array is never stepped through without its `[]`.
- `type`: the JSON type the page gives the value. A field that may also be null is written with
  its other type (`string` for "a timestamp or null"); `null` is only for a value the page says
  is always null there (the unpause request's `paused_at: null`).
- `required`: whether the page says the field is always present (for a parameter: must be sent).
  Never given for a name ending in `[]` or `*` (items and map values are not required or
  optional).
- `enum`: every value the page gives for the field: the values its description lists and any
  other value its examples show. For an array, the values of its items. `null` is never listed.

Rules the check applies:
- The operation is the spec's operation with the same method and the same path, path parameter
  names aside (`/v1/groups/{groupId}` is `/v1/groups/{group_id}`); it has the given operationId
  and `externalDocs.url` equal to the page's url, or, if `supplementary`, a different url. Every
  operation of the spec must be cited by a page that is not `supplementary`.
- A `path` field is the spec's path parameter at the same position in the path template; a
  `query` field the query parameter of that name.
- A `body` or `response` field's name is followed from the schema through every shape a value
  may take: `anyOf`/`oneOf` branches are alternatives (a `null` branch, a union's members),
  `allOf` parts all apply. A shape drops out where the next segment is not in it (a property it
  does not declare, `[]` where it is no array, `*` where it has no `additionalProperties` schema);
  the field must reach at least one shape.
- Some shape reached must allow the field's `type`. `enum` must be exactly the values of that
  type those shapes allow (their `enum`/`const`, so `anyOf: [{type: integer, enum: [0, 1]},
  {type: 'null'}]` gives [0, 1]); a shape that leaves the value open fails it.
- `required` must equal whether every shape of the parent that is (or may be) an object requires
  the field (in any of its `allOf` parts). A null branch of the parent counts for nothing, so
  `schedule.type` is required when a non-null `schedule` always has a `type`; a union member that
  does not declare the field counts as not requiring it, so a field of one member only is not
  required. A path cannot single out one member of a union: its facts are the union's.
- A field (`in` and `name`) is listed once per operation.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, SPECS
from tests.specs.spec_support import (
    allowed_values,
    alternatives,
    iter_operations,
    load_fixture,
    load_spec,
    resolve,
    shape_types,
)

REFERENCE_DIR = ROOT / "tests" / "fixtures" / "reference"
INVENTORIES = sorted(REFERENCE_DIR.glob("*.json"))
FIELD_KEYS = {"in", "name", "type", "required", "enum"}
LOCATIONS = {"path", "query", "body", "response"}
TYPES = {"string", "integer", "number", "boolean", "object", "array", "null"}
ITEMS, MAP_VALUES = "[]", "*"
_TEMPLATE = re.compile(r"\{[^}]*\}")

# One shape a value may take (from `alternatives`): the schemas that all apply to it.
Shape = list[dict[str, Any]]


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


def _step(spec: dict[str, Any], reached: list[Shape], segment: str) -> list[Shape]:
    """The shapes one path segment leads to from the shapes `reached`."""
    found: list[Shape] = []
    for shape in reached:
        if segment == ITEMS:
            parts = [s["items"] for s in shape if "items" in s] if "array" in shape_types(shape) else []
        elif segment == MAP_VALUES:
            parts = [s["additionalProperties"] for s in shape if isinstance(s.get("additionalProperties"), dict)]
        else:
            parts = [s["properties"][segment] for s in shape if segment in s.get("properties", {})]
        if parts:
            found += alternatives(spec, {"allOf": parts})
    return found


def _required(parents: list[Shape], segment: str) -> bool:
    """Whether every value of the shapes `parents` that is (or may be) an object has property
    `segment`: a null branch has no properties, a union's member that does not declare it has
    none of that name."""
    objects = [p for p in parents if "object" in shape_types(p) or not shape_types(p)]
    return segment not in (ITEMS, MAP_VALUES) and bool(objects) and all(
        any(segment in s.get("required", []) for s in p) for p in objects
    )


def _missing(label: str, walked: list[str], segment: str, reached: list[Shape]) -> str:
    where = ".".join(walked) or "the body"
    if segment == ITEMS:
        return f"{label}: {where} is not an array"
    if any("array" in shape_types(shape) for shape in reached):
        return f"{label}: no property {segment!r} ({where} is an array: step into its items with [])"
    return f"{label}: no property {segment!r}"


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
        required = parameters[0].get("required", False)
        reached = alternatives(spec, parameters[0]["schema"])
    else:
        schema = _body_schema(spec, operation, where)
        if schema is None:
            return [f"{label}: the operation has no JSON {where}"]
        reached, walked = alternatives(spec, schema), list[str]()
        for segment in name.split("."):
            stepped = _step(spec, reached, segment)
            if not stepped:
                return [_missing(label, walked, segment, reached)]
            required = _required(reached, segment)
            reached, walked = stepped, [*walked, segment]
    typed = [shape for shape in reached if field["type"] in shape_types(shape)]
    if not typed:
        allowed = sorted(set().union(*map(shape_types, reached)))
        return [f"{label}: type {field['type']} but the spec allows {allowed}"]
    problems = []
    if "required" in field and field["required"] != required:
        problems.append(f"{label}: required is {field['required']} on the page, {required} in the spec")
    if "enum" in field:
        values = allowed_values(spec, {"anyOf": [{"allOf": shape} for shape in typed]}, field["type"])
        if values is None or sorted(map(repr, values)) != sorted(map(repr, field["enum"])):
            problems.append(f"{label}: values {sorted(field['enum'])} on the page, {values} in the spec")
    return problems


def _field_problems(field: dict[str, Any]) -> list[str]:
    """What makes a field entry malformed (see the module docstring)."""
    problems = []
    if not {"in", "name", "type"} <= set(field) <= FIELD_KEYS:
        problems.append(f"keys {sorted(field)}")
    if field.get("in") not in LOCATIONS or field.get("type") not in TYPES:
        problems.append(f"in {field.get('in')!r}, type {field.get('type')!r}")
    segments = str(field.get("name", "")).split(".")
    if "" in segments or (field.get("in") in ("path", "query") and len(segments) > 1):
        problems.append(f"name {field.get('name')!r}")
    if "required" in field and (segments[-1] in (ITEMS, MAP_VALUES) or not isinstance(field["required"], bool)):
        problems.append(f"required {field['required']!r} for {field.get('name')!r}")
    enum = field.get("enum", ["value"])
    if not isinstance(enum, list) or not enum or None in enum:
        problems.append(f"enum {enum!r}")
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
            assert operation.get("supplementary", True) is True, operation
            keys = [(field.get("in"), field.get("name")) for field in operation["fields"]]
            assert len(keys) == len(set(keys)), f"a field is listed twice: {operation}"
            for field in operation["fields"]:
                assert not _field_problems(field), (field, _field_problems(field))


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
            if page_op.get("supplementary") and cited == page["url"]:
                problems.append(f"{where}: supplementary, but externalDocs names this page")
            elif not page_op.get("supplementary") and cited != page["url"]:
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
                        "paused_at": {"type": ["string", "null"]},
                        "schedule": {"anyOf": [{"$ref": "#/components/schemas/Schedule"}, {"type": "null"}]},
                        "exit_status": {"anyOf": [{"type": "integer", "enum": [0, 1]}, {"type": "null"}]},
                        "tags": {"type": "array", "items": {"type": "string", "enum": ["x", "y"]}},
                    },
                }}}},
                "responses": {"200": {"content": {"application/json": {"schema": {
                    "type": "array",
                    "items": {"anyOf": [
                        {"allOf": [
                            {"$ref": "#/components/schemas/Base"},
                            {"type": "object", "required": ["job"], "properties": {"job": {"type": "string"}}},
                        ]},
                        {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}},
                    ]},
                }}}}},
            },
        }
    },
    "components": {"schemas": {
        "Schedule": {
            "type": "object",
            "required": ["type"],
            "properties": {"type": {"type": "string", "enum": ["interval", "cron"]}, "interval": {"type": "number"}},
        },
        "Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}},
    }},
}


@pytest.mark.parametrize(
    "field, problem",
    [
        ({"in": "path", "name": "thingId", "type": "string", "required": True}, None),
        ({"in": "path", "name": "thingId", "type": "integer"}, "type integer"),
        ({"in": "query", "name": "limit", "type": "integer"}, "no such parameter"),
        ({"in": "body", "name": "mode", "type": "string", "required": True, "enum": ["B", "A"]}, None),
        ({"in": "body", "name": "mode", "type": "string", "required": False}, "required is False"),
        ({"in": "body", "name": "mode", "type": "string", "enum": ["A", "B", "C"]}, "values"),
        ({"in": "body", "name": "mode", "type": "null"}, "type null"),
        ({"in": "body", "name": "missing", "type": "string"}, "no property 'missing'"),
        # Maps and arrays: `*` and `[]` step into them, and an array is never stepped through unsaid.
        ({"in": "body", "name": "parts.*.[].n", "type": "integer", "required": False}, None),
        ({"in": "body", "name": "parts.*.n", "type": "integer"}, "parts.* is an array"),
        ({"in": "body", "name": "parts.*.[].m", "type": "integer"}, "no property 'm'"),
        ({"in": "body", "name": "mode.[].n", "type": "integer"}, "mode is not an array"),
        ({"in": "body", "name": "tags", "type": "array", "enum": ["y", "x"]}, None),
        ({"in": "body", "name": "tags.[]", "type": "string", "enum": ["x", "y"]}, None),
        ({"in": "body", "name": "tags.[]", "type": "string", "enum": ["x"]}, "values"),
        ({"in": "body", "name": "tags.[]", "type": "integer"}, "type integer"),
        # A nullable value: either type may be written, and nothing behind the null branch hides.
        ({"in": "body", "name": "paused_at", "type": "null", "required": False}, None),
        ({"in": "body", "name": "paused_at", "type": "string"}, None),
        ({"in": "body", "name": "paused_at", "type": "integer"}, "type integer"),
        ({"in": "body", "name": "schedule", "type": "object", "required": False}, None),
        ({"in": "body", "name": "schedule.type", "type": "string", "required": True, "enum": ["cron", "interval"]}, None),
        ({"in": "body", "name": "schedule.type", "type": "string", "required": False}, "required is False"),
        ({"in": "body", "name": "schedule.type", "type": "string", "enum": ["interval"]}, "values"),
        ({"in": "body", "name": "schedule.interval", "type": "integer"}, "type integer"),
        ({"in": "body", "name": "schedule.unit", "type": "string"}, "no property 'unit'"),
        ({"in": "body", "name": "exit_status", "type": "integer", "enum": [1, 0]}, None),
        ({"in": "body", "name": "exit_status", "type": "integer", "enum": [0, 1, 2]}, "values"),
        ({"in": "body", "name": "exit_status", "type": "integer", "enum": [False, True]}, "values"),
        ({"in": "body", "name": "exit_status", "type": "string"}, "type string"),
        # A list response of a union: a member's own field is not always there; allOf parts apply.
        ({"in": "response", "name": "[].job", "type": "string", "required": False}, None),
        ({"in": "response", "name": "[].job", "type": "string", "required": True}, "required is True"),
        ({"in": "response", "name": "[].id", "type": "integer", "required": False}, None),
        ({"in": "response", "name": "[].id", "type": "string"}, "type string"),
        ({"in": "response", "name": "[].error", "type": "string"}, None),
        ({"in": "response", "name": "job", "type": "string"}, "the body is an array"),
        ({"in": "response", "name": "[].[]", "type": "string"}, "[] is not an array"),
    ],
)
def test_the_checker_notices_each_difference(field: dict[str, Any], problem: str | None) -> None:
    assert not _field_problems(field)
    path = "/v1/things/{thing_id}"
    operation = _TINY_SPEC["paths"][path]["patch"]
    problems = _check_field(_TINY_SPEC, path, "/v1/things/{thingId}", operation, field)
    if problem is None:
        assert problems == []
    else:
        assert len(problems) == 1 and problem in problems[0], problems


@pytest.mark.parametrize(
    "field, problem",
    [
        ({"in": "body", "name": "a.[].b", "type": "null", "required": True, "enum": ["x"]}, None),
        ({"in": "body", "name": "a", "type": "float"}, "type 'float'"),
        ({"in": "header", "name": "a", "type": "string"}, "in 'header'"),
        ({"in": "body", "name": "a", "type": "string", "nullable": True}, "keys"),
        ({"in": "body", "name": "a..b", "type": "string"}, "name 'a..b'"),
        ({"in": "query", "name": "a.b", "type": "string"}, "name 'a.b'"),
        ({"in": "body", "name": "a.[]", "type": "string", "required": False}, "required False"),
        ({"in": "body", "name": "a.*", "type": "string", "required": True}, "required True"),
        ({"in": "body", "name": "a", "type": "string", "required": "yes"}, "required 'yes'"),
        ({"in": "body", "name": "a", "type": "string", "enum": []}, "enum []"),
        ({"in": "body", "name": "a", "type": "string", "enum": ["x", None]}, "enum ['x', None]"),
    ],
)
def test_a_malformed_field_is_refused(field: dict[str, Any], problem: str | None) -> None:
    problems = _field_problems(field)
    if problem is None:
        assert problems == []
    else:
        assert len(problems) == 1 and problem in problems[0], problems
