"""Which schemas datamodel-code-generator may be run on apart.

On a large spec the models step is most of the run, and one call over every schema costs more
than the sum of calls over its parts. So a large schema set is cut into parts that are
generated independently (in parallel, and each cached by the hash of what it was given, so a
regeneration after a small change runs only the part that changed).

A part must give every one of its classes exactly the text the whole run would give it. What a
schema's class says about another schema it names decides how much of that schema the part
needs:
- `allOf` members and discriminated unions (`discriminator` and its `mapping`) shape the
  class itself (inherited fields, `Literal` tags): such schemas are *tied* and always share a
  part;
- so are a schema and a discriminated base it names (the reference becomes the union of the
  base's subtypes), or an `allOf` wrapper of one `$ref` it names (written only when named);
- an `allOf` member (a base) shapes the class that derives from it (its fields are overridden
  or copied there), so it shares its part, unless it is a *wide* base: one that many schemas
  derive from and that ties nothing itself (as a base is once discriminators.py has moved its
  discriminator to a union). The subtype does not shape such a base, so the subtype's part
  gets the base, and the bases of the base, *whole*, as stand-ins whose classes (and the
  inline classes only they name) are dropped. So the ~770 subtypes of one base of a large
  vendor spec spread over every part instead of making one part of nearly everything, and
  the base is copied into parts, not the subtypes' own `allOf` members;
- any other `$ref` only puts the target's class name in a type, so the part gets a *stand-in*:
  the target itself when it is a self-contained enum or scalar (its default members are
  written `Target.member`), else an empty object schema, nullable when the target is (that
  adds `| None`); stand-ins' classes are dropped.
Anything the merge cannot prove equivalent (a class name given twice, a part that renamed one
of its own schemas) makes the caller fall back to one whole run.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterator
from typing import Any

from .openapi import nullable, schema_component

# Below this many schemas one run is cheaper than the bookkeeping of several.
SPLIT_AT = 400
# ... except for a regeneration: with the cache on, a smaller set is cut into this many
# buckets (and merged back into one module), so one changed schema reruns the library on one
# part, not on all (fivetran.yaml: ~0.04 s instead of ~0.3 s; a cold run pays ~0.05-0.1 s more).
# 16, not 8: a regeneration of fivetran.yaml 0.467 -> 0.443 s, its cold run 1.16 -> 1.19 s
# (32 gained no more: a part is at least the changed schema's tied group).
CACHED_BUCKETS = 16
# Parts are hash buckets of tied groups, so adding or changing a schema moves no other group
# to another part (a count derived from the spec's size would reshuffle every part).
BUCKETS = 64
# A base that this many schemas derive from is a whole stand-in in their parts, not a tie.
WIDE_BASE = 16
_STRUCTURAL = ("allOf", "oneOf", "anyOf", "not", "properties", "items",
               "additionalProperties", "patternProperties", "prefixItems", "$ref")


# How a schema names another: its class derives from it (`allOf`), the naming shapes both
# classes (discriminated unions), or it only puts the other's class name in a type.
BASE, TIED, NAMED = "base", "tied", "named"


def _refs(node: Any, how: str = NAMED) -> Iterator[tuple[str, str]]:
    """Every schema `node` names, and how (BASE, TIED or NAMED)."""
    if isinstance(node, list):
        for item in node:
            yield from _refs(item, how)
        return
    if not isinstance(node, dict):
        return
    target = schema_component(node.get("$ref"))
    if target is not None:
        yield target, how
    discriminated = isinstance(node.get("discriminator"), dict)
    for key, value in node.items():
        if key == "allOf" or (discriminated and key in ("oneOf", "anyOf")):
            # the member itself shapes the class; what the member's own properties name not
            for member in value if isinstance(value, list) else []:
                member_target = schema_component(member.get("$ref")) if isinstance(member, dict) else None
                if member_target is not None:
                    yield member_target, BASE if key == "allOf" else TIED
                yield from _refs({k: v for k, v in member.items() if k != "$ref"}
                                 if isinstance(member, dict) else member)
        elif key == "discriminator" and isinstance(value, dict):
            mapping = value.get("mapping")
            for ref in mapping.values() if isinstance(mapping, dict) else []:
                mapped = schema_component(ref)
                if mapped is not None:
                    yield mapped, TIED
        elif key != "$ref":
            yield from _refs(value)


def _self_contained(schema: Any) -> bool:
    """Whether the schema's class is one class that names nothing else (an enum, a scalar)."""
    return isinstance(schema, dict) and not any(key in schema for key in _STRUCTURAL) \
        and schema.get("type") not in ("object", "array")


