"""The IR's type model (ir.TypeRef): its Python source, the models it names, whether it admits
None; and that build reads types through it, not through their text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from clientgen.ir import (
    ANY,
    NONE,
    NOT_GIVEN,
    STR,
    BodyField,
    GenericType,
    ListType,
    LiteralType,
    MappingType,
    OptionalType,
    Primitive,
    Reference,
    UnionType,
    union,
)
from clientgen.load import load_spec
from clientgen.pipeline import build_api


def test_nested_optional_list_of_union_renders_as_python() -> None:
    item = UnionType((Reference("Pet"), LiteralType(("cat", 1, True)), MappingType(ANY)))
    annotation = OptionalType(ListType(item))
    assert annotation.render() == \
        "list[models.Pet | Literal['cat', 1, True] | dict[str, Any]] | None"
    assert str(annotation) == annotation.render()
    assert annotation.admits_none
    # a None inside the list is not an alternative of the annotation itself
    assert not ListType(OptionalType(STR)).admits_none
    assert not MappingType(OptionalType(Reference("Pet"))).admits_none


def test_names_containing_none_do_not_admit_none() -> None:
    for annotation in (Reference("None_"), Reference("NoneReason"), Reference("None_", "params"),
                       LiteralType(("None",)), UnionType((Reference("NoneType"), STR)),
                       Primitive("NoneType"), ANY):
        assert not annotation.admits_none, annotation
    assert NONE.admits_none
    assert UnionType((Reference("None_"), NONE)).admits_none
    assert UnionType((OptionalType(STR), NOT_GIVEN)).admits_none


def test_references_name_models_only() -> None:
    annotation = UnionType((
        Reference("Pet"),
        Reference("PetParam", "params"),
        Reference("PetParam", ""),
        LiteralType(("models.Ghost",)),  # a value, not a class
        ListType(MappingType(OptionalType(Reference("Owner")))),
        GenericType("SyncCursorPage", (Reference("Toy"),)),
    ))
    assert list(annotation.references()) == ["Pet", "Owner", "Toy"]
    assert list(LiteralType(("models.Ghost",)).references()) == []


def test_hidden_builtins_are_spelled_from_builtins() -> None:
    annotation = OptionalType(MappingType(ListType(UnionType((
        STR, Primitive("int"), LiteralType(("list", "dict")), Reference("list"))))))
    hidden = frozenset({"list", "dict", "str"})
    assert annotation.render(hidden) == (
        "builtins.dict[builtins.str, builtins.list[builtins.str | int | Literal['list', 'dict'] "
        "| models.list]] | None")


def test_union_flattens_deduplicates_and_puts_none_last() -> None:
    date = UnionType((STR, Primitive("datetime.date")))
    assert union(OptionalType(STR), Reference("A"), date, STR).render() == \
        "str | models.A | datetime.date | None"
    assert union(NONE, NONE) == NONE
    assert union(Reference("A")) == Reference("A")
    assert union(Reference("A"), OptionalType(ANY)) == ANY
    optional = union(Reference("A"), NONE, Reference("B"))
    assert optional == OptionalType(UnionType((Reference("A"), Reference("B"))))
    # `1` and `True` are equal in Python but not the same literal
    assert union(LiteralType((1,)), LiteralType((True,))).render() == \
        "Literal[1] | Literal[True]"


def test_optional_keyword_argument_takes_not_given() -> None:
    field = BodyField("note", "note", OptionalType(STR), False, "")
    assert field.optional_annotation.render() == "str | None | NotGiven"
    assert BodyField("x", "x", ANY, False, "").optional_annotation == ANY


def _api_of(tmp_path: Path, spec: dict[str, Any]) -> Any:
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    return build_api(load_spec(path))[0]


def _spec(operation: dict[str, Any], schemas: dict[str, Any]) -> dict[str, Any]:
    return {"openapi": "3.1.0", "info": {"title": "Types", "version": "1"},
            "servers": [{"url": "https://api.example.com"}],
            "paths": {"/things": {"post": {"operationId": "make_thing", **operation}}},
            "components": {"schemas": schemas}}


def test_an_optional_envelope_of_a_model_named_none_something_is_optional(tmp_path: Path) -> None:
    envelope = {"type": "object", "x-envelope": "data",
                "properties": {"data": {"$ref": "#/components/schemas/NoneReason"}}}
    api = _api_of(tmp_path, _spec({"responses": {"200": {
        "description": "ok", "content": {"application/json": {"schema": envelope}}}}},
        {"NoneReason": {"type": "object", "properties": {"code": {"type": "string"}}}}))
    (operation,) = api.operations
    assert operation.response.payload_type.render() == "models.NoneReason | None"


def test_a_literal_naming_a_model_does_not_make_it_sent(tmp_path: Path) -> None:
    parameter = {"name": "kind", "in": "query",
                 "schema": {"type": "string", "enum": ["models.Secret"]}}
    api = _api_of(tmp_path, _spec(
        {"parameters": [parameter], "responses": {"200": {"description": "ok", "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Secret"}}}}}},
        {"Secret": {"type": "object", "properties": {"value": {"type": "string"}}}}))
    (operation,) = api.operations
    assert operation.parameters[0].annotation.render() == "Literal['models.Secret']"
    assert api.directions.sent == ()
    assert api.directions.received == ("Secret",)
    assert [t.name for t in api.params] == []
