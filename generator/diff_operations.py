"""Operation comparison for `clientgen diff`.

Operations are matched by method and path, then by path shape, then by operationId;
parameters by `in` and name, bodies by media type, responses by status. The schemas they
reach are compared by diff_schemas, with the usage of where they were reached.
"""

from __future__ import annotations

import re
from typing import Any

from .diff_changes import B, ChangeLog, N, P, Subject, Usage, from_to
from .diff_document import compare_security, requirements
from .diff_schemas import SchemaComparer
from .openapi import OpenApiDocument, OperationView, ParameterView, as_dict, as_list
from .pointer import join_pointer


def _path_shape(path: str) -> str:
    """`/pets/{id}` and `/pets/{petId}` are the same URL to a client."""
    return re.sub(r"\{[^{}]*\}", "{}", path)


def _operations(document: OpenApiDocument) -> dict[tuple[str, str], OperationView]:
    return {(op.method, op.path): op for op in document.operations()}


def match_operations(
    old: dict[tuple[str, str], OperationView], new: dict[tuple[str, str], OperationView]
) -> tuple[list[tuple[OperationView, OperationView]], list[OperationView], list[OperationView]]:
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


class OperationComparer:
    """Each matched pair of operations: identity, tags, security and parameters."""

    def __init__(self, log: ChangeLog, old: OpenApiDocument, new: OpenApiDocument,
                 schemas: SchemaComparer) -> None:
        self.log, self.old, self.new, self.schemas = log, old, new, schemas
        self.bodies = _Bodies(log, old, new, schemas)

    def run(self) -> None:
        """Matched operations compared, then the removed and the added ones."""
        pairs, removed, added = match_operations(_operations(self.old), _operations(self.new))
        for old_op, new_op in pairs:
            self._operation(old_op, new_op)
        for op in removed:
            self.log.add("operation-removed", B, f"operation `{op.label}` removed", "old",
                         op.pointer)
        for op in added:
            self.log.add("operation-added", N, f"operation `{op.label}` added", "new",
                         op.pointer)

    def _operation(self, old: OperationView, new: OperationView) -> None:
        label = new.label
        if (old.method, old.path) != (new.method, new.path) and \
                _path_shape(old.path) != _path_shape(new.path):
            self.log.add("operation-moved", B, f"operation `{new.operation_id}` moved from "
                         f"`{old.label}` to `{label}`", "new", new.pointer)
        if old.operation_id and new.operation_id and old.operation_id != new.operation_id:
            self.log.add("operation-id-changed", P,
                         f"operationId of `{label}` changed from `{old.operation_id}` to "
                         f"`{new.operation_id}`: the generated method and function names "
                         "follow it", "new", join_pointer(new.pointer, "operationId"))
        self.log.deprecation(old.node, new.node, "operation", f"operation `{label}`",
                             new.pointer)
        old_tags, new_tags = as_list(old.node.get("tags")), as_list(new.node.get("tags"))
        old_tag = str(old_tags[0]) if old_tags else "default"
        new_tag = str(new_tags[0]) if new_tags else "default"
        if old_tag != new_tag:
            self.log.add("operation-tag-changed", P,
                         f"`{label}` moved from tag `{old_tag}` to `{new_tag}`: its method "
                         "moves to another resource of the client", "new", new.pointer)
        for key, kind in (("x-method-name", "method-name-changed"),
                          ("x-pagination", "pagination-changed")):
            if old.node.get(key) != new.node.get(key):
                self.log.add(kind, P, f"`{key}` of `{label}` {from_to(old.node, new.node, key)}",
                             "new", join_pointer(new.pointer, key) if key in new.node
                             else new.pointer)
        if "security" in old.node or "security" in new.node:
            compare_security(
                self.log,
                requirements(old.node.get("security", self.old.data.get("security"))),
                requirements(new.node.get("security", self.new.data.get("security"))),
                join_pointer(new.pointer, "security"), f"`{label}`", True,
            )
        self._parameters(old, new)
        self.bodies.request_body(old, new)
        self.bodies.responses(old, new)

    def _parameters(self, old_op: OperationView, new_op: OperationView) -> None:
        old = self.old.parameters(old_op, any_location=True)
        new = self.new.parameters(new_op, any_location=True)

        def required(param: ParameterView) -> bool:
            return param.location == "path" or param.node.get("required") is True

        def owner(op: OperationView, pointer: str) -> str:
            """A path item's parameter belongs to all its operations: name the path."""
            return op.path if pointer.startswith(op.shared_pointer + "/") else op.label

        renamed = self._renamed_path_variables(old_op, new_op, old, new)
        for (old_name, new_name) in renamed.items():
            old_entry, new_entry = old.pop(("path", old_name)), new.pop(("path", new_name))
            new[("path", old_name)] = new_entry  # compared below as one parameter
            pointer = new_entry.entry_pointer
            self.log.add("path-parameter-renamed", P,
                         f"path parameter `{old_name}` of `{owner(new_op, pointer)}` renamed "
                         f"to `{new_name}`: the same URL, but the generated method's keyword "
                         "argument is renamed", "new", pointer)
            old[("path", old_name)] = old_entry
        for (location, name), param in old.items():
            if (location, name) not in new:
                pointer = param.entry_pointer
                self.log.add("parameter-removed", B, f"{location} parameter `{name}` removed "
                             f"from `{owner(old_op, pointer)}`", "old", pointer)
        for (location, name), param in new.items():
            if (location, name) in old:
                continue
            pointer = param.entry_pointer
            if required(param):
                self.log.add("required-parameter-added", B, f"required {location} parameter "
                             f"`{name}` added to `{owner(new_op, pointer)}`", "new", pointer)
            else:
                self.log.add("parameter-added", N, f"optional {location} parameter `{name}` "
                             f"added to `{owner(new_op, pointer)}`", "new", pointer)
        for key in [key for key in old if key in new]:  # document order, not a set's
            old_param, new_param = old[key], new[key]
            pointer = new_param.entry_pointer
            name = renamed.get(key[1], key[1]) if key[0] == "path" else key[1]
            subject = f"{key[0]} parameter `{name}` of `{owner(new_op, pointer)}`"
            if required(new_param) and not required(old_param):
                self.log.add("parameter-became-required", B, f"{subject} is now required",
                             "new", pointer)
            elif required(old_param) and not required(new_param):
                self.log.add("parameter-became-optional", N, f"{subject} is now optional",
                             "new", pointer)
            self.log.deprecation(old_param.node, new_param.node, "parameter", subject, pointer)
            old_schema, old_schema_pointer = self._parameter_schema(old_param)
            new_schema, new_schema_pointer = self._parameter_schema(new_param)
            self.schemas.schema(old_schema, old_schema_pointer, new_schema, new_schema_pointer,
                                "request", Subject(subject))

    @staticmethod
    def _renamed_path_variables(old_op: OperationView, new_op: OperationView,
                                old: dict[tuple[str, str], ParameterView],
                                new: dict[tuple[str, str], ParameterView]) -> dict[str, str]:
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
    def _parameter_schema(parameter: ParameterView) -> tuple[Any, str]:
        param, pointer = parameter.node, parameter.pointer
        if "schema" in param:
            return param["schema"], join_pointer(pointer, "schema")
        for media_type, media in as_dict(param.get("content")).items():
            return as_dict(media).get("schema"), join_pointer(pointer, "content", media_type,
                                                              "schema")
        return None, pointer


