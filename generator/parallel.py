"""CPU-bound work spread over worker processes when there is enough of it."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
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
