"""Shapes of real vendor specs that the models step mistyped or misnamed, each reproduced small:
the spec's own values validate into the typed models, and the output passes mypy --strict."""

from __future__ import annotations

import enum
import inspect
import re
from pathlib import Path
from typing import Any

import pytest
from clientgen.pipeline import generate_package

from tests.conftest import mypy_strict
from tests.generator.test_functional import _json, _ref
from tests.http_server import Reply

OBJECT_ENUM = {"type": "object", "enum": ["SOFT_DELETE", "HISTORY"], "example": "HISTORY"}
CONFIG = {"type": "object", "properties": {
    "reports": {"type": "array", "items": {"type": "object", "properties": {
        "name": {"type": "string"}, "mode": {"type": "string", "enum": ["daily", "weekly"]}}}},
    "tunnel": {"type": "object", "properties": {"host": {"type": "string"}}},
}}
RANGE = {"type": "object", "properties": {"gt": {"type": "integer"}, "lt": {"type": "integer"}}}
UNSET = {"type": "string", "enum": [""]}


def _service(name: str) -> dict[str, Any]:
    """A per-service request: the base, then an inline member with an inline `config`."""
    return {"allOf": [_ref("ConnectorRequest"), {"type": "object", "properties": {
        "config": {**CONFIG, "description": f"{name} settings"}}}]}


SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "OpenAPI Definition", "version": "1.0"},
    "servers": [{"url": "https://api.fivetran.com/v1"}],
    "paths": {
        "/connections": {"get": {
            "operationId": "GetCustomers",
            "parameters": [
                {"name": "mode", "in": "query", "schema": OBJECT_ENUM},
                {"name": "created", "in": "query", "schema": {"anyOf": [RANGE, {"type": "integer"}]}},
            ],
            "responses": {"200": _json(_ref("Connection"))},
        }},
    },
    "components": {"schemas": {
        "Connection": {"type": "object", "properties": {
            "sync_mode": OBJECT_ENUM,
            "name": {"type": "string", "nullable": False},
            "tree": _ref("Tree"),
            "tax": {"anyOf": [_ref("Tax"), UNSET]},
            "amount": {"anyOf": [{"type": "integer"}, UNSET]},
        }},
        "Tax": {"type": "object", "properties": {"rate": {"type": "number"}}},
        "Tree": {"type": "array", "items": _ref("Tree")},
        "Forest": {"type": "object", "additionalProperties": {
            "type": "array", "items": _ref("Forest")}},
        "ConnectorRequest": {"type": "object", "required": ["service", "id"], "properties": {
            "service": {"type": "string"}, "id": {"type": "string"},
            "paused": {"type": "number"}}},
        "zuora_ConnectorRequest": _service("zuora"),
        "stripe_ConnectorRequest": _service("stripe"),
        "Override": {"allOf": [_ref("ConnectorRequest"), {"type": "object", "properties": {
            "id": {"type": "integer"}, "paused": {"type": "integer"}}}]},
    }},
}


@pytest.fixture
def shapes(generate: Any) -> Any:
    return generate(SPEC)


def _warnings(tmp_path: Any) -> list[Any]:
    import json

    path = tmp_path / "shapes.json"
    path.write_text(json.dumps(SPEC, indent=1), encoding="utf-8")
    return generate_package(path, "shapes_client").diagnostics.warnings


def test_the_output_passes_mypy_strict(shapes: Any) -> None:
    root = Path(str(shapes.__file__)).parent
    result = mypy_strict(root.name, cwd=root.parent)
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_object_typed_string_enum_is_a_located_warning(tmp_path: Any) -> None:
    found = [w for w in _warnings(tmp_path) if "`type: object` with string `enum`" in w.message]
    assert {w.pointer for w in found} == {
        "/paths/~1connections/get/parameters/0/schema/type",
        "/components/schemas/Connection/properties/sync_mode/type",
    }
    assert all(w.location is not None and w.location.line for w in found)


def test_an_object_typed_string_enum_is_typed_as_the_enum_and_its_example_parses(
    shapes: Any, server: Any
) -> None:
    server.reply(Reply(200, {"sync_mode": "HISTORY"}))
    with shapes.Fivetran(base_url=server.url) as client:
        connection = client.default.get_customers(mode="SOFT_DELETE")
    assert server.requests[0].query == {"mode": ["SOFT_DELETE"]}
    assert connection.sync_mode == "HISTORY" and isinstance(connection.sync_mode, enum.Enum)
    mode = inspect.signature(shapes.resources.default.get_customers).parameters["mode"]
    assert "Literal['SOFT_DELETE', 'HISTORY']" in str(mode)


