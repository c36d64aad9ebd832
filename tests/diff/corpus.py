"""Spec pairs for `clientgen diff`: a base spec, and edits of it with the changes they must yield.

Each case edits a copy of BASE into NEW (and optionally BASE into OLD) and lists exactly the
(kind, severity) pairs the diff must report. The base spec has a schema used only in requests
(NewPet), only in responses (Pet, Owner), in both (Status, Shape), a recursive schema (Pet),
a discriminated `oneOf` (Shape), `$ref`'d parameters, a component no operation uses (Legacy),
and global security and servers.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from clientgen.diff_report import Severity

B, P, N = Severity.BREAKING, Severity.POTENTIALLY_BREAKING, Severity.NON_BREAKING


def _json(schema: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}


BASE: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Pets API", "version": "1.0.0", "x-client-name": "Pets"},
    "servers": [{"url": "https://api.example.com/v1"}],
    "security": [{"bearer": []}],
    "paths": {
        "/pets": {
            "get": {
                "operationId": "listPets",
                "tags": ["Pets"],
                "parameters": [
                    {"$ref": "#/components/parameters/Limit"},
                    {"name": "status", "in": "query",
                     "schema": {"$ref": "#/components/schemas/Status"}},
                ],
                "responses": {
                    "200": {"description": "the pets", "content": {"application/json": {
                        "schema": {"type": "array",
                                   "items": {"$ref": "#/components/schemas/Pet"}}}}},
                    "404": {"description": "none", "content": _json("Error")},
                },
            },
            "post": {
                "operationId": "createPet",
                "tags": ["Pets"],
                "requestBody": {"required": True, "content": _json("NewPet")},
                "responses": {"201": {"description": "created", "content": _json("Pet")}},
            },
        },
        "/pets/{petId}": {
            "parameters": [{"name": "petId", "in": "path", "required": True,
                            "schema": {"type": "string"}}],
            "get": {
                "operationId": "getPet",
                "tags": ["Pets"],
                "responses": {"200": {"description": "the pet", "content": _json("Pet")}},
            },
            "delete": {
                "operationId": "deletePet",
                "tags": ["Pets"],
                "responses": {"204": {"description": "deleted"}},
            },
        },
        "/shapes": {
            "post": {
                "operationId": "createShape",
                "tags": ["Shapes"],
                "requestBody": {"content": _json("Shape")},
                "responses": {"200": {"description": "the shape", "content": _json("Shape")}},
            },
        },
    },
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "parameters": {
            "Limit": {"name": "limit", "in": "query",
                      "schema": {"type": "integer", "maximum": 100}},
        },
        "schemas": {
            "Pet": {
                "type": "object",
                "required": ["id", "name"],
                "properties": {
                    "id": {"type": "string"},
                    "name": {"type": "string", "maxLength": 50},
                    "tag": {"type": "string"},
                    "status": {"$ref": "#/components/schemas/Status"},
                    "born": {"type": "string", "format": "date"},
                    "children": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}},
                    "owner": {"$ref": "#/components/schemas/Owner"},
                },
            },
            "NewPet": {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": {"type": "string", "maxLength": 50},
                    "tag": {"type": "string"},
                    "age": {"type": "integer", "default": 1},
                    "size": {"type": "string", "enum": ["s", "m", "l"]},
                    "status": {"$ref": "#/components/schemas/Status"},
                },
            },
            "Owner": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "kind": {"type": "string", "enum": ["person", "company"]},
                },
            },
            "Status": {"type": "string", "enum": ["available", "sold"]},
            "Shape": {
                "oneOf": [{"$ref": "#/components/schemas/Circle"},
                          {"$ref": "#/components/schemas/Square"}],
                "discriminator": {"propertyName": "kind", "mapping": {
                    "circle": "#/components/schemas/Circle",
                    "square": "#/components/schemas/Square",
                }},
            },
            "Circle": {
                "type": "object",
                "required": ["kind", "radius"],
                "properties": {"kind": {"type": "string", "const": "circle"},
                               "radius": {"type": "number"}},
            },
            "Square": {
                "type": "object",
                "required": ["kind", "side"],
                "properties": {"kind": {"type": "string", "const": "square"},
                               "side": {"type": "number"}},
            },
            "Error": {"type": "object", "properties": {"message": {"type": "string"}}},
            "Legacy": {"type": "object", "properties": {"code": {"type": "string"}}},
        },
    },
}

Edit = Callable[[dict[str, Any]], None]


@dataclass(frozen=True)
class Case:
    name: str
    edit: Edit  # BASE -> NEW
    expected: frozenset[tuple[str, Severity]]
    old_edit: Edit | None = None  # BASE -> OLD, when OLD is not BASE itself

    def specs(self) -> tuple[dict[str, Any], dict[str, Any]]:
        old, new = copy.deepcopy(BASE), copy.deepcopy(BASE)
        if self.old_edit is not None:
            self.old_edit(old)
        self.edit(new)
        return old, new


CASES: list[Case] = []


def case(name: str, *expected: tuple[str, Severity],
         old: Edit | None = None) -> Callable[[Edit], Edit]:
    def register(edit: Edit) -> Edit:
        CASES.append(Case(name, edit, frozenset(expected), old))
        return edit
    return register


def schema(spec: dict[str, Any], name: str) -> dict[str, Any]:
    result: dict[str, Any] = spec["components"]["schemas"][name]
    return result


def prop(spec: dict[str, Any], name: str, property_name: str) -> dict[str, Any]:
    result: dict[str, Any] = schema(spec, name)["properties"][property_name]
    return result


def op(spec: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    result: dict[str, Any] = spec["paths"][path][method]
    return result


def _noop(spec: dict[str, Any]) -> None:
    pass


# -- no change ------------------------------------------------------------------------------

case("identical specs")(_noop)


@case("description and summary edits are not API changes")
def _(s: dict[str, Any]) -> None:
    op(s, "/pets", "get")["summary"] = "List the pets"
    prop(s, "Pet", "name")["description"] = "What the pet answers to"


@case("inline schema extracted into a component: same shape", ("schema-added", N))
def _(s: dict[str, Any]) -> None:
    schema(s, "Pet")["properties"]["born"] = {"$ref": "#/components/schemas/Born"}
    s["components"]["schemas"]["Born"] = {"type": "string", "format": "date"}


# -- operations -----------------------------------------------------------------------------


@case("operation added", ("operation-added", N))
def _(s: dict[str, Any]) -> None:
    s["paths"]["/toys"] = {"get": {"operationId": "listToys", "responses": {
        "200": {"description": "ok"}}}}


@case("operation removed", ("operation-removed", B))
def _(s: dict[str, Any]) -> None:
    del s["paths"]["/pets/{petId}"]["delete"]


@case("operation moved to another path (same operationId)", ("operation-moved", B))
def _(s: dict[str, Any]) -> None:
    moved = s["paths"]["/pets/{petId}"].pop("delete")
    s["paths"]["/animals/{petId}"] = {"parameters": s["paths"]["/pets/{petId}"]["parameters"],
                                      "delete": moved}


@case("operationId renamed", ("operation-id-changed", P))
def _(s: dict[str, Any]) -> None:
    op(s, "/pets/{petId}", "get")["operationId"] = "fetchPet"


@case("operation deprecated", ("operation-deprecated", N))
def _(s: dict[str, Any]) -> None:
    op(s, "/pets/{petId}", "delete")["deprecated"] = True


case("operation no longer deprecated", ("deprecation-removed", N),
     old=lambda s: op(s, "/pets/{petId}", "delete").update(deprecated=True))(_noop)


@case("operation moved to another tag", ("operation-tag-changed", P))
def _(s: dict[str, Any]) -> None:
    op(s, "/pets/{petId}", "delete")["tags"] = ["Admin"]


@case("x-method-name set", ("method-name-changed", P))
def _(s: dict[str, Any]) -> None:
    op(s, "/pets", "get")["x-method-name"] = "all"


@case("x-pagination declared", ("pagination-changed", P))
def _(s: dict[str, Any]) -> None:
    op(s, "/pets", "get")["x-pagination"] = {"style": "cursor", "cursor-param": "cursor",
                                            "items": "items", "next-cursor": "next"}


# -- parameters -----------------------------------------------------------------------------


@case("required header parameter added", ("required-parameter-added", B))
def _(s: dict[str, Any]) -> None:
    op(s, "/pets", "get")["parameters"].append(
        {"name": "X-Request-Id", "in": "header", "required": True, "schema": {"type": "string"}})


@case("optional query parameter added", ("parameter-added", N))
def _(s: dict[str, Any]) -> None:
    op(s, "/pets", "get")["parameters"].append(
        {"name": "offset", "in": "query", "schema": {"type": "integer"}})


@case("query parameter removed", ("parameter-removed", B))
def _(s: dict[str, Any]) -> None:
    op(s, "/pets", "get")["parameters"].pop(1)


@case("parameter renamed: a removal plus an addition",
      ("parameter-removed", B), ("parameter-added", N))
def _(s: dict[str, Any]) -> None:
    op(s, "/pets", "get")["parameters"][1]["name"] = "state"


@case("path template variable renamed: same URL, new keyword argument",
      ("path-parameter-renamed", P))
def _(s: dict[str, Any]) -> None:
    item = s["paths"].pop("/pets/{petId}")
    item["parameters"][0]["name"] = "id"
    s["paths"]["/pets/{id}"] = item


@case("a parameter with an `in` OpenAPI 3 does not have (Swagger's body) removed",
      ("parameter-removed", B), old=lambda s: op(s, "/pets", "get")["parameters"].append(
          {"name": "filter", "in": "body", "schema": {"type": "string"}}))
def _(s: dict[str, Any]) -> None:
    pass


@case("parameter became required", ("parameter-became-required", B))
def _(s: dict[str, Any]) -> None:
    op(s, "/pets", "get")["parameters"][1]["required"] = True


case("parameter became optional", ("parameter-became-optional", N),
     old=lambda s: op(s, "/pets", "get")["parameters"][1].update(required=True))(_noop)


@case("parameter deprecated", ("parameter-deprecated", N))
def _(s: dict[str, Any]) -> None:
    op(s, "/pets", "get")["parameters"][1]["deprecated"] = True


@case("$ref'd parameter: type widened (integer to number) is fine to send",
      ("type-widened", N))
def _(s: dict[str, Any]) -> None:
    s["components"]["parameters"]["Limit"]["schema"]["type"] = "number"


@case("$ref'd parameter: maximum lowered", ("constraint-tightened", P))
def _(s: dict[str, Any]) -> None:
    s["components"]["parameters"]["Limit"]["schema"]["maximum"] = 10


# -- request bodies -------------------------------------------------------------------------


@case("request body removed", ("request-body-removed", B))
def _(s: dict[str, Any]) -> None:
    del op(s, "/shapes", "post")["requestBody"]


@case("request body became required", ("request-body-became-required", B))
def _(s: dict[str, Any]) -> None:
    op(s, "/shapes", "post")["requestBody"]["required"] = True


@case("request body became optional", ("request-body-became-optional", N))
def _(s: dict[str, Any]) -> None:
    op(s, "/pets", "post")["requestBody"]["required"] = False


@case("required request body added", ("required-request-body-added", B))
def _(s: dict[str, Any]) -> None:
    op(s, "/pets/{petId}", "delete")["requestBody"] = {"required": True,
                                                       "content": _json("Error")}


@case("optional request body added", ("request-body-added", N))
def _(s: dict[str, Any]) -> None:
    op(s, "/pets/{petId}", "delete")["requestBody"] = {"content": _json("Error")}


@case("request media type added", ("request-media-type-added", N))
def _(s: dict[str, Any]) -> None:
    op(s, "/pets", "post")["requestBody"]["content"]["application/x-www-form-urlencoded"] = {
        "schema": {"$ref": "#/components/schemas/NewPet"}}


@case("request media type replaced", ("request-media-type-removed", B),
      ("request-media-type-added", N))
def _(s: dict[str, Any]) -> None:
    content = op(s, "/pets", "post")["requestBody"]["content"]
    content["application/merge-patch+json"] = content.pop("application/json")


# -- responses ------------------------------------------------------------------------------


@case("error response added", ("response-added", N))
def _(s: dict[str, Any]) -> None:
    op(s, "/pets", "post")["responses"]["409"] = {"description": "conflict",
                                                  "content": _json("Error")}


@case("second success response added", ("response-added", P))
def _(s: dict[str, Any]) -> None:
    op(s, "/pets", "post")["responses"]["202"] = {"description": "accepted"}


@case("error response removed", ("response-removed", N))
def _(s: dict[str, Any]) -> None:
    del op(s, "/pets", "get")["responses"]["404"]


@case("response body removed", ("response-body-removed", B))
def _(s: dict[str, Any]) -> None:
    del op(s, "/pets/{petId}", "get")["responses"]["200"]["content"]


@case("response body added", ("response-body-added", N))
def _(s: dict[str, Any]) -> None:
    op(s, "/pets/{petId}", "delete")["responses"]["204"]["content"] = _json("Pet")


@case("response media type added", ("response-media-type-added", N))
def _(s: dict[str, Any]) -> None:
    op(s, "/pets/{petId}", "get")["responses"]["200"]["content"]["application/xml"] = {}


@case("response array became an object", ("type-changed", B))
def _(s: dict[str, Any]) -> None:
    op(s, "/pets", "get")["responses"]["200"]["content"]["application/json"]["schema"] = {
        "type": "object", "properties": {"items": {"type": "array"}}}


# -- fields of $ref'd components, by where they are used --------------------------------------


@case("optional request field added", ("property-added", N))
def _(s: dict[str, Any]) -> None:
    schema(s, "NewPet")["properties"]["color"] = {"type": "string"}


@case("required request field added", ("required-property-added", B))
def _(s: dict[str, Any]) -> None:
    schema(s, "NewPet")["properties"]["color"] = {"type": "string"}
    schema(s, "NewPet")["required"].append("color")


@case("required read-only field added to a request schema", ("required-property-added", N))
def _(s: dict[str, Any]) -> None:
    schema(s, "NewPet")["properties"]["id"] = {"type": "string", "readOnly": True}
    schema(s, "NewPet")["required"].append("id")


@case("required response field added", ("required-property-added", N))
def _(s: dict[str, Any]) -> None:
    schema(s, "Owner")["properties"]["email"] = {"type": "string"}
    schema(s, "Owner")["required"] = ["email"]


@case("optional field added to a recursive response schema", ("property-added", N))
def _(s: dict[str, Any]) -> None:
    schema(s, "Pet")["properties"]["nickname"] = {"type": "string"}


@case("response field removed", ("property-removed", B))
def _(s: dict[str, Any]) -> None:
    del schema(s, "Pet")["properties"]["tag"]


@case("response field renamed: a removal plus an addition",
      ("property-removed", B), ("property-added", N))
def _(s: dict[str, Any]) -> None:
    schema(s, "Pet")["properties"]["label"] = schema(s, "Pet")["properties"].pop("tag")


@case("request field became required", ("property-became-required", B))
def _(s: dict[str, Any]) -> None:
    schema(s, "NewPet")["required"].append("tag")


@case("response field became required", ("property-became-required", N))
def _(s: dict[str, Any]) -> None:
    schema(s, "Pet")["required"].append("tag")


@case("response field became optional", ("property-became-optional", B))
def _(s: dict[str, Any]) -> None:
    schema(s, "Pet")["required"].remove("name")


@case("response field deprecated", ("property-deprecated", N))
def _(s: dict[str, Any]) -> None:
    prop(s, "Pet", "tag")["deprecated"] = True


@case("request field narrowed from number to integer", ("type-narrowed", B),
      old=lambda s: prop(s, "NewPet", "age").update(type="number"))
def _(s: dict[str, Any]) -> None:
    pass


@case("response field widened to string or integer", ("type-widened", B))
def _(s: dict[str, Any]) -> None:
    prop(s, "Pet", "id")["type"] = ["string", "integer"]


@case("response field type changed", ("type-changed", B))
def _(s: dict[str, Any]) -> None:
    prop(s, "Pet", "born")["type"] = "integer"
    del prop(s, "Pet", "born")["format"]


@case("response field format changed", ("format-changed", P))
def _(s: dict[str, Any]) -> None:
    prop(s, "Pet", "born")["format"] = "date-time"


@case("response field became nullable", ("nullable-added", B))
def _(s: dict[str, Any]) -> None:
    prop(s, "Pet", "tag")["type"] = ["string", "null"]


@case("response $ref became nullable through anyOf", ("nullable-added", B))
def _(s: dict[str, Any]) -> None:
    schema(s, "Pet")["properties"]["owner"] = {
        "anyOf": [{"$ref": "#/components/schemas/Owner"}, {"type": "null"}]}


@case("request field became nullable (3.0 style)", ("nullable-added", N))
def _(s: dict[str, Any]) -> None:
    prop(s, "NewPet", "tag")["nullable"] = True


case("request field no longer nullable", ("nullable-removed", B),
     old=lambda s: prop(s, "NewPet", "tag").update(nullable=True))(_noop)


@case("request field maxLength lowered", ("constraint-tightened", P))
def _(s: dict[str, Any]) -> None:
    prop(s, "NewPet", "name")["maxLength"] = 20


@case("response field maxLength raised", ("constraint-loosened", P))
def _(s: dict[str, Any]) -> None:
    prop(s, "Pet", "name")["maxLength"] = 100


@case("request field pattern changed", ("constraint-changed", P),
      old=lambda s: prop(s, "NewPet", "tag").update(pattern="^[a-z]+$"))
def _(s: dict[str, Any]) -> None:
    prop(s, "NewPet", "tag")["pattern"] = "^[a-z0-9]+$"


@case("request default changed", ("default-changed", P))
def _(s: dict[str, Any]) -> None:
    prop(s, "NewPet", "age")["default"] = 2


@case("request object closed to unknown fields", ("additional-properties-restricted", B))
def _(s: dict[str, Any]) -> None:
    schema(s, "NewPet")["additionalProperties"] = False


case("request object opened to unknown fields", ("additional-properties-allowed", N),
     old=lambda s: schema(s, "NewPet").update(additionalProperties=False))(_noop)


@case("field added through allOf", ("property-added", N))
def _(s: dict[str, Any]) -> None:
    schema(s, "Owner").update(allOf=[{"properties": {"phone": {"type": "string"}}}])


# -- enums ----------------------------------------------------------------------------------


@case("enum value added to a response field", ("enum-value-added", P))
def _(s: dict[str, Any]) -> None:
    prop(s, "Owner", "kind")["enum"].append("trust")


@case("enum value added to a request field", ("enum-value-added", N))
def _(s: dict[str, Any]) -> None:
    prop(s, "NewPet", "size")["enum"].append("xl")


@case("enum value removed from a request field", ("enum-value-removed", B))
def _(s: dict[str, Any]) -> None:
    prop(s, "NewPet", "size")["enum"].remove("l")


@case("enum value removed from a response field", ("enum-value-removed", N))
def _(s: dict[str, Any]) -> None:
    prop(s, "Owner", "kind")["enum"].remove("company")


@case("enum value added to a schema used in requests and responses",
      ("enum-value-added", P))
def _(s: dict[str, Any]) -> None:
    schema(s, "Status")["enum"].append("pending")


@case("enum value removed from a schema used in requests and responses",
      ("enum-value-removed", B))
def _(s: dict[str, Any]) -> None:
    schema(s, "Status")["enum"].remove("sold")


@case("free request field restricted to an enum", ("enum-added", B))
def _(s: dict[str, Any]) -> None:
    prop(s, "NewPet", "tag")["enum"] = ["cat", "dog"]


@case("response field no longer restricted to an enum", ("enum-removed", P))
def _(s: dict[str, Any]) -> None:
    del prop(s, "Owner", "kind")["enum"]


# -- discriminated oneOf --------------------------------------------------------------------


@case("oneOf branch added (sent and received)", ("one-of-branch-added", P), ("schema-added", N))
def _(s: dict[str, Any]) -> None:
    s["components"]["schemas"]["Triangle"] = {
        "type": "object", "required": ["kind"],
        "properties": {"kind": {"type": "string", "const": "triangle"}}}
    schema(s, "Shape")["oneOf"].append({"$ref": "#/components/schemas/Triangle"})
    schema(s, "Shape")["discriminator"]["mapping"]["triangle"] = "#/components/schemas/Triangle"


@case("oneOf branch removed", ("one-of-branch-removed", B))
def _(s: dict[str, Any]) -> None:
    schema(s, "Shape")["oneOf"].pop()
    del schema(s, "Shape")["discriminator"]["mapping"]["square"]


@case("field type changed inside a oneOf branch", ("type-changed", B))
def _(s: dict[str, Any]) -> None:
    prop(s, "Circle", "radius")["type"] = "string"


@case("required field added inside a oneOf branch", ("required-property-added", B))
def _(s: dict[str, Any]) -> None:
    schema(s, "Circle")["properties"]["unit"] = {"type": "string"}
    schema(s, "Circle")["required"].append("unit")


@case("discriminator value renamed",
      ("discriminator-value-removed", B), ("discriminator-value-added", P),
      ("enum-value-removed", B), ("enum-value-added", P))
def _(s: dict[str, Any]) -> None:
    mapping = schema(s, "Shape")["discriminator"]["mapping"]
    mapping["round"] = mapping.pop("circle")
    prop(s, "Circle", "kind")["const"] = "round"


@case("discriminator property changed", ("discriminator-changed", B))
def _(s: dict[str, Any]) -> None:
    schema(s, "Shape")["discriminator"]["propertyName"] = "type"


@case("discriminator value points at another branch: the unmapped one is selected by its name",
      ("discriminator-mapping-changed", B), ("discriminator-value-added", P))
def _(s: dict[str, Any]) -> None:
    schema(s, "Shape")["discriminator"]["mapping"]["circle"] = "#/components/schemas/Square"


# -- discriminated bases: a base with a mapping, `allOf` subtypes, no `oneOf` ------------------
# The shape of large vendor specs: operations name the base only, so its subtypes are reached
# through the mapping (explicit, or implicit by a subtype's name), never by a `$ref`.


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _subtype(**properties: Any) -> dict[str, Any]:
    return {"allOf": [_ref("DestinationConfig"), {"type": "object", "properties": properties}]}


def with_destinations(s: dict[str, Any]) -> None:
    """Add `POST /destinations`: the request (NewDestination) derives from a plain `allOf`
    parent; both sides hold a config that is a discriminated base with three subtypes, two
    mapped explicitly and one (BigQueryConfig) by its name."""
    s["paths"]["/destinations"] = {"post": {
        "operationId": "createDestination", "tags": ["Destinations"],
        "requestBody": {"required": True, "content": _json("NewDestination")},
        "responses": {"201": {"description": "created", "content": _json("Destination")}},
    }}
    s["components"]["schemas"].update({
        "DestinationCommon": {"type": "object", "properties": {
            "region": {"type": "string"}, "batch_size": {"type": "integer"}}},
        "NewDestination": {"allOf": [_ref("DestinationCommon"), {
            "type": "object", "required": ["service"],
            "properties": {"service": {"type": "string"}, "name": {"type": "string"},
                           "config": _ref("DestinationConfig")}}]},
        "Destination": {"type": "object", "required": ["id"], "properties": {
            "id": {"type": "string"}, "config": _ref("DestinationConfig"),
            "labels": {"type": "object", "description": "free-form, for now"}}},
        "Label": {"type": "object", "required": ["enabled"], "properties": {
            "enabled": {"type": "boolean"}, "color": {"type": "string"}}},
        "DestinationConfig": {
            "type": "object", "required": ["service"],
            "properties": {"service": {"type": "string"}},
            "discriminator": {"propertyName": "service", "mapping": {
                "snowflake": "#/components/schemas/SnowflakeConfig",
                "postgres": "#/components/schemas/PostgresConfig"}}},
        "SnowflakeConfig": _subtype(account={"type": "string"},
                                    auth={"type": "object",
                                          "properties": {"user": {"type": "string"}}}),
        "PostgresConfig": _subtype(host={"type": "string"}, port={"type": "integer"}),
        "BigQueryConfig": _subtype(update_method={"type": "string",
                                                  "enum": ["XMIN", "WAL"]}),
    })


def destinations(name: str, *expected: tuple[str, Severity]) -> Callable[[Edit], Edit]:
    """A case on BASE with the destinations added to both sides."""
    def register(edit: Edit) -> Edit:
        def new(s: dict[str, Any]) -> None:
            with_destinations(s)
            edit(s)
        CASES.append(Case(name, new, frozenset(expected), with_destinations))
        return edit
    return register


def _member(s: dict[str, Any], name: str) -> dict[str, Any]:
    """The inline `allOf` member of a subtype, where its own properties are."""
    result: dict[str, Any] = schema(s, name)["allOf"][1]
    return result


destinations("a discriminated base and its subtypes, unchanged")(_noop)


@destinations("property removed from a subtype reached only through an explicit mapping",
              ("property-removed", B))
def _(s: dict[str, Any]) -> None:
    del _member(s, "SnowflakeConfig")["properties"]["account"]


@destinations("enum value removed from a subtype reached through an implicit mapping",
              ("enum-value-removed", B))
def _(s: dict[str, Any]) -> None:
    _member(s, "BigQueryConfig")["properties"]["update_method"]["enum"].remove("XMIN")


@destinations("type changed in a subtype's inline object", ("type-changed", B))
def _(s: dict[str, Any]) -> None:
    _member(s, "SnowflakeConfig")["properties"]["auth"]["properties"]["user"] = {
        "type": "integer"}


@destinations("integer to number on a request field that lives in an allOf parent",
              ("type-widened", N))
def _(s: dict[str, Any]) -> None:
    schema(s, "DestinationCommon")["properties"]["batch_size"]["type"] = "number"


@destinations("property moved into an allOf parent: the child is the same, the parent gains it",
              ("property-added", N))
def _(s: dict[str, Any]) -> None:
    moved = schema(s, "NewDestination")["allOf"][1]["properties"].pop("name")
    schema(s, "DestinationCommon")["properties"]["name"] = moved


@destinations("placeholder response property becomes a map of a component",
              ("type-narrowed", N), ("required-property-added", N), ("property-added", N))
def _(s: dict[str, Any]) -> None:
    prop(s, "Destination", "labels")["additionalProperties"] = _ref("Label")


@destinations("service inserted in the middle of a mapping",
              ("schema-added", N), ("discriminator-value-added", P))
def _(s: dict[str, Any]) -> None:
    insert_service(s)


def insert_service(s: dict[str, Any]) -> None:
    """A `RedshiftConfig` between the two mapped services, in the mapping and the components."""
    base = schema(s, "DestinationConfig")["discriminator"]
    snowflake, postgres = (base["mapping"][k] for k in ("snowflake", "postgres"))
    base["mapping"] = {"snowflake": snowflake,
                       "redshift": "#/components/schemas/RedshiftConfig", "postgres": postgres}
    schemas = s["components"]["schemas"]
    items = list(schemas.items())
    at = [name for name, _ in items].index("PostgresConfig")
    items.insert(at, ("RedshiftConfig", _subtype(
        cluster={"type": "string"},
        auth={"type": "object", "properties": {"password": {"type": "string"}}})))
    schemas.clear()
    schemas.update(items)


@destinations("subtype added to an implicit mapping (a new allOf child)",
              ("schema-added", N), ("discriminator-value-added", P))
def _(s: dict[str, Any]) -> None:
    s["components"]["schemas"]["DatabricksConfig"] = _subtype(
        workspace={"type": "string"})


@destinations("subtype dropped from a mapping and the components",
              ("discriminator-value-removed", B), ("schema-removed", P))
def _(s: dict[str, Any]) -> None:
    del schema(s, "DestinationConfig")["discriminator"]["mapping"]["postgres"]
    del s["components"]["schemas"]["PostgresConfig"]


# -- components: renames, additions, removals -------------------------------------------------


@case("schema renamed: refs follow, the old model goes and a new one comes",
      ("schema-ref-changed", P), ("schema-removed", P), ("schema-added", N))
def _(s: dict[str, Any]) -> None:
    schemas = s["components"]["schemas"]
    schemas["Person"] = schemas.pop("Owner")
    schema(s, "Pet")["properties"]["owner"] = {"$ref": "#/components/schemas/Person"}


@case("unused schema removed", ("schema-removed", P))
def _(s: dict[str, Any]) -> None:
    del s["components"]["schemas"]["Legacy"]


@case("field removed from a schema no operation uses", ("property-removed", P))
def _(s: dict[str, Any]) -> None:
    del schema(s, "Legacy")["properties"]["code"]


@case("x-envelope declared on a response schema", ("envelope-changed", B))
def _(s: dict[str, Any]) -> None:
    schema(s, "Error")["x-envelope"] = "message"


# -- security, servers, info ----------------------------------------------------------------


case("authentication now required", ("security-added", B),
     old=lambda s: s.pop("security"))(_noop)


@case("authentication no longer required", ("security-removed", N))
def _(s: dict[str, Any]) -> None:
    del s["security"]


@case("one operation opts out of authentication", ("security-removed", N))
def _(s: dict[str, Any]) -> None:
    op(s, "/pets", "get")["security"] = []


@case("authentication scheme replaced", ("security-changed", B),
      ("security-scheme-added", N))
def _(s: dict[str, Any]) -> None:
    s["components"]["securitySchemes"]["key"] = {"type": "apiKey", "in": "header",
                                                 "name": "X-Key"}
    s["security"] = [{"key": []}]


@case("alternative authentication scheme added", ("security-changed", N),
      ("security-scheme-added", N))
def _(s: dict[str, Any]) -> None:
    s["components"]["securitySchemes"]["key"] = {"type": "apiKey", "in": "header",
                                                 "name": "X-Key"}
    s["security"].append({"key": []})


@case("security scheme changed from bearer to basic", ("security-scheme-changed", B))
def _(s: dict[str, Any]) -> None:
    s["components"]["securitySchemes"]["bearer"]["scheme"] = "basic"


@case("credential argument renamed", ("credential-names-changed", B))
def _(s: dict[str, Any]) -> None:
    s["components"]["securitySchemes"]["bearer"]["x-credential-names"] = {"token": "api_token"}


@case("default server changed", ("default-server-changed", P))
def _(s: dict[str, Any]) -> None:
    s["servers"][0]["url"] = "https://api.example.com/v2"


@case("server added", ("server-added", N))
def _(s: dict[str, Any]) -> None:
    s["servers"].append({"url": "https://sandbox.example.com/v1"})


case("server removed", ("server-removed", P),
     old=lambda s: s["servers"].append({"url": "https://sandbox.example.com/v1"}))(_noop)


@case("API version bumped", ("api-version-changed", N))
def _(s: dict[str, Any]) -> None:
    s["info"]["version"] = "1.1.0"


@case("client name changed", ("client-name-changed", B))
def _(s: dict[str, Any]) -> None:
    s["info"]["x-client-name"] = "PetStore"


@case("default headers changed", ("default-headers-changed", P))
def _(s: dict[str, Any]) -> None:
    s["x-default-headers"] = {"Accept": "application/vnd.pets.v2+json"}


@case("path parameter type changed (the message names a templated path)", ("type-changed", B))
def _(s: dict[str, Any]) -> None:
    s["paths"]["/pets/{petId}"]["parameters"][0]["schema"] = {"type": "integer"}
