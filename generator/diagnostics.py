"""Problems found in a spec, as values: collected during a run and reported together."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .load import LoadedSpec


class Level(enum.Enum):
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True, order=True)
class Location:
    file: str
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    # The JSON pointer inside `file`; differs from the diagnostic's pointer (into the bundled
    # document) when the node came from another file through a `$ref`.
    pointer: str = ""

    def __str__(self) -> str:
        parts = [self.file]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


@dataclass(frozen=True)
class Diagnostic:
    level: Level
    message: str
    pointer: str = ""  # JSON pointer into the document, e.g. /paths/~1v1~1things/get
    location: Location | None = None
    hint: str = ""

    def format(self) -> str:
        where = f"{self.location}: " if self.location else ""
        text = f"{where}{self.level.value}: {self.message}"
        pointer = self.location.pointer if self.location and self.location.pointer else \
            self.pointer
        if pointer:
            text += f"\n  at {pointer}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


@dataclass
class Diagnostics:
    """The collector every stage appends to."""

    items: list[Diagnostic] = field(default_factory=list)
    _seen: set[Diagnostic] = field(default_factory=set, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._seen.update(self.items)

    def add(self, diagnostic: Diagnostic) -> None:
        """Record a problem; the same problem found twice (by two stages) is kept once."""
        if diagnostic in self._seen:
            return
        self._seen.add(diagnostic)
        self.items.append(diagnostic)

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        for diagnostic in diagnostics:
            self.add(diagnostic)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.level is Level.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.level is Level.WARNING]

    def sorted(self) -> list[Diagnostic]:
        """Errors first, then by position in the document, so reports are stable."""
        return sort_diagnostics(self.items)


@dataclass
class Reporter:
    """Records problems of one spec as diagnostics located in its files: the error/warning
    helpers that validation and the IR build report through."""

    spec: LoadedSpec
    diagnostics: Diagnostics

    def report(self, level: Level, message: str, pointer: str, hint: str = "") -> None:
        self.diagnostics.add(Diagnostic(level, message, pointer, self.spec.locate(pointer), hint))

    def error(self, message: str, pointer: str, hint: str = "") -> None:
        self.report(Level.ERROR, message, pointer, hint)

    def warning(self, message: str, pointer: str, hint: str = "") -> None:
        self.report(Level.WARNING, message, pointer, hint)


def sort_diagnostics(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Errors first, then by file, line, column, pointer and message: a stable order that
    does not depend on the order in which stages found the problems."""

    def key(d: Diagnostic) -> tuple[bool, str, int, int, str, str]:
        location = d.location or Location("")
        return (d.level is not Level.ERROR, location.file, location.line or 0,
                location.column or 0, d.pointer, d.message)

    return sorted(diagnostics, key=key)


def summary(diagnostics: list[Diagnostic]) -> str:
    """`2 errors, 1 warning`."""
    errors = sum(1 for d in diagnostics if d.level is Level.ERROR)
    warnings = len(diagnostics) - errors
    parts = [f"{errors} error{'s' if errors != 1 else ''}"] if errors else []
    if warnings or not errors:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return ", ".join(parts)


class SpecError(Exception):
    """Raised when a stage cannot go on; carries every diagnostic found so far."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("\n".join(d.format() for d in diagnostics))
        self.diagnostics = diagnostics

    def __reduce__(self) -> tuple[type[SpecError], tuple[list[Diagnostic]]]:
        return SpecError, (self.diagnostics,)  # raised on a worker process, re-raised here
