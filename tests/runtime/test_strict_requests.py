"""What is sent is what the spec declares; what is received is what the server sent.

- A model only ever sent refuses unknown fields when it is built; a body's keyword arguments and
  the dicts they hold get the same check before anything goes on the wire. Only `extra_body`
  adds what the spec lacks.
- A model that is received reports no spec default for a field the server left out.
- A model both sent and received keeps unknown fields, so a value read from a response can be
  sent back as it came.
"""

from __future__ import annotations

from typing import Any

import pydantic
import pytest

from tests.conftest import import_generated
from tests.generator.test_functional import _json
from tests.http_server import Reply, TestServer

S = "#/components/schemas/"



SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Strict API", "version": "1"},
    "paths": {
        "/things": {"post": {
            "operationId": "create_thing", "tags": ["things"],
            "requestBody": {"required": True, "content": {"application/json": {
                "schema": {"$ref": S + "NewThing"}}}},
            "responses": {"201": _json({"$ref": S + "Thing"})}}},
        "/things/{thing_id}": {"patch": {
            "operationId": "update_thing", "tags": ["things"],
            "parameters": [{"name": "thing_id", "in": "path", "required": True,
                            "schema": {"type": "string"}}],
            "requestBody": {"content": {"application/json": {
                "schema": {"$ref": S + "NewThing"}}}},
            "responses": {"204": {"description": "Updated"}}}},
        "/wrapped": {"get": {
            "operationId": "get_wrapped", "tags": ["things"],
            "responses": {"200": _json({"$ref": S + "Wrapped"})}}},
    },
    "components": {"schemas": {
        "NewThing": {"type": "object", "required": ["name"], "properties": {
            "name": {"type": "string"},
            "time_zone_offset": {"type": "string", "default": "+0"},
            "config": {"$ref": S + "Config"}}},
        "Thing": {"type": "object", "required": ["id"], "properties": {
            "id": {"type": "string"},
            "connection_type": {"type": "string", "enum": ["Directly", "SshTunnel"],
                                "default": "Directly"},
            "config": {"$ref": S + "Config"}}},
        "Config": {"type": "object", "properties": {
            "port": {"type": "integer", "default": 443}}},
        # an envelope whose optional payload is a schema whose name starts with "None"
        "Wrapped": {"type": "object", "x-envelope": "data",
                    "properties": {"data": {"$ref": S + "NoneLeft"}}},
        "NoneLeft": {"type": "object", "properties": {"left": {"type": "integer"}}},
    }},
}


@pytest.fixture
def strict(generate_once: Any) -> Any:
    return generate_once(SPEC, "strict_requests_client")


def test_a_sent_model_refuses_a_misspelled_field_when_built(strict: Any) -> None:
    with pytest.raises(pydantic.ValidationError) as caught:
        strict.models.NewThing(name="n", time_zone_ofset="+3")
    assert caught.value.errors()[0]["loc"] == ("time_zone_ofset",)
    assert caught.value.errors()[0]["type"] == "extra_forbidden"


def test_body_arguments_that_do_not_fit_are_refused_before_anything_is_sent(
    strict: Any, server: TestServer
) -> None:
    with strict.Client(base_url=server.url) as client:
        with pytest.raises(TypeError, match="time_zone_ofset"):
            client.things.create(name="n", time_zone_ofset="+3")
        with pytest.raises(pydantic.ValidationError, match="config.port"):
            client.things.create(name="n", config={"port": "many"})
    assert server.requests == []


def test_body_arguments_and_the_dicts_they_hold_are_sent_as_given(
    strict: Any, server: TestServer
) -> None:
    server.reply(Reply(201, {"id": "t1"}))
    with strict.Client(base_url=server.url) as client:
        client.things.create(name="n", config={"port": 1})
    assert server.requests[0].json() == {"name": "n", "config": {"port": 1}}


def test_extra_body_adds_fields_the_spec_lacks_unvalidated(
    strict: Any, server: TestServer
) -> None:
    server.reply(Reply(201, {"id": "t1"}))
    with strict.Client(base_url=server.url) as client:
        client.things.create(name="n", extra_body={"beta_flag": True, "name": "renamed"})
    assert server.requests[0].json() == {"name": "renamed", "beta_flag": True}


def test_an_optional_body_is_left_out_when_no_field_is_given(
    strict: Any, server: TestServer
) -> None:
    server.reply(Reply(204), Reply(204), Reply(204))
    with strict.Client(base_url=server.url) as client:
        client.things.update("t1")
        client.things.update("t1", extra_body={"beta": 1})
        client.things.update("t1", name="n")
    assert [r.body for r in server.requests] == [b"", b'{"beta":1}', b'{"name":"n"}']


def test_a_sent_model_keeps_its_defaults_and_sends_only_what_was_set(
    strict: Any, server: TestServer
) -> None:
    assert strict.models.NewThing(name="n").time_zone_offset == "+0"
    server.reply(Reply(201, {"id": "t1"}))
    with strict.Client(base_url=server.url) as client:
        client.things.create(name="n")
    assert server.requests[0].json() == {"name": "n"}


