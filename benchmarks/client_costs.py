"""Measure what a generated client costs at run time, using the committed ``fivetran_client``.

What is measured
----------------
1. Import time. ``python -X importtime -c "import fivetran_client"`` in a fresh interpreter per
   run, with ``PYTHONPATH`` set to ``generated/fivetran_client`` only; the number is the
   cumulative time of the top-level ``fivetran_client`` entry of the importtime report (shown
   in milliseconds).
   Baseline: ``import httpx, pydantic`` (the sum of their two top-level entries), the floor any
   httpx + pydantic client pays. A third run, ``import httpx, pydantic, fivetran_client``, gives
   what the package adds on top of them (its own modules, its models, and the parts of pydantic
   that building models pulls in). One discarded run of each first, so bytecode is cached.
2. Per-request overhead. A stdlib ``ThreadingHTTPServer`` on 127.0.0.1 (ephemeral port,
   HTTP/1.1 keep-alive, background thread) answers ``GET /v1/destinations/{id}`` with a small
   (~0.5 kB) pre-encoded ``DestinationResponse`` envelope. ``client.destinations.get(...)`` of
   the generated sync client is timed against the same GET with a raw ``httpx.Client`` (same
   base URL, the spec's ``Accept`` header, basic auth, timeout and keep-alive;
   ``raise_for_status()`` and ``.json()["data"]``), then the async client against
   ``httpx.AsyncClient``. Each repeat
   times one batch of ``--calls`` calls per side after a warm-up, alternating which side goes
   first; the table shows the median per-call microseconds. Target: generated / raw <= 1.5.
   The server's own time is in both sides, so the notes also give the absolute difference.
3. A large list. The same server answers ``GET /v1/connections`` with one page (no
   ``next_cursor``, ~1.1 MB) of 1,000 deterministic connection objects, every fifth an
   ``azure_service_bus`` connection (typed config), the others services with a free-form one.
   Timed, ``--list-calls`` calls per batch: (a) ``client.connections.list()`` end to end;
   (c) raw httpx GET + ``.json()``; (d) (c) then
   ``TypeAdapter(list[models.Connection]).validate_python`` of the items, the typed raw
   equivalent of (a); and over the already-decoded body, no HTTP: the client's own page parser
   (``_pagination._read_page``, which validates item by item) versus (b) that TypeAdapter.
   Validation right after a fetch costs more than re-validating the same decoded data (the
   fresh objects are cold and the collector walks them), so the notes also give (a) - (c)
   against (d) - (c).

Both payloads are checked before timing: they validate against the generated models with
strict enums (outside the client's lenient-enum parsing) and leave no field in ``model_extra``
(the models allow extras, so a misspelt field would otherwise pass unnoticed), and the clients
must return what was served. Nothing asserts on times: this is a measurement script, not a test.

Examples::

    python benchmarks/client_costs.py                     # 5 repeats, 2,000 calls per batch
    python benchmarks/client_costs.py --repeat 3 --calls 500 --json .benchmarks/costs.json
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import gc
import importlib
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pydantic
from pydantic import BaseModel, RootModel, TypeAdapter

REPO = Path(__file__).resolve().parent.parent
PROJECT = REPO / "generated" / "fivetran_client"  # holds the fivetran_client package
PACKAGE = "fivetran_client"

API_KEY = "bench_key"
API_SECRET = "bench_secret"
DESTINATION_ID = "decent_dropsy"
LIST_SIZE = 1_000
TARGET_RATIO = 1.5  # generated / raw httpx, per request, small JSON response
DEFAULT_CALLS = 2_000
DEFAULT_LIST_CALLS = 20
WARMUP_CALLS = 200


# --------------------------------------------------------------------------------------------
# Results


@dataclass
class Row:
    measure: str
    unit: str  # of clientgen and baseline, e.g. "µs/call"
    clientgen: float | None
    baseline: float | None
    baseline_label: str  # what the baseline is
    target: float | None = None  # the largest acceptable clientgen / baseline
    note: str = ""  # printed below the table
    clientgen_samples: list[float] = field(default_factory=list)
    baseline_samples: list[float] = field(default_factory=list)

    @property
    def ratio(self) -> float | None:
        if self.clientgen is None or not self.baseline:
            return None
        return self.clientgen / self.baseline

    @property
    def met(self) -> bool | None:
        ratio = self.ratio
        return None if self.target is None or ratio is None else ratio <= self.target


def _median(samples: Sequence[float]) -> float:
    return statistics.median(samples)


# --------------------------------------------------------------------------------------------
# 1. Import time

# `import time: <self> | <cumulative> | <indent><name>`; top-level imports have no indent.
_IMPORTTIME = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \| ( *)(\S+)\s*$")


def _top_level_imports(stderr: str) -> dict[str, int]:
    """Cumulative microseconds of each top-level entry of a `-X importtime` report."""
    found: dict[str, int] = {}
    for line in stderr.splitlines():
        match = _IMPORTTIME.match(line)
        if match and not match.group(3):
            found[match.group(4)] = int(match.group(2))
    return found


def _importtime(statement: str, names: Sequence[str]) -> int:
    """Cumulative microseconds of `names` when a fresh interpreter runs `statement`."""
    # bytecode is written (it is git-ignored) so that runs after the warm-up do not compile
    env = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
           "PYTHONPATH": str(PROJECT)}
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", statement], env=env,
                          capture_output=True, text=True, check=True, cwd=REPO)
    found = _top_level_imports(proc.stderr)
    missing = [n for n in names if n not in found]
    if missing:  # already imported at start-up (a .pth file?): the number would be wrong
        raise RuntimeError(f"{statement!r}: no top-level importtime entry for {missing}")
    return sum(found[n] for n in names)


def measure_imports(repeat: int) -> list[Row]:
    cases = {
        "package": ("import fivetran_client", [PACKAGE]),
        "deps": ("import httpx, pydantic", ["httpx", "pydantic"]),
        "added": ("import httpx, pydantic, fivetran_client", [PACKAGE]),
    }
    for statement, names in cases.values():  # warm-up: compile and cache the bytecode
        _importtime(statement, names)
    samples: dict[str, list[float]] = {key: [] for key in cases}
    for _ in range(repeat):
        for key, (statement, names) in cases.items():
            samples[key].append(_importtime(statement, names) / 1000)
    added = _median(samples["added"])
    return [
        Row("`import fivetran_client`, fresh interpreter", "ms", _median(samples["package"]),
            _median(samples["deps"]), "`import httpx, pydantic`",
            clientgen_samples=samples["package"], baseline_samples=samples["deps"],
            note=f"import: fivetran_client adds {added:.1f} ms after httpx and pydantic are "
                 f"imported (`import httpx, pydantic, fivetran_client`, its own entry; median "
                 f"of {repeat})."),
    ]


# --------------------------------------------------------------------------------------------
# Payloads (deterministic, checked against the generated models)


def destination_body() -> dict[str, Any]:
    """A `get_destination` success body: the envelope and one small destination."""
    return {
        "code": "Success",
        "message": "Operation performed.",
        "data": {
            "id": DESTINATION_ID,
            "service": "snowflake",
            "region": "GCP_US_EAST4",
            "networking_method": "Directly",
            "setup_status": "CONNECTED",
            "daylight_saving_time_enabled": True,
            "group_id": DESTINATION_ID,
            "time_zone_offset": "+3",
            "private_link_id": "private_link_id",
            "hybrid_deployment_agent_id": "hybrid_deployment_agent_id",
            "config": {"host": "your-account.snowflakecomputing.com", "port": 443,
                       "database": "fivetran", "auth": "PASSWORD", "user": "fivetran_user"},
        },
    }


_OTHER_SERVICES = ("postgres_rds", "salesforce", "google_sheets", "s3")
_BASE_TIME = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


def _stamp(offset_minutes: int) -> str:
    return (_BASE_TIME + timedelta(minutes=offset_minutes)).isoformat().replace("+00:00", "Z")


def connection(index: int) -> dict[str, Any]:
    """Connection `index`, shaped like the spec's response example; every fifth is an
    azure_service_bus connection (typed config), the others services with a free-form one."""
    azure = index % 5 == 0
    service = "azure_service_bus" if azure else _OTHER_SERVICES[index % len(_OTHER_SERVICES)]
    alert = {"code": "resync_table_warning", "message": "Resync Table Warning",
             "details": f"table_{index % 7}"}
    item: dict[str, Any] = {
        "id": f"conn_{index:04d}",
        "service": service,
        "schema": f"{service}_{index:04d}",
        "paused": index % 11 == 0,
        "status": {
            "tasks": [alert] if index % 3 == 0 else [],
            "warnings": [alert] if index % 4 == 0 else [],
            "schema_status": "ready",
            "update_state": "delayed" if index % 9 == 0 else "on_schedule",
            "setup_state": "connected",
            "sync_state": ("scheduled", "syncing", "paused", "rescheduled")[index % 4],
            "is_historical_sync": False,
            "rescheduled_for": _stamp(index + 60),
        },
        "daily_sync_time": "14:00",
        "succeeded_at": _stamp(index),
        "sync_frequency": (60, 360, 1440)[index % 3],
        "group_id": f"group_{index % 10}",
        "connected_by": f"user_{index % 25}",
        "setup_tests": [{"title": "Connecting to source", "status": "PASSED",
                         "message": "", "details": ""}],
        "source_sync_details": {"last_synced": _stamp(index)},
        "service_version": index % 3,
        "created_at": _stamp(-index * 60),
        "failed_at": None,
        "private_link_id": None,
        "proxy_agent_id": None,
        "networking_method": "Directly",
        "pause_after_trial": False,
        "data_delay_threshold": 0,
        "data_delay_sensitivity": "NORMAL",
        "schedule_type": "auto",
        "hybrid_deployment_agent_id": None,
    }
    if azure:
        item["config"] = {
            "has_manage_permissions": True, "auth_type": "ConnectionString",
            "sync_type": "Unpacked", "topics": [f"topic_{index}"], "message_type": "Avro",
            "connection_string": "Endpoint=sb://bench.servicebus.windows.net/",
            "connection_method": "DIRECT", "namespace": "bench_namespace",
            "subscriber_name": "fivetran", "schema_registry_urls": ["https://registry.local"],
            "schema": f"asb_{index:04d}",
        }
    else:
        item["config"] = {"host": f"db{index % 3}.example.com", "port": 5432,
                          "database": "analytics", "user": "fivetran"}
    return item


def connection_list_body(size: int = LIST_SIZE) -> dict[str, Any]:
    """A `list_connections` success body: one page of `size` connections, no next cursor."""
    return {"code": "Success", "message": "Operation performed.",
            "data": {"items": [connection(i) for i in range(size)]}}


def _extras(value: object, where: str) -> list[str]:
    """Fields that landed in `model_extra` anywhere in `value` (not fields of the model)."""
    if isinstance(value, RootModel):
        return _extras(value.root, where)
    if isinstance(value, BaseModel):
        found = [f"{where}.{name}" for name in value.model_extra or {}]
        for name, field_value in vars(value).items():  # not getattr: deprecated fields warn
            found += _extras(field_value, f"{where}.{name}")
        return found
    if isinstance(value, list):
        return [e for i, item in enumerate(value) for e in _extras(item, f"{where}[{i}]")]
    return []


def _check_payload(model: type[BaseModel], body: dict[str, Any]) -> None:
    """`body` validates as `model` with strict enums and leaves nothing in `model_extra`."""
    parsed = model.model_validate(body)  # outside the client: unknown enum values raise
    extras = _extras(parsed, "body")
    if extras:
        raise RuntimeError(f"{model.__name__}: fields the model does not declare: {extras[:5]}")


# --------------------------------------------------------------------------------------------
# The local server


@contextmanager
def serve(routes: dict[str, bytes]) -> Iterator[str]:
    """A keep-alive HTTP/1.1 server on 127.0.0.1 answering GET `path` with `routes[path]`
    (JSON, 200) and anything else with a 404; yields its base URL."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive: the clients reuse one connection
        disable_nagle_algorithm = True  # no delayed-ACK stall per response

        def do_GET(self) -> None:
            body = routes.get(self.path.partition("?")[0])
            status = 200
            if body is None:
                status, body = 404, b'{"code":"NotFound","message":"no such route"}'
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# --------------------------------------------------------------------------------------------
# Timing


