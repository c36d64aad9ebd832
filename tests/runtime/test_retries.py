"""Retries: which failures are retried, how often, how long the client waits (on a fake clock),
and that a create is never sent twice when the server may have acted on it."""

from __future__ import annotations

import email.utils

import pytest

from tests.http_server import Reply, TestServer, refused_url
from tests.runtime.conftest import ApiCase, call_async

RETRIED_STATUSES = [408, 429, 500, 502, 503, 504]


@pytest.mark.parametrize("status", RETRIED_STATUSES)
def test_get_is_retried_after_a_retryable_status(
    api: ApiCase, server: TestServer, sleeps: list[float], status: int
) -> None:
    server.reply(Reply(status, api.error_body), Reply(200, api.get_reply))
    with api.client(server) as client:
        api.check_get(api.get(client))
    assert len(server.requests) == 2
    assert len(sleeps) == 1


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422])
def test_client_errors_are_not_retried(
    api: ApiCase, server: TestServer, sleeps: list[float], status: int
) -> None:
    server.reply(Reply(status, api.error_body), Reply(200, api.get_reply))
    with api.client(server) as client, pytest.raises(api.package.APIStatusError):
        api.get(client)
    assert len(server.requests) == 1
    assert sleeps == []


def test_default_is_two_retries_then_the_error(
    api: ApiCase, server: TestServer, sleeps: list[float]
) -> None:
    server.default = Reply(503, api.error_body)
    with api.client(server) as client, pytest.raises(api.package.InternalServerError):
        api.get(client)
    assert api.package.DEFAULT_MAX_RETRIES == 2
    assert len(server.requests) == 3
    assert len(sleeps) == 2


def test_max_retries_sets_the_number_of_retries(
    api: ApiCase, server: TestServer, sleeps: list[float]
) -> None:
    server.default = Reply(500, api.error_body)
    with api.client(server, max_retries=4) as client, \
            pytest.raises(api.package.InternalServerError):
        api.get(client)
    assert len(server.requests) == 5


def test_with_options_max_retries_zero_disables_retries_for_that_call(
    api: ApiCase, server: TestServer, sleeps: list[float]
) -> None:
    server.default = Reply(503, api.error_body)
    with api.client(server) as client:
        with pytest.raises(api.package.InternalServerError):
            api.get(client.with_options(max_retries=0))
        assert len(server.requests) == 1
        with pytest.raises(api.package.InternalServerError):
            api.get(client)  # the client itself keeps its retries
    assert len(server.requests) == 1 + 3


def test_backoff_starts_at_half_a_second_and_doubles_with_up_to_a_quarter_of_jitter(
    api: ApiCase, server: TestServer, sleeps: list[float]
) -> None:
    server.default = Reply(500, api.error_body)
    with api.client(server, max_retries=3) as client, \
            pytest.raises(api.package.InternalServerError):
        api.get(client)
    first, second, third = sleeps
    assert 0.375 <= first <= 0.5
    assert 0.75 <= second <= 1.0
    assert 1.5 <= third <= 2.0


def test_backoff_is_capped_at_eight_seconds(
    api: ApiCase, server: TestServer, sleeps: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(api.package._base_client.random, "random", lambda: 0.0)  # no jitter
    server.default = Reply(500, api.error_body)
    with api.client(server, max_retries=6) as client, \
            pytest.raises(api.package.InternalServerError):
        api.get(client)
    assert sleeps == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]


def test_retry_after_in_seconds_is_waited(
    api: ApiCase, server: TestServer, sleeps: list[float]
) -> None:
    server.reply(Reply(429, api.error_body, headers={"Retry-After": "7"}),
                 Reply(200, api.get_reply))
    with api.client(server) as client:
        api.get(client)
    assert sleeps == [7.0]


