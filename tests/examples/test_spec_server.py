"""The validating mock server the workflow examples run against (tests/spec_server.py)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import SPECS
from tests.spec_server import SpecServer, serve_spec
from tests.specs.spec_support import body_media_type, find_operation, load_spec, resolve

PET = {"type": "object", "required": ["name"],
       "properties": {"name": {"type": "string"}, "tag": {"type": "string"}}}

SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Pets", "version": "1"},
    "servers": [{"url": "https://pets.example.com/api/v2"}],
    "security": [{"basicAuth": []}],
    "paths": {
        "/pets": {
            "get": {
                "operationId": "list_pets",
                "parameters": [
                    {"name": "kind", "in": "query", "required": True,
                     "schema": {"enum": ["cat", "dog"]}},
                    {"name": "limit", "in": "query",
                     "schema": {"type": "integer", "maximum": 100}},
                ],
                "responses": {"200": {"description": "pets", "content": {"application/json": {
                    "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}},
                    "example": [{"name": "Rex"}]}}}},
            },
            "post": {
                "operationId": "create_pet",
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Pet"}}}},
                "responses": {
                    "400": {"description": "bad"},
                    "201": {"description": "created", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Pet"},
                        "example": {"name": "Created"}}}},
                },
            },
        },
        "/pets/{pet_id}": {
            "parameters": [{"$ref": "#/components/parameters/PetId"}],
            "get": {
                "operationId": "get_pet",
                "responses": {"200": {"description": "a pet", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Pet"},
                    "examples": {"first": {"value": {"name": "First"}},
                                 "second": {"value": {"name": "Second"}}}}}}},
            },
            "delete": {"operationId": "delete_pet",
                       "responses": {"204": {"description": "deleted"}}},
            "put": {"operationId": "replace_pet",  # no example to answer with
                    "requestBody": {"content": {"application/json": {"schema": PET}}},
                    "responses": {"200": {"description": "a pet", "content": {
                        "application/json": {"schema": PET}}}}},
        },
        "/pets/mine": {"get": {"operationId": "get_my_pet", "responses": {
            "200": {"description": "mine", "content": {"application/json": {
                "schema": PET, "example": {"name": "Mine"}}}}}}},
        "/health": {"get": {"operationId": "health", "security": [], "responses": {
            "200": {"description": "up", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Health"}}}}}}},
    },
    "components": {
        "securitySchemes": {"basicAuth": {"type": "http", "scheme": "basic"}},
        "parameters": {"PetId": {"name": "pet_id", "in": "path", "required": True,
                                 "schema": {"type": "integer"}}},
        "schemas": {"Pet": PET,
                    "Health": {"type": "object", "examples": [{"ok": True}]}},
    },
}

AUTH = ("user", "secret")


@pytest.fixture
def pets(tmp_path: Path) -> Iterator[SpecServer]:
    spec_path = tmp_path / "pets.json"
    spec_path.write_text(json.dumps(SPEC), encoding="utf-8")
    yield from serve_spec(spec_path)


Request = Callable[..., httpx.Response]


@pytest.fixture
def call(pets: SpecServer) -> Iterator[Request]:
    """`call(method, path, **httpx options)` against the pets server, under its base path."""
    with httpx.Client(base_url=pets.url + "/api/v2", auth=AUTH) as client:
        yield client.request


def test_a_valid_request_gets_the_example_of_the_success_response(
    pets: SpecServer, call: Request
) -> None:
    response = call("GET", "/pets", params={"kind": "cat", "limit": "5"})
    assert (response.status_code, response.json()) == (200, [{"name": "Rex"}])
    assert response.headers["content-type"] == "application/json"
    assert pets.failures == []
    assert pets.operations_called == {"list_pets"}
    assert [(c.request.method, c.request.path) for c in pets.calls] == [("GET", "/api/v2/pets")]


def test_the_status_is_the_declared_success_status(call: Request) -> None:
    response = call("POST", "/pets", json={"name": "Tom", "tag": "cat"})
    assert (response.status_code, response.json()) == (201, {"name": "Created"})


def test_an_invalid_body_gets_400_listing_the_errors(pets: SpecServer, call: Request) -> None:
    response = call("POST", "/pets", json={"tag": 7})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert sorted(errors) == ["body: <root>: 'name' is a required property",
                              "body: tag: 7 is not of type 'string'"]
    assert "'name' is a required property" in response.json()["message"]
    [failure] = pets.failures
    assert (failure.operation, failure.status, failure.problems) == ("create_pet", 400, errors)
    assert pets.operations_called == set()


def test_a_missing_required_body_is_invalid(call: Request) -> None:
    response = call("POST", "/pets")
    assert (response.status_code, response.json()["errors"]) == (
        400, ["the request body is required"])


def test_a_body_of_an_undeclared_media_type_is_invalid(call: Request) -> None:
    response = call("POST", "/pets", content=b"name=Tom",
                    headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.json()["errors"] == [
        "Content-Type application/x-www-form-urlencoded is not one of ['application/json']"]


def test_a_body_that_is_not_json_is_invalid(call: Request) -> None:
    response = call("POST", "/pets", content=b"{name",
                    headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["errors"][0].startswith("the body is not JSON")


def test_a_body_for_an_operation_without_one_is_invalid(call: Request) -> None:
    response = call("DELETE", "/pets/1", content=b"{}",
                    headers={"Content-Type": "application/json"})
    assert response.json()["errors"] == ["the operation takes no request body"]


def test_a_path_template_matches_and_its_parameter_is_checked(
    pets: SpecServer, call: Request
) -> None:
    response = call("GET", "/pets/42")
    assert (response.status_code, response.json()) == (200, {"name": "First"})
    invalid = call("GET", "/pets/rex")
    assert invalid.status_code == 400
    assert invalid.json()["errors"] == ["path parameter 'pet_id': <root>: 'rex' is not of "
                                        "type 'integer'"]
    assert pets.operations_called == {"get_pet"}


def test_a_concrete_path_wins_over_a_template(call: Request) -> None:
    assert call("GET", "/pets/mine").json() == {"name": "Mine"}


def test_an_unknown_path_gets_404(pets: SpecServer, call: Request) -> None:
    response = call("GET", "/owners/1")
    assert response.status_code == 404
    [failure] = pets.failures
    assert (failure.operation, failure.problems) == (
        None, ["no path of the spec matches /owners/1"])


def test_a_path_without_that_method_gets_405(call: Request) -> None:
    response = call("PATCH", "/pets/1", json={})
    assert response.status_code == 405
    assert response.headers["allow"] == "DELETE, GET, PUT"


def test_query_parameters_are_checked(call: Request) -> None:
    missing = call("GET", "/pets")
    assert missing.json()["errors"] == ["query parameter 'kind' is required"]
    too_big = call("GET", "/pets", params={"kind": "dog", "limit": "500"})
    assert too_big.json()["errors"] == [
        "query parameter 'limit': <root>: 500 is greater than the maximum of 100"]
    not_listed = call("GET", "/pets", params={"kind": "cow"})
    assert not_listed.json()["errors"] == [
        "query parameter 'kind': <root>: 'cow' is not one of ['cat', 'dog']"]
    undeclared = call("GET", "/pets", params={"kind": "cat", "sort": "name"})
    assert undeclared.json()["errors"] == ["query parameter 'sort' is not declared"]


def test_a_request_without_the_credential_the_spec_asks_for_is_invalid(pets: SpecServer) -> None:
    with httpx.Client(base_url=pets.url + "/api/v2") as client:
        anonymous = client.get("/pets/1")
        bearer = client.get("/pets/1", headers={"Authorization": "Bearer token"})
        not_base64 = client.get("/pets/1", headers={"Authorization": "Basic ???"})
        public = client.get("/health")
    assert anonymous.json()["errors"] == [
        "no security requirement is met: basicAuth: no Authorization: Basic credential"]
    assert bearer.status_code == 400
    assert not_base64.json()["errors"] == [
        "no security requirement is met: basicAuth: the Basic credential is not base64 of "
        "user:password"]
    assert (public.status_code, public.json()) == (200, {"ok": True})  # security: [], the
    # schema's example


def test_a_response_without_an_example_gets_501_and_is_a_failure(
    pets: SpecServer, call: Request
) -> None:
    response = call("PUT", "/pets/1", json={"name": "Tom"})
    assert response.status_code == 501
    assert [c.problems for c in pets.failures] == [
        ["the spec has no example for the 200 response of replace_pet"]]


def test_a_response_without_content_has_an_empty_body(call: Request) -> None:
    response = call("DELETE", "/pets/1")
    assert (response.status_code, response.content) == (204, b"")


@pytest.mark.parametrize("vendor", ["fivetran", "stitch"])
def test_a_bundled_spec_s_own_request_example_is_answered_with_its_response_example(
    vendor: str,
) -> None:
    spec_path = SPECS / f"{vendor}.yaml"
    spec = load_spec(spec_path)
    path, method, operation = find_operation(spec, "create_destination")
    _, request_media = body_media_type(spec, "create_destination", "request", None)
    request_example = next(iter(request_media["examples"].values()))["value"]
    status = min(s for s in operation["responses"] if s.startswith("2"))
    response_media = resolve(spec, operation["responses"][status])["content"]["application/json"]
    response_example = next(iter(response_media["examples"].values()))["value"]
    auth: dict[str, Any] = ({"headers": {"Authorization": "Bearer t"}} if vendor == "stitch"
                            else {"auth": AUTH})
    with SpecServer(spec_path) as server:
        reply = httpx.request(method.upper(), server.url + path, json=request_example, **auth)
        assert server.report() == ""
        assert (reply.status_code, reply.json()) == (int(status), response_example)
