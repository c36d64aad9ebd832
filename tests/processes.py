"""Helpers for tests that run clientgen as a process and look at the processes it leaves, and
the small spec they (and others) generate."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

# for a test module that finds processes through /proc
LINUX_PROCESSES = pytest.mark.skipif(not Path("/proc/self/stat").exists(),
                                     reason="finds child processes through /proc (Linux)")

# A small spec: one operation, one model.
SPEC = """\
openapi: 3.1.0
info: {title: Pets, version: "1"}
servers: [{url: "https://api.example.com"}]
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Pet"}}
components:
  schemas:
    Pet: {type: object, properties: {name: {type: string}}}
"""

# `python -m clientgen` (`cli.run`), with Python's own Ctrl-C handler even where the test
# runner's process ignores SIGINT (the child would inherit that, and then never see Ctrl-C).
CLIENTGEN = ("import signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
             "from clientgen.cli import run; run()")


def status(pid: int) -> tuple[int, str] | None:
    """(parent id, state) of process `pid`, or None when it no longer exists."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8")
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()  # after the command name, which may hold spaces
    return int(fields[1]), fields[0]


def alive(pid: int) -> bool:
    found = status(pid)
    return found is not None and found[1] != "Z"  # a zombie has ended; nobody reaped it yet


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            state = status(int(entry.name))
            if state is not None and state[0] == pid and state[1] != "Z":
                found.append(int(entry.name))
    return found


def within(seconds: float, predicate: Callable[[], bool]) -> bool:
    """Whether `predicate` holds within `seconds` (polled)."""
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True
