"""`clientgen generate --watch`: regenerate a package whenever one of its inputs changes.

A regeneration in a new process pays for its imports each time (datamodel-code-generator's
alone are ~0.3 s of the ~0.45 s that one new field in specs/fivetran.yaml takes); a watching
process keeps them, and its models' worker, loaded: the same change then takes ~0.25 s from
the save to the written package.

The inputs of a target are its spec and the files the spec `$ref`s, as the package's manifest
lists them after the last run that wrote it. They are polled (their modification time and
size): the standard library has no portable file-change notification, and stat-ing a handful of
files ten times a second costs nothing that shows. A file changed while its target was being
generated is seen at the next poll, so the package always ends up made from what was saved
last. A run that fails (an invalid spec) leaves the package as it was and the watch goes on.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from .config import Target
from .manifest import MANIFEST

Stamp = tuple[int, int] | None  # modification time (ns) and size; None: not there
DEFAULT_INTERVAL = 0.1  # seconds between polls


def inputs(target: Target) -> list[Path]:
    """The files `target` is made from: its spec, and the files its package's manifest says
    the spec `$ref`s (none when there is no package yet, or no readable manifest)."""
    found = [target.spec]
    try:
        recorded = json.loads((target.out / MANIFEST).read_text(encoding="utf-8"))
        refs = recorded["inputs"]["refs"]
    except (OSError, ValueError, KeyError, TypeError):
        return found
    folder = target.spec.parent
    found.extend(folder / name for name in sorted(refs) if isinstance(name, str))
    return found


def _stamp(path: Path) -> Stamp:
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size


def _stamps(paths: Sequence[Path]) -> dict[Path, Stamp]:
    return {path: _stamp(path) for path in paths}


def watch(targets: Sequence[Target], regenerate: Callable[[Target], object],
          display: Callable[[Path], str], interval: float = DEFAULT_INTERVAL,
          quiet: bool = False) -> None:
    """Poll the inputs of `targets` every `interval` seconds and call `regenerate` for each
    target one of whose inputs changed. Returns when interrupted (Ctrl-C) between runs.
    `quiet`: no progress lines (what was seen, that it stopped)."""

    def say(line: str) -> None:
        if not quiet:
            print(line, file=sys.stderr)

    seen = [_stamps(inputs(target)) for target in targets]
    count = len({path for stamps in seen for path in stamps})
    say(f"watching {count} file{'s' if count != 1 else ''} for changes (Ctrl-C to stop)")
    while True:
        try:
            time.sleep(interval)
        except KeyboardInterrupt:  # while a run writes, main() says what was left as it was
            say("stopped watching")
            return
        for index, target in enumerate(targets):
            now = _stamps(list(seen[index]))
            changed = [path for path, stamp in now.items() if stamp != seen[index][path]]
            if not changed:
                continue
            names = ", ".join(display(path) for path in changed)
            say(f"{names} changed: regenerating")
            regenerate(target)
            # for the files watched before the run, the stamps read before it, so that a save
            # during the run is seen at the next poll; for the files it added, the current ones
            seen[index] = {path: now.get(path, stamp)
                           for path, stamp in _stamps(inputs(target)).items()}
