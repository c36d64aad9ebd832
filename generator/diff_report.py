"""The result of `clientgen diff` as values, and its renderings: text, Markdown, JSON, changelog.

Kept apart from the comparison (diff.py) and the public-API extraction (api_surface.py) so both
can produce changes without importing each other, and renderers see only plain data.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Literal, TypeVar

from .diagnostics import Location
from .openapi import HTTP_METHODS
from .pointer import split_pointer

_T = TypeVar("_T")


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
    lines = [f"Generated Python API ({_plural(len(report.api_changes), 'change')}"
             f"{'; ' + report.api_note if report.api_note else ''}):"]
    for change in report.api_changes:
        label = paint(f"{change.severity.label:>20}", _ANSI[change.severity])
        lines.append(f"  {label}  {change.message}")
    return lines


def _line(text: str) -> str:
    """Text on one Markdown line (a list item: `|` needs no escape, even in a code span)."""
    return " ".join(text.split())


MARKDOWN_MARKER = "<!-- clientgen-diff -->"  # lets CI find and update its own PR comment
COMMENT_LIMIT = 65_536  # characters GitHub accepts in an issue or pull request comment


def _length(lines: list[str]) -> int:
    return sum(len(line) + 1 for line in lines)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _relative(file: str) -> str:
    """A file as a reader of the repository knows it: an absolute path under the working
    directory (the repository root in CI) relative to it, any other absolute path by its
    name; `git:REV:path` and relative paths as they are."""
    path = PurePath(file)
    if not path.is_absolute():
        return file
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.name


def _group(change: Change) -> str:
    """The operation, path, schema or part of the document a change belongs to."""
    tokens = split_pointer(change.pointer)
    if tokens[:1] == ["paths"] and len(tokens) > 1:
        if len(tokens) > 2 and tokens[2] in HTTP_METHODS:
            return f"`{tokens[2].upper()} {tokens[1]}`"
        return f"`{tokens[1]}`"
    if tokens[:1] == ["components"] and len(tokens) > 2:
        return f"{tokens[1].removesuffix('s')} `{tokens[2]}`".replace("securityScheme",
                                                                      "security scheme")
    return "the API" if not tokens else f"`{tokens[0]}`"




def _api_group(change: ApiChange) -> str:
    """The class (or module) a Python API change belongs to."""
    owner = change.symbol.split("(")[0]
    parts = owner.split(".")
    keep = 2 if parts[0] in ("models", "resources") else 1
    return f"`{'.'.join(parts[:keep])}`"


def _grouped(items: list[_T], group: Callable[[_T], str]) -> list[_T]:
    """Items of one group together, groups in the order they first appear."""
    groups: dict[str, list[_T]] = {}
    for item in items:
        groups.setdefault(group(item), []).append(item)
    return [item for members in groups.values() for item in members]


@dataclass
class _Section:
    """A titled list of entries, grouped; `folded` ones sit in a <details> element."""

    title: str
    entries: list[tuple[str, str]]  # (group, Markdown line)
    folded: bool = False


def _spec_sections(report: DiffReport) -> dict[Severity, _Section]:
    sections = {}
    for severity, changes in _by_severity(report.changes).items():
        entries = []
        for change in _grouped(changes, _group):
            where = f" — `{_relative(change.location.file)}:{change.location.line}`" \
                if change.location and change.location.line else ""
            entries.append((_group(change), f"- `{change.kind}`: "
                            f"{_line(change.message + _usage_note(change))}{where}"))
        sections[severity] = _Section(
            f"{_TITLES[severity]} ({len(changes)})", entries,
            folded=severity is Severity.NON_BREAKING)
    return sections


def _api_sections(report: DiffReport) -> dict[Severity, _Section]:
    sections = {}
    changes = report.api_changes or ()
    seen: set[str] = set()
    for severity in _ORDER:
        entries = []
        for change in _grouped([c for c in changes if c.severity is severity], _api_group):
            if change.message in seen:  # each change once
                continue
            seen.add(change.message)
            entries.append((_api_group(change), f"- {_line(change.message)}"))
        sections[severity] = _Section(
            f"Generated Python API: {_TITLES[severity].lower()} ({len(entries)})", entries,
            folded=severity is not Severity.BREAKING)
    return sections


def render_markdown(report: DiffReport, limit: int | None = COMMENT_LIMIT) -> str:
    """A PR comment: the counts, then the changes worst first, grouped by operation or
    schema, non-breaking ones folded. With a `limit`, entries that do not fit are left out
    (the worst are kept) and a last line says how many and how to see them all."""
    worst = report.worst
    icon = {Severity.BREAKING: ":red_circle:", Severity.POTENTIALLY_BREAKING: ":warning:",
            Severity.NON_BREAKING: ":green_circle:", None: ":white_check_mark:"}[worst]
    head = [
        MARKDOWN_MARKER,
        f"### {icon} API changes: `{_relative(report.old)}` → `{_relative(report.new)}`",
        "",
        f"**{_summary(report)}**",
    ]
    spec, api = _spec_sections(report), _api_sections(report)
    tiers = [[spec[s], api[s]] for s in _ORDER]  # worst first; a tier's sections share room
    if report.api_changes is None:
        tail = [f"_Generated Python API: not compared ({report.api_note})._"]
    elif not report.api_changes:
        tail = ["_Generated Python API: unchanged._"]
    else:
        tail = [f"_Generated Python API: {report.api_note}._"] if report.api_note else []
    how = (f" left out to fit a comment; the full report: `clientgen diff "
           f"{_relative(report.old)} {_relative(report.new)}`, or the CI run's job summary or "
           "artifact._")
    lines = list(head)
    size = _length(lines) + _length(["", *tail])
    room = (limit - len(how) - 40) if limit is not None else None
    omitted = 0
    for tier in tiers:
        sections = [section for section in tier if section.entries]
        for position, section in enumerate(sections):
            # an even share of what is left, so one long section does not crowd out the other
            cap = None if room is None else size + (room - size) // (len(sections) - position)
            opening = ["", f"<details><summary>{section.title}</summary>", ""] \
                if section.folded else ["", f"#### {section.title}"]
            closing = ["", "</details>"] if section.folded else []
            body: list[str] = []
            group = None
            for index, (name, entry) in enumerate(section.entries):
                add = ([] if name == group else ["", f"**{name}**"]) + [entry]
                if cap is not None and size + _length([*opening, *body, *add, *closing]) > cap:
                    omitted += len(section.entries) - index
                    break
                body += add
                group = name
            if body:
                lines += [*opening, *body, *closing]
                size += _length([*opening, *body, *closing])
    lines += ["", *tail] if tail else []
    if omitted:
        lines += ["", f"_{_plural(omitted, 'change')} {'was' if omitted == 1 else 'were'}{how}"]
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
