"""CPU-bound work spread over worker processes when there is enough of it."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import TypeVar

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


@contextmanager
def in_background(function: Callable[[Item], Result], item: Item
                  ) -> Iterator[Callable[[], Result]]:
    """Start `function(item)` on a worker process and yield what waits for its result (which
    raises what it raised), so the caller works meanwhile; on a one-core machine it runs when
    its result is asked for. Leaving the block waits for the worker."""
    if (os.cpu_count() or 1) < 2:
        yield lambda: function(item)
        return
    with ProcessPoolExecutor(max_workers=1) as pool:
        yield pool.submit(function, item).result
