"""CPU-bound work spread over worker processes when there is enough of it."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


def parallel_map(function: Callable[[Item], Result], items: Sequence[Item],
                 parallel: bool, chunksize: int = 1) -> list[Result]:
    """`[function(item) for item in items]`, on worker processes when `parallel` and the
    machine has more than one core; results keep the order of `items`."""
    workers = min(os.cpu_count() or 1, 8, len(items))
    if not parallel or workers < 2:
        return [function(item) for item in items]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(function, items, chunksize=chunksize))


class _Here(Executor):
    """An executor that runs each job when it is submitted, on this process."""

    def submit(self, fn: Callable[..., Result], /, *args: Any, **kwargs: Any) -> Future[Result]:
        future: Future[Result] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:  # handed to whoever asks for the result, as a pool does
            future.set_exception(exc)
        return future


@contextmanager
def worker_process(wanted: bool = True, warm_up: Callable[[], object] | None = None
                   ) -> Iterator[Executor]:
    """A second process that runs the jobs given to it in order, `warm_up` first, so a job
    finds loaded what the jobs before it imported; the caller works meanwhile. Without
    `wanted`, or on a one-core machine, each job runs here when it is submitted, and there is
    no warm-up (here it would only cost time). Leaving the block waits for the jobs."""
    if not wanted or (os.cpu_count() or 1) < 2:
        yield _Here()
        return
    with ProcessPoolExecutor(max_workers=1) as pool:
        if warm_up is not None:
            pool.submit(warm_up)
        yield pool