def load_client() -> ModuleType:
    """The committed fivetran_client package, imported from generated/ (not an installed copy)."""
    if str(PROJECT) not in sys.path:
        sys.path.insert(0, str(PROJECT))
    module = importlib.import_module(PACKAGE)
    if not Path(module.__file__ or "").resolve().is_relative_to(PROJECT):
        raise RuntimeError(f"imported {module.__file__}, not the one in {PROJECT}")
    return module


def _batch(call: Callable[[], object], calls: int) -> float:
    """Seconds per call over `calls` calls."""
    gc.collect()  # no collection debt from the previous batch
    start = time.perf_counter()
    for _ in range(calls):
        call()
    return (time.perf_counter() - start) / calls


async def _abatch(call: Callable[[], Awaitable[object]], calls: int) -> float:
    gc.collect()
    start = time.perf_counter()
    for _ in range(calls):
        await call()
    return (time.perf_counter() - start) / calls


def _alternate(repeat: int, sides: Sequence[Callable[[], float]]) -> list[list[float]]:
    """`repeat` samples per side, alternating which side goes first (drift hits both)."""
    samples: list[list[float]] = [[] for _ in sides]
    for index in range(repeat):
        order = range(len(sides)) if index % 2 == 0 else reversed(range(len(sides)))
        for side in order:
            samples[side].append(sides[side]())
    return samples


