"""Credentials come from the spec's security scheme: arguments first, then the environment."""

from __future__ import annotations

from typing import Any

import pytest

from tests.http_server import Reply, TestServer
from tests.runtime.conftest import FIVETRAN, STITCH, ApiCase, call_async

OK = {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}}


def _api_key_spec(location: str) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Keyed API", "version": "1"},
        "security": [{"key": []}],
        "components": {"securitySchemes": {
            "key": {"type": "apiKey", "in": location, "name": "X-Api-Key" if location == "header"
                    else "api_key"}}},
        "paths": {
            "/things": {"get": {"operationId": "listThings", "tags": ["things"],
                                "responses": {"200": OK}}},
            "/health": {"get": {"operationId": "health", "tags": ["things"], "security": [],
                                "responses": {"200": OK}}},
        },
    }


def test_fivetran_sends_api_key_and_secret_as_http_basic_auth(server: TestServer) -> None:
    server.reply(Reply(200, {"code": "Success", "message": "", "data": {"id": "d"}}))
    with FIVETRAN.Fivetran(api_key="key", api_secret="secret", base_url=server.url) as client:
        client.destinations.get(destination_id="d")
    assert server.requests[0].headers["authorization"] == "Basic a2V5OnNlY3JldA=="


def test_stitch_sends_access_token_as_bearer_token(server: TestServer) -> None:
    server.reply(Reply(200, []))
    with STITCH.Stitch(access_token="token-123", base_url=server.url) as client:
        client.destinations.list()
    assert server.requests[0].headers["authorization"] == "Bearer token-123"


def test_credentials_fall_back_to_environment_variables(
    api: ApiCase, server: TestServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in api.env.items():
        monkeypatch.setenv(name, value)
    server.reply(Reply(200, api.get_reply))
    with api.package.Client(base_url=server.url) as client:
        api.get(client)
    assert server.requests[0].headers["authorization"] == api.authorization


def test_arguments_win_over_environment_variables(
    api: ApiCase, server: TestServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in api.env:
        monkeypatch.setenv(name, "from-the-environment")
    server.reply(Reply(200, api.get_reply))
    with api.client(server) as client:
        api.get(client)
    assert server.requests[0].headers["authorization"] == api.authorization


def test_environment_variable_names_derive_from_the_api_name(api: ApiCase) -> None:
    assert api.package.ENVIRONMENT_VARIABLES == {
        **{argument: env for argument, env in zip(api.credentials, api.env, strict=True)},
        "base_url": f"{api.name.upper()}_BASE_URL",
    }


def test_readme_documents_the_environment_variables(api: ApiCase) -> None:
    from tests.conftest import GENERATED

    readme = (GENERATED / api.package.__name__ / "README.md").read_text()
    for argument, env_var in api.package.ENVIRONMENT_VARIABLES.items():
        assert f"`{env_var}`" in readme, (argument, env_var)


@pytest.mark.parametrize("async_client", [False, True], ids=["sync", "async"])
def test_missing_credential_fails_at_construction_naming_argument_and_variable(
    api: ApiCase, async_client: bool
) -> None:
    client_class = api.package.AsyncClient if async_client else api.package.Client
    missing = next(iter(api.credentials))
    given = {k: v for k, v in api.credentials.items() if k != missing}
    with pytest.raises(api.package.MissingCredentialsError) as raised:
        client_class(**given, base_url="http://127.0.0.1:1")
    assert missing in str(raised.value)
    assert api.package.ENVIRONMENT_VARIABLES[missing] in str(raised.value)


def test_an_empty_credential_is_a_value_not_a_missing_one(server: TestServer) -> None:
    server.reply(Reply(200, {"code": "Success", "message": "", "data": {"id": "d"}}))
    with FIVETRAN.Fivetran(api_key="key", api_secret="", base_url=server.url) as client:
        client.destinations.get(destination_id="d")
    assert server.requests[0].headers["authorization"] == "Basic a2V5Og=="  # key:


def test_async_client_sends_the_same_credentials(api: ApiCase, server: TestServer) -> None:
    server.reply(Reply(200, api.get_reply))
    call_async(api, server, api.get)
    assert server.requests[0].headers["authorization"] == api.authorization


def test_api_key_in_a_header(generate_once: Any, server: TestServer) -> None:
    keyed = generate_once(_api_key_spec("header"), "runtime_header_key_client")
    server.reply(Reply(200, {}))
    with keyed.Client(api_key="k-123456", base_url=server.url) as client:
        client.things.list()
    assert server.requests[0].headers["x-api-key"] == "k-123456"
    assert "authorization" not in server.requests[0].headers


def test_api_key_in_the_query_string(generate_once: Any, server: TestServer) -> None:
    keyed = generate_once(_api_key_spec("query"), "runtime_query_key_client")
    server.reply(Reply(200, {}))
    with keyed.Client(api_key="k-123456", base_url=server.url) as client:
        client.things.list(extra_query={"page": 2, "q": "a b"})
    assert server.requests[0].query == {"page": ["2"], "q": ["a b"], "api_key": ["k-123456"]}
    # the key is appended to the query the client wrote, which is not written anew
    assert server.requests[0].raw_query == "page=2&q=a%20b&api_key=k-123456"


def test_operation_marked_open_sends_no_credentials(generate_once: Any, server: TestServer) -> None:
    keyed = generate_once(_api_key_spec("header"), "runtime_header_key_client")
    server.reply(Reply(200, {}))
    with keyed.Client(api_key="k-123456", base_url=server.url) as client:
        client.things.health()
    assert "x-api-key" not in server.requests[0].headers
