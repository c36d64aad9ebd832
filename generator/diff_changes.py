"""What `clientgen diff` has found: each change once, with its verdict per usage.

The comparers (diff_document, diff_operations, diff_schemas) record into one `ChangeLog`; a
change reached twice (a schema a request and a response both use) stays one entry that keeps
both verdicts. `Subject` names what a change is about in its message.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

from .diff_report import Change, Severity
from .load import LoadedSpec
from .openapi import as_dict

B, P, N = Severity.BREAKING, Severity.POTENTIALLY_BREAKING, Severity.NON_BREAKING
Side = Literal["old", "new"]
# Where a schema is used: the client sends it, receives it, or (None) no operation reaches it.
Usage = Literal["request", "response"] | None


def show(value: Any) -> str:
    """A value from the spec as it reads in a message."""
    return f"`{value}`" if isinstance(value, str) else f"`{json.dumps(value, sort_keys=True)}`"


def from_to(before: dict[str, Any], after: dict[str, Any], key: str) -> str:
    """How `key` changed between two mappings, for a message."""
    if key not in before:
        return f"set to {show(after.get(key))}"
    if key not in after:
        return f"removed (was {show(before.get(key))})"
    return f"changed from {show(before.get(key))} to {show(after.get(key))}"


@dataclass(frozen=True)
class Subject:
    context: str  # e.g. "the request body of `POST /pets`"; "" inside a named component
    path: str = ""  # e.g. "Pet.owner.name"

    def child(self, name: str) -> Subject:
        if name.startswith("["):
            return Subject(self.context, (self.path or "items") + name)
        return Subject(self.context, f"{self.path}.{name}" if self.path else name)

    def __str__(self) -> str:
        if not self.path:
            return self.context
        if not self.context:
            return f"`{self.path}`"
        return f"`{self.path}` in {self.context}"


@dataclass
class _Found:
    """A change being collected; the same change reached twice (from a request and from a
    response) is merged, keeping the worse severity and both usages."""

    kind: str
    message: str
    pointer: str
    side: Side
    # severity by usage ("request", "response", "unused", or "" outside schemas): a schema
    # reached by an operation is judged by that use alone, never by the unused-model pass
    severities: dict[str, Severity]

    @property
    def usage(self) -> tuple[str, ...]:
        used = tuple(u for u in ("request", "response") if u in self.severities)
        return used or tuple(u for u in ("unused",) if u in self.severities)

    @property
    def severity(self) -> Severity:
        return max(self.severities[u] for u in (self.usage or self.severities))


class ChangeLog:
    """The changes found so far, in the order found (the report's order within a severity)."""

    def __init__(self, old: LoadedSpec, new: LoadedSpec) -> None:
        self.old, self.new = old, new  # to locate each change in its file
        self.found: dict[tuple[str, str, str], _Found] = {}

    def add(self, kind: str, severity: Severity, message: str, side: Side, pointer: str,
            usage: str | None = None) -> None:
        key = (kind, side, pointer)
        found = self.found.setdefault(key, _Found(kind, message, pointer, side, {}))
        found.severities[usage or ""] = max(severity, found.severities.get(usage or "", N))

    def schema_change(self, kind: str, usage: Usage, request: Severity, response: Severity,
                      message: str, side: Side, pointer: str) -> None:
        if usage == "request":
            self.add(kind, request, message, side, pointer, usage)
        elif usage == "response":
            self.add(kind, response, message, side, pointer, usage)
        else:  # a model no operation uses: it changes the package, not any call
            self.add(kind, min(max(request, response), P), message, side, pointer, "unused")

    def deprecation(self, old: Any, new: Any, noun: str, subject: str, pointer: str,
                    usage: Usage = None, schema: bool = False) -> None:
        was, now = as_dict(old).get("deprecated") is True, as_dict(new).get("deprecated") is True
        if was == now:
            return
        kind, message = (f"{noun}-deprecated", f"{subject} is deprecated") if now else (
            "deprecation-removed", f"{subject} is no longer deprecated")
        if schema:
            self.schema_change(kind, usage, N, N, message, "new", pointer)
        else:
            self.add(kind, N, message, "new", pointer)

    def changes(self) -> list[Change]:
        result = []
        for found in self.found.values():
            spec = self.old if found.side == "old" else self.new
            result.append(Change(found.kind, found.severity, found.message, found.pointer,
                                 found.side, spec.locate(found.pointer), found.usage))
        return sorted(result, key=lambda c: -c.severity)  # stable: document order within

