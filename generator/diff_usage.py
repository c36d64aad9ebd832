"""Where `clientgen diff` follows a schema beyond its `$ref`s, and which schemas it skips.

A discriminated base stands for its subtypes wherever it is used (the generated `<Base>Union`),
so each subtype is compared in every use of its base. A component whose comparison can find
nothing is skipped: on a large spec that is most of the work otherwise.
"""

from __future__ import annotations

from typing import Any

from . import discriminators
from .diff_changes import Side, Usage
from .openapi import OpenApiDocument, component_name, ref_holders
from .pointer import split_pointer


def _subtypes(document: OpenApiDocument) -> dict[str, dict[str, tuple[str, ...]]]:
    schemas = {name: schema for name, schema in document.schemas.items()
               if isinstance(schema, dict)}
    return {base.name: dict(base.subtypes) for base in discriminators.bases(schemas)}


def component_at(pointer: str) -> str | None:
    """The component a resolved pointer is the root of (`/components/schemas/X`)."""
    tokens = split_pointer(pointer)
    return tokens[2] if len(tokens) == 3 and tokens[:2] == ["components", "schemas"] else None


class Reachability:
    """Each side's discriminated bases with their subtypes, the components that compare as
    the same, and the (base, usage) pairs whose subtypes were already followed."""

    def __init__(self, old: OpenApiDocument, new: OpenApiDocument) -> None:
        # component -> {subtype component: its wire values}, mappings explicit and implicit
        # (an `allOf` child), as the generator reads them
        self.subtypes: dict[Side, dict[str, dict[str, tuple[str, ...]]]] = {
            "old": _subtypes(old), "new": _subtypes(new)}
        self.unchanged = unchanged_components(old.schemas, new.schemas, self.subtypes)
        self.followed: set[tuple[str, str]] = set()

    def subtypes_to_follow(self, old_name: str, new_name: str, usage: Usage) -> list[str]:
        """The subtypes of a base on both sides, to compare in this use of the base; none
        when this (base, usage) was followed before."""
        key = (new_name, usage or "")
        if key in self.followed:
            return []
        self.followed.add(key)
        old_subtypes = self.subtypes["old"].get(old_name, {})
        new_subtypes = self.subtypes["new"].get(new_name, {})
        return [name for name in old_subtypes if name in new_subtypes]


def unchanged_components(old: dict[str, Any], new: dict[str, Any],
                         subtypes: dict[Side, dict[str, dict[str, tuple[str, ...]]]]
                         ) -> set[str]:
    """Components whose comparison can find nothing, skipped (on a large spec most of the
    work otherwise): the same in both specs, with the same subtypes if a base, and every
    component they `$ref` unchanged too, where a `$ref` to a base also stands for its
    subtypes, except the `allOf` reference of a subtype to its own base (the siblings of
    a changed subtype are not changed). A skipped base's subtypes are still followed."""
    changed = {name for name in old.keys() | new.keys()
               if name not in old or name not in new or old[name] != new[name]}
    changed |= {name for name in subtypes["old"].keys() | subtypes["new"].keys()
                if subtypes["old"].get(name) != subtypes["new"].get(name)}
    reached_by: dict[str, set[str]] = {}  # component -> the components that `$ref` it
    for schemas in (old, new):
        for name, schema in schemas.items():
            for _, _, holder in ref_holders(schema, ""):
                target = component_name(holder)
                if target is None:  # a `$ref` elsewhere: no telling, compare it
                    changed.add(name)
                else:
                    reached_by.setdefault(target, set()).add(name)
    bases_of: dict[str, set[str]] = {}  # subtype -> its bases
    for side_subtypes in subtypes.values():
        for base, members in side_subtypes.items():
            for subtype in members:
                bases_of.setdefault(subtype, set()).add(base)
    itself = set(changed)  # its comparison may find something
    deep = set(changed)  # ... or that of one of its subtypes
    pending = list(changed)
    while pending:
        name = pending.pop()
        for referrer in reached_by.get(name, ()):
            if referrer not in itself and (
                    name in itself or name not in bases_of.get(referrer, ())):
                itself.add(referrer)
                deep.add(referrer)
                pending.append(referrer)
        for base in bases_of.get(name, ()):
            if base not in deep:
                deep.add(base)
                pending.append(base)
    return (old.keys() & new.keys()) - itself