def _discriminated(schema: Any) -> bool:
    return isinstance(schema, dict) and "discriminator" in schema


def _alias(schema: Any) -> bool:
    """An `allOf` of one `$ref` and nothing of its own: the library writes its class only
    when something names it, so it must share a part with what names it."""
    members = schema.get("allOf") if isinstance(schema, dict) else None
    return isinstance(members, list) and len(members) == 1 and "properties" not in schema


def stand_in(schema: Any) -> dict[str, Any]:
    """What a part gets for a schema of another part that one of its schemas names."""
    if _self_contained(schema):
        return dict(schema)
    result: dict[str, Any] = {"type": "object"}
    if isinstance(schema, dict) and nullable(schema):
        result["nullable"] = True  # the field's type gets `| None` from it, as in a whole run
    return result


def _ties(schemas: dict[str, Any], target: str, how: str, wide: set[str],
          free: dict[str, bool]) -> bool:
    """Whether a schema's naming of `target` (`how`) puts both in one part."""
    if target not in schemas:
        return False
    if how == TIED or _discriminated(schemas[target]) or _alias(schemas[target]):
        return True
    return how == BASE and not (target in wide and _free_base(schemas, target, free))


def _free_base(schemas: dict[str, Any], name: str, free: dict[str, bool]) -> bool:
    """Whether `name` can be a whole stand-in in its subtypes' parts: it, and each base it
    derives from, ties nothing (no discriminator, no discriminated union, no alias named)."""
    if name not in free:
        free[name] = False  # a cycle of bases is not free
        free[name] = not _discriminated(schemas[name]) and all(
            target not in schemas or (
                how == BASE and _free_base(schemas, target, free)
                or how == NAMED and not _discriminated(schemas[target])
                and not _alias(schemas[target]))
            for target, how in _refs(schemas[name]))
    return free[name]


def plan(schemas: dict[str, Any]) -> list[list[str]]:
    """The parts to generate `schemas` in, each a list of names in the document's order; one
    part when the set is small."""
    return [names for _, names in keyed_plan(schemas)]


def keyed_plan(schemas: dict[str, Any], buckets: int | None = None
               ) -> list[tuple[int, list[str]]]:
    """`plan`'s parts with the bucket each is (stable while the spec grows: it names the
    part's module in the generated `models` package); bucket 0 when there is one part.
    With `buckets`, a set below `SPLIT_AT` is cut too, into at most that many parts."""
    names = list(schemas)
    if buckets is None:
        if len(names) < SPLIT_AT:
            return [(0, names)]
        buckets = BUCKETS
    parent = {name: name for name in names}

    def root(name: str) -> str:
        while parent[name] != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    derived = Counter(target for name in names for target, how in _refs(schemas[name])
                      if how == BASE)
    wide = {name for name, count in derived.items() if count >= WIDE_BASE}
    free: dict[str, bool] = {}
    for name in names:
        for target, how in _refs(schemas[name]):
            if _ties(schemas, target, how, wide, free):
                first, second = sorted((root(name), root(target)))
                parent[second] = first
    found: dict[int, list[str]] = {}
    for name in names:
        digest = hashlib.sha256(root(name).encode()).digest()
        found.setdefault(int.from_bytes(digest[:4], "big") % buckets, []).append(name)
    return [(key, found[key]) for key in sorted(found)]


def part_document(document: dict[str, Any], own: list[str]) -> tuple[dict[str, Any], set[str]]:
    """The document one part is generated from, and the names of its stand-ins: whole bases
    (and their bases) of its schemas from other parts, and `stand_in`s of what they name."""
    schemas: dict[str, Any] = document["components"]["schemas"]
    members = set(own)
    whole: dict[str, Any] = {}
    stand_ins: dict[str, Any] = {}
    pending = list(own)
    while pending:
        name = pending.pop()
        for target, how in _refs(schemas[name]):
            if target in members or target not in schemas or target in whole:
                continue
            if how == BASE:
                whole[target] = schemas[target]
                stand_ins.pop(target, None)
                pending.append(target)
            elif target not in stand_ins:
                stand_ins[target] = stand_in(schemas[target])
    part = {key: value for key, value in document.items() if key != "components"}
    part["components"] = {"schemas": {**{name: schemas[name] for name in own},
                                      **dict(sorted({**stand_ins, **whole}.items()))}}
    return part, set(stand_ins) | set(whole)
