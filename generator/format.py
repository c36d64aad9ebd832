"""The format step: black, in-process, on every generated Python file."""

from __future__ import annotations

import black
from black.mode import Mode, TargetVersion
from black.parsing import InvalidInput

from .diagnostics import Diagnostic, Level, SpecError

MODE = Mode(target_versions={TargetVersion.PY311}, line_length=100)


def format_python(files: dict[str, str]) -> dict[str, str]:
    """Format the `.py` files of `files`; other files pass through unchanged."""
    result = {}
    for path, text in files.items():
        if path.endswith(".py"):
            try:
                text = black.format_str(text, mode=MODE)
            except InvalidInput as exc:
                raise SpecError([Diagnostic(
                    Level.ERROR,
                    f"internal error: generated {path} is not valid Python ({exc})",
                    hint="this is a bug in clientgen: please report it together with the spec",
                )]) from exc
        result[path] = text
    return result
