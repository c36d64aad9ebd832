"""Benchmark clientgen against other OpenAPI client/model generators.

What it does
------------
1. Creates (or reuses) a throwaway virtualenv, by default ``.benchmarks/venv`` (git-ignored),
   and installs the peers into it by package name from PyPI, at pinned versions
   (``PEERS`` below): ``openapi-python-client``, ``datamodel-code-generator`` and
   ``openapi-generator-cli`` (the PyPI wheel that bundles openapi-generator's jar; it needs
   ``java`` on PATH, version 11+, and runs offline). The venv is reused when its marker file
   lists the same pins.
2. Builds the inputs: ``specs/fivetran.yaml`` and ``specs/stitch.yaml`` when they exist, the
   synthetic spec of ``benchmarks/make_spec.py`` at scale 1 and scale 10, and its "vendor"
   shape at scale 1 (``vendor x1``, ~3,000 schemas nearly all tied into two discriminated
   hierarchies, as in a real ELT vendor's spec; ``--no-vendor`` skips it), all written to
   ``.benchmarks/specs/``. ``--spec PATH`` adds more.
3. For each input, runs each tool ``--repeat`` times (default 3), in rounds (every tool's
   first run, then every tool's second, ...: a shared machine's speed drifts by up to 1.5x
   within minutes, and rounds let the drift weigh on every tool alike), into a fresh empty
   output directory, timing the wall clock of the whole process, with a per-run ``--timeout``
   (default 600 s; the process group is killed on expiry). A run that fails or times out is
   not repeated; it shows in the table as ``FAILED (exit N)`` / ``TIMEOUT`` with the last
   line of its log below the table, never hidden. Every clientgen run gets
   ``CLIENTGEN_CACHE_DIR`` set to a fresh empty directory under the work directory, so each
   timed run is a true cold generation (clientgen caches its work by content hash; with the
   user's cache, runs 2..N would be warm) and the user's own cache is never read or written.
4. Regeneration (row ``clientgen (regen)``, included whenever clientgen is, unless
   ``--no-regen``): for each input, one untimed clientgen run on the unchanged spec fills a
   cache directory that is then kept (warm), before the rounds of step 3, in which the row
   takes its turn after clientgen's cold run. Then each repeat ``i`` writes a copy of the spec
   with one field added to one schema, a new optional property ``benchmark_added_<i>``
   (``type: string`` with a description), and times ``generate`` of that copy with the warm
   cache into a fresh output directory. Each repeat adds a different name, so no repeat is
   fully cached. The changed schema is the component schema at position ``n // 2`` (document
   order, 0-based) of the ``n`` that have a ``properties`` mapping directly and no
   ``discriminator``; the report notes name it per input. The copies and the warm-up input
   are written as a user's edit would be, in the spec's own format and under its own file
   name (a YAML spec through ruamel.yaml's round trip, which keeps its comments and layout):
   the file name is in every generated file's header, so all of them must share it for the
   cache to apply, and the copies are parsed as the cold run's input is. The row's ratio
   column is regen / cold: its median over clientgen's cold median on the same input.
   Row ``clientgen (watch)`` (unless ``--no-watch``) makes the same change where a
   ``clientgen generate SPEC --out OUT --watch`` process watches the spec: the process is
   started before the rounds and its first generation (of the unchanged spec, cache empty) is
   not timed; each repeat writes the changed spec beside it, waits 0.25 s (the process idle,
   polling), moves it into place at once (``os.replace``, as editors save) and times from that
   moment to the summary line the process writes once the package is written (so the time
   includes the wait for its next poll, every 0.1 s). The process is stopped with SIGINT after
   the rounds. Its ratio column is watch / cold; no CPU time is measured.
5. Prints a Markdown table (input, tool, median wall seconds, median CPU seconds, clientgen's
   median wall time divided by the tool's, or regen / cold for the regen row, operations and
   models found in the output, .py files), notes (failures, the schema each regeneration
   changed) and a scaling section: wall seconds per 1,000 component schemas at scale 1 versus
   scale 10. The 1-minute load average before and after is printed too: wall times are only
   comparable on an otherwise idle machine.
6. Prints the targets, one line each with the measured values and ``met`` / ``NOT met``
   (``n/a (why)`` when a row it needs was not run or has no time; a failed clientgen run is
   ``NOT met``):
   - clientgen's cold generation of vendor x1 <= 2.0 x openapi-python-client's median (issue
     19, aiming at 1.0 x; issue 8's 0.5 x on synthetic x1 is withdrawn);
   - regeneration after a one-field change <= 0.1 x cold generation, the target on synthetic
     x1, and <= 0.3 x on specs/fivetran.yaml; the same check shown for every input, for the
     regen row (a new ``generate`` process) and for the watch row;
   - each bundled spec (``specs/fivetran.yaml``, ``specs/stitch.yaml``) cold < 2 s.
7. Unless ``--no-waits``: "## Where users wait" (``waits_section``), each measure run in turn
   5 times (1 with ``--quick``) after an untimed warm-up: ``python -c "import httpx,
   pydantic"`` (the baseline), a no-op ``clientgen generate --check`` of both bundled packages
   (warm cache), ``clientgen diff`` of specs/fivetran.yaml against a copy with one new field
   (warm cache, and cold), a cold ``generate`` of specs/fivetran.yaml, ``import
   fivetran_client`` and three imports of the vendor x1 client (time and peak RSS): the
   client, one model (``from <package>.models import Group``: its module and the classes it
   derives from) and every model, with the targets of issue 19 as ratios of the same run:
   no-op check <= 1.0 x the baseline, diff <= 0.5 x cold generate, ``import
   fivetran_client`` <= 1.5 x the baseline, vendor models import <= 3 s and 150 MB (shown for
   each of the three; the seconds of the import timed inside its process, the process's own
   wall time beside them: it adds the interpreter's start and its teardown at exit, ~0.5 s
   for every model; the memory is the process's peak).
8. Unless ``--no-client-costs``: appends "## Generated client cost", the table of
   ``benchmarks/client_costs.py`` (``measure()`` then ``render()``; that module's docstring
   says what it measures), with its defaults (5 repeats, 2,000 small requests and 20 list
   requests per batch), or 1 repeat, 200 and 2 with ``--quick``. An error there is printed
   in the section; the generator table is kept.

Tools and what is run
---------------------
* ``clientgen``: ``sys.executable -m clientgen generate SPEC --out OUT --quiet`` with the
  repository root as working directory, so it is this checkout and this interpreter, and
  ``CLIENTGEN_CACHE_DIR`` set to a fresh empty directory per run (cold). Every tool runs with
  bytecode written (``PYTHONPYCACHEPREFIX`` under the work directory,
  ``PYTHONDONTWRITEBYTECODE`` unset), as an installed tool has it: the first run compiles.
* ``clientgen (regen)``: the same command on a one-field-changed copy of the spec, with the
  warm cache of step 4. Its output is counted like clientgen's.
* ``clientgen (watch)``: ``sys.executable -m clientgen generate SPEC --out OUT --watch``
  (without ``--quiet``: the summary line marks the end of each run), step 4.
* ``openapi-python-client``: ``openapi-python-client generate --path SPEC --output-path OUT``
  with the venv's ``bin`` first on PATH (its default post-hooks run ``ruff check --fix`` and
  ``ruff format``, as a user gets it).
* ``datamodel-code-generator`` (models only): ``datamodel-codegen --input SPEC
  --input-file-type openapi --output OUT/models.py --output-model-type
  pydantic_v2.BaseModel`` with its default formatters (black + isort).
* ``dcg-ruff`` (not run unless named in ``--tools``): the same with ``--formatters
  ruff-format``.
* ``openapi-generator``: ``openapi-generator-cli generate -i SPEC -g python -o OUT
  --skip-validate-spec --additional-properties=packageName=bench_client`` (its defaults
  otherwise, so it also writes test stubs and Markdown docs).

How the output is counted (by parsing the generated Python with ``ast``)
-----------------------------------------------------------------------
* models, for clientgen, datamodel-code-generator and openapi-generator: classes that derive,
  directly or through other classes of the same output, from ``BaseModel``, ``RootModel``,
  or an enum base (``Enum``, ``StrEnum``, ``IntEnum``, ``Flag``, ``IntFlag``), matched by
  the last name of the base expression; for clientgen, not the bases its runtime modules
  (``_models.py``, ...) define. For openapi-python-client, which emits attrs classes rather
  than pydantic models: every class defined in its ``models/`` package.
* operations:
  - openapi-python-client: endpoint modules under ``api/`` that define ``sync_detailed``
    (one module per operation);
  - openapi-generator: methods named ``*_with_http_info`` in classes under ``api/`` (it
    writes three public methods per operation);
  - clientgen: public functions and methods (name not starting with ``_``) in endpoint
    modules: modules in a package named ``api``, ``apis``, ``endpoints`` or ``resources``, or
    named ``api.py``, ``endpoints.py``, ``resources.py`` or ``*_api.py``. Sync/async twins
    count once: classes named ``Async*`` are skipped, and an ``async def`` or a ``*_async`` /
    ``async_*`` function is dropped when the plain name is a sync function of the same scope.
    Properties are not counted. A module that presents its operations in two layers
    (module-level functions and methods of resource classes) counts as its larger layer, so
    each operation counts once. ``?`` when the output has no endpoint module;
  - datamodel-code-generator: ``-`` (it generates models only).
* files: ``.py`` files in the output directory, everything the tool wrote.

``--json`` writes the raw results, the targets and the client cost rows.

This is a measurement script, not a test: nothing in tests/ imports or asserts on it.

Examples::

    python benchmarks/run.py                      # everything, 3 runs each (long: scale 10)
    python benchmarks/run.py --quick              # 1 run each, no scale 10
    python benchmarks/run.py --quick --tools clientgen --no-client-costs
    python benchmarks/run.py --tools clientgen,openapi-python-client --scales 1
    python benchmarks/run.py --markdown .benchmarks/results.md --json .benchmarks/results.json
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import io
import json
import os
import queue
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clientgen.load import read_document
from ruamel.yaml import YAML

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_spec import build_spec, build_vendor_spec, count_operations, count_schemas

if TYPE_CHECKING:
    from client_costs import Row  # imported when measured: it needs httpx and pydantic

REPO = Path(__file__).resolve().parent.parent
BENCH_DIR = REPO / ".benchmarks"
DEFAULT_VENV = BENCH_DIR / "venv"
REAL_SPECS = [REPO / "specs" / "fivetran.yaml", REPO / "specs" / "stitch.yaml"]
CACHE_ENV = "CLIENTGEN_CACHE_DIR"  # generator/cache.py
REGEN = "clientgen (regen)"  # the regeneration row
WATCH = "clientgen (watch)"  # the same change, saved under a `generate --watch` process
# the last line of a run of `clientgen generate` (cli._summary)
_SUMMARY = re.compile(r" -> .*: \d+ operations, \d+ models, \d+ files in ")
VENDOR = "vendor x1"  # the vendor-shaped input (issue 19)

PEERS = {
    "openapi-python-client": "0.29.1",
    "datamodel-code-generator": "0.89.0",
    "openapi-generator-cli": "7.26.0",
}
MARKER = ".clientgen-bench-requirements"

MODEL_BASES = {"BaseModel", "RootModel", "Enum", "StrEnum", "IntEnum", "Flag", "IntFlag"}
ENDPOINT_PACKAGES = {"api", "apis", "endpoints", "resources"}
ENDPOINT_MODULES = {"api.py", "endpoints.py", "resources.py"}


# --------------------------------------------------------------------------------------------
# Counting generated output


@dataclass
class Counts:
    operations: int | None  # None: not applicable or not found
    models: int
    files: int


def _py_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.py") if p.is_file())


def _parse(path: Path) -> ast.Module | None:
    try:
        return ast.parse(path.read_text(encoding="utf-8", errors="replace"), str(path))
    except (SyntaxError, ValueError):
        return None


def _base_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Subscript):  # RootModel[list[X]]
        node = node.value
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):  # pydantic.BaseModel, enum.Enum
        return node.attr
    return None


def _classes(trees: Sequence[ast.Module]) -> list[tuple[str, list[str]]]:
    """Each class of `trees`: its name and the last names of its bases."""
    return [(node.name, [b for b in (_base_name(e) for e in node.bases) if b is not None])
            for tree in trees for node in ast.walk(tree) if isinstance(node, ast.ClassDef)]


def count_models(trees: Sequence[ast.Module], bases_only: Sequence[ast.Module] = ()) -> int:
    """Classes deriving, directly or through classes of the same output, from a model base;
    the classes of `bases_only` can be such bases but are not counted."""
    counted = _classes(trees)
    classes = _classes(bases_only) + counted
    model_names = set(MODEL_BASES)
    changed = True
    while changed:
        changed = False
        for name, bases in classes:
            if name not in model_names and any(b in model_names for b in bases):
                model_names.add(name)
                changed = True
    return sum(1 for name, bases in counted if any(b in model_names for b in bases))


def _is_endpoint_module(rel: Path) -> bool:
    if rel.name == "__init__.py":
        return False
    if rel.name in ENDPOINT_MODULES or rel.name.endswith("_api.py"):
        return True
    return any(part in ENDPOINT_PACKAGES for part in rel.parts[:-1])


def _public_functions(body: Sequence[ast.stmt]) -> int:
    """Public functions in ``body``, a sync/async pair counted once.

    Properties are skipped. An ``async def`` or a function named ``*_async`` / ``async_*`` is
    dropped when the plain name is also defined as a public sync function here.
    """
    sync: set[str] = set()
    other: set[str] = set()
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if node.name.startswith("_") or any(
                _base_name(d) in {"property", "cached_property"} for d in node.decorator_list
            ):
                continue
            if isinstance(node, ast.FunctionDef) and not node.name.endswith("_async") \
                    and not node.name.startswith("async_"):
                sync.add(node.name)
            else:
                other.add(node.name)
    return len(sync) + len({n for n in other if _plain(n) not in sync})


def _plain(name: str) -> str:
    return name.removesuffix("_async").removeprefix("async_")


def count_generic_operations(root: Path) -> int | None:
    """Operations in endpoint modules (see the module docstring).

    A module may present each operation in more than one layer (module-level functions and
    resource-class methods): each layer is counted and the largest is taken, per module.
    """
    found = False
    total = 0
    for path in _py_files(root):
        rel = path.relative_to(root)
        if not _is_endpoint_module(rel):
            continue
        tree = _parse(path)
        if tree is None:
            continue
        found = True
        module_level = _public_functions(tree.body)
        in_classes = sum(
            _public_functions(node.body) for node in tree.body
            if isinstance(node, ast.ClassDef) and not node.name.startswith("Async")
        )
        total += max(module_level, in_classes)
    return total if found else None


def _trees(paths: Sequence[Path]) -> list[ast.Module]:
    return [t for t in (_parse(p) for p in paths) if t is not None]


def count_clientgen(root: Path) -> Counts:
    files = _py_files(root)
    # the runtime (`_models.py`, ...) holds the bases the models derive from, not models
    runtime = [p for p in files if p.name.startswith("_") and p.name != "__init__.py"
               and p.parent.name != "models"]  # models/_part07.py holds models
    models = count_models(_trees([p for p in files if p not in runtime]), _trees(runtime))
    return Counts(count_generic_operations(root), models, len(files))


def count_datamodel_codegen(root: Path) -> Counts:
    files = _py_files(root)
    return Counts(None, count_models(_trees(files)), len(files))


def count_openapi_python_client(root: Path) -> Counts:
    files = _py_files(root)
    operations = 0
    models = 0
    for path in files:
        parts = path.relative_to(root).parts
        if "api" in parts[:-1] and path.name != "__init__.py":
            tree = _parse(path)
            if tree is not None and any(
                isinstance(n, ast.FunctionDef) and n.name == "sync_detailed" for n in tree.body
            ):
                operations += 1
        elif "models" in parts[:-1]:
            tree = _parse(path)
            if tree is not None:
                models += sum(1 for n in ast.walk(tree) if isinstance(n, ast.ClassDef))
    return Counts(operations, models, len(files))


def count_openapi_generator(root: Path) -> Counts:
    files = _py_files(root)
    package_files = [p for p in files if p.relative_to(root).parts[0] not in {"test", "tests"}]
    operations = 0
    for path in package_files:
        if "api" not in path.relative_to(root).parts[:-1]:
            continue
        tree = _parse(path)
        if tree is None:
            continue
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.endswith(
                "_with_http_info"
            ):
                operations += 1
    return Counts(operations, count_models(_trees(package_files)), len(files))


# --------------------------------------------------------------------------------------------
# Tools


@dataclass
class Tool:
    name: str
    command: Callable[[Path, Path, Path], list[str]]  # (venv, spec, out) -> argv
    count: Callable[[Path], Counts]
    peer: bool = True  # runs from the venv
    needs: str | None = None  # executable that must be on PATH
    cold_cache: bool = False  # gets CACHE_ENV set to a fresh empty directory per run


def _bin(venv: Path, name: str) -> str:
    return str(venv / "bin" / name)


TOOLS: dict[str, Tool] = {
    "clientgen": Tool(
        "clientgen",
        lambda venv, spec, out: [sys.executable, "-m", "clientgen", "generate", str(spec),
                                 "--out", str(out), "--quiet"],
        count_clientgen,
        peer=False,
        cold_cache=True,
    ),
    "openapi-python-client": Tool(
        "openapi-python-client",
        lambda venv, spec, out: [_bin(venv, "openapi-python-client"), "generate",
                                 "--path", str(spec), "--output-path", str(out)],
        count_openapi_python_client,
    ),
    "datamodel-code-generator": Tool(
        "datamodel-code-generator",
        lambda venv, spec, out: [_bin(venv, "datamodel-codegen"), "--input", str(spec),
                                 "--input-file-type", "openapi", "--output",
                                 str(out / "models.py"),
                                 "--output-model-type", "pydantic_v2.BaseModel"],
        count_datamodel_codegen,
    ),
    "dcg-ruff": Tool(
        "dcg-ruff",
        lambda venv, spec, out: [_bin(venv, "datamodel-codegen"), "--input", str(spec),
                                 "--input-file-type", "openapi", "--output",
                                 str(out / "models.py"),
                                 "--output-model-type", "pydantic_v2.BaseModel",
                                 "--formatters", "ruff-format"],
        count_datamodel_codegen,
    ),
    "openapi-generator": Tool(
        "openapi-generator",
        lambda venv, spec, out: [_bin(venv, "openapi-generator-cli"), "generate",
                                 "-i", str(spec), "-g", "python", "-o", str(out),
                                 "--skip-validate-spec",
                                 "--additional-properties=packageName=bench_client"],
        count_openapi_generator,
        needs="java",
    ),
}
DEFAULT_TOOLS = ["clientgen", "openapi-python-client", "datamodel-code-generator",
                 "openapi-generator"]
# Tools that write into OUT themselves and want it absent or empty; all of ours accept an
# existing empty directory except openapi-python-client, which refuses an existing one.
CREATES_OUT = {"openapi-python-client"}


# --------------------------------------------------------------------------------------------
# Virtualenv


def ensure_venv(venv: Path, log: Callable[[str], None]) -> None:
    pins = sorted(f"{name}=={version}" for name, version in PEERS.items())
    marker = venv / MARKER
    python = venv / "bin" / "python"
    if python.exists() and marker.exists() and marker.read_text().split() == pins:
        log(f"reusing {venv}")
        return
    if not python.exists():
        log(f"creating {venv}")
        venv.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    log(f"installing {' '.join(pins)}")
    subprocess.run([str(python), "-m", "pip", "install", "--quiet",
                    "--disable-pip-version-check", *pins], check=True)
    marker.write_text("\n".join(pins) + "\n")


# --------------------------------------------------------------------------------------------
# Inputs


@dataclass
class Input:
    name: str
    path: Path
    schemas: int
    operations: int
    scale: int | None = None  # synthetic inputs only
    shape: str = "synthetic"  # or "vendor": make_spec.py's build_vendor_spec


def _load(path: Path) -> dict[str, Any]:
    """The spec as plain data, read as clientgen reads it (YAML dates stay the text written)."""
    data = read_document(path, path.name).data
    return data if isinstance(data, dict) else {}


def build_inputs(scales: Sequence[int], extra: Sequence[Path], real_specs: bool,
                 log: Callable[[str], None], vendor: bool = True) -> list[Input]:
    inputs: list[Input] = []
    for path in [*(REAL_SPECS if real_specs else []), *extra]:
        if path.exists():
            spec = _load(path)
            inputs.append(Input(path.name, path, count_schemas(spec), count_operations(spec)))
        elif path in extra:
            raise SystemExit(f"--spec {path}: no such file")
        else:
            log(f"skipping {path.relative_to(REPO)}: not there")
    spec_dir = BENCH_DIR / "specs"
    spec_dir.mkdir(parents=True, exist_ok=True)
    for scale in scales:
        spec = build_spec(scale)
        path = spec_dir / f"synthetic-x{scale}.json"
        text = json.dumps(spec, indent=1, ensure_ascii=False) + "\n"
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        inputs.append(Input(f"synthetic x{scale}", path, count_schemas(spec),
                            count_operations(spec), scale))
    if vendor:
        spec = build_vendor_spec(1)
        path = spec_dir / "vendor-x1.json"
        text = json.dumps(spec, indent=1, ensure_ascii=False) + "\n"
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        inputs.append(Input(VENDOR, path, count_schemas(spec), count_operations(spec), None,
                            "vendor"))
    return inputs


# --------------------------------------------------------------------------------------------
# Running


@dataclass
class Result:
    input: str
    tool: str
    times: list[float] = field(default_factory=list)
    cpu_times: list[float] = field(default_factory=list)
    failure: str | None = None  # "FAILED (exit N)", "TIMEOUT", "SKIPPED ..."
    reason: str | None = None  # last log line of the failed run
    counts: Counts | None = None
    log: str | None = None
    changed_schema: str | None = None  # regeneration row: the schema given a new property
    candidates: int | None = None  # regeneration row: the schemas it was chosen among

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.times and not self.failure else None

    @property
    def median_cpu(self) -> float | None:
        return (statistics.median(self.cpu_times) if self.cpu_times and not self.failure
                else None)


def _last_line(path: Path) -> str:
    try:
        lines = [ln.strip() for ln in path.read_text(errors="replace").splitlines()]
    except OSError:
        return ""
    lines = [ln for ln in lines if ln]
    return lines[-1][:300] if lines else ""


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(argv: list[str], log_path: Path, env: dict[str, str], timeout: float,
             append: bool = False) -> tuple[float, float, int | None]:
    """Run argv; return (wall seconds, CPU seconds, exit code), exit code None on timeout.
    Its output goes to `log_path`, after what the file holds when `append`.

    CPU seconds are user + system time of the process and the descendants it waited for.
    The end is seen the moment the process exits: `Popen.wait(timeout=...)` polls, with sleeps
    of up to 50 ms, which read every run under 0.11 s as 0.114 s. The timeout is a timer
    that kills the process group instead.
    """
    expired = threading.Event()

    def expire(process: subprocess.Popen[bytes]) -> None:
        if process.poll() is None:  # not a run that ended as the timer fired
            expired.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)

    with log_path.open("ab" if append else "wb") as log:
        cpu_start = _children_cpu()
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        timer = threading.Timer(timeout, expire, (proc,))
        timer.start()
        try:
            returned = proc.wait()
        finally:
            timer.cancel()
        elapsed = time.perf_counter() - start
    return elapsed, _children_cpu() - cpu_start, None if expired.is_set() else returned


def _slug(*parts: str) -> str:
    """A file name for outputs and logs: runs of other characters become one ``-``."""
    return "--".join(re.sub(r"[^A-Za-z0-9_.]+", "-", part).strip("-") for part in parts)


def _failure(code: int | None, timeout: float, what: str = "") -> str | None:
    """The table's failure text for an exit code of run_once (None: it succeeded)."""
    if code is None:
        return f"TIMEOUT ({what}> {timeout:.0f} s)"
    return f"FAILED ({what}exit {code})" if code != 0 else None


