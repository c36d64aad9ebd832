"""A content-addressed cache of generated text, so a regeneration redoes only what changed.

Entries live under `$CLIENTGEN_CACHE_DIR` (default `~/.cache/clientgen`; set it to the empty
string to disable caching), one directory per kind of entry, one file per key. The key is a
hash of everything that shaped the entry, so an entry is never stale, only unused.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

CACHE_ENV = "CLIENTGEN_CACHE_DIR"


def directory() -> Path | None:
    configured = os.environ.get(CACHE_ENV)
    if configured == "":
        return None  # explicitly disabled
    return Path(configured) if configured else Path(
        os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    ) / "clientgen"


def read(kind: str, key: str) -> str | None:
    base = directory()
    if base is None:
        return None
    try:
        return (base / kind / key).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def write(kind: str, key: str, text: str) -> None:
    """Best effort: a cache that cannot be written only costs speed."""
    base = directory()
    if base is None:
        return
    folder = base / kind
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder)
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, folder / key)
    except OSError:
        pass
