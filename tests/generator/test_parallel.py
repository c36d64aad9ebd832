"""Work on other processes: results and errors come back as if computed here."""

from __future__ import annotations

import os

import pytest

from generator.diagnostics import Diagnostic, Level, SpecError
from generator.parallel import in_background, parallel_map


def _pid_and_square(n: int) -> tuple[int, int]:
    return os.getpid(), n * n


def _fail(message: str) -> None:
    raise SpecError([Diagnostic(Level.ERROR, message, "/paths", hint="fix it")])


def test_in_background_runs_on_another_process_and_returns_its_result() -> None:
    with in_background(_pid_and_square, 7) as result:
        pid, square = result()
    assert square == 49
    assert pid != os.getpid() or (os.cpu_count() or 1) < 2


def test_a_spec_error_raised_in_the_background_keeps_its_diagnostics() -> None:
    with pytest.raises(SpecError) as caught, in_background(_fail, "bad $ref") as result:
        result()
    [diagnostic] = caught.value.diagnostics
    assert (diagnostic.message, diagnostic.pointer, diagnostic.hint) == ("bad $ref", "/paths",
                                                                         "fix it")


def test_parallel_map_keeps_the_order_of_its_items() -> None:
    assert [square for _, square in parallel_map(_pid_and_square, range(20), parallel=True,
                                                 chunksize=3)] == [n * n for n in range(20)]
