"""List operations with `x-pagination` return pages that walk every page lazily."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.http_server import RecordedRequest, Reply, TestServer
from tests.runtime.conftest import FIVETRAN

PAGES = {
    None: (["c1", "c2"], "cursor-2"),
    "cursor-2": (["c3", "c4"], "cursor-3"),
    "cursor-3": (["c5"], None),
}


def _connection(connection_id: str) -> dict[str, Any]:
    return {"id": connection_id, "service": "some_new_service", "schema": f"s_{connection_id}"}


def _page(request: RecordedRequest) -> Reply:
    """Answer like Fivetran's list endpoints: the page the `cursor` parameter names."""
    cursor = request.query.get("cursor", [None])[0]
    ids, next_cursor = PAGES[cursor]
    data: dict[str, Any] = {"items": [_connection(i) for i in ids]}
    if next_cursor:
        data["next_cursor"] = next_cursor
    return Reply(200, {"code": "Success", "message": "Operation performed.", "data": data})


@pytest.fixture
def paged(server: TestServer) -> TestServer:
    server.default = _page
    return server


def _client(server: TestServer) -> Any:
    return FIVETRAN.Fivetran(api_key="k-123456", api_secret="s-123456", base_url=server.url)


def _async_client(server: TestServer) -> Any:
    return FIVETRAN.AsyncFivetran(api_key="k-123456", api_secret="s-123456", base_url=server.url)


def test_iterating_a_list_yields_every_item_of_every_page(paged: TestServer) -> None:
    with _client(paged) as client:
        ids = [connection.id for connection in client.connections.list()]
    assert ids == ["c1", "c2", "c3", "c4", "c5"]
    assert [r.query.get("cursor") for r in paged.requests] == [None, ["cursor-2"], ["cursor-3"]]


def test_pages_are_fetched_only_when_needed(paged: TestServer) -> None:
    with _client(paged) as client:
        page = client.connections.list()
        assert len(paged.requests) == 1
        items = iter(page)
        next(items), next(items)
        assert len(paged.requests) == 1
        next(items)
        assert len(paged.requests) == 2


def test_limit_is_sent_with_every_page_and_readable_on_the_page(paged: TestServer) -> None:
    with _client(paged) as client:
        page = client.connections.list(limit=2)
        list(page)
    assert page.limit == 2
    assert [r.query["limit"] for r in paged.requests] == [["2"], ["2"], ["2"]]


def test_page_exposes_its_items_cursor_and_next_cursor(paged: TestServer) -> None:
    with _client(paged) as client:
        first = client.connections.list()
        second = first.get_next_page()
    assert [c.id for c in first.items] == ["c1", "c2"]
    assert (first.cursor, first.next_cursor) == (None, "cursor-2")
    assert (second.cursor, second.next_cursor) == ("cursor-2", "cursor-3")
    assert first.has_next_page() and second.has_next_page()
    assert first.http_response.status_code == 200
    assert first.limit is None


def test_last_page_has_no_next_page(paged: TestServer) -> None:
    with _client(paged) as client:
        last = client.connections.list(cursor="cursor-3")
        assert [c.id for c in last] == ["c5"]
        assert not last.has_next_page()
        with pytest.raises(RuntimeError):
            last.get_next_page()
    assert len(paged.requests) == 1


def test_iter_pages_walks_the_pages(paged: TestServer) -> None:
    with _client(paged) as client:
        pages = list(client.connections.list().iter_pages())
    assert [[c.id for c in page.items] for page in pages] == [["c1", "c2"], ["c3", "c4"], ["c5"]]


def test_items_are_the_typed_members_of_the_union(paged: TestServer) -> None:
    with _client(paged) as client:
        first = next(iter(client.connections.list()))
    assert isinstance(first, FIVETRAN.models.OtherServiceConnection)
    assert first.schema_ == "s_c1"


@pytest.fixture
def cycling(server: TestServer) -> TestServer:
    """Cursors that come back: A -> B -> A -> ... The server ends the list at the tenth page,
    so a client that does not notice the loop stops (with repeated items) instead of hanging."""

    def reply(request: RecordedRequest) -> Reply:
        cursor = request.query.get("cursor", [None])[0]
        data: dict[str, Any] = {"items": [_connection(f"c-{cursor}")]}
        if len(server.requests) < 10:
            data["next_cursor"] = {None: "A", "A": "B", "B": "A"}[cursor]
        return Reply(200, {"code": "Success", "message": "", "data": data})

    server.default = reply
    return server


