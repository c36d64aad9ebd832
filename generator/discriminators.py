"""Discriminated unions as the wire has them.

OpenAPI names the variant of a value by a property (`discriminator.propertyName`) whose value
is a mapping key, or, where the mapping is silent, the name of the variant's schema. Two shapes
are common in real specs:

- a union (`oneOf`/`anyOf` of `$ref`s) with a discriminator;
- a *base* with a discriminator and no union: its subtypes are `allOf: [base, ...]`, listed in
  the mapping or found by their `allOf` (the "base plus mapping" pattern of large vendor specs).

What the models step is given must say the wire values, not the class names clientgen chose:
every mapping is made explicit (keys are wire values, values name the renamed classes). A base
with subtypes becomes a union of its subtypes that falls back to the base itself for a value the
spec does not list; each subtype pins its value. A union `anyOf: [Known, Other]` whose `Other`
excludes `Known`'s values (`not: {enum: [...]}` on the property) is one tagged union too.

Such a fallback union is marked for the models step with `TAGS` (see models.tagged_unions):
pydantic picks its member by the property's value with a callable discriminator, so a listed
value is validated as its own model (an error names the field) and never silently falls back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .openapi import SCHEMA_REF, ref_holders, schema_component
from .pointer import join_pointer

# The mark a fallback union carries into the models step: {property, members, fallback}.
TAGS = "x-clientgen-tags"


@dataclass(frozen=True)
class Base:
    """A component with a discriminator of its own and subtypes that derive from it."""

    name: str  # the component's name in the spec
    property: str
    subtypes: tuple[tuple[str, tuple[str, ...]], ...]  # (component name, its wire values)


def mapped_component(ref: Any) -> str | None:
    """The component a `$ref` or mapping value names (`#/components/schemas/X` or bare `X`)."""
    if not isinstance(ref, str):
        return None
    if ref.startswith(SCHEMA_REF):
        return schema_component(ref)
    if ref and "/" not in ref and "#" not in ref:
        return ref
    return None


def _property_name(schema: Any) -> str | None:
    discriminator = schema.get("discriminator") if isinstance(schema, dict) else None
    name = discriminator.get("propertyName") if isinstance(discriminator, dict) else None
    return name if isinstance(name, str) and name else None


def _is_union(schema: dict[str, Any]) -> bool:
    return any(isinstance(schema.get(key), list) for key in ("oneOf", "anyOf"))


def _mapping(schema: dict[str, Any]) -> dict[str, str]:
    """Wire value -> component name, as the discriminator's mapping states it."""
    mapping = schema["discriminator"].get("mapping")
    result: dict[str, str] = {}
    for value, ref in (mapping.items() if isinstance(mapping, dict) else []):
        target = mapped_component(ref)
        if target is not None:
            result[str(value)] = target
    return result


def bases(schemas: dict[str, Any]) -> list[Base]:
    """The discriminated bases among the components (in the document's order)."""
    children: dict[str, list[str]] = {}
    for name, schema in schemas.items():
        members = schema.get("allOf") if isinstance(schema, dict) else None
        for member in members if isinstance(members, list) else []:
            parent = mapped_component(member.get("$ref")) if isinstance(member, dict) else None
            if parent is not None:
                children.setdefault(parent, []).append(name)
    found = []
    for name, schema in schemas.items():
        property_name = _property_name(schema)
        if property_name is None or _is_union(schema):
            continue
        values: dict[str, list[str]] = {}
        for value, target in _mapping(schema).items():
            if target in schemas and target != name:
                values.setdefault(target, []).append(value)
        for child in children.get(name, []):
            values.setdefault(child, [child])  # implicit: the schema's own name
        if values:
            found.append(Base(name, property_name,
                              tuple((child, tuple(v)) for child, v in values.items())))
    return found


