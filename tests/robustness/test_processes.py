"""No process outlives a run: kill -9 of clientgen takes its worker with it, Ctrl-C ends the run
with exit 130 and no worker traceback, and a failing run does not wait for the worker."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from clientgen import model_worker, models, parallel
from clientgen.cli import main

from tests.conftest import ROOT
from tests.processes import CLIENTGEN, LINUX_PROCESSES, SPEC, alive, children, within

pytestmark = LINUX_PROCESSES


@contextlib.contextmanager
def _clientgen(*argv: str, cwd: Path) -> Iterator[subprocess.Popen[bytes]]:
    """clientgen ARGV running in its own session (as a terminal's job is its own group), with
    piped output; whatever is left of the session is killed on the way out."""
    process = subprocess.Popen(
        [sys.executable, "-c", CLIENTGEN, *argv], cwd=cwd, stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "CLIENTGEN_CACHE_DIR": ""},
    )
    try:
        yield process
    finally:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.communicate(timeout=5)


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    # enough schemas that a generation takes a few seconds (~3 s at 2,000 here; 300 took 0.6 s
    # once the command got faster), so a signal finds it at work
    padding = "".join(f"    Thing{n}: {{type: object, properties: {{a: {{type: string}}, "
                      f"b: {{type: integer}}, c: {{$ref: '#/components/schemas/Pet'}}}}}}\n"
                      for n in range(2000))
    (tmp_path / "spec.yaml").write_text(SPEC + padding, encoding="utf-8")
    return tmp_path / "spec.yaml"


def _worker_of(process: subprocess.Popen[bytes]) -> int:
    """The worker process clientgen starts at once to load the models library."""
    workers: list[int] = []

    def started() -> bool:
        workers[:] = children(process.pid)
        return bool(workers)

    assert within(20, started), "clientgen started no worker"
    return workers[0]


def test_kill_9_of_a_running_generate_leaves_no_process_and_closes_its_output(
    spec: Path,
) -> None:
    with _clientgen("generate", "spec.yaml", "--out", "out", cwd=spec.parent) as process:
        worker = _worker_of(process)
        os.kill(process.pid, signal.SIGKILL)
        try:  # returns only once every holder of the pipes, the worker too, has let go
            process.communicate(timeout=5)
        except subprocess.TimeoutExpired:
            pytest.fail("the worker keeps the caller's stdout/stderr open")
        assert within(1.5, lambda: not alive(worker)), "the worker outlived clientgen"


@pytest.mark.parametrize("delay", [0.0, 0.3, 0.8])
def test_ctrl_c_exits_130_without_a_worker_traceback_and_leaves_no_process(
    spec: Path, delay: float,
) -> None:
    with _clientgen("generate", "spec.yaml", "--out", "out", cwd=spec.parent) as process:
        worker = _worker_of(process)
        time.sleep(delay)  # before, during and after the worker's warm-up
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        _, stderr = process.communicate(timeout=20)
        assert process.returncode == 130, stderr.decode()
        assert b"Traceback" not in stderr
        assert b"interrupted" in stderr
        assert within(1.5, lambda: not alive(worker))
    assert not (spec.parent / "out").exists()


def _slow_warm_up() -> None:
    time.sleep(20)


def test_an_invalid_spec_is_reported_without_waiting_for_the_worker_warm_up(
    spec: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    spec.write_text(SPEC.replace("type: string", "type: strng"), encoding="utf-8")
    monkeypatch.chdir(spec.parent)
    # as on the first run in a fresh process on a machine with a second core
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(model_worker, "_LOADED_BY_FIRST_CALL", "not.a.module")
    monkeypatch.setattr(models, "warm_up", _slow_warm_up)  # the worker is a fork of this one
    started = time.monotonic()
    assert main(["generate", "spec.yaml", "--out", "out"]) == 1
    assert time.monotonic() - started < 5
    assert "unknown type 'strng'" in capsys.readouterr().err
    assert within(2, lambda: not multiprocessing.active_children())


def test_a_failing_parallel_map_ends_its_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    started = time.monotonic()
    with pytest.raises(ZeroDivisionError):
        parallel.parallel_map(_slow_or_failing, [0, 20], parallel=True)
    assert time.monotonic() - started < 5
    assert within(2, lambda: not multiprocessing.active_children())


def _slow_or_failing(seconds: int) -> float:
    time.sleep(seconds)
    return 1 / seconds


# A parent that starts a child watching it (as a worker does where there is no death signal),
# prints the child's id (and the child says when it watches), and waits to be killed.
_WATCHED = """\
import subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c",
    "import os, threading, time; from clientgen import parallel; "
    "threading.Thread(target=parallel._watch_parent, args=(os.getppid(),), daemon=True).start(); "
    "print('watching', flush=True); time.sleep(60)"])
print(child.pid, flush=True)
time.sleep(60)
"""


def test_without_a_death_signal_a_worker_notices_its_parent_is_gone(tmp_path: Path) -> None:
    parent = subprocess.Popen([sys.executable, "-c", _WATCHED], stdout=subprocess.PIPE,
                              start_new_session=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert parent.stdout is not None
        child = int(parent.stdout.readline())
        assert parent.stdout.readline() == b"watching\n"
        os.kill(parent.pid, signal.SIGKILL)
        assert within(1.5, lambda: not alive(child)), "the watching child outlived its parent"
    finally:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(parent.pid, signal.SIGKILL)
        parent.wait(timeout=5)
