"""`clientgen diff`: the API-level changes between two specs, classified for a client user.

The comparison is semantic, not textual: operations are matched by method and path (then by
path shape, then by operationId), parameters by `in` and name, bodies by media type, responses by
status, and schemas are compared wherever an operation reaches them, `$ref`s followed.

A schema change is judged by where the schema is used. A client *sends* request schemas and
*receives* response schemas, so one edit can break one side and not the other: a new required
field breaks a request but not a response; a new enum value may surprise a client reading it
but not one sending it. A change to a schema used on both sides takes the worse verdict.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, Literal

from . import api_surface, cache, discriminators
from .diagnostics import Diagnostic, Level, Location, SpecError
from .diff_report import ApiChange, Change, DiffReport, Severity
from .openapi import HTTP_METHODS, schema_component
from .load import (
    LoadedSpec,
    join_pointer,
    load_spec,
    read_document,
    ref_holders,
    resolve_pointer,
    split_pointer,
)
from .manifest import _code_fingerprint, generator_inputs

B, P, N = Severity.BREAKING, Severity.POTENTIALLY_BREAKING, Severity.NON_BREAKING
Side = Literal["old", "new"]
# Where a schema is used: the client sends it, receives it, or (None) no operation reaches it.
Usage = Literal["request", "response"] | None

_UPPER_BOUNDS = ("maxLength", "maxItems", "maxProperties", "maximum", "exclusiveMaximum")
_LOWER_BOUNDS = ("minLength", "minItems", "minProperties", "minimum", "exclusiveMinimum")


# -- helpers over spec data -----------------------------------------------------------------


def _resolve(spec: LoadedSpec, node: Any, pointer: str) -> tuple[Any, str]:
    """Follow local `$ref`s to their target; a broken or circular chain gives `{}`."""
    seen: set[str] = set()
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        ref = node["$ref"]
        if ref in seen or not ref.startswith("#"):
            return {}, pointer
        seen.add(ref)
        try:
            node, pointer = resolve_pointer(spec.data, ref[1:]), ref[1:]
        except KeyError:
            return {}, pointer
    return node, pointer


def _component_name(node: Any) -> str | None:
    return schema_component(node.get("$ref")) if isinstance(node, dict) else None


def _as_schema(node: Any) -> dict[str, Any]:
    if isinstance(node, dict):
        return node
    return {"not": {}} if node is False else {}  # `true`, or a missing schema: anything goes


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _show(value: Any) -> str:
    """A value from the spec as it reads in a message."""
    return f"`{value}`" if isinstance(value, str) else f"`{json.dumps(value, sort_keys=True)}`"


def _from_to(before: dict[str, Any], after: dict[str, Any], key: str) -> str:
    """How `key` changed between two mappings, for a message."""
    if key not in before:
        return f"set to {_show(after.get(key))}"
    if key not in after:
        return f"removed (was {_show(before.get(key))})"
    return f"changed from {_show(before.get(key))} to {_show(after.get(key))}"


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


def _nullable(schema: dict[str, Any]) -> bool:
    declared = schema.get("type")
    return (
        schema.get("nullable") is True
        or (isinstance(declared, list) and "null" in declared)
        or None in _list(schema.get("enum"))
        or any(_is_null_branch(b) for k in ("oneOf", "anyOf") for b in _list(schema.get(k)))
    )


def _enum_values(schema: dict[str, Any]) -> tuple[list[Any], str] | None:
    """The allowed values (null aside, which is nullability) and the keyword listing them."""
    if "const" in schema:
        return [schema["const"]], "const"
    if isinstance(schema.get("enum"), list):
        return schema["enum"], "enum"
    return None


def _value_key(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


# -- what a change is about, for messages ---------------------------------------------------


@dataclass(frozen=True)
class _Subject:
    context: str  # e.g. "the request body of `POST /pets`"; "" inside a named component
    path: str = ""  # e.g. "Pet.owner.name"

    def child(self, name: str) -> _Subject:
        if name.startswith("["):
            return _Subject(self.context, (self.path or "items") + name)
        return _Subject(self.context, f"{self.path}.{name}" if self.path else name)

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


@dataclass(frozen=True)
class _Operation:
    method: str
    path: str
    node: dict[str, Any]
    pointer: str
    shared: list[Any]  # the path item's parameters
    shared_pointer: str

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"

    @property
    def operation_id(self) -> str | None:
        value = self.node.get("operationId")
        return value if isinstance(value, str) else None


def _operations(spec: LoadedSpec) -> dict[tuple[str, str], _Operation]:
    result: dict[tuple[str, str], _Operation] = {}
    for path, item in _dict(spec.data.get("paths")).items():
        item, item_pointer = _resolve(spec, item, join_pointer("/paths", path))
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            if isinstance(item.get(method), dict):
                result[(method, str(path))] = _Operation(
                    method, str(path), item[method], join_pointer(item_pointer, method),
                    _list(item.get("parameters")), join_pointer(item_pointer, "parameters"),
                )
    return result


def _schemas(spec: LoadedSpec) -> dict[str, Any]:
    return _dict(_dict(spec.data.get("components")).get("schemas"))


def _subtypes(spec: LoadedSpec) -> dict[str, dict[str, tuple[str, ...]]]:
    schemas = {name: schema for name, schema in _schemas(spec).items()
               if isinstance(schema, dict)}
    return {base.name: dict(base.subtypes) for base in discriminators.bases(schemas)}


def _component_at(pointer: str) -> str | None:
    """The component a resolved pointer is the root of (`/components/schemas/X`)."""
    tokens = split_pointer(pointer)
    return tokens[2] if len(tokens) == 3 and tokens[:2] == ["components", "schemas"] else None


def _path_shape(path: str) -> str:
    """`/pets/{id}` and `/pets/{petId}` are the same URL to a client."""
    return re.sub(r"\{[^{}]*\}", "{}", path)


def _match_operations(
    old: dict[tuple[str, str], _Operation], new: dict[tuple[str, str], _Operation]
) -> tuple[list[tuple[_Operation, _Operation]], list[_Operation], list[_Operation]]:
    """(matched pairs, removed, added): by method and path, then path shape, then operationId."""
    pairs = [(op, new[key]) for key, op in old.items() if key in new]
    old_left = [op for key, op in old.items() if key not in new]
    new_left = [op for key, op in new.items() if key not in old]
    for same in (lambda a, b: (a.method, _path_shape(a.path)) == (b.method, _path_shape(b.path)),
                 lambda a, b: a.operation_id is not None and a.operation_id == b.operation_id):
        for old_op in list(old_left):
            match = next((n for n in new_left if same(old_op, n)), None)
            if match is not None:
                pairs.append((old_op, match))
                old_left.remove(old_op)
                new_left.remove(match)
    return pairs, old_left, new_left


def _requirements(node: Any) -> frozenset[frozenset[tuple[str, tuple[str, ...]]]]:
    """A security requirement list: any one alternative suffices, and an alternative needs
    all its schemes (with their scopes). The empty alternative means "no credentials"."""
    return frozenset(
        frozenset((str(name), tuple(sorted(str(s) for s in _list(scopes))))
                  for name, scopes in alternative.items())
        for alternative in _list(node) if isinstance(alternative, dict)
    )


def _needs_credentials(requirements: frozenset[frozenset[Any]]) -> bool:
    return bool(requirements) and frozenset() not in requirements


def _describe_requirements(requirements: frozenset[frozenset[tuple[str, Any]]]) -> str:
    alternatives = sorted(" + ".join(sorted(name for name, _ in alt)) or "none"
                          for alt in requirements)
    return " or ".join(f"`{a}`" for a in alternatives) or "none"


def _server_urls(data: dict[str, Any]) -> list[str]:
    urls = []
    for server in _list(data.get("servers")):
        if not isinstance(server, dict) or not isinstance(server.get("url"), str):
            continue
        url = server["url"]
        for name, variable in _dict(server.get("variables")).items():
            if isinstance(variable, dict) and "default" in variable:
                url = url.replace("{" + name + "}", str(variable["default"]))
        urls.append(url.rstrip("/"))
    return urls


# -- the comparison -------------------------------------------------------------------------


class _Comparer:
    def __init__(self, old: LoadedSpec, new: LoadedSpec) -> None:
        self.old, self.new = old, new
        self.found: dict[tuple[str, str, str], _Found] = {}
        # (old pointer, new pointer, usage) of schema pairs compared: reaching a `$ref`'d
        # schema again (recursion, or a second operation) stops there.
        self.visited: set[tuple[str, str, str]] = set()
        self.reached: set[tuple[str, str]] = set()  # pairs some operation reaches
        # Each side's discriminated bases: component -> {subtype component: its wire values},
        # mappings explicit and implicit (an `allOf` child), as the generator reads them.
        self.subtypes: dict[Side, dict[str, dict[str, tuple[str, ...]]]] = {
            "old": _subtypes(old), "new": _subtypes(new)}
        self.followed: set[tuple[str, str]] = set()  # (base, usage) whose subtypes were reached
        self.unchanged = self._unchanged_components()

    # -- recording

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

    def changes(self) -> list[Change]:
        result = []
        for found in self.found.values():
            spec = self.old if found.side == "old" else self.new
            result.append(Change(found.kind, found.severity, found.message, found.pointer,
                                 found.side, spec.locate(found.pointer), found.usage))
        return sorted(result, key=lambda c: -c.severity)  # stable: document order within

    # -- the whole document

    def run(self) -> None:
        old, new = self.old.data, self.new.data
        self._info(old, new)
        self._servers(old, new)
        self._security(_requirements(old.get("security")), _requirements(new.get("security")),
                       "/security", "the API", "security" in new)
        self._security_schemes()
        pairs, removed, added = _match_operations(_operations(self.old), _operations(self.new))
        for old_op, new_op in pairs:
            self._operation(old_op, new_op)
        for op in removed:
            self.add("operation-removed", B, f"operation `{op.label}` removed", "old", op.pointer)
        for op in added:
            self.add("operation-added", N, f"operation `{op.label}` added", "new", op.pointer)
        self._component_schemas()

    def _info(self, old: dict[str, Any], new: dict[str, Any]) -> None:
        old_info, new_info = _dict(old.get("info")), _dict(new.get("info"))
        if old_info.get("version") != new_info.get("version"):
            self.add("api-version-changed", N,
                     f"API version changed from {_show(old_info.get('version'))} to "
                     f"{_show(new_info.get('version'))}", "new", "/info/version")
        if old_info.get("x-client-name") != new_info.get("x-client-name"):
            self.add("client-name-changed", B,
                     f"`x-client-name` {_from_to(old_info, new_info, 'x-client-name')}: the "
                     "client classes are renamed", "new", "/info")
        if old.get("x-default-headers") != new.get("x-default-headers"):
            self.add("default-headers-changed", P, "`x-default-headers` changed: every request "
                     "sends different headers", "new", "/x-default-headers")

    def _servers(self, old: dict[str, Any], new: dict[str, Any]) -> None:
        old_urls, new_urls = _server_urls(old), _server_urls(new)
        skip: set[str] = set()
        if old_urls and new_urls and old_urls[0] != new_urls[0]:
            self.add("default-server-changed", P,
                     f"default server changed from `{old_urls[0]}` to `{new_urls[0]}`: the "
                     "client's default base URL follows it", "new", "/servers/0/url")
            skip = {old_urls[0], new_urls[0]}
        for index, url in enumerate(old_urls):
            if url not in new_urls and url not in skip:
                self.add("server-removed", P, f"server `{url}` removed", "old",
                         f"/servers/{index}")
        for index, url in enumerate(new_urls):
            if url not in old_urls and url not in skip:
                self.add("server-added", N, f"server `{url}` added", "new", f"/servers/{index}")

    def _security(self, old: frozenset[frozenset[Any]], new: frozenset[frozenset[Any]],
                  pointer: str, subject: str, in_new: bool) -> None:
        if old == new or not (_needs_credentials(old) or _needs_credentials(new)):
            return
        side: Side = "new" if in_new else "old"
        if not _needs_credentials(old):
            self.add("security-added", B, f"{subject} now requires credentials "
                     f"({_describe_requirements(new)})", side, pointer)
        elif not _needs_credentials(new):
            self.add("security-removed", N, f"{subject} no longer requires credentials", side,
                     pointer)
        else:
            severity = N if old <= new else B  # every old way to authenticate still works?
            self.add("security-changed", severity,
                     f"{subject} authenticates with {_describe_requirements(new)} instead of "
                     f"{_describe_requirements(old)}", side, pointer)

    def _security_schemes(self) -> None:
        base = "/components/securitySchemes"
        old = _dict(_dict(self.old.data.get("components")).get("securitySchemes"))
        new = _dict(_dict(self.new.data.get("components")).get("securitySchemes"))
        for name in old.keys() - new.keys():
            self.add("security-scheme-removed", P, f"security scheme `{name}` removed", "old",
                     join_pointer(base, name))
        for name in new.keys() - old.keys():
            self.add("security-scheme-added", N, f"security scheme `{name}` added", "new",
                     join_pointer(base, name))
        for name in old.keys() & new.keys():
            pointer = join_pointer(base, name)
            old_scheme, _ = _resolve(self.old, old[name], pointer)
            new_scheme, new_pointer = _resolve(self.new, new[name], pointer)

            def shape(scheme: Any) -> str:
                scheme = _dict(scheme)
                return " ".join(str(scheme[k]) for k in ("type", "scheme", "in", "name")
                                if k in scheme)

            if shape(old_scheme) != shape(new_scheme):
                self.add("security-scheme-changed", B,
                         f"security scheme `{name}` changed from `{shape(old_scheme)}` to "
                         f"`{shape(new_scheme)}`", "new", new_pointer)
            if _dict(old_scheme).get("x-credential-names") != _dict(new_scheme).get(
                    "x-credential-names"):
                self.add("credential-names-changed", B,
                         f"`x-credential-names` of `{name}` changed: the client constructor's "
                         "credential arguments are renamed", "new", new_pointer)

    # -- operations

    def _operation(self, old: _Operation, new: _Operation) -> None:
        label = new.label
        if (old.method, old.path) != (new.method, new.path) and \
                _path_shape(old.path) != _path_shape(new.path):
            self.add("operation-moved", B, f"operation `{new.operation_id}` moved from "
                     f"`{old.label}` to `{label}`", "new", new.pointer)
        if old.operation_id and new.operation_id and old.operation_id != new.operation_id:
            self.add("operation-id-changed", P,
                     f"operationId of `{label}` changed from `{old.operation_id}` to "
                     f"`{new.operation_id}`: the generated method and function names follow it",
                     "new", join_pointer(new.pointer, "operationId"))
        self._deprecation(old.node, new.node, "operation", f"operation `{label}`",
                          new.pointer)
        old_tags, new_tags = _list(old.node.get("tags")), _list(new.node.get("tags"))
        old_tag = str(old_tags[0]) if old_tags else "default"
        new_tag = str(new_tags[0]) if new_tags else "default"
        if old_tag != new_tag:
            self.add("operation-tag-changed", P,
                     f"`{label}` moved from tag `{old_tag}` to `{new_tag}`: its method moves to "
                     "another resource of the client", "new", new.pointer)
        for key, kind in (("x-method-name", "method-name-changed"),
                          ("x-pagination", "pagination-changed")):
            if old.node.get(key) != new.node.get(key):
                self.add(kind, P, f"`{key}` of `{label}` {_from_to(old.node, new.node, key)}",
                         "new", join_pointer(new.pointer, key) if key in new.node
                         else new.pointer)
        if "security" in old.node or "security" in new.node:
            self._security(
                _requirements(old.node.get("security", self.old.data.get("security"))),
                _requirements(new.node.get("security", self.new.data.get("security"))),
                join_pointer(new.pointer, "security"), f"`{label}`", True,
            )
        self._parameters(old, new)
        self._request_body(old, new)
        self._responses(old, new)

    def _deprecation(self, old: Any, new: Any, noun: str, subject: str, pointer: str,
                     usage: Usage = None, schema: bool = False) -> None:
        was, now = _dict(old).get("deprecated") is True, _dict(new).get("deprecated") is True
        if was == now:
            return
        kind, message = (f"{noun}-deprecated", f"{subject} is deprecated") if now else (
            "deprecation-removed", f"{subject} is no longer deprecated")
        if schema:
            self.schema_change(kind, usage, N, N, message, "new", pointer)
        else:
            self.add(kind, N, message, "new", pointer)

    def _parameter_map(self, spec: LoadedSpec,
                       op: _Operation) -> dict[tuple[str, str], tuple[dict[str, Any], str, str]]:
        """(in, name) -> (parameter, pointer where the operation lists it, resolved pointer)."""
        merged: dict[tuple[str, str], tuple[dict[str, Any], str, str]] = {}
        for entries, base in ((op.shared, op.shared_pointer),
                              (_list(op.node.get("parameters")),
                               join_pointer(op.pointer, "parameters"))):
            for index, entry in enumerate(entries):
                pointer = join_pointer(base, index)
                param, resolved_pointer = _resolve(spec, entry, pointer)
                if isinstance(param, dict) and isinstance(param.get("name"), str) and \
                        isinstance(param.get("in"), str):
                    merged[(param["in"], param["name"])] = (param, pointer, resolved_pointer)
        return merged

    def _parameters(self, old_op: _Operation, new_op: _Operation) -> None:
        old, new = self._parameter_map(self.old, old_op), self._parameter_map(self.new, new_op)

        def required(param: dict[str, Any]) -> bool:
            return param.get("in") == "path" or param.get("required") is True

        def owner(op: _Operation, pointer: str) -> str:
            """A path item's parameter belongs to all its operations: name the path."""
            return op.path if pointer.startswith(op.shared_pointer + "/") else op.label

        renamed = self._renamed_path_variables(old_op, new_op, old, new)
        for (old_name, new_name) in renamed.items():
            old_entry, new_entry = old.pop(("path", old_name)), new.pop(("path", new_name))
            new[("path", old_name)] = new_entry  # compared below as one parameter
            self.add("path-parameter-renamed", P,
                     f"path parameter `{old_name}` of `{owner(new_op, new_entry[1])}` renamed "
                     f"to `{new_name}`: the same URL, but the generated method's keyword "
                     "argument is renamed", "new", new_entry[1])
            old[("path", old_name)] = old_entry
        for (location, name), (_, pointer, _) in old.items():
            if (location, name) not in new:
                self.add("parameter-removed", B, f"{location} parameter `{name}` removed from "
                         f"`{owner(old_op, pointer)}`", "old", pointer)
        for (location, name), (param, pointer, _) in new.items():
            if (location, name) in old:
                continue
            if required(param):
                self.add("required-parameter-added", B, f"required {location} parameter "
                         f"`{name}` added to `{owner(new_op, pointer)}`", "new", pointer)
            else:
                self.add("parameter-added", N, f"optional {location} parameter `{name}` added "
                         f"to `{owner(new_op, pointer)}`", "new", pointer)
        for key in old.keys() & new.keys():
            (old_param, _, old_pointer), (new_param, pointer, new_pointer) = old[key], new[key]
            name = renamed.get(key[1], key[1]) if key[0] == "path" else key[1]
            subject = f"{key[0]} parameter `{name}` of `{owner(new_op, pointer)}`"
            if required(new_param) and not required(old_param):
                self.add("parameter-became-required", B, f"{subject} is now required", "new",
                         pointer)
            elif required(old_param) and not required(new_param):
                self.add("parameter-became-optional", N, f"{subject} is now optional", "new",
                         pointer)
            self._deprecation(old_param, new_param, "parameter", subject, pointer)
            old_schema, old_schema_pointer = self._parameter_schema(old_param, old_pointer)
            new_schema, new_schema_pointer = self._parameter_schema(new_param, new_pointer)
            self.schema(old_schema, old_schema_pointer, new_schema, new_schema_pointer,
                        "request", _Subject(subject))

    @staticmethod
    def _renamed_path_variables(old_op: _Operation, new_op: _Operation,
                                old: dict[tuple[str, str], Any],
                                new: dict[tuple[str, str], Any]) -> dict[str, str]:
        """Template variables renamed in place (`/d/{destination_id}` -> `/d/{dest_id}`): the
        same URL, so one parameter renamed, not one removed and one added."""
        if _path_shape(old_op.path) != _path_shape(new_op.path):
            return {}
        variables = re.compile(r"\{([^{}]*)\}")
        renamed = {}
        for before, after in zip(variables.findall(old_op.path), variables.findall(new_op.path)):
            if before != after and ("path", before) in old and ("path", after) in new and \
                    ("path", before) not in new and ("path", after) not in old:
                renamed[before] = after
        return renamed

    @staticmethod
    def _parameter_schema(param: dict[str, Any], pointer: str) -> tuple[Any, str]:
        if "schema" in param:
            return param["schema"], join_pointer(pointer, "schema")
        for media_type, media in _dict(param.get("content")).items():
            return _dict(media).get("schema"), join_pointer(pointer, "content", media_type,
                                                            "schema")
        return None, pointer

    def _request_body(self, old_op: _Operation, new_op: _Operation) -> None:
        label = new_op.label
        old_pointer = join_pointer(old_op.pointer, "requestBody")
        new_pointer = join_pointer(new_op.pointer, "requestBody")
        if "requestBody" not in old_op.node and "requestBody" not in new_op.node:
            return
        if "requestBody" not in new_op.node:
            self.add("request-body-removed", B, f"request body of `{label}` removed", "old",
                     old_pointer)
            return
        new, new_pointer = _resolve(self.new, new_op.node["requestBody"], new_pointer)
        new_required = _dict(new).get("required") is True
        if "requestBody" not in old_op.node:
            if new_required:
                self.add("required-request-body-added", B,
                         f"required request body added to `{label}`", "new", new_pointer)
            else:
                self.add("request-body-added", N, f"optional request body added to `{label}`",
                         "new", new_pointer)
            return
        old, old_pointer = _resolve(self.old, old_op.node["requestBody"], old_pointer)
        old_required = _dict(old).get("required") is True
        if new_required and not old_required:
            self.add("request-body-became-required", B,
                     f"request body of `{label}` is now required", "new", new_pointer)
        elif old_required and not new_required:
            self.add("request-body-became-optional", N,
                     f"request body of `{label}` is now optional", "new", new_pointer)
        self._content(_dict(old).get("content"), join_pointer(old_pointer, "content"),
                      _dict(new).get("content"), join_pointer(new_pointer, "content"),
                      "request", f"the request body of `{label}`")

    def _responses(self, old_op: _Operation, new_op: _Operation) -> None:
        label = new_op.label
        old = _dict(old_op.node.get("responses"))
        new = _dict(new_op.node.get("responses"))
        old_base = join_pointer(old_op.pointer, "responses")
        new_base = join_pointer(new_op.pointer, "responses")
        for status in old:
            if status not in new:
                # Clients act on success responses; an error status going away harms none.
                severity = P if str(status).startswith("2") else N
                self.add("response-removed", severity,
                         f"{status} response removed from `{label}`", "old",
                         join_pointer(old_base, status))
        for status in new:
            if status not in old:
                severity = P if str(status).startswith("2") else N
                self.add("response-added", severity, f"{status} response added to `{label}`",
                         "new", join_pointer(new_base, status))
        for status in old:
            if status not in new:
                continue
            old_response, old_pointer = _resolve(self.old, old[status],
                                                 join_pointer(old_base, status))
            new_response, new_pointer = _resolve(self.new, new[status],
                                                 join_pointer(new_base, status))
            old_content = _dict(_dict(old_response).get("content"))
            new_content = _dict(_dict(new_response).get("content"))
            if old_content and not new_content:
                self.add("response-body-removed", B,
                         f"the {status} response of `{label}` no longer has a body", "old",
                         join_pointer(old_pointer, "content"))
            elif new_content and not old_content:
                self.add("response-body-added", N,
                         f"the {status} response of `{label}` now has a body", "new",
                         join_pointer(new_pointer, "content"))
            else:
                self._content(old_content, join_pointer(old_pointer, "content"), new_content,
                              join_pointer(new_pointer, "content"), "response",
                              f"the {status} response of `{label}`")

    def _content(self, old: Any, old_pointer: str, new: Any, new_pointer: str,
                 usage: Usage, context: str) -> None:
        old, new = _dict(old), _dict(new)
        for media_type in old.keys() - new.keys():
            self.add(f"{usage}-media-type-removed", B,
                     f"{context}: media type `{media_type}` removed", "old",
                     join_pointer(old_pointer, media_type))
        for media_type in new.keys() - old.keys():
            self.add(f"{usage}-media-type-added", N,
                     f"{context}: media type `{media_type}` added", "new",
                     join_pointer(new_pointer, media_type))
        several = len(old.keys() | new.keys()) > 1
        for media_type in old:
            if media_type in new:
                subject = _Subject(f"{context} (`{media_type}`)" if several else context)
                self.schema(_dict(old[media_type]).get("schema"),
                            join_pointer(old_pointer, media_type, "schema"),
                            _dict(new[media_type]).get("schema"),
                            join_pointer(new_pointer, media_type, "schema"), usage, subject)

    # -- schemas

    def schema(self, old: Any, old_pointer: str, new: Any, new_pointer: str, usage: Usage,
               subject: _Subject, noun: str = "schema", subtypes: bool = True) -> None:
        """Compare two schemas at one position; `subtypes`: a discriminated base stands for
        its subtypes here (not when reached as a subtype's `allOf` parent)."""
        position = new_pointer  # where the schema is used, before any `$ref` is followed
        old_deprecated = _dict(old).get("deprecated") is True  # beside a `$ref`, in 3.1
        new_deprecated = _dict(new).get("deprecated") is True
        old, old_pointer, old_wrapped_null = _unwrap(old, old_pointer)
        new, new_pointer, new_wrapped_null = _unwrap(new, new_pointer)
        old_name, new_name = _component_name(old), _component_name(new)
        if old_name and new_name and old_name != new_name:
            self.schema_change("schema-ref-changed", usage, P, P,
                               f"{subject} now uses schema `{new_name}` instead of `{old_name}`",
                               "new", new_pointer)
        old, old_pointer = _resolve(self.old, old, old_pointer)
        new, new_pointer = _resolve(self.new, new, new_pointer)
        old, new = _as_schema(old), _as_schema(new)
        # Nullability belongs to the position when a wrapper states it, so it is compared
        # before the memo below can skip an already compared component.
        old_nullable = old_wrapped_null or _nullable(old)
        new_nullable = new_wrapped_null or _nullable(new)
        if old_nullable != new_nullable:
            pointer = position if old_wrapped_null != new_wrapped_null else new_pointer
            if new_nullable:
                self.schema_change("nullable-added", usage, N, B, f"{subject} may now be null",
                                   "new", pointer)
            else:
                self.schema_change("nullable-removed", usage, B, N,
                                   f"{subject} may no longer be null", "new", pointer)
        # Deprecation too may be stated at the position: beside a `$ref` (OpenAPI 3.1).
        was = old_deprecated or old.get("deprecated") is True
        now = new_deprecated or new.get("deprecated") is True
        if was != now:
            self._deprecation({"deprecated": was}, {"deprecated": now}, noun, str(subject),
                              position if old_deprecated or new_deprecated else new_pointer,
                              usage, schema=True)
        anchor = None
        if old_name is not None and old_name == new_name and old_name in self.unchanged:
            if subtypes and usage is not None:
                self._subtypes(old_name, new_name, usage)
            return
        if old_name or new_name:
            pair = (old_pointer, new_pointer)
            key = (*pair, usage or "")
            if key in self.visited or (usage is None and pair in self.reached):
                if subtypes and old_name and new_name and usage is not None:
                    self._subtypes(old_name, new_name, usage)
                return
            self.visited.add(key)
            if usage is not None:
                self.reached.add(pair)
            if old_name and new_name:
                subject = _Subject("", new_name)
            else:
                # An inline schema on one side, a component on the other: the change happened
                # here, not in the component (which may be the same in both files).
                anchor = position
        self._schema_body(old, old_pointer, new, new_pointer, usage, subject, noun, anchor)
        if subtypes and old_name and new_name and usage is not None:
            self._subtypes(old_name, new_name, usage)

    def _unchanged_components(self) -> set[str]:
        """Components whose comparison can find nothing, skipped (on a large spec most of the
        work otherwise): the same in both specs, with the same subtypes if a base, and every
        component they `$ref` unchanged too, where a `$ref` to a base also stands for its
        subtypes, except the `allOf` reference of a subtype to its own base (the siblings of
        a changed subtype are not changed). A skipped base's subtypes are still followed."""
        old, new = _schemas(self.old), _schemas(self.new)
        changed = {name for name in old.keys() | new.keys()
                   if name not in old or name not in new or old[name] != new[name]}
        changed |= {name for name in self.subtypes["old"].keys() | self.subtypes["new"].keys()
                    if self.subtypes["old"].get(name) != self.subtypes["new"].get(name)}
        reached_by: dict[str, set[str]] = {}  # component -> the components that `$ref` it
        for schemas in (old, new):
            for name, schema in schemas.items():
                for _, _, holder in ref_holders(schema, ""):
                    target = _component_name(holder)
                    if target is None:  # a `$ref` elsewhere: no telling, compare it
                        changed.add(name)
                    else:
                        reached_by.setdefault(target, set()).add(name)
        bases_of: dict[str, set[str]] = {}  # subtype -> its bases
        for side_subtypes in self.subtypes.values():
            for base, subtypes in side_subtypes.items():
                for subtype in subtypes:
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

    def _subtypes(self, old_name: str, new_name: str, usage: Usage) -> None:
        """A discriminated base stands for its subtypes wherever it is used (the generated
        `<Base>Union`): compare the subtypes on both sides in the same use."""
        key = (new_name, usage or "")
        if key in self.followed:
            return
        self.followed.add(key)
        old_subtypes = self.subtypes["old"].get(old_name, {})
        new_subtypes = self.subtypes["new"].get(new_name, {})
        for name in old_subtypes:
            if name in new_subtypes:
                pointer = join_pointer("/components/schemas", name)
                ref = {"$ref": "#" + pointer}
                self.schema(ref, pointer, ref, pointer, usage, _Subject("", name))

    def _schema_body(self, old: dict[str, Any], old_pointer: str, new: dict[str, Any],
                     new_pointer: str, usage: Usage, subject: _Subject, noun: str,
                     anchor: str | None = None) -> None:
        def at(key: str) -> str:  # the keyword's pointer in NEW, or the schema's
            if anchor is not None:
                return anchor
            return join_pointer(new_pointer, key) if key in new else new_pointer

        if not self._types(old, new, usage, subject, at("type")):
            return  # an incompatible type: differences below it are noise
        if old.get("format") != new.get("format"):
            self.schema_change("format-changed", usage, P, P,
                               f"format of {subject} {_from_to(old, new, 'format')}", "new",
                               at("format"))
        self._enum(old, old_pointer, new, new_pointer, usage, subject)
        if old.get("default") != new.get("default") or ("default" in old) != ("default" in new):
            self.schema_change("default-changed", usage, P, N,
                               f"default of {subject} {_from_to(old, new, 'default')}", "new",
                               at("default"))
        self._constraints(old, new, usage, subject, at)
        self._properties(old, old_pointer, new, new_pointer, usage, subject)
        if usage is not None:
            self._parents(old, old_pointer, new, new_pointer, usage)
        self._additional_properties(old, old_pointer, new, new_pointer, usage, subject)
        if "items" in old or "items" in new:
            self.schema(old.get("items"), join_pointer(old_pointer, "items"), new.get("items"),
                        join_pointer(new_pointer, "items"), usage, subject.child("[]"))
        changed_branches: set[str] = set()
        for key in ("oneOf", "anyOf"):
            changed_branches |= self._branches(old, old_pointer, new, new_pointer, usage,
                                               subject, key)
        self._discriminator(old, old_pointer, new, new_pointer, usage, subject, at,
                            changed_branches)
        if old.get("x-envelope") != new.get("x-envelope"):
            self.schema_change("envelope-changed", usage, B, B,
                               f"`x-envelope` of {subject} {_from_to(old, new, 'x-envelope')}: "
                               "methods return another value", "new", at("x-envelope"))

    def _parents(self, old: dict[str, Any], old_pointer: str, new: dict[str, Any],
                 new_pointer: str, usage: Usage) -> None:
        """A component named in `allOf` on both sides is used wherever its child is (its
        properties were compared with the child's; this judges the rest of it too)."""
        def parents(node: dict[str, Any], pointer: str) -> dict[str, tuple[Any, str]]:
            return {name: (part, join_pointer(pointer, "allOf", index))
                    for index, part in enumerate(_list(node.get("allOf")))
                    for name in [_component_name(part)] if name is not None}

        old_parents, new_parents = parents(old, old_pointer), parents(new, new_pointer)
        for name, (part, pointer) in old_parents.items():
            if name in new_parents:
                self.schema(part, pointer, new_parents[name][0], new_parents[name][1], usage,
                            _Subject("", name), subtypes=False)

    def _types(self, old: dict[str, Any], new: dict[str, Any], usage: Usage, subject: _Subject,
               pointer: str) -> bool:
        """Report a type change; False when the types are unrelated."""
        old_types, new_types = _type_set(old), _type_set(new)
        if old_types == new_types:
            return True
        def change(how: str) -> str:  # not str.format: paths in the subject hold braces
            return f"type of {subject} {how} from {_describe_types(old_types)} to " \
                   f"{_describe_types(new_types)}"

        if _covers(new_types, old_types):  # a client may receive values it cannot parse
            self.schema_change("type-widened", usage, N, B, change("widened"), "new", pointer)
        elif _covers(old_types, new_types):  # a client may send values now refused
            self.schema_change("type-narrowed", usage, B, N, change("narrowed"), "new", pointer)
        else:
            self.schema_change("type-changed", usage, B, B, change("changed"), "new", pointer)
            return False
        return True

    def _enum(self, old: dict[str, Any], old_pointer: str, new: dict[str, Any],
              new_pointer: str, usage: Usage, subject: _Subject) -> None:
        old_enum, new_enum = _enum_values(old), _enum_values(new)
        if old_enum is None and new_enum is None:
            return
        if old_enum is None:
            assert new_enum is not None
            values = ", ".join(_show(v) for v in new_enum[0] if v is not None)
            self.schema_change("enum-added", usage, B, N,
                               f"{subject} is now restricted to {values}", "new",
                               join_pointer(new_pointer, new_enum[1]))
            return
        if new_enum is None:
            self.schema_change("enum-removed", usage, N, P,
                               f"{subject} is no longer restricted to a list of values", "new",
                               new_pointer)
            return
        old_keys = {_value_key(v) for v in old_enum[0]}
        new_keys = {_value_key(v) for v in new_enum[0]}
        for index, value in enumerate(new_enum[0]):
            if value is not None and _value_key(value) not in old_keys:
                pointer = join_pointer(new_pointer, new_enum[1])
                self.schema_change("enum-value-added", usage, N, P,
                                   f"value {_show(value)} added to {subject}", "new",
                                   join_pointer(pointer, index) if new_enum[1] == "enum"
                                   else pointer)
        for index, value in enumerate(old_enum[0]):
            if value is not None and _value_key(value) not in new_keys:
                pointer = join_pointer(old_pointer, old_enum[1])
                self.schema_change("enum-value-removed", usage, B, N,
                                   f"value {_show(value)} removed from {subject}", "old",
                                   join_pointer(pointer, index) if old_enum[1] == "enum"
                                   else pointer)

    def _constraints(self, old: dict[str, Any], new: dict[str, Any], usage: Usage,
                     subject: _Subject, at: Callable[[str], str]) -> None:
        def report(key: str, tightened: bool | None) -> None:
            change = f"`{key}` of {subject} {_from_to(old, new, key)}"
            if tightened is None:
                self.schema_change("constraint-changed", usage, P, P, change, "new", at(key))
            elif tightened:  # values a client sends may now be refused
                self.schema_change("constraint-tightened", usage, P, N, change, "new", at(key))
            else:  # values a client receives may now fail the model's validation
                self.schema_change("constraint-loosened", usage, N, P, change, "new", at(key))

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

    def _object_view(self, spec: LoadedSpec, node: dict[str, Any], pointer: str
                     ) -> tuple[dict[str, tuple[Any, str, str | None]], set[str]]:
        """Properties (name -> schema, pointer, the component declaring it) and required
        names, `allOf` parts merged: a property moved into an `allOf` parent is not a change
        to the object, but a change to it happened in that parent."""
        properties: dict[str, tuple[Any, str, str | None]] = {}
        required: set[str] = set()
        seen: set[str] = set()

        def visit(node: Any, pointer: str, owner: str | None) -> None:
            node, pointer = _resolve(spec, node, pointer)
            if not isinstance(node, dict) or pointer in seen:
                return
            seen.add(pointer)
            owner = _component_at(pointer) or owner
            for name, schema in _dict(node.get("properties")).items():
                properties.setdefault(
                    name, (schema, join_pointer(pointer, "properties", name), owner))
            required.update(str(name) for name in _list(node.get("required")))
            for index, part in enumerate(_list(node.get("allOf"))):
                visit(part, join_pointer(pointer, "allOf", index), owner)

        visit(node, pointer, None)
        return properties, required

    def _properties(self, old: dict[str, Any], old_pointer: str, new: dict[str, Any],
                    new_pointer: str, usage: Usage, subject: _Subject) -> None:
        old_properties, old_required = self._object_view(self.old, old, old_pointer)
        new_properties, new_required = self._object_view(self.new, new, new_pointer)
        own = _component_at(new_pointer), _component_at(old_pointer)

        def child(name: str, owner: str | None) -> _Subject:
            """Named after the component that declares it, if not this one."""
            if owner is None or owner in own:
                return subject.child(name)
            return _Subject("", owner).child(name)

        for name, (_, pointer, owner) in old_properties.items():
            if name not in new_properties:
                self.schema_change("property-removed", usage, B, B,
                                   f"property {child(name, owner)} removed", "old", pointer)
        for name, (schema, pointer, owner) in new_properties.items():
            if name in old_properties:
                continue
            if name in new_required:
                # a read-only property is never sent, so requiring it asks nothing of a client
                read_only = _dict(_resolve(self.new, schema, pointer)[0]).get("readOnly")
                self.schema_change("required-property-added", usage, N if read_only else B, N,
                                   f"required property {child(name, owner)} added", "new",
                                   pointer)
            else:
                self.schema_change("property-added", usage, N, N,
                                   f"optional property {child(name, owner)} added", "new",
                                   pointer)
        for name, (old_schema, old_property_pointer, _) in old_properties.items():
            if name not in new_properties:
                continue
            new_schema, pointer, owner = new_properties[name]
            child_subject = child(name, owner)
            self.schema(old_schema, old_property_pointer, new_schema, pointer, usage, child_subject,
                        "property")
            if name in new_required and name not in old_required:
                read_only = _dict(_resolve(self.new, new_schema, pointer)[0]).get("readOnly")
                self.schema_change("property-became-required", usage,
                                   N if read_only else B, N,
                                   f"property {child_subject} is now required", "new", pointer)
            elif name in old_required and name not in new_required:
                self.schema_change("property-became-optional", usage, N, B,
                                   f"property {child_subject} is now optional", "new", pointer)

    def _additional_properties(self, old: dict[str, Any], old_pointer: str,
                               new: dict[str, Any], new_pointer: str, usage: Usage,
                               subject: _Subject) -> None:
        before, after = old.get("additionalProperties"), new.get("additionalProperties")
        if after is False and before is not False:
            self.schema_change("additional-properties-restricted", usage, B, N,
                               f"{subject} no longer allows properties it does not list", "new",
                               join_pointer(new_pointer, "additionalProperties"))
        elif before is False and after is not False:
            self.schema_change("additional-properties-allowed", usage, N, N,
                               f"{subject} now allows properties it does not list", "new",
                               new_pointer)
        elif isinstance(before, dict) or isinstance(after, dict):
            self.schema(before, join_pointer(old_pointer, "additionalProperties"), after,
                        join_pointer(new_pointer, "additionalProperties"), usage,
                        subject.child("[*]"))

    def _branches(self, old: dict[str, Any], old_pointer: str, new: dict[str, Any],
                  new_pointer: str, usage: Usage, subject: _Subject, key: str) -> set[str]:
        """Compare `oneOf`/`anyOf` members, matched by the component they name (or title, or
        position); returns the components added or removed as branches."""

        def branches(node: dict[str, Any], pointer: str) -> dict[str, tuple[Any, str]]:
            result: dict[str, tuple[Any, str]] = {}
            for index, branch in enumerate(_list(node.get(key))):
                if _is_null_branch(branch):
                    continue  # that is nullability, compared on its own
                title = _dict(branch).get("title")
                name = _component_name(branch) or (title if isinstance(title, str) else "") \
                    or f"#{index}"
                result.setdefault(name, (branch, join_pointer(pointer, key, index)))
            return result

        old_branches, new_branches = branches(old, old_pointer), branches(new, new_pointer)
        noun = "one-of" if key == "oneOf" else "any-of"
        for name, (_, pointer) in old_branches.items():
            if name not in new_branches:
                self.schema_change(f"{noun}-branch-removed", usage, B, N,
                                   f"`{name}` is no longer one of the `{key}` options of {subject}", "old",
                                   pointer)
        for name, (_, pointer) in new_branches.items():
            if name not in old_branches:
                self.schema_change(f"{noun}-branch-added", usage, N, P,
                                   f"`{name}` added to the `{key}` options of {subject}", "new",
                                   pointer)
        for name, (branch, pointer) in old_branches.items():
            if name in new_branches:
                self.schema(branch, pointer, new_branches[name][0], new_branches[name][1],
                            usage, subject.child(f"<{name}>"))
        return old_branches.keys() ^ new_branches.keys()

    def _discriminator(self, old: dict[str, Any], old_pointer: str, new: dict[str, Any],
                       new_pointer: str, usage: Usage,
                       subject: _Subject, at: Callable[[str], str],
                       changed_branches: set[str]) -> None:
        before, after = old.get("discriminator"), new.get("discriminator")
        if not isinstance(before, dict) and not isinstance(after, dict):
            return
        before, after = _dict(before), _dict(after)
        if before.get("propertyName") != after.get("propertyName"):
            self.schema_change("discriminator-changed", usage, B, B,
                               f"discriminator of {subject} changed from "
                               f"{_show(before.get('propertyName'))} to "
                               f"{_show(after.get('propertyName'))}", "new", at("discriminator"))
            return

        def mapping(node: dict[str, Any], side: Side, pointer: str) -> dict[str, str]:
            """Wire value -> component, implicit values too (as the generator reads them)."""
            base = self.subtypes[side].get(_component_at(pointer) or "")
            if base is not None:
                return {value: name for name, values in base.items() for value in values}
            return {value: target for value, ref in _dict(discriminators.explicit(
                node, lambda name: name).get("mapping")).items()
                for target in [discriminators.component_name(ref)] if target is not None}

        def where(node: dict[str, Any], pointer: str, value: str, target: str) -> str:
            """The mapping entry, or the subtype an implicit value names."""
            if value in _dict(_dict(node.get("discriminator")).get("mapping")):
                return join_pointer(pointer, "discriminator", "mapping", value)
            return join_pointer("/components/schemas", target)

        old_map = mapping(old, "old", old_pointer)
        new_map = mapping(new, "new", new_pointer)
        for value, target in old_map.items():
            if value not in new_map and target not in changed_branches:
                self.schema_change("discriminator-value-removed", usage, B, N,
                                   f"discriminator value `{value}` removed from {subject}",
                                   "old", where(old, old_pointer, value, target))
            elif value in new_map and new_map[value] != target:
                self.schema_change("discriminator-mapping-changed", usage, B, B,
                                   f"discriminator value `{value}` of {subject} now selects "
                                   f"`{new_map[value]}` instead of `{target}`", "new",
                                   where(new, new_pointer, value, new_map[value]))
        for value, target in new_map.items():
            if value not in old_map and target not in changed_branches:
                self.schema_change("discriminator-value-added", usage, N, P,
                                   f"discriminator value `{value}` added to {subject}", "new",
                                   where(new, new_pointer, value, target))

    def _component_schemas(self) -> None:
        """Schemas no operation reached, and schemas added or removed (each is a model)."""
        base = "/components/schemas"
        old = _dict(_dict(self.old.data.get("components")).get("schemas"))
        new = _dict(_dict(self.new.data.get("components")).get("schemas"))
        for name in old:
            if name not in new:
                self.add("schema-removed", P, f"schema `{name}` removed: its model class goes",
                         "old", join_pointer(base, name))
        for name in new:
            if name not in old:
                self.add("schema-added", N, f"schema `{name}` added", "new",
                         join_pointer(base, name))
        for name in old:
            if name in new:
                pointer = join_pointer(base, name)
                self.schema({"$ref": "#" + pointer}, pointer, {"$ref": "#" + pointer}, pointer,
                            None, _Subject("", name))


