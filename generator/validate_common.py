"""What every part of validation shares: the document under check, the reporter, and the
checks of a node's shape (a mapping, a list, fields OpenAPI knows) that each part uses."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

from .diagnostics import Reporter
from .load import LoadedSpec
from .openapi import OpenApiDocument
from .pointer import join_pointer


class Checks:
    """The base of each part of validation; the parts share one reporter, and none of them
    changes the document."""

    def __init__(self, spec: LoadedSpec, reporter: Reporter) -> None:
        self.spec = spec
        self.document = spec.data
        self.view = OpenApiDocument(spec.data)
        self.error = reporter.error
        self.warning = reporter.warning
        version = self.document.get("openapi")
        self.v31 = isinstance(version, str) and version.startswith("3.1")

    def mapping(self, node: Any, pointer: str, what: str, hint: str = "") -> bool:
        """True when `node` is a mapping; an error naming `what` otherwise."""
        if isinstance(node, dict):
            return True
        self.error(f"{what} must be a mapping, not {type_name(node)}", pointer, hint)
        return False

    def listing(self, node: Any, pointer: str, what: str, hint: str = "") -> bool:
        if isinstance(node, list):
            return True
        self.error(f"{what} must be a list, not {type_name(node)}", pointer, hint)
        return False

    def unknown_fields(self, node: dict[str, Any], pointer: str, known: set[str],
                       what: str) -> None:
        for key in node:
            if key in known or key.startswith("x-"):
                continue
            guess = did_you_mean(key, known)
            hint = (f"did you mean `{guess}`?" if guess else
                    "fields that are not part of OpenAPI must start with `x-`")
            self.warning(f"unknown field `{key}` in {what} (ignored)", join_pointer(pointer, key),
                         hint)


def type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def did_you_mean(word: str, choices: Iterable[str], cutoff: float = 0.75) -> str | None:
    lowered = {choice.lower(): choice for choice in choices}
    if word.lower() in lowered:
        return lowered[word.lower()]
    matches = difflib.get_close_matches(word.lower(), sorted(lowered), n=1, cutoff=cutoff)
    return lowered[matches[0]] if matches else None
