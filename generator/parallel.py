"""CPU-bound work spread over worker processes when there is enough of it.

A worker never outlives the process that started it: it dies with its parent (kill -9
included, which runs no clean-up in the parent), ignores Ctrl-C (the parent handles it and
ends the workers, so no worker prints a traceback), and holds none of the parent's output
streams, so a caller reading them sees their end as soon as the parent is gone."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import importlib
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
# Workers are forks where that is safe (Linux): they start with what this process imported,
# and share what it made before (model_worker's Event). Python 3.14 made "forkserver" the
# default there, whose workers do neither (and whose parent is the fork server, which
# `_die_with_parent` would take for its parent's death). Elsewhere, the platform's default.
CONTEXT = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else None)
_PARENT_POLL_SECONDS = 0.2


def _die_with_parent(parent: int) -> None:
    """Worker initializer: tie this process's life to `parent`'s."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):  # blocked by `_forking` until now
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    with open(os.devnull, "r+b") as devnull:  # let go of the caller's pipes
        for stream in (0, 1, 2):
            with contextlib.suppress(OSError):
                os.dup2(devnull.fileno(), stream)
    if sys.platform.startswith("linux") and _request_death_signal():
        if os.getppid() != parent:  # the parent died before the request took effect
            os._exit(1)
        return
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _request_death_signal() -> bool:
    """Ask Linux to SIGKILL this process when its parent dies; whether that worked."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        return bool(libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0)
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    """Where there is no death signal: exit once the parent is gone (we get a new parent)."""
    while os.getppid() == parent:
        time.sleep(_PARENT_POLL_SECONDS)
    os._exit(1)


@contextmanager
def _forking() -> Iterator[None]:
    """Around a pool's first jobs, whose submission forks the workers: Ctrl-C is held back
    (not lost) here, so a worker is born with it blocked and cannot take it before its
    initializer ignores it (a child's traceback on the terminal, otherwise)."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, mp_context=CONTEXT,
                               initializer=_die_with_parent, initargs=(os.getpid(),))


@contextmanager
def _ended_on_failure(pool: ProcessPoolExecutor) -> Iterator[ProcessPoolExecutor]:
    """`pool`, shut down normally when the block succeeds; on an exception or Ctrl-C its
    workers are killed at once instead of finishing (or starting) their jobs."""
    finished = False
    try:
        yield pool
        pool.shutdown(wait=True)
        finished = True
    finally:
        if not finished:
            _terminate(pool)


def _terminate(pool: ProcessPoolExecutor) -> None:
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        with contextlib.suppress(OSError, ValueError):
            process.kill()
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(OSError, ValueError, AssertionError):
            process.join(timeout=5)


def parallel_map(function: Callable[[Item], Result], items: Sequence[Item],
                 parallel: bool, chunksize: int = 1) -> list[Result]:
    """`[function(item) for item in items]`, on worker processes when `parallel` and the
    machine has more than one core; results keep the order of `items`."""
    workers = min(os.cpu_count() or 1, 8, len(items))
    if not parallel or workers < 2:
        return [function(item) for item in items]
    with _ended_on_failure(_pool(workers)) as pool:
        with _forking():
            results = pool.map(function, items, chunksize=chunksize)
        return list(results)


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
    no warm-up (here it would only cost time). Leaving the block ends the worker at once,
    whatever it is doing: the caller waits inside it for the results it needs, and is not
    kept waiting for a warm-up that no job needed (an invalid spec, Ctrl-C)."""
    if not wanted or (os.cpu_count() or 1) < 2:
        yield _Here()
        return
    pool = _pool(1)
    try:
        with _forking():
            pool.submit(warm_up if warm_up is not None else _nothing)
        yield pool
    finally:
        _terminate(pool)


def call(target: str, /, *args: Any) -> Any:
    """`target` ("package.module:function") called with `args`: a job that names its function,
    so that whoever submits it need not import the function's module (only the worker does)."""
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)(*args)


def _nothing() -> None:
    """A first job, so that the worker starts (and forks) where `_forking` says."""