class _Bodies:
    """Request bodies and responses of a matched pair of operations."""

    def __init__(self, log: ChangeLog, old: OpenApiDocument, new: OpenApiDocument,
                 schemas: SchemaComparer) -> None:
        self.log, self.old, self.new, self.schemas = log, old, new, schemas

    def request_body(self, old_op: OperationView, new_op: OperationView) -> None:
        label = new_op.label
        old_pointer = join_pointer(old_op.pointer, "requestBody")
        new_pointer = join_pointer(new_op.pointer, "requestBody")
        if "requestBody" not in old_op.node and "requestBody" not in new_op.node:
            return
        if "requestBody" not in new_op.node:
            self.log.add("request-body-removed", B, f"request body of `{label}` removed",
                         "old", old_pointer)
            return
        new, new_pointer = self.new.target(new_op.node["requestBody"], new_pointer)
        new_required = as_dict(new).get("required") is True
        if "requestBody" not in old_op.node:
            if new_required:
                self.log.add("required-request-body-added", B,
                             f"required request body added to `{label}`", "new", new_pointer)
            else:
                self.log.add("request-body-added", N,
                             f"optional request body added to `{label}`", "new", new_pointer)
            return
        old, old_pointer = self.old.target(old_op.node["requestBody"], old_pointer)
        old_required = as_dict(old).get("required") is True
        if new_required and not old_required:
            self.log.add("request-body-became-required", B,
                         f"request body of `{label}` is now required", "new", new_pointer)
        elif old_required and not new_required:
            self.log.add("request-body-became-optional", N,
                         f"request body of `{label}` is now optional", "new", new_pointer)
        self._content(as_dict(old).get("content"), join_pointer(old_pointer, "content"),
                      as_dict(new).get("content"), join_pointer(new_pointer, "content"),
                      "request", f"the request body of `{label}`")

    def responses(self, old_op: OperationView, new_op: OperationView) -> None:
        label = new_op.label
        old = as_dict(old_op.node.get("responses"))
        new = as_dict(new_op.node.get("responses"))
        old_base = join_pointer(old_op.pointer, "responses")
        new_base = join_pointer(new_op.pointer, "responses")
        for status in old:
            if status not in new:
                # Clients act on success responses; an error status going away harms none.
                severity = P if str(status).startswith("2") else N
                self.log.add("response-removed", severity,
                             f"{status} response removed from `{label}`", "old",
                             join_pointer(old_base, status))
        for status in new:
            if status not in old:
                severity = P if str(status).startswith("2") else N
                self.log.add("response-added", severity,
                             f"{status} response added to `{label}`", "new",
                             join_pointer(new_base, status))
        for status in old:
            if status not in new:
                continue
            old_response, old_pointer = self.old.target(old[status],
                                                        join_pointer(old_base, status))
            new_response, new_pointer = self.new.target(new[status],
                                                        join_pointer(new_base, status))
            old_content = as_dict(as_dict(old_response).get("content"))
            new_content = as_dict(as_dict(new_response).get("content"))
            if old_content and not new_content:
                self.log.add("response-body-removed", B,
                             f"the {status} response of `{label}` no longer has a body", "old",
                             join_pointer(old_pointer, "content"))
            elif new_content and not old_content:
                self.log.add("response-body-added", N,
                             f"the {status} response of `{label}` now has a body", "new",
                             join_pointer(new_pointer, "content"))
            else:
                self._content(old_content, join_pointer(old_pointer, "content"), new_content,
                              join_pointer(new_pointer, "content"), "response",
                              f"the {status} response of `{label}`")

    def _content(self, old: Any, old_pointer: str, new: Any, new_pointer: str,
                 usage: Usage, context: str) -> None:
        old, new = as_dict(old), as_dict(new)
        for media_type in [m for m in old if m not in new]:  # document order, not a set's
            self.log.add(f"{usage}-media-type-removed", B,
                         f"{context}: media type `{media_type}` removed", "old",
                         join_pointer(old_pointer, media_type))
        for media_type in [m for m in new if m not in old]:
            self.log.add(f"{usage}-media-type-added", N,
                         f"{context}: media type `{media_type}` added", "new",
                         join_pointer(new_pointer, media_type))
        several = len(old.keys() | new.keys()) > 1
        for media_type in old:
            if media_type in new:
                subject = Subject(f"{context} (`{media_type}`)" if several else context)
                self.schemas.schema(as_dict(old[media_type]).get("schema"),
                                    join_pointer(old_pointer, media_type, "schema"),
                                    as_dict(new[media_type]).get("schema"),
                                    join_pointer(new_pointer, media_type, "schema"), usage,
                                    subject)
