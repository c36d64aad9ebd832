"""The process that makes the models: datamodel-code-generator's first call imports ~0.35 s of
modules (pydantic models of its own among them), so a second process starts on it as soon as a
command knows it will generate, and loads the library while this one loads the pipeline and
the spec. Its jobs name their functions (`parallel.call`), so that this process imports
neither the library nor `models`."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from concurrent.futures import Executor, Future
from contextlib import contextmanager
from functools import partial
from typing import TYPE_CHECKING, Any

from .parallel import call, worker_process

if TYPE_CHECKING:
    from .ir import Directions

_MODELS = f"{__package__}.models"
# imported by datamodel-code-generator's first call: once loaded, a worker would gain nothing
_LOADED_BY_FIRST_CALL = "datamodel_code_generator.config"


@contextmanager
def model_worker(wanted: bool = True) -> Iterator[Executor]:
    """`parallel.worker_process`, warmed up by a first call of datamodel-code-generator;
    a job of this process when the library is loaded here already."""
    with worker_process(wanted and _LOADED_BY_FIRST_CALL not in sys.modules,
                        partial(call, f"{_MODELS}:warm_up")) as worker:
        yield worker


def formatted_models(worker: Executor, document: dict[str, Any], header: str,
                     expected: tuple[str, ...], directions: Directions) -> Future[dict[str, str]]:
    """`models.generate_model_modules`, formatted, as a job of `worker`."""
    return worker.submit(call, f"{_MODELS}:formatted_model_modules", document, header,
                         expected, directions)
