"""The process that makes the models: datamodel-code-generator's first call imports ~0.35 s of
modules (pydantic models of its own among them), so a second process starts on it as soon as a
command knows it will generate, and loads the library while this one loads the pipeline and
the spec. Its jobs name their functions (`parallel.call`), so that this process imports
neither the library nor `models`.

The worker formats the models it made, unless this process is already waiting for them (its
own files done, as in a regeneration where they came from the cache): then it hands them over
unformatted, and this process, which loaded black while it waited, formats them. Whoever is
free first formats; the output is the same either way."""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the others are imported when used: a no-op `--check` needs none of them
    from concurrent.futures import Executor, Future
    from multiprocessing.synchronize import Event

    from .ir import Directions

_MODELS = f"{__package__}.models"
# imported by datamodel-code-generator's first call: once loaded, a worker would gain nothing
_LOADED_BY_FIRST_CALL = "datamodel_code_generator.config"
# Set by this process while it waits for the worker's models. A module global, so that a worker
# forked from it shares it; a worker started otherwise (spawn) sees None, and always formats.
_waiting: Event | None = None

Models = tuple[dict[str, str], bool]  # the modules, and whether they are formatted


@contextmanager
def model_worker(wanted: bool = True) -> Iterator[Executor]:
    """`parallel.worker_process`, warmed up by a first call of datamodel-code-generator;
    a job of this process when the library is loaded here already."""
    from .parallel import CONTEXT, worker_process

    global _waiting
    previous, _waiting = _waiting, CONTEXT.Event()  # before the worker is forked
    try:
        with worker_process(wanted and _LOADED_BY_FIRST_CALL not in sys.modules,
                            _warm_up) as worker:
            yield worker
    finally:
        _waiting = previous


def _warm_up() -> None:
    """The worker's first job: `models.warm_up`, with the cyclic garbage collector off while
    it imports (~115,000 new objects, which the collector would walk again and again: ~11%
    of the time) and the objects it leaves frozen, out of the collector's way."""
    from .parallel import call

    enabled = gc.isenabled()
    gc.disable()
    try:
        call(f"{_MODELS}:warm_up")
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def submit_models(worker: Executor, document: dict[str, Any], header: str,
                  expected: tuple[str, ...], directions: Directions) -> Future[Models]:
    """`models.generate_model_modules` as a job of `worker` (see `formatted_models`)."""
    from .parallel import call

    return worker.submit(call, f"{_MODELS}:worker_model_modules", document, header,
                         expected, directions)


def formatted_models(models: Future[Models]) -> dict[str, str]:
    """The modules of a `submit_models` job, formatted: by the worker, or here if they are not
    made yet (this process has nothing else to do; it loads black meanwhile)."""
    from .format import format_python, load_black

    waiting = _waiting
    try:
        if waiting is not None and not models.done():
            waiting.set()
            load_black()
        modules, formatted = models.result()
    finally:
        if waiting is not None:
            waiting.clear()  # for the next job: the worker formats unless told otherwise
    return modules if formatted else format_python(modules)


def caller_waits() -> bool:
    """On the worker: whether the process that submitted the job waits for it already."""
    return _waiting is not None and _waiting.is_set()
