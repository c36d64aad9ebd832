"""Keyword rules of `clientgen diff` that look at one schema pair and recurse nowhere:
its type, its enumerated values (`enum`, `const`) and its bounds and patterns."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from .diff_changes import B, ChangeLog, N, P, Subject, Usage, from_to, show
from .pointer import join_pointer

_UPPER_BOUNDS = ("maxLength", "maxItems", "maxProperties", "maximum", "exclusiveMaximum")
_LOWER_BOUNDS = ("minLength", "minItems", "minProperties", "minimum", "exclusiveMinimum")


def _type_set(schema: dict[str, Any]) -> frozenset[str] | None:
    """The non-null types a schema allows; None when it does not restrict the type."""
    declared = schema.get("type")
    if declared is None:
        if "properties" in schema or "additionalProperties" in schema:
            return frozenset({"object"})
        if "items" in schema:
            return frozenset({"array"})
        return None
    types = declared if isinstance(declared, list) else [declared]
    return frozenset(str(t) for t in types if t != "null")


def _covers(wide: frozenset[str] | None, narrow: frozenset[str] | None) -> bool:
    """Does every value of type `narrow` also fit `wide`? (a number covers an integer)"""
    if wide is None:
        return True
    if narrow is None:
        return False
    return all(t in wide or (t == "integer" and "number" in wide) for t in narrow)


def _describe_types(types: frozenset[str] | None) -> str:
    return "any type" if types is None else " | ".join(sorted(types)) or "null"


def _enum_values(schema: dict[str, Any]) -> tuple[list[Any], str] | None:
    """The allowed values (null aside, which is nullability) and the keyword listing them."""
    if "const" in schema:
        return [schema["const"]], "const"
    if isinstance(schema.get("enum"), list):
        return schema["enum"], "enum"
    return None


def _value_key(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def compare_types(log: ChangeLog, old: dict[str, Any], new: dict[str, Any], usage: Usage,
                  subject: Subject, pointer: str) -> bool:
    """Report a type change; False when the types are unrelated."""
    old_types, new_types = _type_set(old), _type_set(new)
    if old_types == new_types:
        return True
    def change(how: str) -> str:  # not str.format: paths in the subject hold braces
        return f"type of {subject} {how} from {_describe_types(old_types)} to " \
               f"{_describe_types(new_types)}"

    if _covers(new_types, old_types):  # a client may receive values it cannot parse
        log.schema_change("type-widened", usage, N, B, change("widened"), "new", pointer)
    elif _covers(old_types, new_types):  # a client may send values now refused
        log.schema_change("type-narrowed", usage, B, N, change("narrowed"), "new", pointer)
    else:
        log.schema_change("type-changed", usage, B, B, change("changed"), "new", pointer)
        return False
    return True


def compare_enum(log: ChangeLog, old: dict[str, Any], old_pointer: str, new: dict[str, Any],
                 new_pointer: str, usage: Usage, subject: Subject) -> None:
    old_enum, new_enum = _enum_values(old), _enum_values(new)
    if old_enum is None and new_enum is None:
        return
    if old_enum is None:
        assert new_enum is not None
        values = ", ".join(show(v) for v in new_enum[0] if v is not None)
        log.schema_change("enum-added", usage, B, N,
                          f"{subject} is now restricted to {values}", "new",
                          join_pointer(new_pointer, new_enum[1]))
        return
    if new_enum is None:
        log.schema_change("enum-removed", usage, N, P,
                          f"{subject} is no longer restricted to a list of values", "new",
                          new_pointer)
        return
    old_keys = {_value_key(v) for v in old_enum[0]}
    new_keys = {_value_key(v) for v in new_enum[0]}
    for index, value in enumerate(new_enum[0]):
        if value is not None and _value_key(value) not in old_keys:
            pointer = join_pointer(new_pointer, new_enum[1])
            log.schema_change("enum-value-added", usage, N, P,
                              f"value {show(value)} added to {subject}", "new",
                              join_pointer(pointer, index) if new_enum[1] == "enum"
                              else pointer)
    for index, value in enumerate(old_enum[0]):
        if value is not None and _value_key(value) not in new_keys:
            pointer = join_pointer(old_pointer, old_enum[1])
            log.schema_change("enum-value-removed", usage, B, N,
                              f"value {show(value)} removed from {subject}", "old",
                              join_pointer(pointer, index) if old_enum[1] == "enum"
                              else pointer)


def compare_constraints(log: ChangeLog, old: dict[str, Any], new: dict[str, Any], usage: Usage,
                        subject: Subject, at: Callable[[str], str]) -> None:
    def report(key: str, tightened: bool | None) -> None:
        change = f"`{key}` of {subject} {from_to(old, new, key)}"
        if tightened is None:
            log.schema_change("constraint-changed", usage, P, P, change, "new", at(key))
        elif tightened:  # values a client sends may now be refused
            log.schema_change("constraint-tightened", usage, P, N, change, "new", at(key))
        else:  # values a client receives may now fail the model's validation
            log.schema_change("constraint-loosened", usage, N, P, change, "new", at(key))

    for key in (*_UPPER_BOUNDS, *_LOWER_BOUNDS):
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        if isinstance(before, bool) or isinstance(after, bool):  # 3.0's exclusive flags
            report(key, after is True)
        elif before is None or after is None:
            report(key, before is None)
        elif isinstance(before, int | float) and isinstance(after, int | float):
            report(key, after < before if key in _UPPER_BOUNDS else after > before)
    if old.get("multipleOf") != new.get("multipleOf"):
        report("multipleOf", None)
    if bool(old.get("uniqueItems")) != bool(new.get("uniqueItems")):
        report("uniqueItems", bool(new.get("uniqueItems")))
    if old.get("pattern") != new.get("pattern"):
        report("pattern", None if "pattern" in old and "pattern" in new
               else "pattern" in new)