def test_a_cursor_that_comes_back_raises_pagination_loop_error(cycling: TestServer) -> None:
    ids: list[str] = []
    with _client(cycling) as client, \
            pytest.raises(FIVETRAN.APIResponseValidationError) as raised:
        for connection in client.connections.list():
            ids.append(connection.id)
    assert type(raised.value) is FIVETRAN.PaginationLoopError
    assert ids == ["c-None", "c-A", "c-B"]  # every page once, the repeated one never fetched
    assert [r.query.get("cursor") for r in cycling.requests] == [None, ["A"], ["B"]]
    error = raised.value
    assert error.cursor == "A"
    assert "'A'" in str(error)
    assert error.status_code == 200
    assert error.body["data"]["next_cursor"] == "A"  # the page that sent the cursor back
    assert error.request.url.params["cursor"] == "B"


def test_pagination_loop_error_is_an_exported_api_error() -> None:
    assert issubclass(FIVETRAN.PaginationLoopError, FIVETRAN.APIResponseValidationError)
    assert issubclass(FIVETRAN.PaginationLoopError, FIVETRAN.APIError)
    assert "PaginationLoopError" in FIVETRAN.__all__


def test_get_next_page_refuses_a_cursor_followed_before(cycling: TestServer) -> None:
    with _client(cycling) as client:
        third = client.connections.list().get_next_page().get_next_page()
        assert (third.cursor, third.next_cursor) == ("B", "A")
        assert third.has_next_page()  # there is a next cursor; following it is the error
        with pytest.raises(FIVETRAN.APIResponseValidationError) as raised:
            third.get_next_page()
    assert type(raised.value) is FIVETRAN.PaginationLoopError
    assert len(cycling.requests) == 3


def test_async_for_raises_pagination_loop_error(cycling: TestServer) -> None:
    ids: list[str] = []

    async def main() -> None:
        async with _async_client(cycling) as client:
            async for connection in client.connections.list():
                ids.append(connection.id)

    with pytest.raises(FIVETRAN.APIResponseValidationError) as raised:
        asyncio.run(main())
    assert type(raised.value) is FIVETRAN.PaginationLoopError
    assert ids == ["c-None", "c-A", "c-B"]
    assert len(cycling.requests) == 3


def test_a_server_repeating_its_cursor_raises_at_once(server: TestServer) -> None:
    server.default = Reply(200, {"code": "Success", "message": "", "data": {
        "items": [_connection("c1")], "next_cursor": "same"}})
    ids: list[str] = []
    with _client(server) as client, \
            pytest.raises(FIVETRAN.APIResponseValidationError) as raised:
        for connection in client.connections.list():
            ids.append(connection.id)
    assert type(raised.value) is FIVETRAN.PaginationLoopError
    assert ids == ["c1", "c1"]
    assert len(server.requests) == 2


def test_a_first_page_pointing_at_its_own_cursor_raises(server: TestServer) -> None:
    server.default = Reply(200, {"code": "Success", "message": "", "data": {
        "items": [_connection("c1")], "next_cursor": "here"}})
    with _client(server) as client, \
            pytest.raises(FIVETRAN.APIResponseValidationError) as raised:
        list(client.connections.list(cursor="here"))
    assert type(raised.value) is FIVETRAN.PaginationLoopError
    assert len(server.requests) == 1


def test_an_empty_page_ends_the_iteration(server: TestServer) -> None:
    server.default = Reply(200, {"code": "Success", "message": "", "data": {
        "items": [], "next_cursor": "more"}})
    with _client(server) as client:
        assert list(client.connections.list()) == []
    assert len(server.requests) == 1


def test_destinations_list_paginates_too(paged: TestServer) -> None:
    paged.default = lambda request: Reply(200, {"code": "Success", "message": "", "data": {
        "items": [{"id": "d1", "service": "snowflake"}]}})
    with _client(paged) as client:
        destinations = list(client.destinations.list())
    assert [type(d) for d in destinations] == [FIVETRAN.models.OtherServiceDestination]
    assert paged.requests[0].path == "/v1/destinations"


