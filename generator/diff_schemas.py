"""Schema comparison for `clientgen diff`: two schemas at one position, `$ref`s followed.

A change is judged by the usage of the position (diff.py's docstring says how), recorded once
per component however often operations reach it, and attributed to the component where it
happened. `SchemaComparer` walks; `_Objects` compares properties (`allOf` parts merged) and
`_Unions` the `oneOf`/`anyOf` members and discriminators; diff_values has the keyword rules.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import discriminators
from .diff_changes import B, ChangeLog, N, P, Side, Subject, Usage, from_to, show
from .diff_usage import Reachability, component_at
from .diff_values import compare_constraints, compare_enum, compare_types
from .openapi import OpenApiDocument, as_dict, as_list, component_name, nullable
from .pointer import join_pointer


def _as_schema(node: Any) -> dict[str, Any]:
    if isinstance(node, dict):
        return node
    return {"not": {}} if node is False else {}  # `true`, or a missing schema: anything goes


def _is_null_branch(node: Any) -> bool:
    return isinstance(node, dict) and node.get("type") == "null" and "$ref" not in node


# Keywords that may sit beside a wrapper without changing what it accepts.
_ANNOTATIONS = frozenset({"description", "title", "deprecated", "example", "examples",
                          "readOnly", "writeOnly", "default"})


def _unwrap(node: Any, pointer: str) -> tuple[Any, str, bool]:
    """`anyOf: [X, {type: 'null'}]` is X made nullable and `allOf: [X]` is X: compare X, so
    making a `$ref` nullable reads as one change. Returns (X, its pointer, made nullable)."""
    if not isinstance(node, dict):
        return node, pointer, False
    for key in ("anyOf", "oneOf", "allOf"):
        branches = node.get(key)
        if not isinstance(branches, list) or not set(node) - _ANNOTATIONS <= {key}:
            continue
        kept = [(i, b) for i, b in enumerate(branches) if not _is_null_branch(b)]
        if len(kept) == 1 and (key != "allOf" or len(branches) == 1):
            index, branch = kept[0]
            return branch, join_pointer(pointer, key, index), len(branches) == 2
    return node, pointer, False


class SchemaComparer:
    """Walks two schemas side by side; every schema an operation reaches goes through
    `schema`, then `components` compares what no operation reached."""

    def __init__(self, log: ChangeLog, old: OpenApiDocument, new: OpenApiDocument) -> None:
        self.log, self.old, self.new = log, old, new
        self.reach = Reachability(old, new)
        # (old pointer, new pointer, usage) of schema pairs compared: reaching a `$ref`'d
        # schema again (recursion, or a second operation) stops there.
        self.visited: set[tuple[str, str, str]] = set()
        self.reached: set[tuple[str, str]] = set()  # pairs some operation reaches
        self.objects = _Objects(self)
        self.unions = _Unions(self)

    def schema(self, old: Any, old_pointer: str, new: Any, new_pointer: str, usage: Usage,
               subject: Subject, noun: str = "schema", subtypes: bool = True) -> None:
        """Compare two schemas at one position; `subtypes`: a discriminated base stands for
        its subtypes here (not when reached as a subtype's `allOf` parent)."""
        position = new_pointer  # where the schema is used, before any `$ref` is followed
        old_deprecated = as_dict(old).get("deprecated") is True  # beside a `$ref`, in 3.1
        new_deprecated = as_dict(new).get("deprecated") is True
        old, old_pointer, old_wrapped_null = _unwrap(old, old_pointer)
        new, new_pointer, new_wrapped_null = _unwrap(new, new_pointer)
        old_name, new_name = component_name(old), component_name(new)
        if old_name and new_name and old_name != new_name:
            self.log.schema_change("schema-ref-changed", usage, P, P,
                                   f"{subject} now uses schema `{new_name}` instead of "
                                   f"`{old_name}`", "new", new_pointer)
        old, old_pointer = self.old.target(old, old_pointer)
        new, new_pointer = self.new.target(new, new_pointer)
        old, new = _as_schema(old), _as_schema(new)
        # Nullability belongs to the position when a wrapper states it, so it is compared
        # before the memo below can skip an already compared component.
        old_nullable = old_wrapped_null or nullable(old)
        new_nullable = new_wrapped_null or nullable(new)
        if old_nullable != new_nullable:
            pointer = position if old_wrapped_null != new_wrapped_null else new_pointer
            if new_nullable:
                self.log.schema_change("nullable-added", usage, N, B, f"{subject} may now be null",
                                       "new", pointer)
            else:
                self.log.schema_change("nullable-removed", usage, B, N,
                                       f"{subject} may no longer be null", "new", pointer)
        # Deprecation too may be stated at the position: beside a `$ref` (OpenAPI 3.1).
        was = old_deprecated or old.get("deprecated") is True
        now = new_deprecated or new.get("deprecated") is True
        if was != now:
            self.log.deprecation({"deprecated": was}, {"deprecated": now}, noun, str(subject),
                                 position if old_deprecated or new_deprecated else new_pointer,
                                 usage, schema=True)
        anchor = None
        if old_name is not None and old_name == new_name and old_name in self.reach.unchanged:
            if subtypes and usage is not None:
                self._follow_subtypes(old_name, new_name, usage)
            return
        if old_name or new_name:
            pair = (old_pointer, new_pointer)
            key = (*pair, usage or "")
            if key in self.visited or (usage is None and pair in self.reached):
                if subtypes and old_name and new_name and usage is not None:
                    self._follow_subtypes(old_name, new_name, usage)
                return
            self.visited.add(key)
            if usage is not None:
                self.reached.add(pair)
            if old_name and new_name:
                subject = Subject("", new_name)
            else:
                # An inline schema on one side, a component on the other: the change happened
                # here, not in the component (which may be the same in both files).
                anchor = position
        self._schema_body(old, old_pointer, new, new_pointer, usage, subject, noun, anchor)
        if subtypes and old_name and new_name and usage is not None:
            self._follow_subtypes(old_name, new_name, usage)

    def _follow_subtypes(self, old_name: str, new_name: str, usage: Usage) -> None:
        """A discriminated base stands for its subtypes wherever it is used (the generated
        `<Base>Union`): compare the subtypes on both sides in the same use."""
        for name in self.reach.subtypes_to_follow(old_name, new_name, usage):
            pointer = join_pointer("/components/schemas", name)
            ref = {"$ref": "#" + pointer}
            self.schema(ref, pointer, ref, pointer, usage, Subject("", name))

    def _schema_body(self, old: dict[str, Any], old_pointer: str, new: dict[str, Any],
                     new_pointer: str, usage: Usage, subject: Subject, noun: str,
                     anchor: str | None = None) -> None:
        def at(key: str) -> str:  # the keyword's pointer in NEW, or the schema's
            if anchor is not None:
                return anchor
            return join_pointer(new_pointer, key) if key in new else new_pointer

        if not compare_types(self.log, old, new, usage, subject, at("type")):
            return  # an incompatible type: differences below it are noise
        if old.get("format") != new.get("format"):
            self.log.schema_change("format-changed", usage, P, P,
                                   f"format of {subject} {from_to(old, new, 'format')}", "new",
                                   at("format"))
        compare_enum(self.log, old, old_pointer, new, new_pointer, usage, subject)
        if old.get("default") != new.get("default") or ("default" in old) != ("default" in new):
            self.log.schema_change("default-changed", usage, P, N,
                                   f"default of {subject} {from_to(old, new, 'default')}", "new",
                                   at("default"))
        compare_constraints(self.log, old, new, usage, subject, at)
        self.objects.compare(old, old_pointer, new, new_pointer, usage, subject)
        if usage is not None:
            self._parents(old, old_pointer, new, new_pointer, usage)
        self._additional_properties(old, old_pointer, new, new_pointer, usage, subject)
        if "items" in old or "items" in new:
            self.schema(old.get("items"), join_pointer(old_pointer, "items"), new.get("items"),
                        join_pointer(new_pointer, "items"), usage, subject.child("[]"))
        changed_branches: set[str] = set()
        for key in ("oneOf", "anyOf"):
            changed_branches |= self.unions.branches(old, old_pointer, new, new_pointer, usage,
                                                     subject, key)
        self.unions.discriminator(old, old_pointer, new, new_pointer, usage, subject, at,
                                  changed_branches)
        if old.get("x-envelope") != new.get("x-envelope"):
            self.log.schema_change("envelope-changed", usage, B, B,
                                   f"`x-envelope` of {subject} {from_to(old, new, 'x-envelope')}: "
                                   "methods return another value", "new", at("x-envelope"))

    def _parents(self, old: dict[str, Any], old_pointer: str, new: dict[str, Any],
                 new_pointer: str, usage: Usage) -> None:
        """A component named in `allOf` on both sides is used wherever its child is (its
        properties were compared with the child's; this judges the rest of it too)."""
        def parents(node: dict[str, Any], pointer: str) -> dict[str, tuple[Any, str]]:
            return {name: (part, join_pointer(pointer, "allOf", index))
                    for index, part in enumerate(as_list(node.get("allOf")))
                    for name in [component_name(part)] if name is not None}

        old_parents, new_parents = parents(old, old_pointer), parents(new, new_pointer)
        for name, (part, pointer) in old_parents.items():
            if name in new_parents:
                self.schema(part, pointer, new_parents[name][0], new_parents[name][1], usage,
                            Subject("", name), subtypes=False)

    def _additional_properties(self, old: dict[str, Any], old_pointer: str,
                               new: dict[str, Any], new_pointer: str, usage: Usage,
                               subject: Subject) -> None:
        before, after = old.get("additionalProperties"), new.get("additionalProperties")
        if after is False and before is not False:
            self.log.schema_change("additional-properties-restricted", usage, B, N,
                                   f"{subject} no longer allows properties it does not list", "new",
                                   join_pointer(new_pointer, "additionalProperties"))
        elif before is False and after is not False:
            self.log.schema_change("additional-properties-allowed", usage, N, N,
                                   f"{subject} now allows properties it does not list", "new",
                                   new_pointer)
        elif isinstance(before, dict) or isinstance(after, dict):
            self.schema(before, join_pointer(old_pointer, "additionalProperties"), after,
                        join_pointer(new_pointer, "additionalProperties"), usage,
                        subject.child("[*]"))

    def components(self) -> None:
        """Schemas no operation reached, and schemas added or removed (each is a model)."""
        base = "/components/schemas"
        old, new = self.old.schemas, self.new.schemas
        for name in old:
            if name not in new:
                self.log.add("schema-removed", P, f"schema `{name}` removed: its model class goes",
                             "old", join_pointer(base, name))
        for name in new:
            if name not in old:
                self.log.add("schema-added", N, f"schema `{name}` added", "new",
                             join_pointer(base, name))
        for name in old:
            if name in new:
                pointer = join_pointer(base, name)
                self.schema({"$ref": "#" + pointer}, pointer, {"$ref": "#" + pointer}, pointer,
                            None, Subject("", name))


class _Objects:
    """Properties and `required`, compared across `allOf` parts."""

    def __init__(self, schemas: SchemaComparer) -> None:
        self.schemas, self.log = schemas, schemas.log
        self.old, self.new = schemas.old, schemas.new

    def _object_view(self, spec: OpenApiDocument, node: dict[str, Any], pointer: str
                     ) -> tuple[dict[str, tuple[Any, str, str | None]], set[str]]:
        """Properties (name -> schema, pointer, the component declaring it) and required
        names, `allOf` parts merged: a property moved into an `allOf` parent is not a change
        to the object, but a change to it happened in that parent."""
        properties: dict[str, tuple[Any, str, str | None]] = {}
        required: set[str] = set()
        seen: set[str] = set()

        def visit(node: Any, pointer: str, owner: str | None) -> None:
            node, pointer = spec.target(node, pointer)
            if not isinstance(node, dict) or pointer in seen:
                return
            seen.add(pointer)
            owner = component_at(pointer) or owner
            for name, schema in as_dict(node.get("properties")).items():
                properties.setdefault(
                    name, (schema, join_pointer(pointer, "properties", name), owner))
            required.update(str(name) for name in as_list(node.get("required")))
            for index, part in enumerate(as_list(node.get("allOf"))):
                visit(part, join_pointer(pointer, "allOf", index), owner)

        visit(node, pointer, None)
        return properties, required

    def compare(self, old: dict[str, Any], old_pointer: str, new: dict[str, Any],
                new_pointer: str, usage: Usage, subject: Subject) -> None:
        old_properties, old_required = self._object_view(self.old, old, old_pointer)
        new_properties, new_required = self._object_view(self.new, new, new_pointer)
        own = component_at(new_pointer), component_at(old_pointer)

        def child(name: str, owner: str | None) -> Subject:
            """Named after the component that declares it, if not this one."""
            if owner is None or owner in own:
                return subject.child(name)
            return Subject("", owner).child(name)

        for name, (_, pointer, owner) in old_properties.items():
            if name not in new_properties:
                self.log.schema_change("property-removed", usage, B, B,
                                       f"property {child(name, owner)} removed", "old", pointer)
        for name, (schema, pointer, owner) in new_properties.items():
            if name in old_properties:
                continue
            if name in new_required:
                # a read-only property is never sent, so requiring it asks nothing of a client
                read_only = as_dict(self.new.target(schema, pointer)[0]).get("readOnly")
                self.log.schema_change("required-property-added", usage, N if read_only else B, N,
                                       f"required property {child(name, owner)} added", "new",
                                       pointer)
            else:
                self.log.schema_change("property-added", usage, N, N,
                                       f"optional property {child(name, owner)} added", "new",
                                       pointer)
        for name, (old_schema, old_property_pointer, _) in old_properties.items():
            if name not in new_properties:
                continue
            new_schema, pointer, owner = new_properties[name]
            child_subject = child(name, owner)
            self.schemas.schema(old_schema, old_property_pointer, new_schema, pointer, usage,
                                child_subject, "property")
            if name in new_required and name not in old_required:
                read_only = as_dict(self.new.target(new_schema, pointer)[0]).get("readOnly")
                self.log.schema_change("property-became-required", usage,
                                       N if read_only else B, N,
                                       f"property {child_subject} is now required", "new", pointer)
            elif name in old_required and name not in new_required:
                self.log.schema_change("property-became-optional", usage, N, B,
                                       f"property {child_subject} is now optional", "new", pointer)


class _Unions:
    """`oneOf`/`anyOf` members and the discriminator that selects among them."""

    def __init__(self, schemas: SchemaComparer) -> None:
        self.schemas, self.log = schemas, schemas.log

    def branches(self, old: dict[str, Any], old_pointer: str, new: dict[str, Any],
                 new_pointer: str, usage: Usage, subject: Subject, key: str) -> set[str]:
        """Compare `oneOf`/`anyOf` members, matched by the component they name (or title, or
        position); returns the components added or removed as branches."""

        def branches(node: dict[str, Any], pointer: str) -> dict[str, tuple[Any, str]]:
            result: dict[str, tuple[Any, str]] = {}
            for index, branch in enumerate(as_list(node.get(key))):
                if _is_null_branch(branch):
                    continue  # that is nullability, compared on its own
                title = as_dict(branch).get("title")
                name = component_name(branch) or (title if isinstance(title, str) else "") \
                    or f"#{index}"
                result.setdefault(name, (branch, join_pointer(pointer, key, index)))
            return result

        old_branches, new_branches = branches(old, old_pointer), branches(new, new_pointer)
        noun = "one-of" if key == "oneOf" else "any-of"
        for name, (_, pointer) in old_branches.items():
            if name not in new_branches:
                self.log.schema_change(f"{noun}-branch-removed", usage, B, N,
                                       f"`{name}` is no longer one of the `{key}` options of "
                                       f"{subject}", "old", pointer)
        for name, (_, pointer) in new_branches.items():
            if name not in old_branches:
                self.log.schema_change(f"{noun}-branch-added", usage, N, P,
                                       f"`{name}` added to the `{key}` options of {subject}", "new",
                                       pointer)
        for name, (branch, pointer) in old_branches.items():
            if name in new_branches:
                self.schemas.schema(branch, pointer, new_branches[name][0], new_branches[name][1],
                                    usage, subject.child(f"<{name}>"))
        return old_branches.keys() ^ new_branches.keys()

    def discriminator(self, old: dict[str, Any], old_pointer: str, new: dict[str, Any],
                      new_pointer: str, usage: Usage,
                      subject: Subject, at: Callable[[str], str],
                      changed_branches: set[str]) -> None:
        before, after = old.get("discriminator"), new.get("discriminator")
        if not isinstance(before, dict) and not isinstance(after, dict):
            return
        before, after = as_dict(before), as_dict(after)
        if before.get("propertyName") != after.get("propertyName"):
            self.log.schema_change("discriminator-changed", usage, B, B,
                                   f"discriminator of {subject} changed from "
                                   f"{show(before.get('propertyName'))} to "
                                   f"{show(after.get('propertyName'))}", "new", at("discriminator"))
            return

        def mapping(node: dict[str, Any], side: Side, pointer: str) -> dict[str, str]:
            """Wire value -> component, implicit values too (as the generator reads them)."""
            base = self.schemas.reach.subtypes[side].get(component_at(pointer) or "")
            if base is not None:
                return {value: name for name, values in base.items() for value in values}
            return {value: target for value, ref in as_dict(discriminators.explicit(
                node, lambda name: name).get("mapping")).items()
                for target in [discriminators.mapped_component(ref)] if target is not None}

        def where(node: dict[str, Any], pointer: str, value: str, target: str) -> str:
            """The mapping entry, or the subtype an implicit value names."""
            if value in as_dict(as_dict(node.get("discriminator")).get("mapping")):
                return join_pointer(pointer, "discriminator", "mapping", value)
            return join_pointer("/components/schemas", target)

        old_map = mapping(old, "old", old_pointer)
        new_map = mapping(new, "new", new_pointer)
        for value, target in old_map.items():
            if value not in new_map and target not in changed_branches:
                self.log.schema_change("discriminator-value-removed", usage, B, N,
                                       f"discriminator value `{value}` removed from {subject}",
                                       "old", where(old, old_pointer, value, target))
            elif value in new_map and new_map[value] != target:
                self.log.schema_change("discriminator-mapping-changed", usage, B, B,
                                       f"discriminator value `{value}` of {subject} now selects "
                                       f"`{new_map[value]}` instead of `{target}`", "new",
                                       where(new, new_pointer, value, new_map[value]))
        for value, target in new_map.items():
            if value not in old_map and target not in changed_branches:
                self.log.schema_change("discriminator-value-added", usage, N, P,
                                       f"discriminator value `{value}` added to {subject}", "new",
                                       where(new, new_pointer, value, target))