def diff_specs(old: LoadedSpec, new: LoadedSpec) -> list[Change]:
    """Every API-level change from `old` to `new`, worst first, in document order within."""
    comparer = _Comparer(old, new)
    comparer.run()
    return comparer.changes()


# -- sources: files, or specs read from a git revision --------------------------------------

GIT_PREFIX = "git:"


def _source_error(source: str, message: str, hint: str = "") -> SpecError:
    return SpecError([Diagnostic(Level.ERROR, message, location=Location(source), hint=hint)])


def _git(args: list[str], source: str) -> bytes:
    try:
        result = subprocess.run(["git", *args], capture_output=True, check=False)
    except FileNotFoundError:
        raise _source_error(source, "git is not installed", "install git, or pass a file") \
            from None
    if result.returncode != 0:
        detail = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise _source_error(source, f"git {' '.join(args)} failed: "
                            f"{detail[-1] if detail else result.returncode}",
                            "check the revision and the path (relative to the repository root, "
                            "or starting with ./ for the current directory)")
    return result.stdout


def _external_refs(data: Any) -> Iterator[str]:
    """The file part of every relative-file `$ref` in a document."""
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and not ref.startswith("#") and "://" not in ref:
                yield ref.partition("#")[0]
            stack.extend(value for key, value in node.items() if key != "$ref")
        elif isinstance(node, list):
            stack.extend(node)


