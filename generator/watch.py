"""`clientgen generate --watch`: generate, then regenerate a package whenever one of its inputs
changes.

A regeneration in a new process pays for its imports each time (datamodel-code-generator's
alone are ~0.3 s of the ~0.45 s that one new field in specs/fivetran.yaml takes); a watching
process keeps them, and its models' worker, loaded: the same change is in the package ~0.3 s
after the save (benchmarks/run.py's watch row).

The inputs of a target are its spec, the files the spec `$ref`s as the package's manifest
lists them, and every file the last run asked for, read or not (so a `$ref` to a file not
written yet is seen when the file comes). They are polled, by their modification time, size and
inode: the standard library has no portable file-change notification, and stat-ing a handful
of files ten times a second costs nothing that shows. A file saved while its target was being
generated is seen at the next poll, so the package always ends up made from what was saved
last. While the spec is missing (an editor that saves by renaming the old file away first) the
target waits for it.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from .config import Target
from .manifest import referenced_files

Stamp = tuple[int, int, int] | None  # modification time (ns), size, inode; None: not there
DEFAULT_INTERVAL = 0.1  # seconds between polls


def _normal(path: Path) -> Path:
    """One spelling per file: the manifest's `folder/../x.yaml` and the loader's `/x.yaml`."""
    return Path(os.path.abspath(path))


def _stamp(path: Path) -> Stamp:
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size, status.st_ino


def _stamps(paths: Iterable[Path]) -> dict[Path, Stamp]:
    return {path: _stamp(path) for path in sorted(paths)}


def _inputs(target: Target) -> set[Path]:
    """The files the package's manifest says `target` was made from."""
    return {_normal(path) for path in (target.spec, *referenced_files(target.spec, target.out))}


def _run(target: Target, regenerate: Callable[[Target], object],
         before: dict[Path, Stamp]) -> dict[Path, Stamp]:
    """Regenerate `target`; the stamps the next polls compare with: each file's from before
    the run read it (so a save during the run is seen at the next poll): for the files watched
    before the run, those of then; for a file the run read first, those of its first read;
    for the others the manifest names, the current ones."""
    from .load import reads_seen  # loaded by the run anyway; not by a plain `generate`

    asked: dict[Path, Stamp] = {}

    def seen(path: Path) -> None:
        path = _normal(path)
        if path not in asked:
            asked[path] = _stamp(path)

    with reads_seen(seen):
        regenerate(target)
    return {path: before.get(path, asked.get(path, stamp))
            for path, stamp in _stamps(_inputs(target) | set(asked)).items()}


def _due(targets: Sequence[Target], seen: list[dict[Path, Stamp]]
         ) -> list[tuple[int, dict[Path, Stamp], list[Path]]]:
    """Each target to regenerate: its index, its inputs' stamps now, and the inputs that
    changed since `seen` (a target whose spec is missing waits)."""
    found = []
    for index, target in enumerate(targets):
        now = _stamps(seen[index])
        changed = [path for path, stamp in now.items() if stamp != seen[index][path]]
        if changed and now[_normal(target.spec)] is not None:
            found.append((index, now, changed))
    return found


def watch(targets: Sequence[Target], regenerate: Callable[[Target], object],
          display: Callable[[Path], str], interval: float = DEFAULT_INTERVAL,
          quiet: bool = False, sleep: Callable[[float], None] = time.sleep) -> None:
    """`regenerate` each target, then poll the inputs of `targets` every `interval` seconds
    and `regenerate` each target one of whose inputs changed. Returns when interrupted
    (Ctrl-C) between runs. `quiet`: no progress lines (what was seen, that it stopped)."""

    def say(line: str) -> None:
        if not quiet:
            print(line, file=sys.stderr)

    # Ctrl-C between runs ends the watch; during a run, main() says what was left as it was.
    # Between runs is more than the sleep: the main thread, which runs Python's handler, may
    # see a signal that another thread (the worker pool's) received once its sleep is over,
    # or that came as a run printed its last line.
    running = False

    def run(target: Target) -> None:
        nonlocal running
        running = True
        regenerate(target)
        running = False

    try:
        seen = [_run(target, run, _stamps(_inputs(target))) for target in targets]
        count = len({path for stamps in seen for path in stamps})
        say(f"watching {count} file{'s' if count != 1 else ''} for changes (Ctrl-C to stop)")
        while True:
            sleep(interval)
            for index, now, changed in _due(targets, seen):
                say(f"{', '.join(display(path) for path in changed)} changed: regenerating")
                seen[index] = _run(targets[index], run, now)
    except KeyboardInterrupt:
        if running:
            raise
        say("stopped watching")
