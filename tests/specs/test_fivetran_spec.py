"""What issue 3 asks of specs/fivetran.yaml beyond being valid: the API surface, the extensions
the generator reads, and faithfulness to the Fivetran documents."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
import yaml  # PyYAML, a YAML 1.1 loader (installed with openapi-spec-validator)
from ruamel.yaml import YAML

from tests.conftest import ROOT, SPECS
from tests.specs.spec_support import (
    allowed_values,
    body_media_type,
    find_operation,
    fixture_paths,
    iter_operations,
    load_fixture,
    load_spec,
    pointer,
    resolve,
    schema_errors,
    schema_properties,
)

SPEC = load_spec(SPECS / "fivetran.yaml")
SCHEMAS: dict[str, Any] = SPEC["components"]["schemas"]
FIXTURES = [
    f for f in map(load_fixture, fixture_paths()) if f["spec"] == "fivetran.yaml"
]

OPERATIONS = {
    # operationId: (method, path, tag, documented)
    "create_destination": ("post", "/v1/destinations", "Destinations", True),
    "list_destinations": ("get", "/v1/destinations", "Destinations", False),
    "get_destination": (
        "get",
        "/v1/destinations/{destination_id}",
        "Destinations",
        False,
    ),
    "update_destination": (
        "patch",
        "/v1/destinations/{destination_id}",
        "Destinations",
        False,
    ),
    "delete_destination": (
        "delete",
        "/v1/destinations/{destination_id}",
        "Destinations",
        False,
    ),
    "create_connection": ("post", "/v1/connections", "Connections", True),
    "list_connections": ("get", "/v1/connections", "Connections", False),
    "get_connection": ("get", "/v1/connections/{connection_id}", "Connections", False),
    "update_connection": (
        "patch",
        "/v1/connections/{connection_id}",
        "Connections",
        False,
    ),
    "delete_connection": (
        "delete",
        "/v1/connections/{connection_id}",
        "Connections",
        False,
    ),
    **{
        # transcribed from the reference pages (issue 15)
        op_id: (method, path, tag, True)
        for op_id, method, path, tag in [
            ("create_group", "post", "/v1/groups", "Groups"),
            ("list_groups", "get", "/v1/groups", "Groups"),
            ("get_group", "get", "/v1/groups/{group_id}", "Groups"),
            ("update_group", "patch", "/v1/groups/{group_id}", "Groups"),
            ("delete_group", "delete", "/v1/groups/{group_id}", "Groups"),
            ("list_group_connections", "get", "/v1/groups/{group_id}/connections", "Groups"),
            ("get_group_public_key", "get", "/v1/groups/{group_id}/public-key", "Groups"),
            ("get_group_service_account", "get", "/v1/groups/{group_id}/service-account", "Groups"),
            ("list_group_users", "get", "/v1/groups/{group_id}/users", "Groups"),
            ("add_group_user", "post", "/v1/groups/{group_id}/users", "Groups"),
            ("remove_group_user", "delete", "/v1/groups/{group_id}/users/{user_id}", "Groups"),
            ("run_destination_setup_tests", "post", "/v1/destinations/{destination_id}/test", "Destinations"),
            ("sync_connection", "post", "/v1/connections/{connection_id}/sync", "Connections"),
            ("resync_connection", "post", "/v1/connections/{connection_id}/resync", "Connections"),
            ("run_connection_setup_tests", "post", "/v1/connections/{connection_id}/test", "Connections"),
            ("create_connection_connect_card", "post", "/v1/connections/{connection_id}/connect-card", "Connections"),
            ("get_connection_state", "get", "/v1/connections/{connection_id}/state", "Connections"),
            ("update_connection_state", "patch", "/v1/connections/{connection_id}/state", "Connections"),
            ("get_connection_schema_config", "get", "/v1/connections/{connection_id}/schemas", "Connection Schemas"),
            ("update_connection_schema_config", "patch", "/v1/connections/{connection_id}/schemas", "Connection Schemas"),
            ("reload_connection_schema_config", "post", "/v1/connections/{connection_id}/schemas/reload", "Connection Schemas"),
            (
                "update_connection_database_schema_config",
                "patch",
                "/v1/connections/{connection_id}/schemas/{schema_name}",
                "Connection Schemas",
            ),
            (
                "update_connection_table_config",
                "patch",
                "/v1/connections/{connection_id}/schemas/{schema_name}/tables/{table_name}",
                "Connection Schemas",
            ),
            (
                "list_connection_table_columns",
                "get",
                "/v1/connections/{connection_id}/schemas/{schema_name}/tables/{table_name}/columns",
                "Connection Schemas",
            ),
            (
                "update_connection_column_config",
                "patch",
                "/v1/connections/{connection_id}/schemas/{schema_name}/tables/{table_name}/columns/{column_name}",
                "Connection Schemas",
            ),
        ]
    },
}
# Operations whose success is an envelope without `data`.
NO_DATA = {
    "delete_destination",
    "delete_connection",
    "delete_group",
    "remove_group_user",
    "add_group_user",
    "sync_connection",
    "resync_connection",
}
LISTS = ["list_destinations", "list_connections", "list_groups", "list_group_connections", "list_group_users"]
ERROR_RESPONSES = {
    "400": "BadRequest",
    "401": "Unauthorized",
    "403": "Forbidden",
    "404": "NotFound",
    "409": "Conflict",
    "429": "TooManyRequests",
    "500": "InternalServerError",
}


def _is_inferred(node: dict[str, Any]) -> bool:
    return node.get("x-source") == "inferred"


def _own_properties(schema: dict[str, Any]) -> dict[str, Any]:
    """Properties written in this schema itself or its inline allOf parts (no $ref following)."""
    properties = dict(schema.get("properties", {}))
    for part in schema.get("allOf", []):
        if "$ref" not in part:
            properties.update(_own_properties(part))
    return properties


def _all_properties() -> list[tuple[str, str, dict[str, Any]]]:
    """(schema name, property name, property schema) for every property of every component."""
    return [
        (name, prop, prop_schema)
        for name, schema in SCHEMAS.items()
        for prop, prop_schema in _own_properties(schema).items()
    ]


# -- root ---------------------------------------------------------------------------------------


def test_root_declares_client_name_server_default_headers_and_basic_auth() -> None:
    assert SPEC["openapi"] == "3.1.0"
    assert {"title", "version", "description"} <= set(SPEC["info"])
    assert SPEC["info"]["x-client-name"] == "Fivetran"
    assert [server["url"] for server in SPEC["servers"]] == ["https://api.fivetran.com"]
    assert SPEC["x-default-headers"] == {"Accept": "application/json;version=2"}
    schemes = SPEC["components"]["securitySchemes"]
    assert list(schemes) == ["basicAuth"]
    assert {k: v for k, v in schemes["basicAuth"].items() if k != "description"} == {
        "type": "http",
        "scheme": "basic",
        "x-credential-names": {"username": "api_key", "password": "api_secret"},
    }
    assert SPEC["security"] == [{"basicAuth": []}]


def test_no_operation_declares_accept_as_a_parameter() -> None:
    for path, item in SPEC["paths"].items():
        parameters = list(item.get("parameters", []))
        for method, operation in item.items():
            if isinstance(operation, dict) and method != "parameters":
                parameters += operation.get("parameters", [])
        names = {resolve(SPEC, p)["name"].lower() for p in parameters}
        assert "accept" not in names, path


# -- operations ---------------------------------------------------------------------------------


def test_operations_are_exactly_the_issues_ones() -> None:
    found = {
        op["operationId"]: (method, path) for path, method, op in iter_operations(SPEC)
    }
    assert found == {
        op_id: (method, path) for op_id, (method, path, _, _) in OPERATIONS.items()
    }


@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_operation_is_named_tagged_and_described(operation_id: str) -> None:
    _, _, operation = find_operation(SPEC, operation_id)
    _, _, tag, documented = OPERATIONS[operation_id]
    assert re.fullmatch(r"(create|get|list|update|delete|add|remove|run|sync|resync|reload)_[a-z_]+", operation_id)
    assert operation["tags"] == [tag]
    assert operation["summary"] and operation["description"]
    assert _is_inferred(operation) != documented


@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_operation_references_every_shared_error_response(operation_id: str) -> None:
    _, _, operation = find_operation(SPEC, operation_id)
    for status, name in ERROR_RESPONSES.items():
        assert operation["responses"][status] == {
            "$ref": f"#/components/responses/{name}"
        }


def test_error_responses_use_the_error_shape_and_429_says_when_to_retry() -> None:
    responses = SPEC["components"]["responses"]
    assert set(responses) == set(ERROR_RESPONSES.values())
    for response in responses.values():
        assert response["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/Error"
        }
    assert schema_properties(SPEC, SCHEMAS["Error"]).keys() == {"code", "message"}
    retry_after = resolve(SPEC, responses["TooManyRequests"]["headers"]["Retry-After"])
    assert (
        "seconds" in retry_after["description"]
        and "HTTP-date" in retry_after["description"]
    )
    header_schema = pointer("components", "headers", "RetryAfter", "schema")
    assert schema_errors(SPEC, header_schema, 120) == []
    assert schema_errors(SPEC, header_schema, "Wed, 21 Oct 2015 07:28:00 GMT") == []
    assert schema_errors(SPEC, header_schema, -1) != []


@pytest.mark.parametrize("operation_id", LISTS)
def test_list_operations_paginate_by_cursor(operation_id: str) -> None:
    _, _, operation = find_operation(SPEC, operation_id)
    assert operation["x-pagination"] == {
        "style": "cursor",
        "cursor-param": "cursor",
        "limit-param": "limit",
        "items": "data.items",
        "next-cursor": "data.next_cursor",
    }
    parameters = {
        resolve(SPEC, p)["name"]: resolve(SPEC, p) for p in operation["parameters"]
    }
    assert {name: p["in"] for name, p in parameters.items()}.items() >= {
        "cursor": "query",
        "limit": "query",
    }.items()
    envelope = resolve(
        SPEC, operation["responses"]["200"]["content"]["application/json"]["schema"]
    )
    page = resolve(SPEC, envelope["properties"]["data"])
    assert {"items", "next_cursor"} <= page["properties"].keys()
    assert page["properties"]["items"]["type"] == "array"


# -- envelopes ----------------------------------------------------------------------------------


@pytest.mark.parametrize("operation_id", [o for o in OPERATIONS if o not in NO_DATA])
def test_successful_responses_are_data_envelopes(operation_id: str) -> None:
    _, _, operation = find_operation(SPEC, operation_id)
    (status,) = [s for s in operation["responses"] if s.startswith("2")]
    envelope = resolve(
        SPEC, operation["responses"][status]["content"]["application/json"]["schema"]
    )
    assert envelope["x-envelope"] == "data"
    assert envelope["properties"].keys() == {"code", "message", "data"}


@pytest.mark.parametrize("operation_id", sorted(NO_DATA))
def test_deletes_and_actions_answer_with_an_envelope_without_data(operation_id: str) -> None:
    _, _, operation = find_operation(SPEC, operation_id)
    body = resolve(
        SPEC, operation["responses"]["200"]["content"]["application/json"]["schema"]
    )
    assert set(body["required"]) == {"code", "message"}
    assert body["properties"].keys() == {"code", "message"}
    assert "x-envelope" not in body


# -- per-service typing -------------------------------------------------------------------------

UNIONS = {
    # union schema: (known-services schema, free-form fallback, {service: variant})
    "NewDestinationRequest": (
        "KnownServiceNewDestinationRequest",
        "OtherServiceNewDestinationRequest",
        {
            "confluent_cloud_wh": "ConfluentCloudWhNewDestinationRequest",
            "adls": "AdlsNewDestinationRequest",
        },
    ),
    "Destination": (
        "KnownServiceDestination",
        "OtherServiceDestination",
        {
            "confluent_cloud_wh": "ConfluentCloudWhDestination",
            "adls": "AdlsDestination",
        },
    ),
    "NewConnectionRequest": (
        "KnownServiceNewConnectionRequest",
        "OtherServiceNewConnectionRequest",
        {"azure_service_bus": "AzureServiceBusNewConnectionRequest"},
    ),
    "Connection": (
        "KnownServiceConnection",
        "OtherServiceConnection",
        {"azure_service_bus": "AzureServiceBusConnection"},
    ),
}
CONFIGS = {
    "confluent_cloud_wh": "ConfluentCloudWhDestinationConfig",
    "adls": "AdlsDestinationConfig",
    "azure_service_bus": "AzureServiceBusConnectionConfig",
}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


@pytest.mark.parametrize("union", UNIONS)
def test_known_services_are_selected_by_the_service_discriminator(union: str) -> None:
    known, other, variants = UNIONS[union]
    assert SCHEMAS[union]["anyOf"] == [_ref(known), _ref(other)]
    assert SCHEMAS[known]["oneOf"] == [_ref(v) for v in variants.values()]
    assert SCHEMAS[known]["discriminator"] == {
        "propertyName": "service",
        "mapping": {
            service: f"#/components/schemas/{v}" for service, v in variants.items()
        },
    }
    for service, variant in variants.items():
        (own,) = [part for part in SCHEMAS[variant]["allOf"] if "$ref" not in part]
        assert "service" in own["required"]
        assert own["properties"]["service"]["const"] == service
        assert own["properties"]["config"] == _ref(CONFIGS[service])
    (own,) = [part for part in SCHEMAS[other]["allOf"] if "$ref" not in part]
    assert own["properties"]["service"]["type"] == "string"
    assert "const" not in own["properties"]["service"]
    assert own["properties"]["config"] == {
        "description": own["properties"]["config"]["description"],
        "type": "object",
        "additionalProperties": True,
    }


def test_an_unknown_service_round_trips_with_a_free_form_config() -> None:
    body = {
        "group_id": "g",
        "service": "snowflake",
        "config": {"host": "h", "port": 443},
    }
    schema = pointer("components", "schemas", "NewDestinationRequest")
    assert schema_errors(SPEC, schema, body) == []
    known = pointer("components", "schemas", "KnownServiceNewDestinationRequest")
    assert schema_errors(SPEC, known, body) != []


def test_a_known_service_checks_its_config_against_its_own_schema() -> None:
    known = pointer("components", "schemas", "KnownServiceNewDestinationRequest")
    good = {"group_id": "g", "service": "adls", "config": {"auth_type": "OAUTH2"}}
    assert schema_errors(SPEC, known, good) == []
    confluent_value = {
        "group_id": "g",
        "service": "adls",
        "config": {"auth_type": "JSON"},
    }
    assert schema_errors(SPEC, known, confluent_value) != []


# -- faithfulness to the documents --------------------------------------------------------------


def test_every_document_body_is_an_example_of_its_operation() -> None:
    missing = []
    for fixture in FIXTURES:
        for body in fixture["bodies"]:
            _, media = body_media_type(
                SPEC, body["operationId"], body["kind"], body.get("status")
            )
            values = [
                resolve(SPEC, e)["value"] for e in media.get("examples", {}).values()
            ]
            if body["body"] not in values:
                missing.append(
                    f"{fixture['document']}: {body['operationId']} {body['kind']}"
                )
    assert not missing, missing


def test_bodies_of_known_services_match_their_typed_schema() -> None:
    # The free-form fallback would accept any config, so a known service's body (each document
    # body and each spec example of the create operations) must also be valid without it:
    # requests against their variant, responses' data against the response variant.
    union_of = {
        ("create_destination", "request"): "NewDestinationRequest",
        ("create_destination", "response"): "Destination",
        ("create_connection", "request"): "NewConnectionRequest",
        ("create_connection", "response"): "Connection",
    }
    bodies = [
        (fixture["document"], body["operationId"], body["kind"], body["body"])
        for fixture in FIXTURES
        for body in fixture["bodies"]
    ]
    for operation_id, kind in union_of:
        _, media = body_media_type(
            SPEC, operation_id, kind, None if kind == "request" else "201"
        )
        bodies += [
            (
                f"spec example {name}",
                operation_id,
                kind,
                resolve(SPEC, example)["value"],
            )
            for name, example in media["examples"].items()
        ]
    assert len(bodies) == 12
    failures = []
    for label, operation_id, kind, body in bodies:
        value = body if kind == "request" else body["data"]
        variant = UNIONS[union_of[operation_id, kind]][2][value["service"]]
        errors = schema_errors(SPEC, pointer("components", "schemas", variant), value)
        failures += [f"{label} {variant}: {error}" for error in errors]
    assert not failures, "\n".join(failures)


def test_spec_round_trips_byte_for_byte_through_ruamel() -> None:
    # With the file's own layout (2-space maps, sequences indented under their key), a tool that
    # loads and rewrites the spec with ruamel.yaml changes nothing, comments included.
    text = (SPECS / "fivetran.yaml").read_text(encoding="utf-8")
    rt = YAML()
    rt.indent(mapping=2, sequence=4, offset=2)
    rt.width = 4096
    rt.preserve_quotes = True
    written = io.StringIO()
    rt.dump(rt.load(text), written)
    assert written.getvalue() == text


def test_spec_reads_the_same_to_a_yaml_1_1_loader() -> None:
    # No value that YAML 1.1 reads differently (14:00 as 840, unquoted timestamps, yes/no/on/off).
    with (SPECS / "fivetran.yaml").open(encoding="utf-8") as stream:
        assert yaml.safe_load(stream) == SPEC


def test_no_documented_schema_has_a_field_the_documents_do_not_show() -> None:
    documented = {
        field
        for fixture in FIXTURES
        for entry in fixture["inventory"]
        for field in entry["fields"]
    } | {
        # the last segment of each field of the reference pages' inventory
        field["name"].split(".")[-1]
        for page in load_fixture(ROOT / "tests/fixtures/reference/fivetran.json")["pages"]
        for operation in page["operations"]
        for field in operation["fields"]
    }
    undocumented = [
        f"{name}.{prop}"
        for name, prop, _ in _all_properties()
        if not _is_inferred(SCHEMAS[name]) and prop not in documented
    ]
    assert not undocumented, undocumented


def test_required_flags() -> None:
    def required(name: str) -> set[str]:
        schema = SCHEMAS[name]
        parts = [schema, *(resolve(SPEC, p) for p in schema.get("allOf", []))]
        return {field for part in parts for field in part.get("required", [])}

    # 003: group_id and service are required, nothing else; connect_card_config.redirect_uri is.
    assert required("AzureServiceBusNewConnectionRequest") == {"group_id", "service"}
    assert required("ConnectCardConfig") == {"redirect_uri"}
    # Destinations: not stated; group_id, service and config are required by inference.
    assert required("ConfluentCloudWhNewDestinationRequest") == {
        "group_id",
        "service",
        "config",
    }
    assert required("AdlsNewDestinationRequest") == {"group_id", "service", "config"}


def test_documented_defaults() -> None:
    expected = {
        ("NewDestinationRequestBase", "trust_certificates"): False,
        ("NewDestinationRequestBase", "trust_fingerprints"): False,
        ("NewConnectionRequestBase", "trust_certificates"): False,
        ("NewConnectionRequestBase", "trust_fingerprints"): False,
        ("NewConnectionRequestBase", "run_setup_tests"): True,
        ("NewConnectionRequestBase", "data_delay_sensitivity"): "NORMAL",
        ("NewConnectionRequestBase", "data_delay_threshold"): 0,
        ("AdlsDestinationConfig", "connection_type"): "Directly",
        ("AdlsDestinationConfig", "databricks_connection_type"): "Directly",
        ("AdlsDestinationConfig", "snapshot_retention_period"): "ONE_WEEK",
        # reference pages: "The default value is false", "the default PRESERVE value"
        ("SyncConnectionRequest", "force"): False,
        ("ReloadSchemaConfigRequest", "exclude_mode"): "PRESERVE",
    }
    found = {
        (name, prop): s["default"]
        for name, prop, s in _all_properties()
        if "default" in s
    }
    assert found == expected
    for (name, prop), value in expected.items():
        allowed = allowed_values(SPEC, _own_properties(SCHEMAS[name])[prop])
        assert allowed is None or value in allowed


def test_local_processing_agent_id_is_deprecated_everywhere() -> None:
    occurrences = [
        (name, s)
        for name, prop, s in _all_properties()
        if prop == "local_processing_agent_id"
    ]
    # create request, update request and response, of destinations and of connections
    assert len(occurrences) == 6
    assert all(s.get("deprecated") is True for _, s in occurrences), occurrences
    assert [name for name, prop, s in _all_properties() if s.get("deprecated")] == [
        n for n, _ in occurrences
    ]


def test_secrets_are_passwords() -> None:
    expected = {
        ("ConfluentCloudWhDestinationConfig", "schema_registry_api_secret"),
        ("ConfluentCloudWhDestinationConfig", "schema_registry_api_key"),
        ("ConfluentCloudWhDestinationConfig", "sasl_plain_secret"),
        ("ConfluentCloudWhDestinationConfig", "sasl_plain_key"),
        ("AdlsDestinationConfig", "oauth2_secret"),
        ("AdlsDestinationConfig", "secret_value"),
        ("AdlsDestinationConfig", "personal_access_token"),
        ("AzureServiceBusConnectionConfig", "connection_string"),
        ("AzureServiceBusConnectionConfig", "schema_registry_secret"),
        ("AzureServiceBusConnectionConfig", "schema_registry_key"),
        ("AzureServiceBusConnectionAuth", "refresh_token"),
        ("AzureServiceBusClientAccess", "client_secret"),
        ("ConnectCard", "token"),
    }
    passwords = {
        (name, prop)
        for name, prop, s in _all_properties()
        if s.get("format") == "password"
    }
    assert passwords == expected
    # Whatever its name says is secret is a password (a public key is no secret).
    secret_names = {
        (name, prop)
        for name, prop, _ in _all_properties()
        if re.search(r"secret|password|token|(^|_)key$", prop)
        and prop not in ("public_key", "is_primary_key")
    }
    assert secret_names <= passwords


@pytest.mark.parametrize(
    "create_base, update",
    [
        ("NewDestinationRequestBase", "UpdateDestinationRequestBase"),
        ("NewConnectionRequestBase", "UpdateConnectionRequestBase"),
    ],
)
def test_update_requests_take_the_create_fields_without_their_defaults(
    create_base: str, update: str
) -> None:
    create_fields = dict(SCHEMAS[create_base]["properties"])
    create_fields.pop("group_id")
    update_fields = SCHEMAS[update]["properties"]
    assert set(update_fields) == set(create_fields)
    for field, create_schema in create_fields.items():
        assert field in update_fields, field
        same = {
            k: v for k, v in create_schema.items() if k not in ("default", "examples")
        }
        assert update_fields[field] == same, field
    assert not SCHEMAS[update].get("required")


def test_invented_schemas_are_marked_inferred() -> None:
    invented = {
        "Error",
        "DeleteResponse",
        "DestinationList",
        "DestinationListResponse",
        "ConnectionList",
        "ConnectionListResponse",
        "UpdateDestinationRequest",
        "UpdateConnectionRequest",
        *(f"{prefix}Update{kind}Request{suffix}" for prefix, kind, suffix in (
            ("ConfluentCloudWh", "Destination", ""), ("Adls", "Destination", ""),
            ("OtherService", "Destination", ""), ("", "Destination", "Base"),
            ("AzureServiceBus", "Connection", ""), ("OtherService", "Connection", ""),
            ("", "Connection", "Base"))),
        *(known for known, _, _ in UNIONS.values()),
        *(other for _, other, _ in UNIONS.values()),
    }
    assert {
        name for name, schema in SCHEMAS.items() if _is_inferred(schema)
    } == invented
    # The reference pages describe the path parameters added with them.
    from_pages = {"GroupId", "UserId", "SchemaName", "TableName", "ColumnName"}
    for kind in ("parameters", "responses", "headers"):
        for name, obj in SPEC["components"][kind].items():
            assert _is_inferred(obj) != (name in from_pages), f"components/{kind}/{name}"