def _timed_run(result: Result, argv: list[str], log_path: Path, env: dict[str, str],
               timeout: float, label: str, run: str, log: Callable[[str], None]) -> bool:
    """One timed run into `result`; False (and `result.failure` set) when it failed."""
    elapsed, cpu, code = run_once(argv, log_path, env, timeout)
    result.failure = _failure(code, timeout)
    if result.failure:
        result.reason = _last_line(log_path)
        log(f"  {label}: {result.failure} after {elapsed:.1f} s")
        return False
    result.times.append(elapsed)
    result.cpu_times.append(cpu)
    log(f"  {label}: run {run} {elapsed:.2f} s (CPU {cpu:.2f} s)")
    return True


def _with_bytecode(env: dict[str, str], work: Path) -> dict[str, str]:
    """`env` with bytecode written (under `work`), as an installed tool has it: otherwise,
    where PYTHONDONTWRITEBYTECODE is set, every run would compile clientgen's own modules."""
    found = {**env, "PYTHONPYCACHEPREFIX": str(work / "pycache")}
    found.pop("PYTHONDONTWRITEBYTECODE", None)
    return found


class _Row:
    """The timed runs of one row of the table (`bench` takes a turn of each in every round):
    its result, its tool, and where its last run wrote."""

    result: Result
    tool: Tool
    out: Path

    def once(self, index: int, repeat: int, timeout: float, log: Callable[[str], None]) -> None:
        raise NotImplementedError

    def close(self) -> int | None:
        """Stop what the row keeps running between its runs (nothing, but for the watch row)."""
        return None

    def counted(self, log: Callable[[str], None]) -> Result:
        """The result, with the last run's output counted."""
        if self.out.exists() and not self.result.failure:
            try:
                self.result.counts = self.tool.count(self.out)
            except Exception as exc:  # counting must never lose the timings
                log(f"  counting {self.result.tool} output failed: {exc!r}")
        return self.result


