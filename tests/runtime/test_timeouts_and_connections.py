"""Timeouts and connection failures become APITimeoutError and APIConnectionError."""

from __future__ import annotations

import httpx
import pytest

from tests.http_server import Reply, TestServer, refused_url
from tests.runtime.conftest import ApiCase, call_async

SLOW = 1.0  # the server's delay in the timeout tests; the client gives up long before


def test_default_timeout_is_sixty_seconds_and_five_to_connect(api: ApiCase) -> None:
    assert api.package.DEFAULT_TIMEOUT == httpx.Timeout(60.0, connect=5.0)
    with api.client() as client:
        assert client.timeout == api.package.DEFAULT_TIMEOUT


def test_slow_response_raises_api_timeout_error(api: ApiCase, server: TestServer) -> None:
    server.reply(Reply(200, api.get_reply, delay=SLOW))
    with api.client(server, timeout=0.05, max_retries=0) as client, \
            pytest.raises(api.package.APITimeoutError) as raised:
        api.get(client)
    assert isinstance(raised.value.__cause__, httpx.ReadTimeout)
    assert raised.value.request.url.path == api.get_path


def test_per_call_timeout_overrides_the_clients(api: ApiCase, server: TestServer) -> None:
    server.reply(Reply(200, api.get_reply, delay=SLOW))
    with api.client(server, max_retries=0) as client, \
            pytest.raises(api.package.APITimeoutError):
        api.get(client.with_options(timeout=0.05))


def test_timeout_argument_of_a_method_applies_to_that_call(
    server: TestServer,
) -> None:
    from tests.runtime.conftest import FIVETRAN_CASE as api

    server.reply(Reply(200, api.get_reply, delay=SLOW))
    with api.client(server, max_retries=0) as client, \
            pytest.raises(api.package.APITimeoutError):
        client.destinations.get(destination_id="dest_1", timeout=httpx.Timeout(0.05))


def test_get_is_retried_after_a_timeout(
    api: ApiCase, server: TestServer, sleeps: list[float]
) -> None:
    server.reply(Reply(200, api.get_reply, delay=SLOW), Reply(200, api.get_reply))
    with api.client(server, timeout=0.05) as client:
        api.check_get(api.get(client))
    assert len(sleeps) == 1


def test_post_is_not_retried_after_a_read_timeout(
    api: ApiCase, server: TestServer, sleeps: list[float]
) -> None:
    server.reply(Reply(201, api.create_reply, delay=SLOW), Reply(201, api.create_reply))
    with api.client(server, timeout=0.05) as client, \
            pytest.raises(api.package.APITimeoutError):
        api.create(client)
    assert len(server.requests) == 1
    assert sleeps == []


def test_async_slow_response_raises_api_timeout_error(api: ApiCase, server: TestServer) -> None:
    server.reply(Reply(200, api.get_reply, delay=SLOW))
    with pytest.raises(api.package.APITimeoutError):
        call_async(api, server, api.get, timeout=0.05, max_retries=0)


def test_refused_connection_raises_api_connection_error(api: ApiCase) -> None:
    with api.client(base_url=refused_url(), max_retries=0) as client, \
            pytest.raises(api.package.APIConnectionError) as raised:
        api.get(client)
    assert type(raised.value) is api.package.APIConnectionError
    assert isinstance(raised.value.__cause__, httpx.ConnectError)
    assert str(raised.value).startswith("Connection error")


def test_refused_connection_is_retried(api: ApiCase, sleeps: list[float]) -> None:
    with api.client(base_url=refused_url()) as client, \
            pytest.raises(api.package.APIConnectionError):
        api.get(client)
    assert len(sleeps) == 2


def test_async_refused_connection_raises_api_connection_error(api: ApiCase) -> None:
    async def main() -> None:
        async with api.async_client(base_url=refused_url(), max_retries=0) as client:
            await api.get(client)

    import asyncio

    with pytest.raises(api.package.APIConnectionError):
        asyncio.run(main())