def test_a_received_model_reports_no_default_the_server_did_not_send(
    strict: Any, server: TestServer
) -> None:
    server.reply(Reply(201, {"id": "t1", "config": {}}))
    with strict.Client(base_url=server.url) as client:
        thing = client.things.create(name="n")
    assert thing.connection_type is None
    assert thing.config.port is None  # Config is sent and received: no default either
    assert thing.model_fields_set == {"id", "config"}


def test_a_model_sent_and_received_keeps_unknown_fields_to_send_them_back(
    strict: Any, server: TestServer
) -> None:
    server.reply(Reply(201, {"id": "t1", "config": {"port": 1, "added_later": True}}),
                 Reply(201, {"id": "t2"}))
    with strict.Client(base_url=server.url) as client:
        thing = client.things.create(name="n")
        client.things.create(name="copy", config=thing.config)
    assert server.requests[1].json() == {"name": "copy",
                                         "config": {"port": 1, "added_later": True}}


def test_an_optional_envelope_payload_is_optional_whatever_its_name(strict: Any) -> None:
    hints = strict.resources.things.get_wrapped.__annotations__
    assert hints["return"].replace(" ", "") == "models.NoneLeft|None"


def test_the_bundled_fivetran_client_is_strict_on_requests_and_honest_on_responses(
    server: TestServer
) -> None:
    fivetran = import_generated("fivetran_client")
    with pytest.raises(pydantic.ValidationError, match="time_zone_ofset"):
        fivetran.models.AdlsNewDestinationRequest(
            group_id="g", service="adls", config={}, time_zone_ofset="+3")
    server.reply(Reply(200, {"code": "Success", "data": {
        "id": "d1", "service": "adls", "config": {"host": "h"}}}))
    with fivetran.Fivetran(api_key="k", api_secret="s", base_url=server.url) as client:
        with pytest.raises(TypeError, match="time_zone_ofset"):
            client.destinations.create(group_id="g", service="adls", config={},
                                       time_zone_ofset="+3")
        with pytest.raises(pydantic.ValidationError, match="port"):
            client.destinations.create(group_id="g", service="adls", config={"port": "many"})
        destination = client.destinations.get(destination_id="d1")
    assert len(server.requests) == 1  # only the get went out
    assert destination.config is not None
    assert destination.config.connection_type is None  # the spec's default is "Directly"


def test_an_update_config_is_typed_only_by_the_service_the_caller_names(
    server: TestServer
) -> None:
    fivetran = import_generated("fivetran_client")
    models = fivetran.models
    # a mapping stays a mapping: it never turns into whichever typed config accepts it
    assert models.UpdateDestinationRequest.model_validate(
        {"config": {"host": "h"}}).root.config == {"host": "h"}
    typed = models.AdlsUpdateDestinationRequest(config=models.AdlsDestinationConfig(port=1))
    assert type(models.UpdateDestinationRequest.model_validate(typed).root) is type(typed)
    destination = {"code": "Success", "data": {"id": "d1", "service": "adls"}}
    server.reply(Reply(200, destination), Reply(200, destination))
    with fivetran.Fivetran(api_key="k", api_secret="s", base_url=server.url) as client:
        client.destinations.update("d1", config={"host": "h"})
        client.destinations.update("d1", config=typed.config)
    assert [r.json() for r in server.requests] == [{"config": {"host": "h"}},
                                                   {"config": {"port": 1}}]


def test_a_received_const_keeps_its_value_and_still_tags_its_union(generate: Any) -> None:
    pets = generate({
        "openapi": "3.1.0", "info": {"title": "Pets", "version": "1"},
        "paths": {"/pet": {"get": {"operationId": "get_pet", "responses": {
            "200": _json({"$ref": S + "Pet"})}}}},
        "components": {"schemas": {
            "Pet": {"oneOf": [{"$ref": S + "Cat"}, {"$ref": S + "Dog"}],
                    "discriminator": {"propertyName": "kind"}},
            "Cat": {"type": "object", "properties": {"kind": {"const": "Cat"},
                                                     "lives": {"type": "integer"}}},
            "Dog": {"type": "object", "properties": {"kind": {"const": "Dog"}}}}},
    })
    assert type(pets.models.Pet.model_validate({"kind": "Cat", "lives": 9}).root) \
        is pets.models.Cat


def test_a_union_body_takes_the_members_fields_and_returns_the_matching_member(
    server: TestServer
) -> None:
    fivetran = import_generated("fivetran_client")
    server.reply(Reply(201, {"code": "Created", "data": {
        "id": "d1", "service": "adls", "config": {"port": 1}}}))
    with fivetran.Fivetran(api_key="k", api_secret="s", base_url=server.url) as client:
        destination = client.destinations.create(
            group_id="g", service="adls", config={"port": 1}, extra_body={"beta": True})
    assert server.requests[0].json() == {"group_id": "g", "service": "adls",
                                         "config": {"port": 1}, "beta": True}
    assert type(destination) is fivetran.models.AdlsDestination
