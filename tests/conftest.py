"""Shared fixtures: generating a package from a spec and importing it in the test process."""

from __future__ import annotations

import importlib
import itertools
import json
import os
import random
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from clientgen.pipeline import generate_package
from clientgen.write import write_package
from hypothesis import is_hypothesis_test

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "generated"
SPECS = ROOT / "specs"

# The committed generated packages; each project folder holds the package of the same name.
GENERATED_PACKAGES = sorted(
    p.name for p in GENERATED.iterdir() if (p / "pyproject.toml").is_file()
)

_counter = itertools.count()


def _forget(package: str) -> None:
    for name in list(sys.modules):
        if name == package or name.startswith(package + "."):
            del sys.modules[name]


GenerateFn = Callable[..., ModuleType]


@pytest.fixture(scope="session", autouse=True)
def _own_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The session's own clientgen cache (the CLI in subprocesses too), so a test never reads
    an entry the user's cache holds from other code, and never writes to it."""
    previous = os.environ.get("CLIENTGEN_CACHE_DIR")
    os.environ["CLIENTGEN_CACHE_DIR"] = str(tmp_path_factory.mktemp("clientgen-cache"))
    yield
    if previous is None:
        del os.environ["CLIENTGEN_CACHE_DIR"]
    else:
        os.environ["CLIENTGEN_CACHE_DIR"] = previous


@pytest.fixture
def generate(tmp_path: Path) -> Iterator[GenerateFn]:
    """`generate(spec)`: generate a package from a spec (a dict or a path), import it, return it.

    Each call gets a fresh, unique package name so tests never see each other's modules.
    """
    imported: list[str] = []
    paths: list[str] = []

    def _generate(spec: dict[str, Any] | Path, package: str | None = None) -> ModuleType:
        name = package or f"pkg_{next(_counter)}_client"
        if isinstance(spec, dict):
            spec_path = tmp_path / f"{name}.json"
            spec_path.write_text(json.dumps(spec), encoding="utf-8")
        else:
            spec_path = spec
        out = tmp_path / name
        result = generate_package(spec_path, name)
        write_package(result.files, out)
        sys.path.insert(0, str(out))
        paths.append(str(out))
        imported.append(name)
        importlib.invalidate_caches()
        return importlib.import_module(name)

    yield _generate
    for name in imported:
        _forget(name)
    for path in paths:
        if path in sys.path:
            sys.path.remove(path)


def import_generated(package: str) -> ModuleType:
    """Import a committed package from generated/ (its project folder has the same name)."""
    path = str(GENERATED / package)
    if path not in sys.path:
        sys.path.insert(0, path)
    return importlib.import_module(package)


def generated_import_path() -> str:
    """A PYTHONPATH/MYPYPATH under which every committed generated package imports."""
    return os.pathsep.join(str(GENERATED / package) for package in GENERATED_PACKAGES)


def mypy_strict(*targets: str | Path, cwd: Path,
                mypy_path: str = "") -> subprocess.CompletedProcess[str]:
    """`mypy --strict` on `targets` from `cwd`, without a cache, with `mypy_path` as MYPYPATH."""
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", *map(str, targets)],
        cwd=cwd, capture_output=True, text=True, env={**os.environ, "MYPYPATH": mypy_path},
    )


@pytest.fixture
def server() -> Iterator[Any]:
    """A real HTTP server on 127.0.0.1, started for the test and stopped after it."""
    from tests.http_server import serve

    yield from serve()


# The property tests (tests/robustness/test_properties.py) draw from one seed per run: the
# one given with --hypothesis-seed, else a fresh one. It is printed in the header and with a
# failure, so `--hypothesis-seed=N` reruns exactly what failed; xdist workers get the same.
_SEED_KEY = "clientgen_hypothesis_seed"


@pytest.hookimpl(tryfirst=True)  # before hypothesis's plugin reads the option
def pytest_configure(config: pytest.Config) -> None:
    workerinput: dict[str, Any] | None = getattr(config, "workerinput", None)
    if config.getoption("hypothesis_seed") is None:
        config.option.hypothesis_seed = (workerinput[_SEED_KEY] if workerinput is not None
                                         else random.randrange(2**32))


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """xdist: every worker draws from the controller's seed."""
    node.workerinput[_SEED_KEY] = node.config.getoption("hypothesis_seed")


def _rerun_hint(config: pytest.Config) -> str:
    return f"hypothesis seed {config.getoption('hypothesis_seed')}: rerun with " \
           f"--hypothesis-seed={config.getoption('hypothesis_seed')}"


def pytest_report_header(config: pytest.Config) -> str:
    return _rerun_hint(config)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item,
                              call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    if report.failed and is_hypothesis_test(getattr(item, "obj", None)):
        report.sections.append(("Hypothesis seed", f"{_rerun_hint(item.config)} "
                                                    f"(python -m pytest '{item.nodeid}')"))
