"""A deprecated operation, and a deprecated argument given a value, warn at call time
(DeprecationWarning at the caller's line, however deep in the package it is issued); type
checkers see deprecated operations through `typing_extensions.deprecated`."""

from __future__ import annotations

import asyncio
import warnings
from pathlib import Path
from typing import Any

import pytest
from clientgen.pipeline import generate_package
from clientgen.write import write_package

from tests.conftest import mypy_strict
from tests.generator.test_functional import _json, _spec
from tests.http_server import Reply, TestServer

DEPRECATION_SPEC = _spec({
    "/animals": {
        "get": {
            "operationId": "listAnimals", "tags": ["animals"], "deprecated": True,
            "responses": {"200": _json({"type": "array", "items": {"type": "string"}})},
        },
    },
    "/animals/{animal_id}": {
        "get": {
            "operationId": "getAnimal", "tags": ["animals"],
            "parameters": [
                {"name": "animal_id", "in": "path", "required": True,
                 "schema": {"type": "string"}},
                {"name": "legacy_view", "in": "query", "deprecated": True,
                 "schema": {"type": "string"}},
            ],
            "responses": {"200": _json({"type": "string"})},
        },
        "patch": {
            "operationId": "updateAnimal", "tags": ["animals"],
            "parameters": [{"name": "animal_id", "in": "path", "required": True,
                            "schema": {"type": "string"}}],
            "requestBody": {"content": {"application/json": {"schema": {
                "type": "object", "properties": {
                    "name": {"type": "string"},
                    "nickname": {"type": "string", "deprecated": True}}}}}},
            "responses": {"204": {"description": "Updated"}},
        },
    },
})


@pytest.fixture(scope="module")
def zoo(generate_once: Any) -> Any:
    return generate_once(DEPRECATION_SPEC, "deprecation_client")


def _client(zoo: Any, server: TestServer) -> Any:
    return zoo.Client(base_url=server.url)


def test_a_deprecated_operation_warns_at_the_callers_line(zoo: Any, server: TestServer) -> None:
    server.reply(Reply(200, ["a"]))
    with _client(zoo, server) as client, pytest.warns(DeprecationWarning) as caught:
        assert client.animals.list() == ["a"]
    assert len(caught) == 1
    assert "list_animals (GET /animals) is deprecated" in str(caught[0].message)
    assert caught[0].filename == __file__


def test_the_module_function_and_the_async_method_warn_at_the_callers_line_too(
        zoo: Any, server: TestServer) -> None:
    server.reply(Reply(200, ["a"]), Reply(200, ["b"]))
    with pytest.warns(DeprecationWarning) as caught:  # noqa: PT031 (each call must warn)
        with _client(zoo, server) as client:
            zoo.resources.animals.list_animals(client)

        async def main() -> None:
            async with zoo.AsyncClient(base_url=server.url) as client:
                await client.animals.list()

        asyncio.run(main())
    assert [w.filename for w in caught] == [__file__, __file__]


def test_a_deprecated_operation_is_marked_for_type_checkers(zoo: Any) -> None:
    assert zoo.resources.AnimalsResource.list.__deprecated__
    assert zoo.resources.AsyncAnimalsResource.list.__deprecated__
    assert zoo.resources.animals.list_animals.__deprecated__
    assert not hasattr(zoo.resources.AnimalsResource.get, "__deprecated__")


def test_a_deprecated_argument_warns_only_when_given(zoo: Any, server: TestServer) -> None:
    server.reply(*[Reply(200, b'"x"', {"Content-Type": "application/json"})] * 2)
    with _client(zoo, server) as client:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            client.animals.get("a1")
        with pytest.warns(DeprecationWarning, match="'legacy_view'") as caught:
            client.animals.get("a1", legacy_view="full")
    assert caught[0].filename == __file__
    assert server.requests[1].query == {"legacy_view": ["full"]}


def test_a_deprecated_body_field_warns_only_when_given(zoo: Any, server: TestServer) -> None:
    server.reply(Reply(204), Reply(204))
    with _client(zoo, server) as client:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            client.animals.update("a1", name="Leo")
        with pytest.warns(DeprecationWarning, match="'nickname'") as caught:
            client.animals.update("a1", nickname="L")
    assert caught[0].filename == __file__
    assert [r.json() for r in server.requests] == [{"name": "Leo"}, {"nickname": "L"}]


_USAGE = """\
# mypy: enable-error-code="deprecated"
from deprecation_client import Client

with Client(base_url="http://127.0.0.1:1") as client:
    client.animals.get("a1")
"""


def test_mypy_reports_a_call_of_a_deprecated_operation(tmp_path: Path) -> None:
    write_package(generate_package(_spec_file(tmp_path), "deprecation_client").files,
                  tmp_path / "deprecation_client")
    project = tmp_path / "deprecation_client"
    (project / "usage.py").write_text(_USAGE, encoding="utf-8")
    assert mypy_strict("deprecation_client", "usage.py", cwd=project).returncode == 0
    (project / "usage.py").write_text(_USAGE + "    client.animals.list()\n", encoding="utf-8")
    result = mypy_strict("usage.py", cwd=project)
    assert result.returncode == 1
    assert "[deprecated]" in result.stdout and "usage.py:6" in result.stdout


def _spec_file(tmp_path: Path) -> Path:
    import json

    path = tmp_path / "spec.json"
    path.write_text(json.dumps(DEPRECATION_SPEC), encoding="utf-8")
    return path