@contextmanager
def local_spec(source: str, ref_root: Path | None = None) -> Iterator[tuple[Path, Path | None]]:
    """The spec `source` names, as a local file, and the directory its `$ref`s may reach
    beyond the default (`load.ref_roots`): a path as given, with `ref_root`; or, for
    `git:REF:path`, the file read from that revision into a temporary directory, together with
    every file its relative `$ref`s name (so multi-file specs resolve as they did at that
    revision), with that directory, which stands for the revision's work tree."""
    if not source.startswith(GIT_PREFIX):
        yield Path(source), ref_root
        return
    revision, _, path = source[len(GIT_PREFIX):].partition(":")
    if not revision or not path:
        raise _source_error(source, "a git source is written git:REVISION:PATH",
                            "e.g. git:main:specs/fivetran.yaml")
    if path.startswith(("./", "../")):  # git reads these relative to the working directory
        prefix = _git(["rev-parse", "--show-prefix"], source).decode().strip()
        path = posixpath.normpath(posixpath.join(prefix, path))
    with tempfile.TemporaryDirectory(prefix="clientgen-diff-") as directory:
        root = Path(directory)
        pending, fetched = [path], set()
        while pending:
            relative = pending.pop()
            if relative in fetched:
                continue
            fetched.add(relative)
            try:
                content = _git(["show", f"{revision}:{relative}"], source)
            except SpecError:
                if relative == path:
                    raise
                continue  # a missing `$ref` target: loading reports it with its location
            target = root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
            try:
                data = read_document(target, relative).data
            except SpecError:
                continue  # loading reports the syntax error
            for file in _external_refs(data):
                joined = posixpath.normpath(posixpath.join(posixpath.dirname(relative), file))
                if not joined.startswith("../"):
                    pending.append(joined)
        yield root / path, root


