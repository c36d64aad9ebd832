"""Fixtures for the runtime tests: the two committed generated clients, described side by side
so one test can run against both, a fake sleep, and a clean environment."""

from __future__ import annotations

import asyncio
import base64
import importlib
import inspect
import json
import sys
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from clientgen.pipeline import generate_package
from clientgen.write import write_package

from tests.conftest import _forget, import_generated
from tests.http_server import TestServer

FIVETRAN = import_generated("fivetran_client")
STITCH = import_generated("stitch_client")

FIVETRAN_DESTINATION = {"id": "dest_1", "service": "snowflake", "region": "GCP_US_EAST4",
                        "config": {"host": "db.example.com"}}
STITCH_DESTINATION = {
    "id": 337658, "name": "Staging", "type": "redshift", "stitch_client_id": 116078,
    "created_at": "2021-06-03T16:11:03Z", "updated_at": "2021-06-03T16:11:03Z",
    "properties": {"host": "db.example.com"},
    "report_card": {"type": "redshift", "current_step": 2,
                    "current_step_type": "fully_configured", "steps": []},
}


@dataclass
class ApiCase:
    """One generated client and what a test needs to drive it without knowing its API."""

    name: str
    package: ModuleType
    credentials: dict[str, str]
    env: dict[str, str]  # the same credentials, as environment variables
    authorization: str  # the Authorization header those credentials produce
    get: Callable[[Any], Any]  # an idempotent GET; returns a value or, async, a coroutine
    get_path: str
    get_reply: dict[str, Any]  # a success body for it
    check_get: Callable[[Any], None]  # asserts on what `get` returned for get_reply
    create: Callable[[Any], Any]  # a POST that creates something
    create_reply: dict[str, Any]
    error_body: dict[str, str]  # an error body that follows the spec's error schema
    secrets: tuple[str, ...] = field(default=())

    def client(self, server: TestServer | None = None, **options: Any) -> Any:
        if server is not None:
            options.setdefault("base_url", server.url)
        return self.package.Client(**self.credentials, **options)

    def async_client(self, server: TestServer | None = None, **options: Any) -> Any:
        if server is not None:
            options.setdefault("base_url", server.url)
        return self.package.AsyncClient(**self.credentials, **options)


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def _check_fivetran_destination(result: Any) -> None:
    assert isinstance(result, FIVETRAN.models.OtherServiceDestination)
    assert result.id == "dest_1"


def _check_stitch_report_card(result: Any) -> None:
    assert isinstance(result, STITCH.models.DestinationReportCard)
    assert result.current_step_type == "form"


FIVETRAN_CASE = ApiCase(
    name="fivetran",
    package=FIVETRAN,
    credentials={"api_key": "ft-key-0001", "api_secret": "ft-secret-0002"},
    env={"FIVETRAN_API_KEY": "ft-key-0001", "FIVETRAN_API_SECRET": "ft-secret-0002"},
    authorization=_basic("ft-key-0001", "ft-secret-0002"),
    get=lambda client: client.destinations.get(destination_id="dest_1"),
    get_path="/v1/destinations/dest_1",
    get_reply={"code": "Success", "message": "Operation performed.",
               "data": FIVETRAN_DESTINATION},
    check_get=_check_fivetran_destination,
    create=lambda client: client.destinations.create(
        group_id="group_1", service="snowflake", config={"host": "db.example.com"}),
    create_reply={"code": "Created", "message": "Operation performed.",
                  "data": FIVETRAN_DESTINATION},
    error_body={"code": "NotFound_Destination", "message": "Destination dest_1 not found"},
    secrets=("ft-key-0001", "ft-secret-0002"),
)

STITCH_CASE = ApiCase(
    name="stitch",
    package=STITCH,
    credentials={"access_token": "st-token-0003"},
    env={"STITCH_ACCESS_TOKEN": "st-token-0003"},
    authorization="Bearer st-token-0003",
    get=lambda client: client.destination_types.get(destination_type="postgres"),
    get_path="/v4/destination-types/postgres",
    get_reply={"type": "postgres", "current_step": 1, "current_step_type": "form",
               "steps": []},
    check_get=_check_stitch_report_card,
    create=lambda client: client.destinations.create(
        type_="redshift", properties={"host": "db.example.com"}),
    create_reply=STITCH_DESTINATION,
    error_body={"code": "ExistingUser",
                "message": "This email address is already associated with an active user."},
    secrets=("st-token-0003",),
)

CASES = [FIVETRAN_CASE, STITCH_CASE]


@pytest.fixture(params=CASES, ids=lambda case: case.name)
def api(request: pytest.FixtureRequest) -> ApiCase:
    """Each generated client in turn."""
    return request.param  # type: ignore[no-any-return]


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No credential or base URL leaks in from the machine running the tests."""
    for name in ("FIVETRAN_API_KEY", "FIVETRAN_API_SECRET", "FIVETRAN_BASE_URL",
                 "STITCH_ACCESS_TOKEN", "STITCH_BASE_URL"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Retries wait on a fake clock: the delays they asked for are recorded, none is waited."""
    delays: list[float] = []

    async def fake_async_sleep(seconds: float) -> None:
        delays.append(seconds)

    for package in (FIVETRAN, STITCH):
        runtime = package._base_client
        monkeypatch.setattr(runtime, "_sleep", delays.append)
        monkeypatch.setattr(runtime, "_async_sleep", fake_async_sleep)
    return delays


def run(awaitable: Awaitable[Any]) -> Any:
    """Run a coroutine (the async client's call) to completion."""

    async def main() -> Any:
        return await awaitable

    return asyncio.run(main())


def call_async(case: ApiCase, server: TestServer, call: Callable[[Any], Any],
               **options: Any) -> Any:
    """`call(client)` on a fresh async client, inside its context manager."""

    async def main() -> Any:
        async with case.async_client(server, **options) as client:
            result = call(client)
            return await result if inspect.isawaitable(result) else result

    return asyncio.run(main())


@pytest.fixture(scope="module")
def generate_once(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., ModuleType]]:
    """Like the `generate` fixture, but each test module generates a spec once: `generate_once(
    spec, name)` returns the same imported package for the same name."""
    packages: dict[str, ModuleType] = {}
    root = tmp_path_factory.mktemp("generated")

    def _generate(spec: dict[str, Any] | Path, name: str) -> ModuleType:
        if name not in packages:
            if isinstance(spec, Path):
                spec_path = spec
            else:
                spec_path = root / f"{name}.json"
                spec_path.write_text(json.dumps(spec), encoding="utf-8")
            write_package(generate_package(spec_path, name).files, root / name)
            sys.path.insert(0, str(root / name))
            importlib.invalidate_caches()
            packages[name] = importlib.import_module(name)
        return packages[name]

    yield _generate
    for name in packages:
        _forget(name)
        sys.path.remove(str(root / name))
