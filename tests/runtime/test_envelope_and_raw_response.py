"""Where the spec declares an envelope (`x-envelope`), methods return its typed payload; the whole
response stays reachable through `with_raw_response`."""

from __future__ import annotations

import asyncio

from tests.http_server import Reply, TestServer
from tests.runtime.conftest import FIVETRAN, FIVETRAN_DESTINATION, STITCH, ApiCase

ENVELOPE = {"code": "Success", "message": "Operation performed.", "data": FIVETRAN_DESTINATION}


def _fivetran(server: TestServer) -> object:
    return FIVETRAN.Fivetran(api_key="k-123456", api_secret="s-123456", base_url=server.url)


def test_fivetran_method_returns_the_typed_data_of_the_envelope(server: TestServer) -> None:
    server.reply(Reply(200, ENVELOPE))
    with _fivetran(server) as client:  # type: ignore[attr-defined]
        destination = client.destinations.get(destination_id="dest_1")
    assert isinstance(destination, FIVETRAN.models.OtherServiceDestination)
    assert (destination.id, destination.service, destination.region) == \
        ("dest_1", "snowflake", "GCP_US_EAST4")


def test_fivetran_delete_returns_the_envelope_that_has_no_data(server: TestServer) -> None:
    server.reply(Reply(200, {"code": "Success", "message": "Deleted"}))
    with _fivetran(server) as client:  # type: ignore[attr-defined]
        result = client.destinations.delete(destination_id="dest_1")
    assert isinstance(result, FIVETRAN.models.DeleteResponse)
    assert result.message == "Deleted"


def test_raw_response_has_status_headers_and_the_whole_envelope(server: TestServer) -> None:
    server.reply(Reply(200, ENVELOPE, headers={"X-Request-Id": "req-42"}))
    with _fivetran(server) as client:  # type: ignore[attr-defined]
        response = client.with_raw_response.destinations.get(destination_id="dest_1")
    assert response.status_code == 200
    assert response.headers["x-request-id"] == "req-42"
    assert response.json() == ENVELOPE
    assert response.method == "GET"
    assert response.url.path == "/v1/destinations/dest_1"


def test_raw_response_parse_gives_what_the_method_returns(server: TestServer) -> None:
    server.reply(Reply(200, ENVELOPE))
    with _fivetran(server) as client:  # type: ignore[attr-defined]
        response = client.with_raw_response.destinations.get(destination_id="dest_1")
    parsed = response.parse()
    assert isinstance(parsed, FIVETRAN.models.OtherServiceDestination)
    assert parsed.id == "dest_1"
    assert response.parse() is parsed  # parsed once


def test_raw_response_is_also_reachable_from_the_resource(server: TestServer) -> None:
    server.reply(Reply(201, {**ENVELOPE, "code": "Created"}))
    with _fivetran(server) as client:  # type: ignore[attr-defined]
        response = client.destinations.with_raw_response.create(
            group_id="g", service="snowflake", config={})
    assert response.status_code == 201
    assert response.json()["code"] == "Created"


def test_raw_methods_take_the_same_arguments(api: ApiCase) -> None:
    import inspect

    with api.client() as client:
        for name, resource in vars(client).items():
            if not isinstance(resource, api.package._base_client.SyncAPIResource):
                continue
            raw = getattr(client.with_raw_response, name)
            for method_name, method in vars(type(resource)).items():
                if method_name.startswith("_") or not inspect.isfunction(method):
                    continue
                plain = inspect.signature(getattr(resource, method_name))
                assert inspect.signature(getattr(raw, method_name)).parameters == \
                    plain.parameters


def test_async_raw_response_has_the_whole_envelope(server: TestServer) -> None:
    async def main() -> object:
        async with FIVETRAN.AsyncFivetran(api_key="k-123456", api_secret="s-123456",
                                          base_url=server.url) as client:
            response = await client.with_raw_response.destinations.get(destination_id="dest_1")
            assert response.json() == ENVELOPE
            return response.parse()

    server.reply(Reply(200, ENVELOPE))
    assert isinstance(asyncio.run(main()), FIVETRAN.models.OtherServiceDestination)


def test_stitch_without_envelope_returns_the_body(server: TestServer) -> None:
    from tests.runtime.conftest import STITCH_DESTINATION

    server.reply(Reply(200, [STITCH_DESTINATION]))
    with STITCH.Stitch(access_token="t-123456", base_url=server.url) as client:
        destinations = client.destinations.list()
    assert [type(d) for d in destinations] == [STITCH.models.OtherTypeDestination]
    assert destinations[0].id == 337658


def test_stitch_delete_without_content_returns_none(server: TestServer) -> None:
    server.reply(Reply(200, {}))
    with STITCH.Stitch(access_token="t-123456", base_url=server.url) as client:
        assert client.destinations.delete(destination_id=337658) is None
    assert (server.requests[0].method, server.requests[0].path) == \
        ("DELETE", "/v4/destinations/337658")
