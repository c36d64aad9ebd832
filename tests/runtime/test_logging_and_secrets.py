"""The client logs each attempt through the standard `logging` module, under the package's
name, and never shows a credential: not in logs, not in errors, not in reprs."""

from __future__ import annotations

import logging
import re

import pytest

from tests.http_server import Reply, TestServer, refused_url
from tests.runtime.conftest import FIVETRAN, STITCH, ApiCase


def _records(caplog: pytest.LogCaptureFixture, api: ApiCase) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == api.package.__name__]


def test_each_attempt_is_logged_at_debug_with_method_url_status_attempt_and_time(
    api: ApiCase, server: TestServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger=api.package.__name__)
    server.reply(Reply(200, api.get_reply))
    with api.client(server) as client:
        api.get(client)
    (record,) = _records(caplog, api)
    assert record.levelno == logging.DEBUG
    message = record.getMessage()
    assert message.startswith(f"GET {server.url}{api.get_path} -> 200 OK (attempt 1 of 3, ")
    assert re.search(r", \d+\.\d{3} s\)$", message)


def test_retries_are_logged_at_info_with_the_delay(
    api: ApiCase, server: TestServer, caplog: pytest.LogCaptureFixture, sleeps: list[float]
) -> None:
    caplog.set_level(logging.DEBUG, logger=api.package.__name__)
    server.reply(Reply(503, api.error_body, headers={"Retry-After": "2"}),
                 Reply(200, api.get_reply))
    with api.client(server) as client:
        api.get(client)
    messages = [(r.levelno, r.getMessage()) for r in _records(caplog, api)]
    assert [level for level, _ in messages] == [logging.DEBUG, logging.INFO, logging.DEBUG]
    assert messages[0][1].split(" -> ")[1].startswith("503 Service Unavailable (attempt 1 of 3")
    assert messages[1][1] == (f"Retrying GET {server.url}{api.get_path} in 2.00 s after "
                              "503 Service Unavailable (retry 1 of 2)")
    assert "(attempt 2 of 3" in messages[2][1]


def test_nothing_is_logged_above_debug_for_a_plain_success(
    api: ApiCase, server: TestServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=api.package.__name__)
    server.reply(Reply(200, api.get_reply))
    with api.client(server) as client:
        api.get(client)
    assert _records(caplog, api) == []


def test_logs_and_errors_never_show_credentials(
    api: ApiCase, server: TestServer, caplog: pytest.LogCaptureFixture, sleeps: list[float]
) -> None:
    caplog.set_level(logging.DEBUG)
    leaked = " ".join(api.secrets) + " " + api.authorization

    def echo(request: object) -> Reply:  # a careless server that echoes what it got
        return Reply(401, {"code": "Unauthorized", "message": f"bad credentials: {leaked}"})

    server.reply(Reply(503, {"code": "busy", "message": leaked}), echo)
    with api.client(server) as client, pytest.raises(api.package.AuthenticationError) as raised:
        api.get(client)
    shown = " ".join([str(raised.value), repr(raised.value), raised.value.message,
                      caplog.text, repr(client)])
    for secret in api.secrets:
        assert secret not in shown
    assert api.authorization.split()[-1] not in shown
    assert "<redacted>" in str(raised.value)


def test_connection_errors_never_show_credentials(
    api: ApiCase, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger=api.package.__name__)
    with api.client(base_url=refused_url(), max_retries=0) as client, \
            pytest.raises(api.package.APIConnectionError) as raised:
        api.get(client)
    for secret in api.secrets:
        assert secret not in str(raised.value) + caplog.text


def test_client_repr_shows_options_but_no_credentials(api: ApiCase) -> None:
    with api.client(base_url="https://example.test") as client:
        shown = repr(client)
    assert shown.startswith(f"{type(client).__name__}(base_url='https://example.test/'")
    assert "max_retries=2" in shown
    for secret in api.secrets:
        assert secret not in shown
    assert "<redacted>" in shown


def test_client_and_auth_attributes_hold_credentials_only_masked(api: ApiCase) -> None:
    with api.client() as client:
        shown = repr(vars(client)) + repr(vars(client._auth))
    for secret in api.secrets:
        assert secret not in shown


def test_secret_fields_of_models_are_masked_in_repr_and_str() -> None:
    config = FIVETRAN.models.ConfluentCloudWhDestinationConfig.model_validate(
        {"sasl_plain_key": "key-value-1", "sasl_plain_secret": "secret-value-2"})
    properties = STITCH.models.PostgresDestinationProperties.model_validate(
        {"database": "db", "encryption_type": "none", "host": "h", "password": "pw-value-3",
         "port": "5432", "ssl": "false", "username": "u"})
    shown = repr(config) + str(config) + repr(properties) + str(properties)
    for secret in ("secret-value-2", "pw-value-3"):
        assert secret not in shown


def test_secret_fields_are_sent_in_clear_on_the_wire(server: TestServer) -> None:
    properties = {"database": "db", "encryption_type": "none", "host": "h",
                  "password": "pw-value-3", "port": "5432", "ssl": "false", "username": "u"}
    # a model holding the password as a SecretStr, as a user builds it
    typed = STITCH.models.PostgresDestinationProperties.model_validate(properties)
    server.reply(Reply(400, {"code": "Invalid", "message": "not this time"}))
    with STITCH.Stitch(access_token="t-123456", base_url=server.url) as client, \
            pytest.raises(STITCH.BadRequestError):
        client.destinations.create(type_="postgres", name="n", properties=typed)
    assert server.requests[0].json()["properties"]["password"] == "pw-value-3"


def test_validation_errors_name_the_problem_but_not_the_values(server: TestServer) -> None:
    server.reply(Reply(200, {"code": "Success", "message": "", "data": {
        "id": {"leaked": "value-that-may-be-secret"}, "service": "snowflake"}}))
    with FIVETRAN.Fivetran(api_key="k-123456", api_secret="s-123456", base_url=server.url) \
            as client, pytest.raises(FIVETRAN.APIResponseValidationError) as raised:
        client.destinations.get(destination_id="d")
    assert "id" in str(raised.value)
    assert "value-that-may-be-secret" not in str(raised.value)