class _Runs(_Row):
    """The timed runs of one tool on one input: where it writes, with what environment."""

    def __init__(self, tool: Tool, item: Input, venv: Path, work: Path) -> None:
        self.tool, self.item, self.venv = tool, item, venv
        self.result = Result(item.name, tool.name)
        self.env = _with_bytecode(dict(os.environ), work)
        if tool.peer:
            self.env["PATH"] = f"{venv / 'bin'}{os.pathsep}{self.env.get('PATH', '')}"
            self.env.pop("PYTHONPATH", None)
        if tool.needs and shutil.which(tool.needs, path=self.env.get("PATH")) is None:
            self.result.failure = f"SKIPPED ({tool.needs} not found)"
        slug = _slug(item.name, tool.name)
        self.out = work / slug
        self.cache_dir = work / f"{slug}.cache"
        self.log_path = work / f"{slug}.log"
        self.result.log = str(self.log_path)

    def once(self, index: int, repeat: int, timeout: float, log: Callable[[str], None]) -> None:
        """Run `index` (of `repeat`), unless an earlier one failed (a failure is not repeated)."""
        if self.result.failure:
            return
        shutil.rmtree(self.out, ignore_errors=True)
        if self.tool.name not in CREATES_OUT:
            self.out.mkdir(parents=True)
        if self.tool.cold_cache:
            shutil.rmtree(self.cache_dir, ignore_errors=True)
            self.cache_dir.mkdir(parents=True)
            self.env[CACHE_ENV] = str(self.cache_dir)
        _timed_run(self.result, self.tool.command(self.venv, self.item.path, self.out),
                   self.log_path, self.env, timeout, f"{self.tool.name} on {self.item.name}",
                   f"{index + 1}/{repeat}", log)


