"""Discriminated unions in the shapes real vendor specs use, on the wire and under mypy --strict.

- A *base with a mapping* (a large ELT vendor's spec): `ConnectorResponse` carries the
  discriminator, each mapped schema is `allOf: [base, {config: inline object}]` under a name the
  generator renames (`zuora_ConnectorResponseV1`), and no `oneOf` lists them.
- An *implicit mapping* (a payments API): `oneOf` of `payment-card` and `bank_account` with no
  mapping, so the wire values are the schema names, which are not class names.
- *Known or other* (this project's specs): `anyOf: [Known, Other]` where `Known` is a
  discriminated union and `Other` excludes its values with `not`.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import import_generated, mypy_strict
from tests.generator.test_functional import _json
from tests.http_server import Reply, TestServer

S = "#/components/schemas/"



def _config(**properties: Any) -> dict[str, Any]:
    return {"type": "object", "properties": {"config": {
        "type": "object", "properties": properties}}}


SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Vendor API", "version": "1"},
    "paths": {
        "/connectors/{key}": {"get": {
            "operationId": "get_connector", "tags": ["connectors"],
            "parameters": [{"name": "key", "in": "path", "required": True,
                            "schema": {"type": "string"}}],
            "responses": {"200": _json({"$ref": S + "ConnectorResponse"})}}},
        "/connectors": {"post": {
            "operationId": "create_connector", "tags": ["connectors"],
            "requestBody": {"required": True, "content": {"application/json": {
                "schema": {"$ref": S + "NewConnectorRequest"}}}},
            "responses": {"201": _json({"$ref": S + "ConnectorResponse"})}}},
        "/payment-methods/{key}": {"get": {
            "operationId": "get_payment_method", "tags": ["payments"],
            "parameters": [{"name": "key", "in": "path", "required": True,
                            "schema": {"type": "string"}}],
            "responses": {"200": _json({"$ref": S + "PaymentMethod"})}}},
        "/pets/{key}": {"get": {
            "operationId": "get_pet", "tags": ["pets"],
            "parameters": [{"name": "key", "in": "path", "required": True,
                            "schema": {"type": "string"}}],
            "responses": {"200": _json({"$ref": S + "Pet"})}}},
    },
    "components": {"schemas": {
        "ConnectorResponse": {
            "type": "object", "required": ["id", "service"],
            "properties": {"id": {"type": "string"}, "service": {"type": "string"}},
            "discriminator": {"propertyName": "service", "mapping": {
                "zuora": S + "zuora_ConnectorResponseV1",
                "sap_hana": S + "sap_hana_ConnectorResponseV1",
                "salesforce": S + "salesforce_ConnectorResponseV1"}}},
        # the other shape of that spec: the service's own schemas are members of the allOf
        "salesforce_ConnectorResponseV1": {"allOf": [
            {"$ref": S + "ConnectorResponse"}, {"$ref": S + "salesforce_config_V1"},
            {"$ref": S + "salesforce_auth_V1"}]},
        "salesforce_config_V1": _config(instance={"type": "string"}),
        "salesforce_auth_V1": {"type": "object", "properties": {"auth": {
            "type": "object", "properties": {"token": {"type": "string"}}}}},
        "zuora_ConnectorResponseV1": {"allOf": [{"$ref": S + "ConnectorResponse"},
                                                _config(host={"type": "string"})]},
        "sap_hana_ConnectorResponseV1": {"allOf": [{"$ref": S + "ConnectorResponse"},
                                                   _config(port={"type": "integer"})]},
        "NewConnectorRequest": {
            "type": "object", "required": ["service"],
            "properties": {"service": {"type": "string"}},
            "discriminator": {"propertyName": "service", "mapping": {
                "zuora": S + "zuora_NewConnectorRequestV1"}}},
        "zuora_NewConnectorRequestV1": {"allOf": [{"$ref": S + "NewConnectorRequest"},
                                                  _config(host={"type": "string"})]},
        "PaymentMethod": {
            "oneOf": [{"$ref": S + "payment-card"}, {"$ref": S + "bank_account"}],
            "discriminator": {"propertyName": "type"}},
        "payment-card": {"type": "object", "required": ["type"], "properties": {
            "type": {"type": "string"}, "last4": {"type": "string"}}},
        "bank_account": {"type": "object", "required": ["type"], "properties": {
            "type": {"type": "string"}, "iban": {"type": "string"}}},
        "Pet": {"anyOf": [{"$ref": S + "KnownPet"}, {"$ref": S + "OtherPet"}]},
        "KnownPet": {"oneOf": [{"$ref": S + "Cat"}],
                     "discriminator": {"propertyName": "kind",
                                       "mapping": {"cat": S + "Cat"}}},
        "Cat": {"type": "object", "required": ["kind"], "properties": {
            "kind": {"type": "string", "const": "cat"}, "lives": {"type": "integer"}}},
        "OtherPet": {"type": "object", "required": ["kind"], "properties": {
            "kind": {"type": "string", "not": {"enum": ["cat"]}}}},
    }},
}


@pytest.fixture
def vendor(generate_once: Any) -> Any:
    return generate_once(SPEC, "discriminated_vendor_client")


def _get(vendor: Any, server: TestServer, resource: str, body: Any) -> Any:
    """What the resource's get method returns for a server that answers `body`."""
    server.reply(Reply(200, body))
    with vendor.Client(base_url=server.url) as client:
        methods = {"connectors": client.connectors.get, "payments": client.payments.get_method,
                   "pets": client.pets.get}
        return methods[resource](key="x")