def explicit(node: dict[str, Any], class_ref: Callable[[str], str | None]) -> dict[str, Any]:
    """`node`'s discriminator with every wire value of its union mapped (implicit names too),
    each to the `$ref` of its class (`class_ref`: component name -> that `$ref`, or None)."""
    discriminator = dict(node["discriminator"])
    mapping: dict[str, str] = {}
    for value, target in _mapping(node).items():
        ref = class_ref(target)
        if ref is not None:
            mapping[value] = ref
    mapped = set(mapping.values())
    for key in ("oneOf", "anyOf"):
        for member in node.get(key) or []:
            name = mapped_component(member.get("$ref")) if isinstance(member, dict) else None
            ref = class_ref(name) if name is not None else None
            if name is not None and ref is not None and ref not in mapped:
                mapping[name] = ref
                mapped.add(ref)
    if mapping:
        discriminator["mapping"] = mapping
    return discriminator


@dataclass(frozen=True)
class FallbackUnion:
    """A base's stand-in wherever the spec names the base: its subtypes, else the base."""

    class_name: str
    base_class: str
    property: str
    members: tuple[tuple[str, tuple[str, ...]], ...]  # (class name, wire values)



def normalise(schemas: dict[str, Any], unions: list[FallbackUnion]) -> None:
    """Rewrite the models document's schemas (by class name, refs already renamed) in place:
    each base stops being discriminated itself and is named through its union, its subtypes
    pin their values, and every fallback union is marked with `TAGS`."""
    subtypes_of = {u.base_class: {name for name, _ in u.members} for u in unions}
    for union in unions:
        base = schemas[union.base_class]
        base.pop("discriminator", None)
        for name, values in union.members:
            _pin(schemas, name, union.property, values)
        schemas[union.class_name][TAGS] = {
            "property": union.property,
            "members": [[name, list(values)] for name, values in union.members],
            "fallback": union.base_class,
        }
    redirects = {union.base_class: union.class_name for union in unions}
    for name, schema in schemas.items():
        if isinstance(schema, dict) and TAGS not in schema:
            _redirect(schema, redirects, subtypes_of, name)
    for schema in schemas.values():
        if isinstance(schema, dict) and TAGS not in schema:
            tags = _known_and_other(schemas, schema)
            if tags is not None:
                schema[TAGS] = tags


def _pin(schemas: dict[str, Any], name: str, property_name: str, values: tuple[str, ...]) -> None:
    """Make subtype `name` accept only its own discriminator values (unless it says so)."""
    schema = schemas.get(name)
    if not isinstance(schema, dict):
        return
    own = _own_property(schemas, schema, property_name)
    if isinstance(own, dict) and ("const" in own or "enum" in own):
        return
    pin: dict[str, Any] = {"type": "string"}
    if len(values) == 1:
        pin["const"] = values[0]
    else:
        pin["enum"] = list(values)
    part = {"type": "object", "required": [property_name], "properties": {property_name: pin}}
    members = schema.get("allOf")
    if isinstance(members, list) and sum(
            isinstance(m, dict) and "$ref" in m for m in members) > 1:
        # `allOf: [Base, Config, Auth, pin]` makes datamodel-code-generator flatten the class:
        # it copies every inherited field, and re-creates the inline classes of the bases under
        # globally numbered names (`Config1719`). The pin beside `allOf` keeps the inheritance.
        properties = schema.get("properties")
        required = schema.get("required")
        schema["properties"] = {**(properties if isinstance(properties, dict) else {}),
                                property_name: pin}
        schema["required"] = [*(required if isinstance(required, list) else []),
                              property_name]
        schema.setdefault("type", "object")
    elif isinstance(members, list):
        schema["allOf"] = [*members, part]
    else:
        schema["allOf"] = [part]


def _own_property(schemas: dict[str, Any], schema: dict[str, Any], name: str) -> Any:
    """Property `name` as `schema` declares it itself (its properties or inline `allOf` parts,
    not the parents it names)."""
    properties = schema.get("properties")
    if isinstance(properties, dict) and name in properties:
        return properties[name]
    for member in schema.get("allOf") or []:
        if isinstance(member, dict) and "$ref" not in member:
            found = _own_property(schemas, member, name)
            if found is not None:
                return found
    return None


