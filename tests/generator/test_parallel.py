"""Work on other processes: results and errors come back as if computed here."""

from __future__ import annotations

import os

import pytest
from clientgen.diagnostics import Diagnostic, Level, SpecError
from clientgen.parallel import parallel_map, worker_process


def _pid_and_square(n: int) -> tuple[int, int]:
    return os.getpid(), n * n


def _fail(message: str) -> None:
    raise SpecError([Diagnostic(Level.ERROR, message, "/paths", hint="fix it")])


@pytest.mark.parametrize("wanted", [True, False])
def test_a_worker_process_runs_its_jobs_in_order_and_returns_their_results(wanted: bool) -> None:
    with worker_process(wanted) as worker:
        first, second = worker.submit(_pid_and_square, 7), worker.submit(_pid_and_square, 8)
        (pid, square), (same_pid, next_square) = first.result(), second.result()
    assert (square, next_square) == (49, 64) and pid == same_pid
    assert (pid != os.getpid()) == (wanted and (os.cpu_count() or 1) > 1)


_WARMED = "CLIENTGEN_TEST_WARMED"


def _warm() -> None:
    os.environ[_WARMED] = "1"


def _was_warmed() -> bool:
    return os.environ.get(_WARMED) == "1"


@pytest.mark.parametrize("wanted", [True, False])
def test_the_warm_up_runs_first_on_the_worker_and_never_here(wanted: bool) -> None:
    with worker_process(wanted, _warm) as worker:
        warmed = worker.submit(_was_warmed).result()
    assert warmed == (wanted and (os.cpu_count() or 1) > 1)
    assert not _was_warmed()


def test_a_spec_error_raised_on_the_worker_keeps_its_diagnostics() -> None:
    with pytest.raises(SpecError) as caught, worker_process() as worker:
        worker.submit(_fail, "bad $ref").result()
    [diagnostic] = caught.value.diagnostics
    assert (diagnostic.message, diagnostic.pointer, diagnostic.hint) == ("bad $ref", "/paths",
                                                                         "fix it")


def test_parallel_map_keeps_the_order_of_its_items() -> None:
    assert [square for _, square in parallel_map(_pid_and_square, range(20), parallel=True,
                                                 chunksize=3)] == [n * n for n in range(20)]
