"""A newer server must not break an older client: unknown fields are kept, unknown enum values
parse, and configs of services the spec does not describe round-trip. Requests stay strict."""

from __future__ import annotations

from typing import Any

import pydantic
import pytest

from tests.http_server import Reply, TestServer
from tests.runtime.conftest import FIVETRAN, STITCH, STITCH_DESTINATION


def _fivetran(server: TestServer) -> Any:
    return FIVETRAN.Fivetran(api_key="k-123456", api_secret="s-123456", base_url=server.url)


def _stitch(server: TestServer) -> Any:
    return STITCH.Stitch(access_token="t-123456", base_url=server.url)


def _envelope(data: dict[str, Any]) -> dict[str, Any]:
    return {"code": "Success", "message": "Operation performed.", "data": data}


def test_fivetran_keeps_response_fields_the_spec_does_not_list(server: TestServer) -> None:
    server.reply(Reply(200, _envelope({"id": "d1", "service": "snowflake",
                                       "brand_new_field": {"nested": [1, 2]}})))
    with _fivetran(server) as client:
        destination = client.destinations.get(destination_id="d1")
    assert destination.model_extra == {"brand_new_field": {"nested": [1, 2]}}
    assert destination.model_dump()["brand_new_field"] == {"nested": [1, 2]}


def test_stitch_keeps_response_fields_the_spec_does_not_list(server: TestServer) -> None:
    server.reply(Reply(200, {"type": "postgres", "current_step": 1, "current_step_type": "form",
                             "steps": [], "eta_minutes": 5}))
    with _stitch(server) as client:
        card = client.destination_types.get(destination_type="postgres")
    assert card.model_extra == {"eta_minutes": 5}


def test_stitch_string_codes_accept_values_the_guide_never_showed(server: TestServer) -> None:
    server.reply(Reply(200, {"type": "postgres", "current_step": 1,
                             "current_step_type": "brand_new_step", "steps": []}))
    with _stitch(server) as client:
        card = client.destination_types.get(destination_type="postgres")
    assert card.current_step_type == "brand_new_step"


def test_unknown_enum_value_in_a_response_parses(server: TestServer) -> None:
    server.reply(Reply(200, _envelope({
        "id": "c1", "service": "some_service", "schedule_type": "hourly",
        "status": {"sync_state": "warming_up", "setup_state": "connected"},
    })))
    with _fivetran(server) as client:
        connection = client.connections.get(connection_id="c1")
    schedule_type = connection.schedule_type
    assert isinstance(schedule_type, FIVETRAN.models.ScheduleType)
    assert schedule_type == "hourly"
    assert schedule_type not in list(FIVETRAN.models.ScheduleType)
    assert connection.status.sync_state == "warming_up"
    assert connection.status.setup_state is FIVETRAN.models.ConnectionStatusSetupState.connected


def test_unknown_enum_value_inside_a_typed_config_keeps_the_typed_model(
    server: TestServer,
) -> None:
    server.reply(Reply(200, _envelope({
        "id": "c1", "service": "azure_service_bus",
        "config": {"auth_type": "ManagedIdentity", "message_type": "Json"},
    })))
    with _fivetran(server) as client:
        connection = client.connections.get(connection_id="c1")
    assert isinstance(connection, FIVETRAN.models.AzureServiceBusConnection)
    assert connection.config.auth_type == "ManagedIdentity"
    assert connection.config.message_type is \
        FIVETRAN.models.AzureServiceBusConnectionConfigMessageType.Json


def test_unknown_enum_value_from_a_response_is_sent_back_as_it_came(server: TestServer) -> None:
    server.reply(Reply(200, _envelope({"id": "c1", "service": "x", "schedule_type": "hourly"})),
                 Reply(200, _envelope({"id": "c1", "service": "x", "schedule_type": "hourly"})))
    with _fivetran(server) as client:
        connection = client.connections.get(connection_id="c1")
        client.connections.update("c1", schedule_type=connection.schedule_type)
    assert server.requests[1].json() == {"schedule_type": "hourly"}


def test_unknown_enum_value_in_a_request_model_is_rejected() -> None:
    with pytest.raises(pydantic.ValidationError):
        FIVETRAN.models.UpdateConnectionRequest(schedule_type="hourly")


def test_known_enum_value_in_a_request_model_is_accepted() -> None:
    request = FIVETRAN.models.OtherServiceUpdateConnectionRequest(schedule_type="manual")
    assert request.schedule_type is FIVETRAN.models.ScheduleType.manual


def test_fivetran_unknown_service_config_round_trips(server: TestServer) -> None:
    config = {"warehouse": "WH", "role": {"name": "LOADER", "grants": ["USAGE"]}, "port": 443}
    server.reply(Reply(200, _envelope({"id": "c1", "service": "brand_new_service",
                                       "config": config})),
                 Reply(200, _envelope({"id": "c1", "service": "brand_new_service",
                                       "config": config})))
    with _fivetran(server) as client:
        connection = client.connections.get(connection_id="c1")
        assert isinstance(connection, FIVETRAN.models.OtherServiceConnection)
        assert connection.config == config
        client.connections.update("c1", config=connection.config)
    assert server.requests[1].json() == {"config": config}


def test_fivetran_create_with_an_unknown_service_sends_its_config(server: TestServer) -> None:
    config = {"account": "acme", "warehouse": "WH"}
    server.reply(Reply(201, _envelope({"id": "d1", "service": "brand_new_warehouse",
                                       "config": config})))
    with _fivetran(server) as client:
        destination = client.destinations.create(
            group_id="g1", service="brand_new_warehouse", config=config)
    assert server.requests[0].json() == {"group_id": "g1", "service": "brand_new_warehouse",
                                         "config": config}
    assert destination.config == config


def test_stitch_unknown_destination_type_round_trips(server: TestServer) -> None:
    properties = {"host": "db.example.com", "sslmode": "verify-full"}
    server.reply(Reply(200, [{**STITCH_DESTINATION, "type": "brand_new_type",
                              "properties": properties}]),
                 Reply(200, {**STITCH_DESTINATION, "type": "brand_new_type",
                             "properties": properties}))
    with _stitch(server) as client:
        (destination,) = client.destinations.list()
        assert isinstance(destination, STITCH.models.OtherTypeDestination)
        client.destinations.update(
            destination.id, properties=destination.properties)
    assert server.requests[1].json() == {"properties": properties}


LEVELS_SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Levels", "version": "1"},
    "paths": {"/level": {"get": {"operationId": "getLevel", "tags": ["levels"], "responses": {
        "200": {"description": "OK", "content": {"application/json": {"schema": {
            "$ref": "#/components/schemas/Level"}}}}}}}},
    "components": {"schemas": {"Level": {"type": "object", "properties": {
        "name": {"type": "string", "enum": ["low", "high"]},
        "number": {"type": "integer", "enum": [1, 2]},
        "mixed": {"enum": ["one", 2]},
    }}}},
}


def test_string_integer_and_mixed_enums_all_accept_new_values_in_responses(
    generate_once: Any, server: TestServer
) -> None:
    levels = generate_once(LEVELS_SPEC, "runtime_levels_client")
    server.reply(Reply(200, {"name": "extreme", "number": 3, "mixed": "three"}))
    with levels.Client(base_url=server.url) as client:
        level = client.levels.get()
    assert (level.name, level.number, level.mixed.value) == ("extreme", 3, "three")
    assert levels._models.to_wire(level) == {"name": "extreme", "number": 3, "mixed": "three"}
    with pytest.raises(pydantic.ValidationError):
        levels.models.Level(number=3)