def _redirect(node: Any, redirects: dict[str, str], subtypes_of: dict[str, set[str]],
              owner: str) -> None:
    """Point each `$ref` to a base at its union, except where a subtype derives from it."""
    for _, _, holder in ref_holders(node, ""):
        target = mapped_component(holder["$ref"])
        if target in redirects and owner not in subtypes_of.get(target, ()):
            holder["$ref"] = SCHEMA_REF + redirects[target]



def _known_and_other(schemas: dict[str, Any], schema: Any) -> dict[str, Any] | None:
    """The tags of a union `[Known, Other]` where Known is a discriminated union and Other
    declares that it excludes all of Known's values; None for any other schema."""
    found = _fallback(schemas, schema)
    if found is None:
        return None
    property_name, members, other, _ = found
    return {"property": property_name,
            "members": [[name, values] for name, values in members.items()],
            "fallback": other}


def enforced_exclusions(schemas: dict[str, Any]) -> set[str]:
    """Pointers of the `not` keywords that the generated unions enforce: each one's fallback
    member's exclusion of the values its discriminated sibling lists."""
    found = (_fallback(schemas, schema) for schema in schemas.values())
    return {pointer for item in found if item is not None for pointer in [item[3]]}


def _fallback(schemas: dict[str, Any], schema: Any
              ) -> tuple[str, dict[str, list[str]], str, str] | None:
    """(property, members by component with their values, the fallback's name, the pointer of
    its `not`) for a union of a discriminated union and a fallback that excludes its values."""
    if not isinstance(schema, dict) or "discriminator" in schema:
        return None
    branches = schema.get("anyOf") or schema.get("oneOf")
    if not isinstance(branches, list) or len(branches) != 2:
        return None
    names = [mapped_component(b.get("$ref")) if isinstance(b, dict) else None for b in branches]
    first, second = names
    if first is None or second is None:
        return None
    for known, other in ((first, second), (second, first)):
        known_schema = schemas.get(known)
        property_name = _property_name(known_schema)
        if property_name is None or not isinstance(known_schema, dict) \
                or not _is_union(known_schema):
            continue
        mapping = {value: target for value, ref in explicit(
            known_schema, lambda name: SCHEMA_REF + name).get("mapping", {}).items()
            for target in [mapped_component(ref)] if target is not None}
        members: dict[str, list[str]] = {}
        for value, target in mapping.items():
            members.setdefault(target, []).append(value)
        excluded = _excluded(schemas, other, property_name)
        if members and excluded is not None and set(mapping) <= excluded[0]:
            return property_name, members, other, excluded[1]
    return None


def _excluded(schemas: dict[str, Any], name: str, property_name: str
              ) -> tuple[set[str], str] | None:
    """The values property `property_name` of component `name` (through `allOf`) excludes
    with `not`, and that `not`'s pointer."""
    stack: list[tuple[Any, str]] = [(schemas.get(name), join_pointer("/components/schemas", name))]
    seen: set[str] = set()
    while stack:
        schema, pointer = stack.pop(0)
        if not isinstance(schema, dict) or pointer in seen:
            continue
        seen.add(pointer)
        properties = schema.get("properties")
        declared = properties.get(property_name) if isinstance(properties, dict) else None
        negated = declared.get("not") if isinstance(declared, dict) else None
        not_pointer = join_pointer(pointer, "properties", property_name, "not")
        if isinstance(negated, dict) and isinstance(negated.get("enum"), list):
            return {str(v) for v in negated["enum"]}, not_pointer
        if isinstance(negated, dict) and "const" in negated:
            return {str(negated["const"])}, not_pointer
        for index, member in enumerate(schema.get("allOf") or []):
            target = mapped_component(member.get("$ref")) if isinstance(member, dict) else None
            stack.append((schemas.get(target), join_pointer("/components/schemas", target))
                         if target is not None
                         else (member, join_pointer(pointer, "allOf", index)))
    return None