def test_a_mapped_wire_value_parses_into_its_subtype(vendor: Any, server: TestServer) -> None:
    result = _get(vendor, server, "connectors",
                  {"id": "c1", "service": "zuora", "config": {"host": "h"}})
    assert type(result) is vendor.models.ZuoraConnectorResponseV1
    assert result.config.host == "h"


def test_a_subtype_of_several_allof_members_derives_from_each(vendor: Any,
                                                              server: TestServer) -> None:
    """Not a flattened copy of its members' fields, whose inline classes would come out again
    under numbered names (`Config1`): the subtype inherits, its wire value pinned."""
    models = vendor.models
    subtype = models.SalesforceConnectorResponseV1
    assert subtype.__bases__ == (models.ConnectorResponse, models.SalesforceConfigV1,
                                 models.SalesforceAuthV1)
    assert not [name for name in models.__all__ if name.rstrip("0123456789") != name
                and name.rstrip("0123456789") in ("Config", "Auth")]
    result = _get(vendor, server, "connectors", {"id": "c1", "service": "salesforce",
                                                 "config": {"instance": "i"},
                                                 "auth": {"token": "t"}})
    assert type(result) is subtype
    assert (result.config.instance, result.auth.token) == ("i", "t")
    with pytest.raises(ValueError, match="service"):
        subtype(id="c1", service="zuora")


def test_a_listed_value_with_invalid_data_raises_instead_of_falling_back(
    vendor: Any, server: TestServer
) -> None:
    body = {"id": "c1", "service": "sap_hana", "config": {"port": "not-an-int"}}
    with pytest.raises(vendor.APIResponseValidationError) as caught:
        _get(vendor, server, "connectors", body)
    assert "config.port" in str(caught.value)
    assert caught.value.body == body


def test_an_unlisted_value_falls_back_to_the_base(vendor: Any, server: TestServer) -> None:
    result = _get(vendor, server, "connectors",
                  {"id": "c1", "service": "brand_new", "config": {"anything": 1}})
    assert type(result) is vendor.models.ConnectorResponse
    assert result.service == "brand_new"
    assert result.model_extra == {"config": {"anything": 1}}


def test_a_subtype_pins_its_wire_value(vendor: Any) -> None:
    models = vendor.models
    with pytest.raises(ValueError, match="service"):
        models.ZuoraNewConnectorRequestV1(service="sap_hana")
    assert models.ZuoraNewConnectorRequestV1(service="zuora").service == "zuora"


def test_the_create_method_takes_a_subtype_and_sends_it_as_is(
    vendor: Any, server: TestServer
) -> None:
    server.reply(Reply(201, {"id": "c1", "service": "zuora"}))
    models = vendor.models
    with vendor.Client(base_url=server.url) as client:
        result = client.connectors.create(service="zuora", config={"host": "h"})
    assert server.requests[0].json() == {"service": "zuora", "config": {"host": "h"}}
    assert type(result) is models.ZuoraConnectorResponseV1


def test_an_implicit_mapping_uses_the_schema_names_as_wire_values(
    vendor: Any, server: TestServer
) -> None:
    card = _get(vendor, server, "payments", {"type": "payment-card", "last4": "4242"})
    assert type(card) is vendor.models.PaymentCard
    account = _get(vendor, server, "payments", {"type": "bank_account", "iban": "DE0"})
    assert type(account) is vendor.models.BankAccount


def test_known_or_other_parses_listed_values_strictly(vendor: Any, server: TestServer) -> None:
    assert type(_get(vendor, server, "pets", {"kind": "cat", "lives": 9})) is vendor.models.Cat
    other = _get(vendor, server, "pets", {"kind": "dog", "barks": True})
    assert type(other) is vendor.models.OtherPet
    with pytest.raises(vendor.APIResponseValidationError, match="lives"):
        _get(vendor, server, "pets", {"kind": "cat", "lives": "many"})


def test_the_bundled_fivetran_client_never_falls_back_for_a_typed_service(
    server: TestServer
) -> None:
    fivetran = import_generated("fivetran_client")
    body = {"code": "Success", "data": {"id": "d1", "service": "adls",
                                         "config": {"port": "not-an-int"}}}
    server.reply(Reply(200, body))
    with fivetran.Fivetran(api_key="k", api_secret="s", base_url=server.url) as client, \
            pytest.raises(fivetran.APIResponseValidationError) as caught:
        client.destinations.get(destination_id="d1")
    assert "config.port" in str(caught.value)
    assert caught.value.body == body


def test_the_output_and_its_use_pass_mypy_strict(vendor: Any, tmp_path: Path) -> None:
    package_root = Path(vendor.__file__).parent.parent
    usage = tmp_path / "usage.py"
    usage.write_text(textwrap.dedent("""\
        from discriminated_vendor_client import Client, models

        def create(client: Client) -> str:
            created = client.connectors.create(service="zuora")
            if isinstance(created, models.ZuoraConnectorResponseV1):
                return created.config.host or "" if created.config else ""
            return created.service
        """), encoding="utf-8")
    result = mypy_strict("discriminated_vendor_client", usage, cwd=package_root,
                         mypy_path=str(package_root))
    assert result.returncode == 0, result.stdout + result.stderr