# -- the whole report -----------------------------------------------------------------------


_SURFACE_CACHE = "api-surface"


def _surface_key(loaded: LoadedSpec) -> str:
    """The cache key of a spec's generated API: everything that shapes it, which is
    clientgen's code, templates and pinned tools, the libraries the models and templates are
    made with, Python, the spec's file name and the bundled document (so the files it `$ref`s
    count too). Computed without importing them: a diff whose APIs are cached loads neither."""
    libraries = [metadata.version(name) for name in ("pydantic", "jinja2")]
    return hashlib.sha256(json.dumps(
        [_code_fingerprint(), generator_inputs(), libraries, sys.version_info[:2],
         loaded.root.path.name, loaded.data], default=str).encode()).hexdigest()


def _api_surface(loaded: LoadedSpec, made: dict[str, str],
                 seen: api_surface.Seen
                 ) -> tuple[str, dict[str, api_surface.Symbol]]:
    """The package name and public API generated from `loaded`: from the cache when this
    spec was compared before (a pull request's base mostly was), else generated unformatted
    (the API is read with `ast`: black and ruff change no symbol, tests/diff/
    test_api_surface.py), reusing what the other side made from the same inputs (`made`:
    models modules; `seen`: each file's and class's symbols). Raises SpecError when it does not
    generate."""
    key = _surface_key(loaded)
    cached = cache.read(_SURFACE_CACHE, key)
    if cached is not None:
        package, _, text = cached.partition("\n")
        surface = api_surface.decode_surface(text)
        if package and surface is not None:  # a damaged entry is made again
            return package, surface
    from . import pipeline  # datamodel-code-generator and jinja2: only when generating

    api, files = pipeline.unformatted_package(loaded, models=made)
    surface = api_surface.public_surface(files, api.package, seen)
    cache.write(_SURFACE_CACHE, key, f"{api.package}\n{api_surface.encode_surface(surface)}")
    return api.package, surface