def test_retry_after_as_an_http_date_is_waited(
    api: ApiCase, server: TestServer, sleeps: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    now = 1_700_000_000.0
    monkeypatch.setattr(api.package._base_client, "_now", lambda: now)
    retry_at = email.utils.formatdate(now + 12, usegmt=True)
    server.reply(Reply(503, api.error_body, headers={"Retry-After": retry_at}),
                 Reply(200, api.get_reply))
    with api.client(server) as client:
        api.get(client)
    assert sleeps == [12.0]


def test_retry_after_in_the_past_retries_at_once(
    api: ApiCase, server: TestServer, sleeps: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    now = 1_700_000_000.0
    monkeypatch.setattr(api.package._base_client, "_now", lambda: now)
    server.reply(Reply(503, api.error_body,
                       headers={"Retry-After": email.utils.formatdate(now - 30, usegmt=True)}),
                 Reply(200, api.get_reply))
    with api.client(server) as client:
        api.get(client)
    assert sleeps == [0.0]


def test_retry_after_ms_is_waited(api: ApiCase, server: TestServer, sleeps: list[float]) -> None:
    server.reply(Reply(429, api.error_body, headers={"retry-after-ms": "1500"}),
                 Reply(200, api.get_reply))
    with api.client(server) as client:
        api.get(client)
    assert sleeps == [1.5]


def test_unreadable_retry_after_falls_back_to_backoff(
    api: ApiCase, server: TestServer, sleeps: list[float]
) -> None:
    server.reply(Reply(429, api.error_body, headers={"Retry-After": "soon"}),
                 Reply(200, api.get_reply))
    with api.client(server) as client:
        api.get(client)
    assert 0.375 <= sleeps[0] <= 0.5


# Values no server means: each is read as if the header were absent (backoff), never raised.
UNREADABLE_RETRY_AFTER = [
    pytest.param({"Retry-After": "Fri, 01 Jan 10000 00:00:00 GMT"}, id="year-10000"),
    pytest.param({"Retry-After": "Fri, 31 Dec 9999 23:59:59 GMT"}, id="year-9999"),
    pytest.param({"Retry-After": "-5"}, id="negative"),
    pytest.param({"Retry-After": "1e20"}, id="absurdly-large"),
    pytest.param({"Retry-After": "nan"}, id="nan"),
    pytest.param({"Retry-After": "inf"}, id="inf"),
    pytest.param({"retry-after-ms": "nan"}, id="ms-nan"),
    pytest.param({"retry-after-ms": "-1500"}, id="ms-negative"),
    pytest.param({"retry-after-ms": "1e30"}, id="ms-absurdly-large"),
]


@pytest.mark.parametrize("headers", UNREADABLE_RETRY_AFTER)
def test_out_of_range_retry_after_is_treated_as_absent(
    api: ApiCase, server: TestServer, sleeps: list[float], headers: dict[str, str]
) -> None:
    server.reply(Reply(429, api.error_body, headers=headers), Reply(200, api.get_reply))
    with api.client(server) as client:
        api.check_get(api.get(client))
    assert len(sleeps) == 1 and 0.375 <= sleeps[0] <= 0.5
    assert len(server.requests) == 2


@pytest.mark.parametrize("headers", UNREADABLE_RETRY_AFTER)
def test_async_out_of_range_retry_after_is_treated_as_absent(
    api: ApiCase, server: TestServer, sleeps: list[float], headers: dict[str, str]
) -> None:
    server.reply(Reply(503, api.error_body, headers=headers), Reply(200, api.get_reply))
    api.check_get(call_async(api, server, api.get))
    assert len(sleeps) == 1 and 0.375 <= sleeps[0] <= 0.5


def test_unreadable_retry_after_ms_falls_back_to_retry_after(
    api: ApiCase, server: TestServer, sleeps: list[float]
) -> None:
    server.reply(Reply(429, api.error_body, headers={"retry-after-ms": "inf", "Retry-After": "3"}),
                 Reply(200, api.get_reply))
    with api.client(server) as client:
        api.get(client)
    assert sleeps == [3.0]


def test_retry_after_longer_than_the_cap_is_not_waited_out(
    api: ApiCase, server: TestServer, sleeps: list[float]
) -> None:
    server.reply(Reply(429, api.error_body, headers={"Retry-After": "3600"}),
                 Reply(200, api.get_reply))
    with api.client(server) as client, pytest.raises(api.package.RateLimitError) as raised:
        api.get(client)
    assert sleeps == []
    assert len(server.requests) == 1
    assert raised.value.response.headers["retry-after"] == "3600"


def test_retry_after_up_to_the_cap_is_waited(
    api: ApiCase, server: TestServer, sleeps: list[float]
) -> None:
    server.reply(Reply(429, api.error_body, headers={"Retry-After": "60"}),
                 Reply(200, api.get_reply))
    with api.client(server) as client:
        api.get(client)
    assert sleeps == [60.0]


@pytest.mark.parametrize("status", [408, 500, 502, 504])
def test_post_is_not_retried_after_a_status_where_the_server_may_have_acted(
    api: ApiCase, server: TestServer, sleeps: list[float], status: int
) -> None:
    server.reply(Reply(status, api.error_body), Reply(201, api.create_reply))
    with api.client(server) as client, pytest.raises(api.package.APIStatusError) as raised:
        api.create(client)
    assert raised.value.status_code == status
    assert [r.method for r in server.requests] == ["POST"]
    assert sleeps == []


@pytest.mark.parametrize("status", [429, 503])
def test_post_is_retried_when_the_server_says_it_did_not_act(
    api: ApiCase, server: TestServer, sleeps: list[float], status: int
) -> None:
    server.reply(Reply(status, api.error_body), Reply(201, api.create_reply))
    with api.client(server) as client:
        api.create(client)
    assert [r.method for r in server.requests] == ["POST", "POST"]
    assert server.requests[0].body == server.requests[1].body


def test_post_is_not_retried_when_the_connection_drops_after_sending(
    api: ApiCase, server: TestServer, sleeps: list[float]
) -> None:
    server.reply(Reply(disconnect=True), Reply(201, api.create_reply))
    with api.client(server) as client, pytest.raises(api.package.APIConnectionError):
        api.create(client)
    assert [r.method for r in server.requests] == ["POST"]


def test_get_is_retried_when_the_connection_drops(
    api: ApiCase, server: TestServer, sleeps: list[float]
) -> None:
    server.reply(Reply(disconnect=True), Reply(200, api.get_reply))
    with api.client(server) as client:
        api.check_get(api.get(client))
    assert len(server.requests) == 2


def test_post_is_retried_when_the_connection_is_refused(
    api: ApiCase, sleeps: list[float]
) -> None:
    with api.client(base_url=refused_url()) as client, \
            pytest.raises(api.package.APIConnectionError) as raised:
        api.create(client)
    assert not isinstance(raised.value, api.package.APITimeoutError)
    assert len(sleeps) == 2  # the request never reached a server: safe to try again


def test_async_client_retries_like_the_sync_client(
    api: ApiCase, server: TestServer, sleeps: list[float]
) -> None:
    server.reply(Reply(503, api.error_body), Reply(502, api.error_body),
                 Reply(200, api.get_reply))
    api.check_get(call_async(api, server, api.get))
    assert len(server.requests) == 3
    assert 0.375 <= sleeps[0] <= 0.5 and 0.75 <= sleeps[1] <= 1.0


def test_async_client_does_not_retry_a_post_after_500(
    api: ApiCase, server: TestServer, sleeps: list[float]
) -> None:
    server.reply(Reply(500, api.error_body), Reply(201, api.create_reply))
    with pytest.raises(api.package.InternalServerError):
        call_async(api, server, api.create)
    assert len(server.requests) == 1


def test_raw_response_reports_the_retries_taken(
    api: ApiCase, server: TestServer, sleeps: list[float]
) -> None:
    server.reply(Reply(503, api.error_body), Reply(200, api.get_reply))
    with api.client(server) as client:
        response = api.get(client.with_raw_response)
    assert response.retries_taken == 1
