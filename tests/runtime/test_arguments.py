"""Methods take path parameters positionally or by keyword, in the path's order, and every
other argument by keyword only, the sync and async twins alike; an optional argument left out
is not sent, while an explicit None is."""

from __future__ import annotations

import asyncio
import inspect
import re
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest

from tests.http_server import Reply, TestServer
from tests.runtime.conftest import CASES, FIVETRAN, ApiCase


def _resource_pairs(package: ModuleType) -> Iterator[tuple[str, type, type]]:
    for name in package.resources.__all__:
        if name.startswith("Async") and not name.endswith("WithRawResponse"):
            yield name[len("Async"):], getattr(package.resources, name[len("Async"):]), \
                getattr(package.resources, name)


def _methods(resource_class: type) -> dict[str, Any]:
    return {name: member for name, member in vars(resource_class).items()
            if inspect.isfunction(member) and not name.startswith("_")}


def test_every_resource_has_an_async_twin(api: ApiCase) -> None:
    pairs = list(_resource_pairs(api.package))
    assert pairs
    for _, sync_class, async_class in pairs:
        assert _methods(sync_class).keys() == _methods(async_class).keys()


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_sync_and_async_methods_take_identical_arguments(case: ApiCase) -> None:
    for _, sync_class, async_class in _resource_pairs(case.package):
        for name, method in _methods(sync_class).items():
            sync = inspect.signature(method).parameters
            twin = inspect.signature(_methods(async_class)[name]).parameters
            assert sync == twin, f"{sync_class.__name__}.{name}"


def test_path_arguments_come_first_in_path_order_and_the_rest_are_keyword_only(
        api: ApiCase) -> None:
    module_of = {sync_class: inspect.getmodule(sync_class)
                 for _, sync_class, _ in _resource_pairs(api.package)}
    checked = 0
    for _, sync_class, async_class in _resource_pairs(api.package):
        for resource_class in (sync_class, async_class):
            for name, method in _methods(resource_class).items():
                if name == "with_raw_response":
                    continue
                parameters = list(inspect.signature(method).parameters.values())[1:]
                endpoint = _endpoint_of(module_of[sync_class], method)
                placeholders = re.findall(r"{([^}]+)}", endpoint.path)
                positional = [p for p in parameters
                              if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD]
                assert len(positional) == len(placeholders), name
                assert all(p.kind is inspect.Parameter.KEYWORD_ONLY
                           for p in parameters[len(positional):]), name
                checked += len(positional)
    assert checked


def _endpoint_of(module: Any, method: Any) -> Any:
    """The module's `Endpoint` a method sends to: the one its function's body names."""
    source = inspect.getsource(method)
    function = re.search(r"(?:return|=) \(?\s*(?:await )?(\w+)\(", source)
    assert function is not None
    constant = re.search(r"\b(_[A-Z0-9_]+),", inspect.getsource(getattr(module, function[1])))
    assert constant is not None
    return getattr(module, constant[1])


def test_module_functions_take_the_client_then_the_methods_arguments(api: ApiCase) -> None:
    for module_name, sync_class, _ in _resource_pairs(api.package):
        module = inspect.getmodule(sync_class)
        assert module is not None
        for name in module.__all__:
            function = getattr(module, name)
            if not inspect.isfunction(function):
                continue
            parameters = list(inspect.signature(function).parameters)
            assert parameters[0] == "client", name
            twin = name[:-len("_async")] if name.endswith("_async") else name + "_async"
            assert inspect.signature(getattr(module, twin)).parameters.keys() == \
                inspect.signature(function).parameters.keys()


def test_async_methods_are_coroutines_except_list_methods_that_paginate(api: ApiCase) -> None:
    for _, _, async_class in _resource_pairs(api.package):
        for name, method in _methods(async_class).items():
            returns = str(inspect.signature(method).return_annotation)
            paginated = returns.startswith("AsyncPaginator")
            assert inspect.iscoroutinefunction(method) is not paginated, name


def _fivetran(server: TestServer) -> Any:
    return FIVETRAN.Fivetran(api_key="k-123456", api_secret="s-123456", base_url=server.url)


def test_optional_query_arguments_left_out_are_not_sent(server: TestServer) -> None:
    server.reply(Reply(200, {"code": "Success", "message": "", "data": {"items": []}}))
    with _fivetran(server) as client:
        client.connections.list()
    assert server.requests[0].query == {}


def test_optional_query_argument_given_is_sent(server: TestServer) -> None:
    server.reply(Reply(200, {"code": "Success", "message": "", "data": {"items": []}}))
    with _fivetran(server) as client:
        client.connections.list(limit=25)
    assert server.requests[0].query == {"limit": ["25"]}


def test_body_fields_left_out_are_not_sent_but_explicit_none_is(server: TestServer) -> None:
    reply = {"code": "Success", "message": "", "data": {"id": "c1", "service": "x"}}
    server.reply(Reply(200, reply), Reply(200, reply))
    with _fivetran(server) as client:
        client.connections.update("c1", paused=True)
        client.connections.update("c1", paused=True, proxy_agent_id=None)
    assert server.requests[0].json() == {"paused": True}
    assert server.requests[1].json() == {"paused": True, "proxy_agent_id": None}


def test_path_arguments_are_escaped(server: TestServer) -> None:
    server.reply(Reply(200, {"code": "Success", "message": "", "data": {"id": "a/b"}}))
    with _fivetran(server) as client:
        client.destinations.get(destination_id="a/b c")
    assert server.requests[0].path == "/v1/destinations/a%2Fb%20c"


@pytest.mark.parametrize("value, sent", [("..", "%2E%2E"), (".", "%2E"), ("a:b", "a%3Ab")])
def test_path_arguments_never_move_the_request_to_another_path(
        server: TestServer, value: str, sent: str) -> None:
    server.reply(Reply(200, {"code": "Success", "message": "", "data": {"id": "x"}}))
    with _fivetran(server) as client:
        client.destinations.get(destination_id=value)
    assert server.requests[0].path == f"/v1/destinations/{sent}"


def test_a_path_argument_may_be_given_positionally(server: TestServer) -> None:
    server.reply(Reply(200, {"code": "Success", "message": "", "data": {"id": "d1"}}))
    with _fivetran(server) as client:
        client.destinations.get("d1")
    assert server.requests[0].path == "/v1/destinations/d1"


def test_positional_path_arguments_follow_the_paths_order(server: TestServer) -> None:
    server.reply(Reply(200, {"code": "Success", "message": "", "data": {
        "schema_change_handling": "ALLOW_ALL", "schemas": {}}}))
    with _fivetran(server) as client:
        client.connection_schemas.update_table_config(
            "c1", "s1", "t1", enabled=True)
    assert server.requests[0].path == "/v1/connections/c1/schemas/s1/tables/t1"


def test_async_methods_take_path_arguments_positionally(server: TestServer) -> None:
    server.reply(Reply(200, {"code": "Success", "message": "", "data": {"id": "d1"}}))

    async def main() -> None:
        async with FIVETRAN.AsyncFivetran(api_key="k-123456", api_secret="s-123456",
                                          base_url=server.url) as client:
            await client.destinations.get("d1")

    asyncio.run(main())
    assert server.requests[0].path == "/v1/destinations/d1"


def test_positional_arguments_other_than_path_arguments_are_refused() -> None:
    with FIVETRAN.Fivetran(api_key="k-123456", api_secret="s-123456") as client, \
            pytest.raises(TypeError):
        client.connections.list("cursor")  # type: ignore[misc]