def _raw_options(base_url: str, fc: ModuleType) -> dict[str, Any]:
    # What the generated client configures: the spec's Accept header (the User-Agent stays
    # httpx's, the same length give or take), basic auth, its timeout, redirects followed.
    return {"base_url": base_url, "auth": (API_KEY, API_SECRET),
            "headers": {"Accept": "application/json;version=2"},
            "timeout": fc.DEFAULT_TIMEOUT, "follow_redirects": True}


def measure_requests(base_url: str, repeat: int, calls: int) -> list[Row]:
    fc = load_client()
    path = f"/v1/destinations/{DESTINATION_ID}"
    rows: list[Row] = []

    with fc.Fivetran(api_key=API_KEY, api_secret=API_SECRET, base_url=base_url) as client, \
            httpx.Client(**_raw_options(base_url, fc)) as http:

        def generated() -> object:
            return client.destinations.get(destination_id=DESTINATION_ID)

        def raw() -> object:
            response = http.get(path)
            response.raise_for_status()
            return response.json()["data"]

        result = generated()
        if not isinstance(result, fc.models.OtherServiceDestination) or \
                result.id != DESTINATION_ID:
            raise RuntimeError(f"the generated client returned {result!r}")
        _batch(generated, WARMUP_CALLS)
        _batch(raw, WARMUP_CALLS)
        ours, theirs = _alternate(repeat, [lambda: _batch(generated, calls),
                                           lambda: _batch(raw, calls)])
    rows.append(_request_row("sync", "`httpx.Client`", ours, theirs))

    async def run_async() -> list[list[float]]:
        async with fc.AsyncFivetran(api_key=API_KEY, api_secret=API_SECRET,
                                    base_url=base_url) as aclient, \
                httpx.AsyncClient(**_raw_options(base_url, fc)) as ahttp:

            async def agenerated() -> object:
                return await aclient.destinations.get(destination_id=DESTINATION_ID)

            async def araw() -> object:
                response = await ahttp.get(path)
                response.raise_for_status()
                return response.json()["data"]

            await _abatch(agenerated, WARMUP_CALLS)
            await _abatch(araw, WARMUP_CALLS)
            samples: list[list[float]] = [[], []]
            for index in range(repeat):
                sides = [(0, agenerated), (1, araw)]
                for side, call in sides if index % 2 == 0 else reversed(sides):
                    samples[side].append(await _abatch(call, calls))
            return samples

    ours, theirs = asyncio.run(run_async())
    rows.append(_request_row("async", "`httpx.AsyncClient`", ours, theirs))
    return rows


