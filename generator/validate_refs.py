"""Validation of references: every local `$ref` leads somewhere and not round in a circle
(the rule of `openapi.resolve`), and no schema inherits from itself through `allOf`."""

from __future__ import annotations

from typing import Any

from .openapi import HTTP_METHODS, ref_cycle, ref_holders, schema_component
from .pointer import join_pointer, resolve_pointer, split_pointer
from .validate_common import Checks, did_you_mean, type_name


def ungenerated_section(pointer: str) -> str | None:
    """`webhooks`, `callbacks` or `links` when `pointer` lies in one (a part of the spec the
    client does not generate), else None."""
    tokens = split_pointer(pointer)
    if tokens[:1] == ["webhooks"]:
        return "webhooks"
    if tokens[:1] == ["components"] and tokens[1:2] in (["callbacks"], ["links"]):
        return tokens[1]
    # an operation's callbacks, and the links of a response: of an operation or a component
    if tokens[:1] == ["paths"] and len(tokens) > 3 and tokens[2].lower() in HTTP_METHODS:
        if tokens[3] == "callbacks":
            return "callbacks"
        if tokens[3] == "responses" and tokens[5:6] == ["links"]:
            return "links"
    if tokens[:2] == ["components", "responses"] and tokens[3:4] == ["links"]:
        return "links"
    return None


class RefChecks(Checks):
    def check_refs(self) -> None:
        """Every local `$ref` must lead somewhere, and not back to itself."""
        cycles: set[tuple[str, ...]] = set()
        for pointer, _, holder in ref_holders(self.document, ""):
            ref = holder["$ref"]
            ref_pointer = join_pointer(pointer, "$ref")
            if not isinstance(ref, str):
                self.ref_problem(f"`$ref` must be a string, not {type_name(ref)}", ref_pointer,
                                 "write `$ref: '#/components/schemas/Name'`")
                continue
            if not ref.startswith("#"):
                continue  # another file's: the loader bundled it or reported it
            if not ref.startswith("#/"):
                self.ref_problem(f"$ref {ref!r} is not a JSON pointer", ref_pointer,
                                 "write it as '#/components/schemas/Name'")
                continue
            try:
                resolve_pointer(self.document, ref[1:])
            except KeyError:
                self.ref_problem(f"unresolvable $ref {ref!r}: {self.missing_part(ref)}",
                                 ref_pointer, self.ref_hint(ref))
                continue
            cycle = ref_cycle(self.document, holder)
            if cycle and ungenerated_section(pointer) and not all(
                    ungenerated_section(member[1:]) for member in cycle):
                continue  # an error where the cycle's generated members are met
            if cycle and tuple(sorted(cycle)) not in cycles:
                cycles.add(tuple(sorted(cycle)))
                here = "#" + pointer
                if here in cycle:  # start the story where the message points
                    cycle = cycle[cycle.index(here):] + cycle[:cycle.index(here)]
                self.ref_problem("circular $ref: " + " -> ".join([*cycle, cycle[0]]),
                                 ref_pointer, "each of these is only a $ref to the next; one of "
                                 "them must be a schema")
        self.check_inheritance_cycles()

    def ref_problem(self, message: str, pointer: str, hint: str) -> None:
        """An error; a warning in a part of the spec that is not generated (webhooks,
        callbacks, links), where a broken `$ref` changes nothing the client does."""
        section = ungenerated_section(pointer)
        if section is None:
            self.error(message, pointer, hint)
        else:
            self.warning(f"{message} (in `{section}`, which is not generated)", pointer, hint)

    def missing_part(self, ref: str) -> str:
        tokens = split_pointer(ref[1:])
        node: Any = self.document
        for depth, token in enumerate(tokens):
            if isinstance(node, dict) and token in node:
                node = node[token]
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                where = "#" + join_pointer("", *tokens[:depth]) if depth else "the document"
                return f"{where} has no {token!r}"
        return "it does not exist"

    def ref_hint(self, ref: str) -> str:
        tokens = split_pointer(ref[1:])
        if tokens and tokens[0] == "definitions":
            return "'#/definitions/...' is Swagger 2.0: use '#/components/schemas/...'"
        parent: Any = self.document
        for token in tokens[:-1]:
            parent = parent.get(token) if isinstance(parent, dict) else None
        if isinstance(parent, dict) and tokens:
            guess = did_you_mean(tokens[-1], [str(k) for k in parent], cutoff=0.6)
            if guess is not None:
                return f"did you mean '#{join_pointer('', *tokens[:-1], guess)}'?"
        return "check the spelling; targets are JSON pointers like '#/components/schemas/Name'"

    def check_inheritance_cycles(self) -> None:
        """A schema may not be built from itself through `allOf` (a class its own base)."""
        schemas = self.view.schemas
        bases: dict[str, list[str]] = {}
        for name, schema in schemas.items():
            parts = schema.get("allOf") if isinstance(schema, dict) else None
            bases[name] = [
                base for part in (parts if isinstance(parts, list) else [])
                if isinstance(part, dict)
                and (base := schema_component(part.get("$ref"))) is not None
            ]
        reported: set[tuple[str, ...]] = set()
        for start in schemas:
            path = _find_cycle(start, bases)
            if path and tuple(sorted(path)) not in reported:
                reported.add(tuple(sorted(path)))
                self.error("schema inherits from itself through `allOf`: "
                           + " -> ".join([*path, path[0]]),
                           join_pointer("/components/schemas", path[0], "allOf"),
                           "remove the `allOf` entry that leads back")


def _find_cycle(start: str, bases: dict[str, list[str]]) -> list[str]:
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    visited: set[str] = set()
    while stack:
        name, path = stack.pop()
        for base in bases.get(name, []):
            if base == start:
                return path
            if base not in visited:
                visited.add(base)
                stack.append((base, [*path, base]))
    return []