def bench(runs: Sequence[_Row], repeat: int, timeout: float,
          log: Callable[[str], None]) -> list[Result]:
    """`repeat` runs of each, taken in rounds (every first run, then every second, ...): a
    machine that slows down or speeds up during the runs (a shared one does, by up to 1.5x
    within minutes) then weighs on all alike, and the ratios of medians (a tool's to
    another's, a regeneration's to a cold run's) compare runs made at the same times."""
    for index in range(repeat):
        for each in runs:
            each.once(index, repeat, timeout, log)
    return [each.counted(log) for each in runs]


def pick_schema(spec: dict[str, Any]) -> tuple[str, int] | None:
    """The component schema a regeneration changes, and how many it was chosen among.

    The one at position ``n // 2`` (document order) of the ``n`` component schemas with a
    ``properties`` mapping directly and no ``discriminator``; None when there is none.
    """
    components = spec.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    if not isinstance(schemas, dict):
        return None
    candidates = [name for name, schema in schemas.items()
                  if isinstance(schema, dict) and isinstance(schema.get("properties"), dict)
                  and "discriminator" not in schema]
    if not candidates:
        return None
    return str(candidates[len(candidates) // 2]), len(candidates)


class _EditableSpec:
    """A spec that the benchmark changes as its user would, written in its own format: YAML
    through ruamel.yaml's round trip (comments and layout kept, but for details such as how a
    null is written), JSON as JSON. So a regeneration parses what the cold run parses (a JSON
    copy of a YAML spec skipped the YAML parse, and flattered the regeneration row by 0.37 s
    on specs/fivetran.yaml)."""

    def __init__(self, path: Path) -> None:
        self.name = path.name  # in every generated file's header: the copies keep it
        text = path.read_text(encoding="utf-8")
        self.yaml: YAML | None = None
        if path.suffix.lower() in (".yaml", ".yml"):
            self.yaml = YAML()
            self.yaml.indent(mapping=2, sequence=4, offset=2)  # the bundled specs' layout
            self.yaml.width = 4096
            self.yaml.preserve_quotes = True
            self.data = self.yaml.load(text)
        else:
            self.data = json.loads(text)

    def text(self) -> str:
        """The spec as it is now."""
        if self.yaml is None:
            return json.dumps(self.data, indent=1, ensure_ascii=False) + "\n"
        stream = io.StringIO()
        self.yaml.dump(self.data, stream)
        return stream.getvalue()

    def write(self, folder: Path, text: str | None = None) -> Path:
        """The spec as it is now (or `text`), as `folder`/<its file name>."""
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / self.name
        path.write_text(self.text() if text is None else text, encoding="utf-8")
        return path


class _OneFieldChange:
    """The change of the regeneration and watch rows: a spec whose schema `pick_schema` picks
    gets one new optional property, a different one each repeat (so no run is fully cached).
    `None` from `of` (and the row's result marked SKIPPED) when the spec has no such schema."""

    def __init__(self, spec: _EditableSpec, schema: str) -> None:
        self.spec, self.schema = spec, schema
        self.properties: dict[str, Any] = spec.data["components"]["schemas"][schema][
            "properties"]

    @classmethod
    def of(cls, item: Input, result: Result) -> _OneFieldChange | None:
        spec = _EditableSpec(item.path)
        picked = pick_schema(spec.data)
        if picked is None:
            result.failure = "SKIPPED (no component schema with properties and no discriminator)"
            return None
        result.changed_schema, result.candidates = picked
        return cls(spec, picked[0])

    def text(self, index: int) -> str:
        """The spec with repeat `index`'s new property."""
        added = f"benchmark_added_{index}"
        self.properties[added] = {
            "type": "string", "description": f"Added by benchmarks/run.py (repeat {index})."}
        try:
            return self.spec.text()
        finally:
            del self.properties[added]


class _RegenRuns(_Row):
    """The regeneration row: a one-field change timed against a warm cache (module docstring).
    Made ready (the spec copied, the cache warmed by an untimed run) when created."""

    def __init__(self, item: Input, work: Path, timeout: float,
                 log: Callable[[str], None]) -> None:
        self.item, self.tool = item, TOOLS["clientgen"]
        self.result = Result(item.name, REGEN)
        slug = _slug(item.name, REGEN)
        self.base = work / slug
        self.log_path = work / f"{slug}.log"
        self.out = self.base / "out"
        shutil.rmtree(self.base, ignore_errors=True)
        change = _OneFieldChange.of(item, self.result)
        if change is None:
            return
        self.change = change
        warm_spec = change.spec.write(self.base / "warm")
        cache_dir = self.base / "cache"
        cache_dir.mkdir(parents=True)
        self.env = _with_bytecode({**os.environ, CACHE_ENV: str(cache_dir)}, work)
        self.out.mkdir()
        self.result.log = str(self.log_path)
        elapsed, _, code = run_once(self.tool.command(Path(), warm_spec, self.out),
                                    self.log_path, self.env, timeout)
        self.result.failure = _failure(code, timeout, "warm-up, ")
        if self.result.failure:
            self.result.reason = _last_line(self.log_path)
            log(f"  {REGEN} on {item.name}: {self.result.failure} after {elapsed:.1f} s")
            return
        log(f"  {REGEN} on {item.name}: warm-up (untimed) {elapsed:.2f} s; changing "
            f"{change.schema}")

    def once(self, index: int, repeat: int, timeout: float, log: Callable[[str], None]) -> None:
        """Run `index`: the spec with a new field of its own, so that no run is fully cached."""
        if self.result.failure:
            return
        changed_spec = self.change.spec.write(self.base / f"change-{index}",
                                              self.change.text(index))
        shutil.rmtree(self.out)
        self.out.mkdir()
        _timed_run(self.result, self.tool.command(Path(), changed_spec, self.out),
                   self.log_path, self.env, timeout, f"{REGEN} on {self.item.name}",
                   f"{index + 1}/{repeat}", log)


class _WatchRuns(_Row):
    """The watch row: the regeneration row's change, saved where a `clientgen generate --watch`
    process watches it (module docstring). The process is started when the row is made, and
    its first, untimed, generation of the unchanged spec waited for; `close` stops it."""

    def __init__(self, item: Input, work: Path, timeout: float,
                 log: Callable[[str], None]) -> None:
        self.item, self.tool = item, TOOLS["clientgen"]
        self.result = Result(item.name, WATCH)
        slug = _slug(item.name, WATCH)
        base = work / slug
        shutil.rmtree(base, ignore_errors=True)
        self.out = base / "out"
        self.log_path = work / f"{slug}.log"
        self.result.log = str(self.log_path)
        self.process: subprocess.Popen[str] | None = None
        change = _OneFieldChange.of(item, self.result)
        if change is None:
            return
        self.change = change
        self.spec = change.spec.write(base / "spec")
        self.lines: queue.Queue[tuple[float, str] | None] = queue.Queue()
        env = _with_bytecode({**os.environ, CACHE_ENV: str(base / "cache")}, work)
        started = time.perf_counter()
        # not --quiet: the summary line marks the end of a run
        argv = [arg for arg in self.tool.command(Path(), self.spec, self.out) if arg != "--quiet"]
        self.process = subprocess.Popen(
            [*argv, "--watch"], cwd=REPO, env=env, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            start_new_session=True)  # so the process is not left running: see close()
        try:
            threading.Thread(target=self._read, args=(self.process,), daemon=True).start()
            if self._wait_for(timeout, "watching") is not None:
                log(f"  {WATCH} on {item.name}: first generation (untimed) "
                    f"{time.perf_counter() - started:.2f} s; changing {change.schema}")
        except BaseException:  # Ctrl-C: the process is in a session of its own
            self.close()
            raise

    def _read(self, process: subprocess.Popen[str]) -> None:
        """Each line the process writes, with the time it came, into the log and `lines`."""
        assert process.stderr is not None
        with self.log_path.open("w", encoding="utf-8") as log:
            for line in process.stderr:
                self.lines.put((time.perf_counter(), line))
                log.write(line)
        self.lines.put(None)

    def _wait_for(self, timeout: float, *texts: str | re.Pattern[str]
                  ) -> tuple[float, str] | None:
        """The first line to come that holds one of `texts`, and when it came; None, and the
        row failed, when the process ended or `timeout` passed first."""
        deadline = time.perf_counter() + timeout
        while True:
            try:
                got = self.lines.get(timeout=max(0.0, deadline - time.perf_counter()))
            except queue.Empty:
                self.result.failure = f"TIMEOUT (> {timeout:.0f} s)"
                return None
            if got is None:
                self.result.failure = f"FAILED (exit {self.close()})"
                self.result.reason = _last_line(self.log_path)
                return None
            if any(text.search(got[1]) if isinstance(text, re.Pattern) else text in got[1]
                   for text in texts):
                return got

    def once(self, index: int, repeat: int, timeout: float, log: Callable[[str], None]) -> None:
        """Run `index`: the save of the spec with a new field of its own (a whole file put in
        place at once, as editors save), timed until the package is written."""
        if self.result.failure or self.process is None:
            return
        text = self.change.text(index)
        staged = self.spec.with_name(f".{self.spec.name}.new")
        staged.write_text(text, encoding="utf-8")
        time.sleep(0.25)  # the process idle, polling
        saved = time.perf_counter()
        os.replace(staged, self.spec)
        got = self._wait_for(timeout, _SUMMARY, "nothing was written", "error:")
        if got is None:
            log(f"  {WATCH} on {self.item.name}: {self.result.failure}")
            return
        came, line = got
        if not _SUMMARY.search(line):
            self.result.failure, self.result.reason = "FAILED (the run after a save)", line.strip()
            log(f"  {WATCH} on {self.item.name}: {self.result.failure}: {line.strip()}")
            return
        self.result.times.append(came - saved)
        log(f"  {WATCH} on {self.item.name}: run {index + 1}/{repeat} {came - saved:.2f} s")

    def close(self) -> int | None:
        """Stop the process (Ctrl-C, then a kill after 30 s); its exit code."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        return self.process.wait()


# --------------------------------------------------------------------------------------------
# Reporting


def _fmt_int(value: int | None, dash: bool = False) -> str:
    if value is None:
        return "-" if dash else "?"
    return f"{value:,}"


def _status(result: Result) -> str:
    median = result.median
    return f"{median:.2f} s" if median is not None else (result.failure or "no time")


@dataclass
class Target:
    goal: str
    measured: str  # the values compared, or "n/a (why)"
    met: bool | None  # None: could not be checked


def _verdict(met: bool) -> str:
    return "met" if met else "**NOT met**"


def _ours(result: Result | None, name: str) -> tuple[float | None, str, bool | None]:
    """(median, why there is none, verdict without one) of a clientgen row for a target.

    A row not run or skipped makes the target n/a; a failed or timed-out run, NOT met.
    """
    if result is None:
        return None, f"n/a ({name} not run)", None
    if result.median is not None:
        return result.median, "", None
    if result.failure and result.failure.startswith("SKIPPED"):
        return None, f"n/a ({name} {result.failure})", None
    return None, f"{name} {_status(result)}", False


def check_targets(inputs: Sequence[Input], results: Sequence[Result]) -> list[Target]:
    """The targets of the module docstring, each with what was measured."""
    by_key = {(r.input, r.tool): r for r in results}
    found: list[Target] = []
    x1 = next((i for i in inputs if i.scale == 1 and i.shape == "synthetic"), None)
    no_x1 = "n/a (synthetic x1 not run: --scales without 1)"

    def cold(item: Input) -> tuple[float | None, str, bool | None]:
        return _ours(by_key.get((item.name, "clientgen")), "clientgen")

    opc = "openapi-python-client"
    vendor = next((i for i in inputs if i.shape == "vendor"), None)
    goal = f"clientgen cold generation of {VENDOR} <= 2.0 x {opc} (aim: 1.0 x)"
    if vendor is None:
        found.append(Target(goal, "n/a (not run: --no-vendor)", None))
    else:
        ours, why, verdict = cold(vendor)
        theirs = by_key.get((vendor.name, opc))
        if theirs is None or theirs.median is None:
            status = "not run" if theirs is None else _status(theirs)
            found.append(Target(goal, f"n/a ({opc} {status})" + (f"; {why}" if why else ""),
                                None))
        elif ours is None:
            found.append(Target(goal, f"{why}; {opc} {theirs.median:.2f} s", verdict))
        else:
            found.append(Target(goal, f"{ours:.2f} s vs {opc} {theirs.median:.2f} s "
                                      f"(ratio {ours / theirs.median:.2f})",
                                ours <= 2.0 * theirs.median))

    goal = "regeneration after a one-field change <= {} x cold"
    if x1 is None:
        found.append(Target(f"{goal.format(0.1)}, synthetic x1 (a target)", no_x1, None))
    for item in inputs:
        # issue 8 set 0.1 on synthetic x1; issue 19 sets 0.3 on specs/fivetran.yaml
        limit = 0.3 if item.path == REAL_SPECS[0] else 0.1
        label = f"{goal.format(limit)}, {item.name}" + (
            " (a target)" if item is x1 or item.path == REAL_SPECS[0] else "")
        ours, why, verdict = cold(item)
        for row, how in ((REGEN, ""), (WATCH, " in a watching process (generate --watch)")):
            if row == WATCH and (item.name, WATCH) not in by_key:
                continue  # not run (--no-watch): the line for generate alone says enough
            regen, regen_why, regen_verdict = _ours(by_key.get((item.name, row)), row)
            where = label.replace("regeneration", f"regeneration{how}", 1)
            if regen is None:
                found.append(Target(where, regen_why, regen_verdict))
            elif ours is None:
                found.append(Target(where, f"n/a (cold: {why})", None))
            else:
                found.append(Target(where, f"{regen:.2f} s vs cold {ours:.2f} s (ratio "
                                           f"{regen / ours:.3f})", regen <= limit * ours))

    by_name = {i.path.name: i for i in inputs if i.scale is None and i.shape == "synthetic"}
    for path in REAL_SPECS:
        goal = f"{path.name} cold < 2 s"
        real = by_name.get(path.name)
        if real is None:
            why = "--no-real-specs" if path.exists() else f"{path.relative_to(REPO)} not there"
            found.append(Target(goal, f"n/a (not run: {why})", None))
            continue
        ours, why, verdict = cold(real)
        found.append(Target(goal, why, verdict) if ours is None
                     else Target(goal, f"{ours:.2f} s", ours < 2.0))
    return found


def render(inputs: Sequence[Input], tools: Sequence[str], results: Sequence[Result],
           repeat: int, load: tuple[float, float], targets: Sequence[Target]) -> str:
    by_key = {(r.input, r.tool): r for r in results}
    lines = [
        f"Runs per tool and input: {repeat} (medians shown); machine: {os.cpu_count()} cores; "
        f"Python {sys.version.split()[0]}; 1-minute load average {load[0]:.2f} before and "
        f"{load[1]:.2f} after the runs (other work on the machine inflates wall times; CPU "
        f"times, user + system of the tool and its child processes, much less so).",
        "",
    ]
    if "clientgen" in tools:
        regen = (f" {REGEN}: generate after one new optional property on one schema, with the "
                 "cache warmed by an untimed run on the unchanged spec; its ratio column is "
                 "regen / cold (clientgen's cold median on the same input)."
                 if REGEN in tools else "")
        if WATCH in tools:
            regen += (f" {WATCH}: the same change saved where a `generate --watch` process "
                      "watches the spec, from the save to the package written (its CPU is not "
                      "measured); its ratio column is watch / cold.")
        lines += [f"clientgen runs cold: each run gets {CACHE_ENV} set to a fresh empty "
                  f"directory.{regen}", ""]
    lines += ["Inputs:", ""]
    for item in inputs:
        lines.append(f"- {item.name}: {item.schemas:,} component schemas, "
                     f"{item.operations:,} operations ({item.path.name})")
    lines += [
        "",
        "| input | tool | median wall s | median CPU s | clientgen / tool (wall) | operations "
        "| models | .py files |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    notes: list[str] = []
    changes: list[str] = []
    for item in inputs:
        ours = by_key.get((item.name, "clientgen"))
        ours_median = ours.median if ours else None
        for tool in tools:
            r = by_key[(item.name, tool)]
            median = r.median
            time_cell = f"{median:.2f}" if median is not None else f"**{r.failure}**"
            cpu = r.median_cpu
            cpu_cell = f"{cpu:.2f}" if cpu is not None else ""
            if tool == "clientgen":
                ratio = "-"
            elif ours_median is None or median is None:
                ratio = "n/a"
            elif tool in (REGEN, WATCH):
                kind = "regen" if tool == REGEN else "watch"
                ratio = f"{median / ours_median:.3f} ({kind} / cold)"
            else:
                ratio = f"{ours_median / median:.2f}"
            c = r.counts
            ops = _fmt_int(c.operations, dash=tool.startswith(("datamodel", "dcg"))) if c else ""
            models = _fmt_int(c.models) if c else ""
            files = _fmt_int(c.files) if c else ""
            lines.append(f"| {item.name} | {tool} | {time_cell} | {cpu_cell} | {ratio} | {ops} "
                         f"| {models} | {files} |")
            if r.failure and r.reason is not None:
                where = f" (log: {r.log})" if r.log else ""
                notes.append(f"- {tool} on {item.name}: {r.failure}: `{r.reason}`{where}")
            if r.changed_schema is not None:
                changes.append(f"- {item.name}: `components.schemas.{r.changed_schema}` (number "
                               f"{(r.candidates or 0) // 2 + 1} of the {r.candidates:,} with "
                               "`properties` and no `discriminator`)")
    if notes:
        lines += ["", "Failures (last line of each log):", "", *notes]
    if changes:
        lines += ["", "Schema given a new property `benchmark_added_<repeat>` (the regen and "
                  "watch rows):", "", *dict.fromkeys(changes)]
    lines += ["", "Targets:", ""]
    lines += [f"- {t.goal}: {t.measured}" + ("" if t.met is None else f": {_verdict(t.met)}")
              for t in targets]  # an unchecked target's measured text says "n/a (why)"

    scaled = sorted({i.scale for i in inputs if i.scale is not None})
    if len(scaled) >= 2:
        low, high = scaled[0], scaled[-1]
        small = next(i for i in inputs if i.scale == low)
        large = next(i for i in inputs if i.scale == high)
        lines += ["", f"Scaling (seconds per 1,000 component schemas, synthetic x{low} vs "
                      f"x{high}):", ""]
        for tool in tools:
            ra, rb = by_key[(small.name, tool)], by_key[(large.name, tool)]
            a, b = ra.median, rb.median
            if a is None or b is None:
                lines.append(f"- {tool}: n/a (x{low}: {_status(ra)}, x{high}: {_status(rb)})")
                continue
            per_a = a / small.schemas * 1000
            per_b = b / large.schemas * 1000
            lines.append(f"- {tool}: {per_a:.2f} s at x{low}, {per_b:.2f} s at x{high} "
                         f"(x{high}/x{low} = {per_b / per_a:.2f}; 1.00 is linear)")
    return "\n".join(lines) + "\n"


def repeat_waits(quick: bool) -> int:
    return 1 if quick else 5


def _wait_run(argv: list[str], env: dict[str, str], log_path: Path) -> float | None:
    """Wall seconds of one run (None when it failed); the output goes to `log_path`."""
    elapsed, _, code = run_once(argv, log_path, env, timeout=900, append=True)
    return elapsed if code == 0 else None


def _vendor_package(work: Path) -> tuple[Path, str] | None:
    """The vendor-shaped package clientgen generated in this run: (project folder, name)."""
    out = work / _slug(VENDOR, "clientgen")
    found = sorted(p.parent.parent.name for p in out.glob("*/models/__init__.py")) \
        if out.is_dir() else []
    return (out, found[0]) if found else None


# A model of the vendor shape that one operation returns (a group): not a discriminated base.
VENDOR_MODEL = "Group"


# Prints `maxrss <KiB>`: the process's peak resident memory since it started. Linux's
# VmHWM, not getrusage's ru_maxrss, which keeps across exec the peak of the process that forked
# (this benchmark, holding the vendor spec: every import read as ~550 MB).
_PRINT_PEAK_RSS = """\
import re, resource
try:
    with open("/proc/self/status") as status:
        peak = int(re.search(r"VmHWM:\\s*(\\d+) kB", status.read()).group(1))
except OSError:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print("maxrss", peak)
"""


# A vendor import row's script: the import timed inside the process (the target is about
# importing; the process's wall time adds the interpreter's start and, at exit, its teardown of
# every object imported, ~0.5 s for every model), with the peak memory printed after it.
_TIMED_IMPORT = """\
import time
_started = time.perf_counter()
{statement}
print("import seconds", time.perf_counter() - _started)
"""


def _vendor_imports(package: str) -> dict[str, str]:
    """The imports of the vendor x1 client measured, by row name: the client, one model (its
    module and the classes it derives from), and every model."""
    return {
        f"import {package} ({VENDOR})": f"import {package}",
        f"from {package}.models import {VENDOR_MODEL} ({VENDOR})":
            f"from {package}.models import {VENDOR_MODEL}",
        f"import every model of {package} ({VENDOR})":
            f"from {package} import models; [getattr(models, n) for n in models.__all__]",
    }


def waits_section(work: Path, repeat: int, log: Callable[[str], None]) -> str:
    """Where users wait (issue 19), each measure taken in turn, `repeat` times, so that all
    see the same load: a no-op `generate --check` of both bundled packages, `clientgen diff`
    of fivetran.yaml and a copy with one new field, importing the generated packages; each
    as a ratio to a baseline of the same run."""
    base = work / "waits"
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True)
    fivetran = REAL_SPECS[0]
    spec = _EditableSpec(fivetran)
    picked = pick_schema(spec.data)
    if picked is not None:
        spec.data["components"]["schemas"][picked[0]]["properties"]["benchmark_added"] = {
            "type": "string", "description": "A field added by the benchmark."}
    changed = spec.write(base / "changed")
    python = sys.executable
    warm_cache = base / "warm.cache"
    env = _with_bytecode({**os.environ, CACHE_ENV: str(warm_cache)}, base)
    imports_env = {**env, "PYTHONPATH": str(REPO / "generated" / "fivetran_client")}
    measures: dict[str, tuple[list[str], dict[str, str], str | None]] = {
        "import httpx, pydantic": ([python, "-c", "import httpx, pydantic"], env, None),
        "generate --check, both bundled packages (no-op)": (
            [python, "-m", "clientgen", "generate", "--check", "-q"], env, None),
        "diff fivetran.yaml, one new field (warm cache)": (
            [python, "-m", "clientgen", "diff", str(fivetran), str(changed)], env, None),
        "diff fivetran.yaml, one new field (only the old side seen before)": (
            [python, "-m", "clientgen", "diff", str(fivetran), str(changed)], env, "diff-old"),
        "diff fivetran.yaml, one new field (cold cache)": (
            [python, "-m", "clientgen", "diff", str(fivetran), str(changed)], env, "diff"),
        "generate fivetran.yaml (cold cache)": (
            [python, "-m", "clientgen", "generate", str(fivetran), "--out", str(base / "out"),
             "--force", "-q"], env, "generate"),
        "import fivetran_client": ([python, "-c", "import fivetran_client"], imports_env, None),
    }
    # A pull request's check: the cache has seen the base branch's spec, not the change.
    primes = {"diff-old": [python, "-m", "clientgen", "diff", str(fivetran), str(fivetran)]}
    vendor = _vendor_package(work)
    rss: dict[str, list[int]] = {}
    inside: dict[str, list[float]] = {}  # the imports' own seconds, timed in the process
    if vendor is not None:
        out, package = vendor
        # what a user of the vendor client waits for: the client alone imports no model; one
        # model imports its module and the classes it derives from; every model is the most
        for name, statement in _vendor_imports(package).items():
            measures[name] = ([python, "-c", _TIMED_IMPORT.format(statement=statement)
                               + _PRINT_PEAK_RSS], {**env, "PYTHONPATH": str(out)}, None)
    log("where users wait: warm-up (untimed: fills the caches, writes bytecode)")
    for name, (argv, run_env, cold) in measures.items():
        if cold is None:
            _wait_run(argv, run_env, base / "warm-up.log")
    times: dict[str, list[float]] = {name: [] for name in measures}
    for index in range(repeat):
        for name, (argv, run_env, cold) in measures.items():
            if cold is not None:
                fresh = base / f"{cold}.cache"
                shutil.rmtree(fresh, ignore_errors=True)
                run_env = {**run_env, CACHE_ENV: str(fresh)}
                if cold in primes:
                    _wait_run(primes[cold], run_env, base / "prime.log")
            log_path = base / f"{_slug(name)}.log"
            log_path.unlink(missing_ok=True)
            elapsed = _wait_run(argv, run_env, log_path)
            if elapsed is not None:
                times[name].append(elapsed)
                printed = log_path.read_text(errors="replace")
                if found := re.search(r"maxrss (\d+)", printed):
                    rss.setdefault(name, []).append(int(found.group(1)))
                if found := re.search(r"import seconds ([\d.]+)", printed):
                    inside.setdefault(name, []).append(float(found.group(1)))
            log(f"  {name}: run {index + 1}/{repeat} "
                + (f"{elapsed:.3f} s" if elapsed is not None else "FAILED"))
    medians = {name: statistics.median(t) if t else None for name, t in times.items()}
    lines = ["## Where users wait", "",
             f"Each measure run in turn, {repeat} times (medians; after one untimed warm-up "
             "that fills the caches and writes bytecode, except the cold-cache rows, which get "
             "a fresh cache each time, and the row whose cache has seen only the old side, "
             "which gets a fresh cache filled by `diff OLD OLD`).", "",
             "| measure | median wall s |", "|---|---:|"]
    lines += [f"| {name} | " + (f"{m:.3f}" if m is not None else "FAILED") + " |"
              for name, m in medians.items()]

    def ratio(name: str, over: str, limit: float) -> str:
        ours, theirs = medians.get(name), medians.get(over)
        if ours is None or theirs is None:
            return f"- {name} <= {limit} x {over}: n/a (a run failed)"
        value = ours / theirs
        return (f"- {name} <= {limit} x {over}: {value:.2f} "
                f"({_verdict(value <= limit)})")

    lines += ["", "Targets (ratios in this run):",
              ratio("generate --check, both bundled packages (no-op)", "import httpx, pydantic",
                    1.0),
              ratio("diff fivetran.yaml, one new field (warm cache)",
                    "generate fivetran.yaml (cold cache)", 0.5),
              ratio("diff fivetran.yaml, one new field (only the old side seen before)",
                    "generate fivetran.yaml (cold cache)", 0.5) + " (not a target: a pull "
              "request's check, whose cache has seen the base branch's spec)",
              ratio("diff fivetran.yaml, one new field (cold cache)",
                    "generate fivetran.yaml (cold cache)", 0.5) + " (not a target: shown for "
              "a CI run without its cache)",
              ratio("import fivetran_client", "import httpx, pydantic", 1.5)]
    if vendor is not None:
        for name in _vendor_imports(vendor[1]):
            process = medians[name]
            seconds = statistics.median(inside[name]) if inside.get(name) else None
            peak = max(rss[name]) / 1024 if rss.get(name) else None
            lines.append(f"- {name} <= 3 s and 150 MB: " + (
                f"{seconds:.2f} s to import, {peak:.0f} MB peak RSS "
                f"({_verdict(seconds <= 3 and peak <= 150)}); the whole process {process:.2f} s "
                f"({_verdict(process <= 3 and peak <= 150)}: with the interpreter's start and "
                "its teardown at exit of what was imported)"
                if seconds is not None and peak is not None and process is not None
                else "n/a (failed)"))
    else:
        lines.append(f"- import of the {VENDOR} models: n/a (clientgen did not run on it)")
    return "\n".join(lines) + "\n"


def client_cost_section(quick: bool, log: Callable[[str], None]) -> tuple[str, list[Row]]:
    """"## Generated client cost": benchmarks/client_costs.py's table, and its rows.

    An error is shown in the section (with no rows), so the generator table is never lost.
    """
    import client_costs  # benchmarks/ is on sys.path; imports httpx and pydantic

    repeat, calls, list_calls = ((1, 200, 2) if quick else
                                 (5, client_costs.DEFAULT_CALLS, client_costs.DEFAULT_LIST_CALLS))
    lines = ["## Generated client cost", ""]
    log(f"client costs: {repeat} repeat(s), {calls} calls, {list_calls} list calls per batch")
    load_start = os.getloadavg()[0]
    try:
        rows = client_costs.measure(repeat, calls=calls, list_calls=list_calls)
    except Exception as exc:  # keep the generator results
        lines.append(f"**FAILED**: `{repr(exc)[:300]}`")
        return "\n".join(lines) + "\n", []
    lines += [
        f"Measured by benchmarks/client_costs.py (its docstring says how): {repeat} repeat(s) "
        f"(medians shown); {calls:,} small requests and {list_calls} list requests per timed "
        f"batch; 1-minute load average {load_start:.2f} before and {os.getloadavg()[0]:.2f} "
        "after.",
        "",
        client_costs.render(rows).rstrip("\n"),
    ]
    return "\n".join(lines) + "\n", list(rows)


# --------------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python benchmarks/run.py",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per tool and input "
                        "(default 3; the median is reported)")
    parser.add_argument("--quick", action="store_true",
                        help="1 run each, no scale 10 (unless --scales is given) and a short "
                        "client cost run (1 repeat, 200 and 2 calls per batch)")
    parser.add_argument("--scales", type=lambda s: [int(x) for x in s.split(",") if x],
                        help="synthetic spec scales, comma-separated (default 1,10; \"\" for "
                        "none)")
    parser.add_argument("--spec", type=Path, action="append", default=[],
                        help="another spec to benchmark (repeatable)")
    parser.add_argument("--no-real-specs", action="store_true",
                        help="skip specs/fivetran.yaml and specs/stitch.yaml")
    parser.add_argument("--no-vendor", action="store_true",
                        help=f"skip the {VENDOR} input (make_spec.py --shape vendor)")
    parser.add_argument("--no-waits", action="store_true",
                        help="skip the 'Where users wait' section (no-op check, diff, imports)")
    parser.add_argument("--tools", type=lambda s: [x for x in s.split(",") if x],
                        default=DEFAULT_TOOLS,
                        help=f"comma-separated, from: {', '.join(TOOLS)} "
                        f"(default: {','.join(DEFAULT_TOOLS)})")
    parser.add_argument("--no-regen", action="store_true",
                        help=f"skip the {REGEN} row (run whenever clientgen is, by default)")
    parser.add_argument("--no-watch", action="store_true",
                        help=f"skip the {WATCH} row (run whenever clientgen is, by default)")
    parser.add_argument("--no-client-costs", action="store_true",
                        help="skip the generated client cost section (benchmarks/client_costs.py)")
    parser.add_argument("--timeout", type=float, default=600.0,
                        help="seconds per run before it is killed (default 600)")
    parser.add_argument("--venv", type=Path, default=DEFAULT_VENV,
                        help=f"virtualenv for the peers (default {DEFAULT_VENV.relative_to(REPO)})")
    parser.add_argument("--keep", type=Path,
                        help="keep outputs and logs in this directory (default: a temporary "
                        "directory, deleted at the end)")
    parser.add_argument("--markdown", type=Path, help="also write the report to this file")
    parser.add_argument("--json", type=Path, help="also write raw results, the targets and the "
                        "client cost rows as JSON")
    args = parser.parse_args(argv)

    unknown = [t for t in args.tools if t not in TOOLS]
    if unknown:
        parser.error(f"unknown tool(s): {', '.join(unknown)}")
    repeat = 1 if args.quick else args.repeat
    if repeat < 1:
        parser.error("--repeat must be >= 1")
    scales: list[int] = args.scales if args.scales is not None else (
        [1] if args.quick else [1, 10])  # `--scales ""`: no synthetic input

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    if any(TOOLS[t].peer for t in args.tools):
        ensure_venv(args.venv.resolve(), log)
    inputs = build_inputs(scales, [p.resolve() for p in args.spec], not args.no_real_specs, log,
                          vendor=not args.no_vendor)

    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        work = args.keep.resolve()
        cleanup = None
    else:
        cleanup = tempfile.TemporaryDirectory(prefix="clientgen-bench-")
        work = Path(cleanup.name)
    table_tools = list(dict.fromkeys(args.tools))  # with the regeneration row after clientgen
    if "clientgen" in table_tools:
        extra = [row for row, skip in ((REGEN, args.no_regen), (WATCH, args.no_watch))
                 if not skip]
        table_tools[table_tools.index("clientgen") + 1:table_tools.index("clientgen") + 1] = \
            extra
    results: list[Result] = []
    load_start = os.getloadavg()[0]
    try:
        for item in inputs:
            log(f"{item.name}: {item.schemas:,} schemas, {item.operations:,} operations")
            rows = {REGEN: _RegenRuns, WATCH: _WatchRuns}
            runs: list[_Row] = []
            try:
                for name in table_tools:
                    runs.append(rows[name](item, work, args.timeout, log) if name in rows
                                else _Runs(TOOLS[name], item, args.venv.resolve(), work))
                results += bench(runs, repeat, args.timeout, log)
            finally:
                for each in runs:
                    each.close()
        waits = None if args.no_waits else waits_section(work, repeat_waits(args.quick), log)
    finally:
        if cleanup is not None:
            for r in results:  # logs vanish with the temporary directory
                r.log = "(deleted; use --keep DIR)" if r.failure else None
            cleanup.cleanup()
    goals = check_targets(inputs, results)
    report = render(inputs, table_tools, results, repeat, (load_start, os.getloadavg()[0]), goals)
    if waits is not None:
        report += "\n" + waits
    costs: list[Row] | None = None
    if not args.no_client_costs:
        section, costs = client_cost_section(args.quick, log)
        report += "\n" + section
    print(report)
    if args.markdown:
        args.markdown.write_text(report, encoding="utf-8")
    if args.json:
        payload = {
            "repeat": repeat,
            "inputs": [{"name": i.name, "path": str(i.path), "schemas": i.schemas,
                        "operations": i.operations, "scale": i.scale} for i in inputs],
            "results": [{"input": r.input, "tool": r.tool, "times": r.times,
                         "cpu_times": r.cpu_times, "median": r.median,
                         "failure": r.failure, "reason": r.reason,
                         "counts": None if r.counts is None else vars(r.counts),
                         "changed_schema": r.changed_schema}
                        for r in results],
            "targets": [asdict(t) for t in goals],
            "client_costs": None if costs is None else [
                {**asdict(row), "ratio": row.ratio, "met": row.met} for row in costs],
        }
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