def test_nullable_false_on_an_optional_property_is_optional_not_none_typed_as_str(
    shapes: Any
) -> None:
    assert shapes.models.Connection.model_fields["name"].annotation == str | None
    assert shapes.models.Connection.model_validate({}).name is None


def test_a_recursive_array_parses_its_items_into_itself(shapes: Any) -> None:
    tree = shapes.models.Tree.model_validate([[[]], []])
    assert isinstance(tree.root[0], shapes.models.Tree)
    assert isinstance(tree.root[0].root[0], shapes.models.Tree)
    forest = shapes.models.Forest.model_validate({"a": [{"b": []}]})
    assert isinstance(forest.root["a"][0], shapes.models.Forest)


def test_an_incompatible_allof_redefinition_is_a_warning_naming_both_places(
    tmp_path: Any,
) -> None:
    found = [w for w in _warnings(tmp_path) if "incompatible type" in w.message]
    assert [w.pointer for w in found] == ["/components/schemas/Override/allOf/1/properties/id"]
    base_line = re.search(r"\(.*shapes\.json:(\d+):\d+\)", found[0].message)
    assert base_line is not None and found[0].location is not None
    assert int(base_line.group(1)) != found[0].location.line  # the base's place, and its own


def test_an_incompatible_redefinition_keeps_the_base_type(shapes: Any) -> None:
    override = shapes.models.Override.model_validate({"service": "s", "id": "c-1", "paused": 1})
    assert override.id == "c-1"
    assert issubclass(shapes.models.Override, shapes.models.ConnectorRequest)


def test_inline_schemas_of_a_per_service_config_are_named_from_their_path(shapes: Any) -> None:
    models = shapes.models
    request = models.ZuoraConnectorRequest.model_validate(
        {"service": "zuora", "id": "c", "config": {"reports": [{"name": "r", "mode": "daily"}],
                                                    "tunnel": {"host": "h"}}})
    assert type(request.config) is models.ZuoraConnectorRequestConfig
    assert type(request.config.reports[0]) is models.ZuoraConnectorRequestConfigReport
    assert type(request.config.tunnel) is models.ZuoraConnectorRequestConfigTunnel
    assert models.StripeConnectorRequestConfig is not models.ZuoraConnectorRequestConfig
    numbered = [name for name in models.__all__ if re.search(r"\d$", name)]
    assert numbered == []


def test_the_unset_branch_is_a_literal_empty_string_not_a_class(shapes: Any) -> None:
    connection = shapes.models.Connection.model_validate({"tax": "", "amount": ""})
    assert connection.tax == "" and type(connection.tax) is str
    assert connection.amount == "" and type(connection.amount) is str
    assert isinstance(shapes.models.Connection.model_validate({"tax": {"rate": 1}}).tax,
                      shapes.models.Tax)
    assert not any(isinstance(value, type) and issubclass(value, enum.Enum)
                   and "" in {m.value for m in value}
                   for value in (getattr(shapes.models, name) for name in shapes.models.__all__))


def test_an_inline_union_member_does_not_repeat_its_parents_name(shapes: Any) -> None:
    names = {name for name in dir(shapes.models) if name.startswith("GetCustomersCreated")}
    assert names == {"GetCustomersCreated", "GetCustomersCreatedObject"}
    created = shapes.models.GetCustomersCreated.model_validate({"gt": 1})
    assert isinstance(created.root, shapes.models.GetCustomersCreatedObject)


def test_a_generic_title_gives_the_client_the_name_of_the_server_host(shapes: Any) -> None:
    assert shapes.Fivetran.__name__ == "Fivetran"
    assert shapes.AsyncFivetran.__name__ == "AsyncFivetran"


@pytest.mark.parametrize(("title", "url", "expected"), [
    ("Swagger Petstore", "https://petstore.example/v2", "Petstore"),
    ("OpenAPI definition", "https://api.stripe.com/", "Stripe"),
    ("REST API", "http://localhost:8080", "Localhost"),
])
def test_the_client_name_comes_from_the_title_else_the_host(
    tmp_path: Any, title: str, url: str, expected: str
) -> None:
    import json

    path = tmp_path / "spec.json"
    path.write_text(json.dumps({"openapi": "3.1.0", "info": {"title": title, "version": "1"},
                                "servers": [{"url": url}], "paths": {}}), encoding="utf-8")
    assert generate_package(path, "named_client", formatted=False).api.client_name == expected
    # the package name too, unless the title names the API itself
    package = generate_package(path, formatted=False).api.package
    assert package == ("swagger_petstore_client" if title == "Swagger Petstore"
                       else f"{expected.lower()}_client")
