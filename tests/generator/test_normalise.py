"""Validation is pure (it reports and changes nothing); normalise.py is the one stage that
changes the document, and it changes what validation's warnings say it does."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from clientgen.diagnostics import Diagnostic, SpecError
from clientgen.load import LoadedSpec, load_spec
from clientgen.normalise import normalise
from clientgen.pipeline import build_api
from clientgen.pointer import resolve_pointer, split_pointer
from clientgen.validate import check_version, validate

from tests.conftest import ROOT

_REQUIRED_FLAG = "`required: true/false` on a property is Swagger 2.0 style"
_ENUM_AS_STRINGS = "of a `type: string` schema are not strings"

# The shapes normalise changes, in the places a schema is written, and data that looks like
# them but is not a schema (an example, a property named `required`) and must stay as it is.
SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Pets", "version": "1"},
    "servers": [{"url": "https://pets.example.com"}],
    "paths": {
        "/pets": {
            "get": {
                "operationId": "listPets",
                "parameters": [{"name": "kind", "in": "query",
                                "schema": {"type": "string", "enum": [1, "cat"]}}],
                "responses": {
                    "200": {
                        "description": "OK",
                        "headers": {"X-Rate": {"schema": {"type": "string", "enum": [7]}}},
                        "content": {"application/json": {"schema": {
                            "type": "array", "items": {"$ref": "#/components/schemas/Pet"}}}},
                    },
                },
            },
            "post": {
                "operationId": "createPet",
                "requestBody": {"$ref": "#/components/requestBodies/NewPet"},
                "responses": {"204": {"description": "created"}},
            },
        },
    },
    "components": {
        "schemas": {
            "Pet": {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": {"type": "string", "required": True},
                    "size": {"type": ["string", "null"], "enum": [1, 2.5, True, None, "xl"]},
                    "required": {"type": "boolean"},
                    "tags": {"type": "array", "items": {"type": "string", "enum": [3, 3.0]}},
                    "owner": {"allOf": [{"type": "object", "required": False,
                                         "properties": {"id": {"type": "integer"}}}]},
                    "mixed": {"type": "string", "enum": [1, {"a": 1}]},
                    "count": {"type": "integer", "enum": [1, 2]},
                },
                "example": {"name": "Rex", "required": True, "size": 1},
            },
        },
        "requestBodies": {
            "NewPet": {"content": {"application/json": {"schema": {
                "type": "object",
                "properties": {"level": {"type": "string", "enum": [False]}},
            }}}},
        },
    },
}


def _load(tmp_path: Path, document: dict[str, Any]) -> LoadedSpec:
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return load_spec(path, "spec.json", keep_going=True)


def _checked(spec: LoadedSpec) -> list[Diagnostic]:
    return check_version(spec).items + validate(spec).items


def _at(document: Any, pointer: str) -> Any:
    return resolve_pointer(document, pointer)


def _parent(pointer: str) -> str:
    return "".join("/" + t.replace("~", "~0").replace("/", "~1")
                   for t in split_pointer(pointer)[:-1])


def test_validation_reports_the_shapes_normalise_changes(tmp_path: Path) -> None:
    messages = {(d.pointer, d.message.split(";")[0]) for d in _checked(_load(tmp_path, SPEC))}
    pet = "/components/schemas/Pet/properties"
    assert {pointer for pointer, message in messages if _REQUIRED_FLAG in message} == {
        f"{pet}/name/required", f"{pet}/owner/allOf/0/required"}
    assert {pointer for pointer, message in messages if _ENUM_AS_STRINGS in message} == {
        "/paths/~1pets/get/parameters/0/schema/enum",
        "/paths/~1pets/get/responses/200/headers/X-Rate/schema/enum",
        f"{pet}/size/enum", f"{pet}/tags/items/enum",
        "/components/requestBodies/NewPet/content/application~1json/schema/properties/level/enum",
    }


def test_validation_leaves_the_document_as_it_was(tmp_path: Path) -> None:
    spec = _load(tmp_path, SPEC)
    before = copy.deepcopy(spec.data)
    assert _checked(spec)  # it found the problems above, and changed nothing on the way
    assert spec.data == before
    assert json.dumps(spec.data) == json.dumps(before)  # same key order, same value types


def test_validation_changes_no_document_of_the_corpus() -> None:
    paths = sorted((ROOT / "tests" / "robustness" / "corpus").glob("*.yaml")) + sorted(
        (ROOT / "specs").glob("*.yaml"))
    checked = 0
    for path in paths:
        try:
            spec = load_spec(path, path.name, keep_going=True)
        except SpecError:
            continue  # a file the loader refuses has no document to check
        before = copy.deepcopy(spec.data)
        _checked(spec)
        assert spec.data == before, path.name
        checked += 1
    assert checked >= 50


def test_normalise_makes_the_documented_changes(tmp_path: Path) -> None:
    data = normalise(_load(tmp_path, SPEC)).data
    pet = _at(data, "/components/schemas/Pet")
    properties = pet["properties"]
    assert "required" not in properties["name"]
    assert "required" not in properties["owner"]["allOf"][0]
    assert properties["size"]["enum"] == ["1", "2.5", "true", None, "xl"]
    assert properties["tags"]["items"]["enum"] == ["3", "3.0"]
    assert _at(data, "/paths/~1pets/get/parameters/0/schema/enum") == ["1", "cat"]
    assert _at(data, "/paths/~1pets/get/responses/200/headers/X-Rate/schema/enum") == ["7"]
    assert _at(data, "/components/requestBodies/NewPet/content/application~1json/schema"
                     "/properties/level/enum") == ["false"]


def test_normalise_leaves_data_and_other_schemas_alone(tmp_path: Path) -> None:
    data = normalise(_load(tmp_path, SPEC)).data
    pet = _at(data, "/components/schemas/Pet")
    assert pet["required"] == ["name"]
    assert pet["properties"]["required"] == {"type": "boolean"}
    assert pet["example"] == {"name": "Rex", "required": True, "size": 1}
    assert pet["properties"]["mixed"]["enum"] == [1, {"a": 1}]  # an error, not a conversion
    assert pet["properties"]["count"]["enum"] == [1, 2]  # an integer enum is one already


def test_normalise_changes_a_copy_and_keeps_the_order_of_keys(tmp_path: Path) -> None:
    spec = _load(tmp_path, SPEC)
    before = copy.deepcopy(spec.data)
    normalised = normalise(spec)
    assert spec.data == before
    assert normalised.data != before
    assert list(_at(normalised.data, "/components/schemas/Pet/properties/size")) == [
        "type", "enum"]
    assert normalised.root is spec.root  # diagnostics are still located in the same file


def test_normalise_returns_a_spec_with_nothing_to_change_as_it_is() -> None:
    spec = load_spec(ROOT / "specs" / "stitch.yaml")
    assert normalise(spec) is spec


def test_normalise_changes_each_schema_validation_warns_about() -> None:
    paths = sorted((ROOT / "tests" / "robustness" / "corpus").glob("*.yaml"))
    warned = 0
    for path in paths:
        try:
            spec = load_spec(path, path.name, keep_going=True)
        except SpecError:
            continue
        if check_version(spec).errors:
            continue  # not OpenAPI 3: neither stage runs
        data = normalise(spec).data
        for diagnostic in validate(spec).items:
            if _REQUIRED_FLAG in diagnostic.message:
                assert "required" not in _at(data, _parent(diagnostic.pointer)), path.name
                warned += 1
            elif _ENUM_AS_STRINGS in diagnostic.message:
                values = _at(data, diagnostic.pointer)
                assert all(v is None or isinstance(v, str) for v in values), path.name
                warned += 1
    assert warned >= 2  # the corpus holds both shapes


def test_skip_invalid_reports_the_warnings_of_the_parts_it_keeps(tmp_path: Path) -> None:
    document = copy.deepcopy(SPEC)
    pet = document["components"]["schemas"]["Pet"]["properties"]
    del pet["mixed"]  # the one error of the document, now in an operation of its own
    document["paths"]["/broken"] = {"get": {"operationId": "broken", "responses": {"200": {
        "description": "OK", "content": {"application/json": {"schema": {"type": "strin"}}}}}}}
    api, diagnostics = build_api(_load(tmp_path, document), skip_invalid=True)
    assert sorted(op.operation_id for op in api.operations) == ["createPet", "listPets"]
    pointers = {d.pointer for d in diagnostics.items}
    assert "/components/schemas/Pet/properties/name/required" in pointers
    assert "/components/schemas/Pet/properties/size/enum" in pointers
