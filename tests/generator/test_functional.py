"""Behaviour of generated code, from small inline specs, against a real server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import enum
import inspect
import json
from typing import Any

import pytest

from tests.http_server import Reply

OK = {"description": "OK"}


def _spec(paths: dict[str, Any], schemas: dict[str, Any] | None = None,
          **extra: Any) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Zoo", "version": "1.0.0"},
        "servers": [{"url": "http://127.0.0.1:1"}],
        "paths": paths,
        "components": {"schemas": schemas or {}},
        **extra,
    }


def _json(schema: dict[str, Any], description: str = "OK") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


ANIMAL = {
    "type": "object",
    "required": ["id", "name"],
    "properties": {
        "id": {"type": "integer"},
        "name": {"type": "string"},
        "kind": {"type": "string", "enum": ["lion", "zebra"]},
        "parent": {"anyOf": [_ref("Animal"), {"type": "null"}]},
        "keeper": _ref("Keeper"),
    },
}
KEEPER = {"type": "object", "properties": {"name": {"type": "string"},
                                         "badge": {"type": "string", "format": "password"}}}

PARAMS_SPEC = _spec(
    {
        "/zones/{zone_id}/animals": {
            "parameters": [{"name": "zone_id", "in": "path", "required": True,
                            "schema": {"type": "string"}}],
            "get": {
                "operationId": "listAnimals",
                "tags": ["animals"],
                "parameters": [
                    {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                    {"name": "kind", "in": "query",
                     "schema": {"type": "string", "enum": ["lion", "zebra"]}},
                    {"name": "tag", "in": "query",
                     "schema": {"type": "array", "items": {"type": "string"}}},
                    {"name": "X-Request-Id", "in": "header", "schema": {"type": "string"}},
                ],
                "responses": {"200": _json({"type": "array", "items": _ref("Animal")})},
            },
            "post": {
                "operationId": "createAnimal",
                "tags": ["animals"],
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": _ref("Animal")}}},
                "responses": {"201": _json(_ref("Animal"))},
            },
        },
        "/zones/{zone_id}/animals/{animal_id}": {
            "delete": {
                "operationId": "deleteAnimal",
                "tags": ["animals"],
                "parameters": [
                    {"name": "zone_id", "in": "path", "required": True,
                     "schema": {"type": "string"}},
                    {"name": "animal_id", "in": "path", "required": True,
                     "schema": {"type": "integer"}},
                ],
                "responses": {"204": {"description": "Deleted"}},
            },
        },
    },
    {"Animal": ANIMAL, "Keeper": KEEPER},
)


@pytest.fixture
def zoo(generate: Any) -> Any:
    return generate(PARAMS_SPEC)


def test_path_query_and_header_parameters_reach_the_server(zoo: Any, server: Any) -> None:
    server.reply(Reply(200, []))
    with zoo.Client(base_url=server.url) as client:
        client.animals.list(zone_id="north/east", limit=5, kind="lion", tag=["a", "b"],
                            x_request_id="r-1")
    request = server.requests[0]
    assert request.method == "GET"
    assert request.path == "/zones/north%2Feast/animals"
    assert request.query == {"limit": ["5"], "kind": ["lion"], "tag": ["a", "b"]}
    assert request.headers["x-request-id"] == "r-1"


def test_optional_parameters_not_given_are_not_sent(zoo: Any, server: Any) -> None:
    server.reply(Reply(200, []))
    with zoo.Client(base_url=server.url) as client:
        client.animals.list(zone_id="z")
    assert server.requests[0].query == {}
    assert "x-request-id" not in server.requests[0].headers


def test_request_body_is_sent_as_json_with_wire_names_and_secrets_revealed(
    zoo: Any, server: Any
) -> None:
    server.reply(Reply(201, {"id": 7, "name": "Leo"}))
    with zoo.Client(base_url=server.url) as client:
        created = client.animals.create(
            "z", id_=7, name="Leo", keeper=zoo.models.Keeper(name="K", badge="s3"))
    assert server.requests[0].json() == {"id": 7, "name": "Leo",
                                         "keeper": {"name": "K", "badge": "s3"}}
    assert server.requests[0].headers["content-type"] == "application/json"
    assert isinstance(created, zoo.models.Animal)


def test_response_is_parsed_into_nested_and_recursive_models(zoo: Any, server: Any) -> None:
    server.reply(Reply(200, [{"id": 2, "name": "Cub", "kind": "lion",
                              "parent": {"id": 1, "name": "Mum", "parent": None}}]))
    with zoo.Client(base_url=server.url) as client:
        animals = client.animals.list(zone_id="z")
    assert animals[0].parent.name == "Mum"
    assert isinstance(animals[0].parent, zoo.models.Animal)
    assert animals[0].kind == "lion"
    assert isinstance(animals[0].kind, enum.Enum)


def test_response_without_content_returns_none(zoo: Any, server: Any) -> None:
    server.reply(Reply(204))
    with zoo.Client(base_url=server.url) as client:
        assert client.animals.delete(zone_id="z", animal_id=3) is None
    assert server.requests[0].method == "DELETE"
    assert server.requests[0].path == "/zones/z/animals/3"


def test_enum_query_parameter_is_typed_as_a_literal(zoo: Any) -> None:
    annotation = inspect.signature(zoo.resources.animals.list_animals).parameters["kind"]
    assert "Literal['lion', 'zebra']" in str(annotation)


def test_module_functions_and_async_client_send_the_same_request(zoo: Any, server: Any) -> None:
    server.reply(Reply(200, []), Reply(200, []))
    from importlib import import_module

    animals_module = import_module(f"{zoo.__name__}.resources.animals")
    with zoo.Client(base_url=server.url) as client:
        animals_module.list_animals(client, zone_id="z", limit=1)

    async def main() -> None:
        async with zoo.AsyncClient(base_url=server.url) as client:
            await client.animals.list(zone_id="z", limit=1)

    asyncio.run(main())
    first, second = server.requests
    assert (first.path, first.query) == (second.path, second.query) == ("/zones/z/animals",
                                                                        {"limit": ["1"]})


def test_sync_and_async_methods_have_identical_signatures(zoo: Any) -> None:
    sync = inspect.signature(zoo.resources.AnimalsResource.create)
    async_ = inspect.signature(zoo.resources.AsyncAnimalsResource.create)
    assert sync == async_
    kinds = {name: p.kind for name, p in sync.parameters.items() if name != "self"}
    assert kinds.pop("zone_id") is inspect.Parameter.POSITIONAL_OR_KEYWORD  # a path parameter
    assert set(kinds.values()) == {inspect.Parameter.KEYWORD_ONLY}


UNION_SPEC = _spec(
    {
        "/pets": {
            "post": {
                "operationId": "createPet",
                "requestBody": {"required": True,
                                "content": {"application/json": {"schema": _ref("Pet")}}},
                "responses": {"200": _json(_ref("Pet"))},
            }
        }
    },
    {
        "Pet": {"oneOf": [_ref("Cat"), _ref("Dog")],
                "discriminator": {"propertyName": "pet_type",
                                  "mapping": {"cat": "#/components/schemas/Cat",
                                              "dog": "#/components/schemas/Dog"}}},
        "Cat": {"type": "object", "required": ["pet_type"],
                "properties": {"pet_type": {"const": "cat"}, "lives": {"type": "integer"}}},
        "Dog": {"type": "object", "required": ["pet_type"],
                "properties": {"pet_type": {"const": "dog"}, "bark": {"type": "string"}}},
    },
)


def test_discriminated_union_accepts_a_member_and_returns_the_matching_member(
    generate: Any, server: Any
) -> None:
    pets = generate(UNION_SPEC)
    server.reply(Reply(200, {"pet_type": "dog", "bark": "woof"}))
    with pets.Client(base_url=server.url) as client:
        result = client.default.create_pet(pet_type="cat", lives=9)
    assert server.requests[0].json() == {"pet_type": "cat", "lives": 9}
    assert isinstance(result, pets.models.Dog)
    assert result.bark == "woof"


def test_discriminator_rejects_a_member_of_the_wrong_kind(generate: Any) -> None:
    pets = generate(UNION_SPEC)
    with pytest.raises(ValueError):
        pets.models.Pet.model_validate({"pet_type": "cat", "bark": 1, "lives": "many"})


ALLOF_SPEC = _spec(
    {
        "/services": {"get": {"operationId": "getService",
                              "responses": {"200": _json(_ref("Service"))}}},
    },
    {
        "Service": {
            "type": "object", "required": ["service"],
            "properties": {"service": {"type": "string"}, "name": {"type": "string"}},
            "discriminator": {"propertyName": "service",
                              "mapping": {"s3": "#/components/schemas/S3Service",
                                          "gcs": "#/components/schemas/GcsService"}},
        },
        "S3Service": {"allOf": [_ref("Service"), {"type": "object", "properties": {
            "bucket": {"type": "string"}}}]},
        "GcsService": {"allOf": [_ref("Service"), {"type": "object", "properties": {
            "project": {"type": "string"}}}]},
    },
)


def test_allof_discriminator_hierarchy_generates_typed_children(generate: Any) -> None:
    services = generate(ALLOF_SPEC)
    s3 = services.models.S3Service.model_validate({"service": "s3", "bucket": "b", "name": "n"})
    assert s3.bucket == "b" and s3.name == "n"
    assert issubclass(services.models.S3Service, services.models.Service)


COLLISION_SPEC = _spec(
    {
        "/things/{class}": {
            "get": {
                "operationId": "get-thing",
                "tags": ["things"],
                "parameters": [
                    {"name": "class", "in": "path", "required": True, "schema": {"type": "string"}},
                    {"name": "json", "in": "query", "schema": {"type": "boolean"}},
                    {"name": "self", "in": "query", "schema": {"type": "string"}},
                ],
                "responses": {"200": _json(_ref("thing-item"))},
            }
        }
    },
    {
        "thing-item": {"type": "object", "properties": {
            "from": {"type": "string"}, "model_config": {"type": "string"},
            "schema": {"type": "string"}}},
        "ThingItem": {"type": "object", "properties": {"size": {"type": "integer"}}},
    },
)


def test_colliding_schema_names_get_stable_distinct_classes(generate: Any) -> None:
    things = generate(COLLISION_SPEC)
    assert things.models.ThingItem is not things.models.ThingItem2
    assert set(things.models.ThingItem.model_fields) == {"from_", "model_config_", "schema_"}
    assert set(things.models.ThingItem2.model_fields) == {"size"}


def test_keyword_and_reserved_names_are_renamed_but_sent_by_wire_name(
    generate: Any, server: Any
) -> None:
    things = generate(COLLISION_SPEC)
    server.reply(Reply(200, {"from": "here", "model_config": "x", "schema": "s"}))
    with things.Client(base_url=server.url) as client:
        item = client.things.get(class_="c1", json_=True, self_="me")
    assert server.requests[0].path == "/things/c1"
    assert server.requests[0].query == {"json": ["true"], "self": ["me"]}
    assert (item.from_, item.model_config_, item.schema_) == ("here", "x", "s")
    assert item.model_dump(by_alias=True) == {"from": "here", "model_config": "x", "schema": "s"}


def test_a_component_named_like_an_inline_schema_is_an_error_not_a_wrong_model(
    generate: Any,
) -> None:
    from clientgen.diagnostics import SpecError

    spec = _spec(
        {"/owner": {"get": {"operationId": "getOwner",
                            "responses": {"200": _json(_ref("PetOwner"))}}}},
        {
            "Pet": {"type": "object", "properties": {
                "owner": {"type": "object", "properties": {"name": {"type": "string"}}}}},
            "PetOwner": {"type": "object", "properties": {"id": {"type": "integer"}}},
        },
    )
    with pytest.raises(SpecError, match="schema 'PetOwner' has the name"):
        generate(spec)


def test_external_response_refs_are_bundled_as_responses(tmp_path: Any, generate: Any) -> None:
    (tmp_path / "common.yaml").write_text(
        "Ok:\n  description: ok\n  content:\n    application/json:\n      schema:\n"
        "        type: object\n        properties: {text: {type: string}}\n", encoding="utf-8")
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "openapi: 3.1.0\ninfo: {title: Ext, version: '1'}\npaths:\n  /m:\n    get:\n"
        "      operationId: getMessage\n      responses:\n        '200': {$ref: 'common.yaml#/Ok'}\n",
        encoding="utf-8")
    package = generate(spec)
    assert not hasattr(package.models, "Ok")  # a Response Object is not a schema
    assert set(package.models.GetMessageResponse.model_fields) == {"text"}


def test_security_declared_only_on_operations_still_gives_the_client_credentials(
    generate: Any, server: Any
) -> None:
    spec = _spec({"/pets": {"get": {
        "operationId": "listPets", "tags": ["pets"], "security": [{"token": []}],
        "parameters": [{"name": "view", "in": "query",
                        "schema": {"type": "string", "enum": ["list", "dict of set"]}}],
        "responses": {"204": OK}}}})
    spec["components"]["securitySchemes"] = {"token": {"type": "http", "scheme": "bearer"}}
    pets = generate(spec)
    server.reply(Reply(204))
    with pets.Client(token="t0ken-value", base_url=server.url) as client:
        client.pets.list(view="list")
    assert server.requests[0].headers["authorization"] == "Bearer t0ken-value"
    method = inspect.signature(pets.resources.PetsResource.list).parameters["view"]
    assert "Literal['list', 'dict of set']" in str(method.annotation).replace('"', "'")


def test_without_a_server_url_the_client_asks_for_base_url(generate: Any) -> None:
    spec = _spec({"/pets": {"get": {"operationId": "listPets", "responses": {"204": OK}}}})
    del spec["servers"]
    pets = generate(spec)
    with pytest.raises(ValueError, match="needs an absolute base_url"):
        pets.Client()
    assert pets.Client(base_url="http://127.0.0.1:1").base_url == "http://127.0.0.1:1/"


def test_when_some_operations_are_public_credentials_are_asked_for_only_by_the_others(
    generate: Any, server: Any
) -> None:
    spec = _spec({
        "/public": {"get": {"operationId": "getPublic", "tags": ["things"],
                            "responses": {"204": OK}}},
        "/private": {"get": {"operationId": "getPrivate", "tags": ["things"],
                             "security": [{"key": []}], "responses": {"204": OK}}},
    })
    spec["components"]["securitySchemes"] = {
        "key": {"type": "apiKey", "in": "header", "name": "X-Key"}}
    things = generate(spec)
    server.reply(Reply(204))
    with things.Client(base_url=server.url) as client:  # no credentials, no error yet
        assert client.things.get_public() is None
        with pytest.raises(things.MissingCredentialsError, match="needs `api_key`"):
            client.things.get_private()
    assert [r.path for r in server.requests] == ["/public"]  # nothing sent without the key


def test_an_operation_named_like_a_call_option_still_calls_its_function(
    generate: Any, server: Any
) -> None:
    spec = _spec({"/things": {"get": {"operationId": "timeout", "tags": ["things"],
                                      "responses": {"204": OK}}}})
    things = generate(spec)
    server.reply(Reply(204))
    with things.Client(base_url=server.url) as client:
        assert client.things.timeout(timeout=5.0) is None
    assert server.requests[0].path == "/things"


def test_a_client_named_like_the_runtimes_page_class_is_renamed_with_a_warning(
    generate: Any, tmp_path: Any
) -> None:
    # `CursorPage` would make `AsyncCursorPage`, the runtime's page class, exported twice.
    from clientgen.pipeline import generate_package

    spec = _spec({"/pets": {"get": {"operationId": "listPets", "responses": {"200": OK}}}})
    spec["info"]["x-client-name"] = "CursorPage"
    package = generate(spec)
    assert len(package.__all__) == len(set(package.__all__))
    assert package.AsyncCursorPage is package._pagination.AsyncCursorPage
    assert package.AsyncCursorPageClient is package.AsyncClient
    assert package.CursorPageClient is package.Client

    path = tmp_path / "cursor_page.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    [warning] = generate_package(path, formatted=False).diagnostics.warnings
    assert warning.pointer == "/info/x-client-name"
    assert "the client is CursorPageClient" in warning.message