def _api_changes(old: LoadedSpec, new: LoadedSpec
                 ) -> tuple[tuple[ApiChange, ...] | None, str]:
    """Changes of the generated public Python API, or None and the reason it is unavailable."""
    made: dict[str, str] = {}
    seen: api_surface.Seen = {}
    surfaces = []
    for loaded in (old, new):
        try:
            surfaces.append(_api_surface(loaded, made, seen))
        except SpecError as exc:
            return None, f"{loaded.display} does not generate ({exc.diagnostics[0].message})"
    (old_package, old_surface), (new_package, new_surface) = surfaces
    note = ""
    if old_package != new_package:
        note = f"the package is renamed from `{old_package}` to `{new_package}`"
    return tuple(api_surface.diff_surfaces(old_surface, new_surface)), note


def compare(old_source: str, new_source: str, with_api: bool = True,
            ref_root: Path | None = None) -> DiffReport:
    """The report `clientgen diff OLD NEW` prints. Raises SpecError if a spec cannot be read.
    `ref_root` is `--ref-root`: a directory local specs' `$ref`s may reach (`load_spec`)."""
    with ExitStack() as stack:
        old_path, old_root = stack.enter_context(local_spec(old_source, ref_root))
        new_path, new_root = stack.enter_context(local_spec(new_source, ref_root))
        old = load_spec(old_path, old_source, ref_root=old_root)
        new = load_spec(new_path, new_source, ref_root=new_root)
        changes = diff_specs(old, new)
        api_changes: tuple[ApiChange, ...] | None = None
        note = "--no-api"
        if with_api:
            api_changes, note = _api_changes(old, new)
    old_info, new_info = _dict(old.data.get("info")), _dict(new.data.get("info"))
    return DiffReport(
        old=old_source,
        new=new_source,
        title=str(new_info.get("title") or ""),
        old_version=str(old_info.get("version") or ""),
        new_version=str(new_info.get("version") or ""),
        changes=tuple(changes),
        api_changes=api_changes,
        api_note=note,
    )


FAIL_ON = {
    "breaking": Severity.BREAKING,
    "potentially-breaking": Severity.POTENTIALLY_BREAKING,
    "any": Severity.NON_BREAKING,
}


def fails(report: DiffReport, fail_on: str) -> bool:
    """Should `--fail-on fail_on` fail for this report? (`never` never does.)"""
    threshold = FAIL_ON.get(fail_on)
    return threshold is not None and report.worst is not None and report.worst >= threshold
