"""The runtime follows what any spec declares, not what Fivetran or Stitch do: other cursor and
item paths, text and binary responses, form bodies, no auth at all."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.http_server import Reply, TestServer


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": "OK", "content": {"application/json": {"schema": schema}}}


EDGE_SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Edge API", "version": "0.1"},
    "paths": {
        "/text": {"get": {"operationId": "getText", "tags": ["misc"], "responses": {"200": {
            "description": "t", "content": {"text/plain": {"schema": {"type": "string"}}}}}}},
        "/blob": {"get": {"operationId": "getBlob", "tags": ["misc"], "responses": {"200": {
            "description": "b", "content": {"application/octet-stream": {
                "schema": {"type": "string", "format": "binary"}}}}}}},
        "/form": {"post": {"operationId": "postForm", "tags": ["misc"], "requestBody": {
            "required": True, "content": {"application/x-www-form-urlencoded": {"schema": {
                "type": "object", "properties": {"a": {"type": "string"}}}}}},
            "responses": {"204": {"description": "done"}}}},
        "/items": {"get": {
            "operationId": "listItems", "tags": ["items"],
            "x-pagination": {"style": "cursor", "cursor-param": "after", "items": "results",
                             "next-cursor": "meta.next"},
            "parameters": [{"name": "after", "in": "query", "schema": {"type": "string"}}],
            "responses": {"200": _json({"type": "object", "properties": {
                "results": {"type": "array", "items": {"type": "object", "properties": {
                    "id": {"type": "integer"}}}},
                "meta": {"type": "object", "properties": {
                    "next": {"type": "string", "nullable": True}}}}})},
        }},
    },
}


@pytest.fixture
def edge(generate_once: Any) -> Any:
    return generate_once(EDGE_SPEC, "runtime_edge_client")


def test_pagination_follows_the_specs_own_parameter_and_paths(
    edge: Any, server: TestServer
) -> None:
    server.reply(Reply(200, {"results": [{"id": 1}, {"id": 2}], "meta": {"next": "p2"}}),
                 Reply(200, {"results": [{"id": 3}], "meta": {"next": None}}))
    with edge.Client(base_url=server.url) as client:
        ids = [item.id for item in client.items.list()]
    assert ids == [1, 2, 3]
    assert [r.query for r in server.requests] == [{}, {"after": ["p2"]}]


def test_async_pagination_follows_the_specs_own_paths(edge: Any, server: TestServer) -> None:
    server.reply(Reply(200, {"results": [{"id": 1}], "meta": {"next": "p2"}}),
                 Reply(200, {"results": [{"id": 2}], "meta": {}}))

    async def main() -> list[int]:
        async with edge.AsyncClient(base_url=server.url) as client:
            return [item.id async for item in client.items.list()]

    assert asyncio.run(main()) == [1, 2]


def test_a_page_without_the_specs_items_path_raises_naming_it(
    edge: Any, server: TestServer
) -> None:
    body = {"data": [{"id": 1}], "meta": {"next": "p2"}}
    server.reply(Reply(200, body))
    with edge.Client(base_url=server.url) as client, \
            pytest.raises(edge.APIResponseValidationError) as raised:
        client.items.list()
    assert "results" in str(raised.value)
    assert raised.value.body == body


def test_a_cursor_that_comes_back_raises_for_any_spec(edge: Any, server: TestServer) -> None:
    server.reply(Reply(200, {"results": [{"id": 1}], "meta": {"next": "p2"}}),
                 Reply(200, {"results": [{"id": 2}], "meta": {"next": "p3"}}),
                 Reply(200, {"results": [{"id": 3}], "meta": {"next": "p2"}}),
                 Reply(200, {"results": [{"id": 2}], "meta": {}}))
    ids: list[int] = []
    with edge.Client(base_url=server.url) as client, \
            pytest.raises(edge.APIResponseValidationError) as raised:
        for item in client.items.list():
            ids.append(item.id)
    assert type(raised.value).__name__ == "PaginationLoopError"
    assert ids == [1, 2, 3]
    assert len(server.requests) == 3


def test_text_response_is_returned_as_str(edge: Any, server: TestServer) -> None:
    server.reply(Reply(200, "plain words"))
    with edge.Client(base_url=server.url) as client:
        assert client.misc.get_text() == "plain words"


def test_binary_response_is_returned_as_bytes(edge: Any, server: TestServer) -> None:
    server.reply(Reply(200, b"\x00\xffdata", headers={"Content-Type": "application/octet-stream"}))
    with edge.Client(base_url=server.url) as client:
        assert client.misc.get_blob() == b"\x00\xffdata"


def test_form_body_is_sent_form_encoded(edge: Any, server: TestServer) -> None:
    server.reply(Reply(204))
    with edge.Client(base_url=server.url) as client:
        assert client.misc.post_form(body=edge.models.PostFormRequest(a="x y")) is None
    assert server.requests[0].headers["content-type"] == "application/x-www-form-urlencoded"
    assert server.requests[0].body == b"a=x+y"


def test_a_spec_without_security_needs_no_credentials(edge: Any, server: TestServer) -> None:
    server.reply(Reply(200, "ok"))
    with edge.Client(base_url=server.url) as client:
        client.misc.get_text()
    assert "authorization" not in server.requests[0].headers