def _request_row(kind: str, raw_label: str, ours: list[float], theirs: list[float]) -> Row:
    ours_us = [s * 1e6 for s in ours]
    theirs_us = [s * 1e6 for s in theirs]
    a, b = _median(ours_us), _median(theirs_us)
    return Row(f"GET one destination (small JSON), {kind}", "µs/call", a, b, raw_label,
               target=TARGET_RATIO, clientgen_samples=ours_us, baseline_samples=theirs_us,
               note=f"{kind} request: the generated client adds {a - b:+.0f} µs per call "
                    f"({a:.0f} vs {b:.0f} µs, server time included in both).")


def _list_adapter(model: Any) -> TypeAdapter[list[Any]]:
    return TypeAdapter(list[model])


class _Decoded:
    """Stands in for the httpx.Response the client's page parser reads: the body, decoded."""

    def __init__(self, body: object) -> None:
        self._body = body
        self.text = ""  # read only to report a body that is not JSON

    def json(self) -> object:
        return self._body


def measure_list(base_url: str, repeat: int, calls: int, body: dict[str, Any]) -> list[Row]:
    fc = load_client()
    # The client's own page parsing (validate each item, unwrap the union roots), reached
    # through private names on purpose: if they change, this fails loudly instead of timing a
    # copy of code the client no longer runs.
    read_page = importlib.import_module(f"{PACKAGE}._pagination")._read_page
    pagination = importlib.import_module(f"{PACKAGE}.resources.connections")._LIST_CONNECTIONS \
        .pagination

    items = body["data"]["items"]
    adapter = _list_adapter(fc.models.Connection)
    decoded = _Decoded(body)

    with fc.Fivetran(api_key=API_KEY, api_secret=API_SECRET, base_url=base_url) as client, \
            httpx.Client(**_raw_options(base_url, fc)) as http:

        def generated() -> Any:
            return client.connections.list()

        def raw() -> object:
            response = http.get("/v1/connections")
            response.raise_for_status()
            return response.json()["data"]["items"]

        def raw_validated() -> object:
            return adapter.validate_python(raw())

        def client_parse() -> object:
            return read_page(pagination, decoded)

        def plain_parse() -> object:
            return adapter.validate_python(items)

        page = generated()
        if len(page.items) != len(items) or page.has_next_page():
            raise RuntimeError(f"the generated client returned {page!r}")
        if len(read_page(pagination, decoded)[1]) != len(items):
            raise RuntimeError("the client's page parser did not return every item")
        sides = (generated, raw, raw_validated, client_parse, plain_parse)
        for call in sides:  # warm-up
            _batch(call, 2)
        samples = _alternate(repeat, [functools.partial(_batch, call, calls) for call in sides])

    ends, raws, typed, parsed, plain = [[s * 1e3 for s in side] for side in samples]
    # Validation inside the fetch loop (fresh data, cold caches), paired per repeat.
    ours_in_loop = _median([e - r for e, r in zip(ends, raws, strict=True)])
    plain_in_loop = _median([t - r for t, r in zip(typed, raws, strict=True)])
    n = f"{len(items):,}"
    typed_label = "raw httpx GET + `.json()` + `TypeAdapter(list[Connection])`"
    return [
        Row(f"list {n} connections, end to end", "ms/call", _median(ends), _median(typed),
            typed_label, clientgen_samples=ends, baseline_samples=typed,
            note=f"list, validation inside the fetch loop (end to end minus the raw GET + "
                 f"`.json()` of {_median(raws):.1f} ms): client {ours_in_loop:.1f} ms, "
                 f"`TypeAdapter` {plain_in_loop:.1f} ms."),
        Row(f"list {n} connections, end to end", "ms/call", _median(ends), _median(raws),
            "raw httpx GET + `.json()`, untyped", clientgen_samples=ends, baseline_samples=raws),
        Row(f"validate {n} decoded connections (the client's page parser)", "ms",
            _median(parsed), _median(plain), "`TypeAdapter(list[Connection]).validate_python`",
            clientgen_samples=parsed, baseline_samples=plain),
    ]


