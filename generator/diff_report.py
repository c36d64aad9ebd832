"""The result of `clientgen diff` as values, and its renderings: text, Markdown, JSON, changelog.

Kept apart from the comparison (diff.py) and the public-API extraction (api_surface.py) so both
can produce changes without importing each other, and renderers see only plain data.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from .diagnostics import Location


class Severity(enum.IntEnum):
    """What a change does to a client user; ordered so that `max` finds the worst."""

    NON_BREAKING = 0
    POTENTIALLY_BREAKING = 1
    BREAKING = 2

    @property
    def label(self) -> str:
        return self.name.lower().replace("_", "-")

    @classmethod
    def from_label(cls, label: str) -> Severity:
        return cls[label.upper().replace("-", "_")]


@dataclass(frozen=True)
class Change:
    """One API-level change between two specs."""

    kind: str  # stable identifier, e.g. "property-removed"
    severity: Severity
    message: str
    pointer: str  # JSON pointer: into NEW, or into OLD when the thing was removed
    side: Literal["old", "new"]
    location: Location | None = None
    # For schema changes: where the schema is used ("request", "response"; "unused" when no
    # operation reaches it). The severity already accounts for it.
    usage: tuple[str, ...] = ()

    @property
    def where(self) -> str:
        return str(self.location) if self.location else ""


@dataclass(frozen=True)
class ApiChange:
    """One change in the public Python API of the generated package."""

    kind: str  # "<symbol kind>-added" / "-removed" / "-changed", e.g. "parameter-added"
    severity: Severity
    message: str
    symbol: str  # e.g. PetsResource.list(limit), models.Pet.name


@dataclass(frozen=True)
class DiffReport:
    old: str  # the sources as the user named them
    new: str
    title: str  # of NEW, for the changelog heading
    old_version: str
    new_version: str
    changes: tuple[Change, ...]
    api_changes: tuple[ApiChange, ...] | None  # None: the generated API was not compared
    api_note: str = ""  # why it was not compared, or what to know about it

    def all_severities(self) -> list[Severity]:
        return [c.severity for c in self.changes] + [c.severity for c in self.api_changes or ()]

    def count(self, severity: Severity) -> int:
        return sum(1 for c in self.changes if c.severity is severity)

    @property
    def worst(self) -> Severity | None:
        return max(self.all_severities(), default=None)


_ORDER = (Severity.BREAKING, Severity.POTENTIALLY_BREAKING, Severity.NON_BREAKING)
_TITLES = {
    Severity.BREAKING: "Breaking",
    Severity.POTENTIALLY_BREAKING: "Potentially breaking",
    Severity.NON_BREAKING: "Non-breaking",
}
_ANSI = {
    Severity.BREAKING: "\033[1;31m",
    Severity.POTENTIALLY_BREAKING: "\033[33m",
    Severity.NON_BREAKING: "\033[32m",
}
_DIM, _RESET = "\033[2m", "\033[0m"


def _usage_note(change: Change) -> str:
    if not change.usage:
        return ""
    if change.usage == ("unused",):
        return " (used by no operation)"
    return " (in " + " and ".join(f"{u}s" for u in change.usage) + ")"


def _summary(report: DiffReport) -> str:
    text = ", ".join(f"{report.count(s)} {s.label}" for s in _ORDER) if report.changes \
        else "no API changes"
    api_breaking = sum(1 for c in report.api_changes or () if c.severity is Severity.BREAKING)
    if api_breaking:  # e.g. a renamed operationId: harmless on the wire, not in Python
        text += f"; {api_breaking} breaking in the generated Python API"
    return text


def _by_severity(changes: Iterable[Change]) -> dict[Severity, list[Change]]:
    grouped: dict[Severity, list[Change]] = {s: [] for s in _ORDER}
    for change in changes:
        grouped[change.severity].append(change)
    return grouped


def render_text(report: DiffReport, color: bool = False) -> str:
    def paint(text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if color else text

    lines = [f"clientgen diff {report.old} -> {report.new}: {_summary(report)}"]
    for severity, changes in _by_severity(report.changes).items():
        if not changes:
            continue
        lines += ["", paint(f"{_TITLES[severity]} ({len(changes)})", _ANSI[severity])]
        for change in changes:
            lines.append(f"  {paint(change.kind, _ANSI[severity])}: "
                         f"{change.message}{_usage_note(change)}")
            lines.append(paint(f"      {change.where}  {change.pointer}".rstrip(), _DIM))
    lines += ["", *_api_text(report, paint)]
    return "\n".join(lines).rstrip() + "\n"


def _api_text(report: DiffReport, paint: Callable[[str, str], str]) -> list[str]:
    if report.api_changes is None:
        return [f"Generated Python API: not compared ({report.api_note})"]
    if not report.api_changes:
        return ["Generated Python API: unchanged"]
    lines = [f"Generated Python API ({len(report.api_changes)} changes"
             f"{'; ' + report.api_note if report.api_note else ''}):"]
    for change in report.api_changes:
        label = paint(f"{change.severity.label:>20}", _ANSI[change.severity])
        lines.append(f"  {label}  {change.message}")
    return lines


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")


MARKDOWN_MARKER = "<!-- clientgen-diff -->"  # lets CI find and update its own PR comment


def render_markdown(report: DiffReport) -> str:
    worst = report.worst
    icon = {Severity.BREAKING: ":red_circle:", Severity.POTENTIALLY_BREAKING: ":warning:",
            Severity.NON_BREAKING: ":green_circle:", None: ":white_check_mark:"}[worst]
    lines = [
        MARKDOWN_MARKER,
        f"### {icon} API changes: `{report.old}` → `{report.new}`",
        "",
        f"**{_summary(report)}**",
    ]
    for severity, changes in _by_severity(report.changes).items():
        if not changes:
            continue
        lines += ["", f"#### {_TITLES[severity]} ({len(changes)})", "",
                  "| change | what | where |", "|---|---|---|"]
        for change in changes:
            where = f"`{change.where}`<br>`{change.pointer}`" if change.where else \
                f"`{change.pointer}`"
            lines.append(f"| `{change.kind}` | {_cell(change.message + _usage_note(change))} "
                         f"| {_cell(where)} |")
    lines.append("")
    if report.api_changes is None:
        lines.append(f"_Generated Python API: not compared ({report.api_note})._")
    elif not report.api_changes:
        lines.append("_Generated Python API: unchanged._")
    else:
        lines += ["<details><summary>Generated Python API: "
                  f"{len(report.api_changes)} changes</summary>", ""]
        if report.api_note:
            lines += [f"_{report.api_note}_", ""]
        lines += ["| severity | change |", "|---|---|"]
        for api_change in report.api_changes:
            lines.append(f"| {api_change.severity.label} | {_cell(api_change.message)} |")
        lines += ["", "</details>"]
    return "\n".join(lines) + "\n"


def render_json(report: DiffReport) -> str:
    def location(change: Change) -> dict[str, object] | None:
        if change.location is None:
            return None
        return {"file": change.location.file, "line": change.location.line,
                "column": change.location.column}

    document = {
        "old": report.old,
        "new": report.new,
        "summary": {s.label: report.count(s) for s in _ORDER},
        "worst": report.worst.label if report.worst is not None else None,
        "changes": [
            {"kind": c.kind, "severity": c.severity.label, "message": c.message,
             "pointer": c.pointer, "side": c.side, "location": location(c),
             "usage": list(c.usage)}
            for c in report.changes
        ],
        "api_changes": None if report.api_changes is None else [
            {"kind": c.kind, "severity": c.severity.label, "message": c.message,
             "symbol": c.symbol}
            for c in report.api_changes
        ],
        "api_note": report.api_note,
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# Keep a Changelog sections, in its order; a change goes to the first whose test matches.
_CHANGELOG_SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Security", ("security-",)),
    ("Deprecated", ("-deprecated",)),
    ("Removed", ("-removed",)),
    ("Added", ("-added",)),
    ("Changed", ("",)),
)


def _section(kind: str) -> str:
    for title, markers in _CHANGELOG_SECTIONS:
        if any((m.endswith("-") and kind.startswith(m)) or (not m.endswith("-") and m in kind)
               for m in markers):
            return title
    return "Changed"


def render_changelog(report: DiffReport) -> str:
    version = report.new_version or "unreleased"
    if report.old_version and report.old_version != report.new_version:
        version += f" (from {report.old_version})"
    lines = [f"## {report.title} {version}".rstrip()]
    if not report.changes:
        return "\n".join([*lines, "", "No API changes.", ""])
    sections: dict[str, list[str]] = {title: [] for title, _ in _CHANGELOG_SECTIONS}
    for change in sorted(report.changes, key=lambda c: -c.severity):  # stable: breaking first
        if change.kind == "api-version-changed":
            continue  # the heading says it
        prefix = {Severity.BREAKING: "**Breaking:** ",
                  Severity.POTENTIALLY_BREAKING: "**Potentially breaking:** "}.get(
            change.severity, "")
        text = change.message[:1].upper() + change.message[1:]
        sections[_section(change.kind)].append(f"- {prefix}{text}{_usage_note(change)}.")
    for title, entries in sections.items():
        if entries:
            lines += ["", f"### {title}", "", *entries]
    return "\n".join(lines) + "\n"


RENDERERS = {
    "markdown": render_markdown,
    "json": render_json,
    "changelog": render_changelog,
}
