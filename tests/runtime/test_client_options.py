"""The client's options: base URL, default headers, your own httpx client, closing, copies."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from tests.http_server import Reply, TestServer
from tests.runtime.conftest import FIVETRAN, STITCH, ApiCase


def test_base_url_argument_is_used(api: ApiCase, server: TestServer) -> None:
    server.reply(Reply(200, api.get_reply))
    with api.client(base_url=server.url + "/proxy/") as client:
        api.get(client)
    assert server.requests[0].path == "/proxy" + api.get_path


@pytest.mark.parametrize("suffix", ["?key=1", "#part"])
def test_a_base_url_with_a_query_or_fragment_is_refused(api: ApiCase, suffix: str) -> None:
    with pytest.raises(ValueError, match="query or fragment"):
        api.client(base_url="https://api.example.com/v1" + suffix)
    with api.client() as client, pytest.raises(ValueError, match="query or fragment"):
        client.with_options(base_url="https://api.example.com/v1" + suffix)


def test_base_url_falls_back_to_the_environment(
    api: ApiCase, server: TestServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(api.package.ENVIRONMENT_VARIABLES["base_url"], server.url)
    server.reply(Reply(200, api.get_reply))
    with api.client() as client:
        api.get(client)
    assert server.requests[0].path == api.get_path


def test_base_url_defaults_to_the_specs_server(api: ApiCase) -> None:
    with api.client() as client:
        assert str(client.base_url) == api.package.BASE_URL + "/"
    assert api.package.BASE_URL.startswith("https://")


def test_fivetran_sends_the_specs_default_accept_header(server: TestServer) -> None:
    server.reply(Reply(200, {"code": "Success", "message": "", "data": {"id": "d"}}))
    with FIVETRAN.Fivetran(api_key="k-123456", api_secret="s-123456", base_url=server.url) \
            as client:
        client.destinations.get(destination_id="d")
    assert server.requests[0].headers["accept"] == "application/json;version=2"


def test_default_headers_are_sent_and_override_the_specs(server: TestServer) -> None:
    server.reply(Reply(200, {"code": "Success", "message": "", "data": {"id": "d"}}))
    with FIVETRAN.Fivetran(api_key="k-123456", api_secret="s-123456", base_url=server.url,
                           default_headers={"Accept": "application/json;version=3",
                                            "X-Team": "data"}) as client:
        client.destinations.get(destination_id="d")
    assert server.requests[0].headers["accept"] == "application/json;version=3"
    assert server.requests[0].headers["x-team"] == "data"


def test_with_options_adds_default_headers_to_the_copy_only(
    api: ApiCase, server: TestServer
) -> None:
    server.reply(Reply(200, api.get_reply), Reply(200, api.get_reply))
    with api.client(server, default_headers={"X-Team": "data"}) as client:
        api.get(client.with_options(default_headers={"X-Trace": "1"}))
        api.get(client)
    first, second = server.requests
    assert (first.headers["x-team"], first.headers["x-trace"]) == ("data", "1")
    assert "x-trace" not in second.headers


def test_extra_headers_and_extra_query_apply_to_one_call(server: TestServer) -> None:
    server.reply(Reply(200, {"code": "Success", "message": "", "data": {"id": "d"}}))
    with FIVETRAN.Fivetran(api_key="k-123456", api_secret="s-123456", base_url=server.url) \
            as client:
        client.destinations.get(destination_id="d", extra_headers={"X-Trace": "1"},
                                extra_query={"debug": "true"})
    assert server.requests[0].headers["x-trace"] == "1"
    assert server.requests[0].query == {"debug": ["true"]}


def test_user_agent_names_the_distribution_and_version(api: ApiCase, server: TestServer) -> None:
    server.reply(Reply(200, api.get_reply))
    with api.client(server) as client:
        api.get(client)
    distribution = api.package.__name__.replace("_", "-")
    assert server.requests[0].headers["user-agent"] == \
        f"{distribution}/{api.package.__version__} (python-httpx)"


def test_user_supplied_http_client_is_used_and_left_open(
    api: ApiCase, server: TestServer
) -> None:
    seen: list[str] = []
    http = httpx.Client(event_hooks={"request": [lambda request: seen.append(request.url.path)]})
    server.reply(Reply(200, api.get_reply))
    with api.client(server, http_client=http) as client:
        api.get(client)
    assert seen == [api.get_path]
    assert not http.is_closed
    http.close()


def test_user_supplied_async_http_client_is_used(api: ApiCase, server: TestServer) -> None:
    seen: list[str] = []

    async def hook(request: httpx.Request) -> None:
        seen.append(request.url.path)

    async def main() -> None:
        http = httpx.AsyncClient(event_hooks={"request": [hook]})
        async with api.async_client(server, http_client=http) as client:
            await api.get(client)
        assert not http.is_closed
        await http.aclose()

    server.reply(Reply(200, api.get_reply))
    asyncio.run(main())
    assert seen == [api.get_path]


def test_context_manager_closes_the_clients_own_connection_pool(api: ApiCase) -> None:
    with api.client() as client:
        assert not client.is_closed
    assert client.is_closed


def test_close_closes_the_connection_pool(api: ApiCase) -> None:
    client = api.client()
    client.close()
    assert client.is_closed


def test_async_context_manager_closes_the_connection_pool(api: ApiCase) -> None:
    async def main() -> bool:
        async with api.async_client() as client:
            pass
        return bool(client.is_closed)

    assert asyncio.run(main())


def test_with_options_returns_a_copy_and_leaves_the_client_alone(api: ApiCase) -> None:
    with api.client(max_retries=5) as client:
        copy = client.with_options(max_retries=0, timeout=3.0)
        assert (copy.max_retries, copy.timeout) == (0, 3.0)
        assert (client.max_retries, client.timeout) == (5, api.package.DEFAULT_TIMEOUT)
        assert type(copy) is type(client)
        copy.close()  # a copy shares the pool and does not close it
        assert not client.is_closed


def test_with_options_copy_binds_its_resources_to_itself(api: ApiCase) -> None:
    resource_type = api.package._base_client.SyncAPIResource
    with api.client() as client:
        copy = client.with_options(max_retries=0)
        resources = [v for v in vars(copy).values() if isinstance(v, resource_type)]
        assert resources
        assert all(resource._client is copy for resource in resources)


@pytest.mark.parametrize(("package", "name"), [(FIVETRAN, "Fivetran"), (STITCH, "Stitch")],
                         ids=["fivetran", "stitch"])
def test_client_aliases_name_the_api_classes(package: Any, name: str) -> None:
    assert package.Client is getattr(package, name)
    assert package.AsyncClient is getattr(package, "Async" + name)


# Fivetran's official spec pins the API version per operation with an `Accept` header
# parameter whose default is `application/json;version=2` (OpenAPI ignores header parameters
# named Accept, so clientgen takes their default as the operation's header).
VERSIONED_ACCEPT_SPEC: dict[str, Any] = {
    "openapi": "3.0.1",
    "info": {"title": "OpenAPI Definition", "version": "v1"},
    "servers": [{"url": "https://api.fivetran.com"}],
    "paths": {"/v1/connectors/{id}": {"get": {
        "operationId": "connector_details", "tags": ["Connector Management"],
        "parameters": [
            {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
            {"name": "Accept", "in": "header", "schema": {
                "type": "string", "example": "application/json;version=2",
                "default": "application/json;version=2"}}],
        "responses": {"200": {"description": "OK", "content": {"application/json": {
            "schema": {"type": "object"}}}}}}}},
}


def test_an_operations_accept_default_is_sent_below_the_callers_headers(
    generate: Any, server: TestServer
) -> None:
    package = generate(VERSIONED_ACCEPT_SPEC)
    server.reply(Reply(200, {}), Reply(200, {}), Reply(200, {}))
    with package.Fivetran(base_url=server.url) as client:
        client.connector_management.details(id_="c1")
        client.with_options(default_headers={"accept": "application/json"}) \
            .connector_management.details(id_="c1")
        client.connector_management.details(id_="c1", extra_headers={"Accept": "text/csv"})
    assert [r.headers["accept"] for r in server.requests] == [
        "application/json;version=2", "application/json", "text/csv"]