# --------------------------------------------------------------------------------------------


def measure(repeat: int = 5, *, calls: int = DEFAULT_CALLS,
            list_calls: int = DEFAULT_LIST_CALLS) -> list[Row]:
    """Every measurement of the module docstring; `repeat` samples each (medians reported)."""
    if repeat < 1 or calls < 1 or list_calls < 1:
        raise ValueError("repeat, calls and list_calls must be >= 1")
    rows = measure_imports(repeat)
    fc = load_client()
    small, large = destination_body(), connection_list_body()
    _check_payload(fc.models.DestinationResponse, small)
    _check_payload(fc.models.ConnectionListResponse, large)
    routes = {f"/v1/destinations/{DESTINATION_ID}": json.dumps(small).encode(),
              "/v1/connections": json.dumps(large).encode()}
    with serve(routes) as base_url:
        rows += measure_requests(base_url, repeat, calls)
        rows += measure_list(base_url, repeat, list_calls, large)
    return rows


def _number(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.2f}"


def render(rows: Sequence[Row]) -> str:
    lines = [
        "| measure | clientgen | baseline | ratio | target / met |",
        "|---|---:|---|---:|---|",
    ]
    for row in rows:
        ratio = row.ratio
        if row.target is None:
            target = "-"
        else:
            target = f"<= {row.target:g}x: {'met' if row.met else '**not met**'}"
        lines.append(
            f"| {row.measure} | {_number(row.clientgen)} {row.unit} "
            f"| {_number(row.baseline)} {row.unit} ({row.baseline_label}) "
            f"| {'n/a' if ratio is None else f'{ratio:.2f}x'} | {target} |"
        )
    notes = [f"- {row.note}" for row in rows if row.note]
    return "\n".join(lines + ([""] + notes if notes else [])) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python benchmarks/client_costs.py",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--repeat", type=int, default=5,
                        help="samples per measure (default 5; the median is reported)")
    parser.add_argument("--calls", type=int, default=DEFAULT_CALLS,
                        help=f"calls per timed batch of small requests (default {DEFAULT_CALLS})")
    parser.add_argument("--list-calls", type=int, default=DEFAULT_LIST_CALLS,
                        help=f"calls per timed batch of the {LIST_SIZE:,}-item list "
                        f"(default {DEFAULT_LIST_CALLS})")
    parser.add_argument("--json", type=Path, help="also write the rows, samples included, as JSON")
    args = parser.parse_args(argv)
    if min(args.repeat, args.calls, args.list_calls) < 1:
        parser.error("--repeat, --calls and --list-calls must be >= 1")

    load_start = os.getloadavg()[0]
    rows = measure(args.repeat, calls=args.calls, list_calls=args.list_calls)
    load_end = os.getloadavg()[0]
    header = (
        f"Repeats: {args.repeat} (medians shown); {args.calls:,} small requests and "
        f"{args.list_calls} list requests per timed batch; Python {sys.version.split()[0]}, "
        f"httpx {httpx.__version__}, pydantic {pydantic.VERSION}; {os.cpu_count()} cores; "
        f"1-minute load average {load_start:.2f} before and {load_end:.2f} after.\n"
    )
    print(header)
    print(render(rows), end="")
    if args.json:
        payload = {"repeat": args.repeat, "calls": args.calls, "list_calls": args.list_calls,
                   "rows": [{**asdict(r), "ratio": r.ratio, "met": r.met} for r in rows]}
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