def test_async_for_yields_every_item_of_every_page(paged: TestServer) -> None:
    async def main() -> list[str]:
        async with _async_client(paged) as client:
            return [connection.id async for connection in client.connections.list(limit=2)]

    assert asyncio.run(main()) == ["c1", "c2", "c3", "c4", "c5"]
    assert [r.query.get("cursor") for r in paged.requests] == [None, ["cursor-2"], ["cursor-3"]]


def test_awaiting_an_async_list_gives_the_first_page(paged: TestServer) -> None:
    async def main() -> tuple[list[str], list[str]]:
        async with _async_client(paged) as client:
            page = await client.connections.list()
            second = await page.get_next_page()
            return [c.id for c in page.items], [c.id for c in second.items]

    assert asyncio.run(main()) == (["c1", "c2"], ["c3", "c4"])
    assert len(paged.requests) == 2


def test_async_iter_pages_walks_the_pages(paged: TestServer) -> None:
    async def main() -> list[int]:
        async with _async_client(paged) as client:
            page = await client.connections.list()
            return [len(p.items) async for p in page.iter_pages()]

    assert asyncio.run(main()) == [2, 2, 1]


def test_raw_response_of_a_list_parses_into_its_first_page(paged: TestServer) -> None:
    with _client(paged) as client:
        response = client.with_raw_response.connections.list(limit=2)
        assert response.json()["data"]["next_cursor"] == "cursor-2"
        page = response.parse()
        assert [c.id for c in page] == ["c1", "c2", "c3", "c4", "c5"]


def test_async_raw_response_of_a_list_parses_into_its_first_page(paged: TestServer) -> None:
    async def main() -> list[str]:
        async with _async_client(paged) as client:
            response = await client.with_raw_response.connections.list()
            return [c.id async for c in response.parse()]

    assert asyncio.run(main()) == ["c1", "c2", "c3", "c4", "c5"]


def test_a_page_whose_items_do_not_match_raises_validation_error(server: TestServer) -> None:
    server.reply(Reply(200, {"code": "Success", "message": "", "data": {
        "items": [{"id": 1, "service": ["not", "a", "string"]}]}}))
    with _client(server) as client, pytest.raises(FIVETRAN.APIResponseValidationError):
        client.connections.list()


MALFORMED_PAGES = [
    pytest.param({"code": "Success", "message": "", "data": {"next_cursor": "c2"}},
                 id="no-items"),
    pytest.param({"code": "Success", "message": ""}, id="no-data"),
    pytest.param({"code": "Success", "message": "", "data": {"items": None}}, id="null-items"),
    pytest.param({"code": "Success", "message": "", "data": {"items": {"id": "c1"}}},
                 id="items-not-a-list"),
]


@pytest.mark.parametrize("body", MALFORMED_PAGES)
def test_a_page_without_its_list_of_items_raises_validation_error_naming_the_path(
    server: TestServer, body: dict[str, Any]
) -> None:
    server.default = Reply(200, body)
    with _client(server) as client, \
            pytest.raises(FIVETRAN.APIResponseValidationError) as raised:
        client.connections.list()
    error = raised.value
    assert "data.items" in str(error)
    assert error.status_code == 200
    assert error.body == body
    assert error.request.url.path == "/v1/connections"


@pytest.mark.parametrize("body", MALFORMED_PAGES)
def test_async_a_later_page_without_its_list_of_items_raises_validation_error(
    server: TestServer, body: dict[str, Any]
) -> None:
    server.reply(Reply(200, {"code": "Success", "message": "", "data": {
        "items": [_connection("c1")], "next_cursor": "c2"}}), Reply(200, body))
    ids: list[str] = []

    async def main() -> None:
        async with _async_client(server) as client:
            async for connection in client.connections.list():
                ids.append(connection.id)

    with pytest.raises(FIVETRAN.APIResponseValidationError) as raised:
        asyncio.run(main())
    assert ids == ["c1"]
    assert "data.items" in str(raised.value)
    assert raised.value.body == body
    assert raised.value.request.url.params["cursor"] == "c2"
