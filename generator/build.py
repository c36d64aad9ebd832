"""Spec -> IR. The only module that knows the shape of an OpenAPI document."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from . import naming
from .diagnostics import Diagnostic, Diagnostics, Level, SpecError
from .ir import (
    Api,
    Auth,
    Body,
    Credential,
    Operation,
    Pagination,
    Parameter,
    ParameterLocation,
    Resource,
    Response,
)
from .load import LoadedSpec, join_pointer, resolve_pointer, split_pointer

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_PATH_TEMPLATE = re.compile(r"\{([^{}]+)\}")
_SCHEMA_REF = "#/components/schemas/"
_JSON_MEDIA = re.compile(r"^application/([\w.+-]*\+)?json($|;)|^\*/\*$")
_PRIMITIVES = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
DEFAULT_RESOURCE = "default"


@dataclass
class _Context:
    spec: LoadedSpec
    diagnostics: Diagnostics
    # component schema name -> class name in the models module
    class_names: dict[str, str] = field(default_factory=dict)
    # schemas made into models: class name -> schema (the components plus hoisted ones)
    models: dict[str, Any] = field(default_factory=dict)
    taken: set[str] = field(default_factory=set)

    @property
    def document(self) -> dict[str, Any]:
        return self.spec.data

    def report(self, level: Level, message: str, pointer: str, hint: str = "") -> None:
        self.diagnostics.add(
            Diagnostic(level, message, pointer, self.spec.locate(pointer), hint)
        )

    def error(self, message: str, pointer: str, hint: str = "") -> None:
        self.report(Level.ERROR, message, pointer, hint)

    def warning(self, message: str, pointer: str, hint: str = "") -> None:
        self.report(Level.WARNING, message, pointer, hint)

    def resolve(self, node: Any, pointer: str) -> tuple[Any, str]:
        """Follow local `$ref`s (a chain of them, too) to the node they name."""
        seen: list[str] = []
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if ref in seen:
                self.error(f"circular $ref: {' -> '.join([*seen, ref])}", pointer,
                           "a $ref must eventually name a real object")
                return {}, pointer
            seen.append(ref)
            if not ref.startswith("#"):
                return {}, pointer  # the loader already reported it
            try:
                node, pointer = resolve_pointer(self.document, ref[1:]), ref[1:]
            except KeyError:
                self.error(f"unresolvable $ref {ref!r}", pointer,
                           "check the spelling; targets are JSON pointers like "
                           "'#/components/schemas/Name'")
                return {}, pointer
        return node, pointer


def build_api(spec: LoadedSpec, package: str | None = None) -> tuple[Api, Diagnostics]:
    """Turn a loaded spec into the IR. Raises SpecError when an error makes that impossible."""
    diagnostics = Diagnostics()
    context = _Context(spec, diagnostics)
    document = spec.data
    _check_version(context)
    _fail_on_errors(diagnostics)

    info: dict[str, Any] = document["info"] if isinstance(document.get("info"), dict) else {}
    if not info:
        context.error("`info` is missing", "", "add `info: {title: ..., version: ...}`")
    title = _text(info.get("title")) or "API"
    if not _text(info.get("title")):
        context.error("`info.title` is missing", "/info", "add a title; it names the client")
    title_words = naming.words(title)
    client_name = naming.class_name(
        _text(info.get("x-client-name")) or (title_words[0] if title_words else "Api")
    )
    package = package or naming.package_name(
        _text(info.get("x-client-name")) or title
    )

    _collect_component_schemas(context)
    resources = _build_resources(context)
    auth = _build_auth(context, client_name)
    error_annotation = _error_model(context)
    _fail_on_errors(diagnostics)

    models_document = {
        "openapi": document.get("openapi"),
        "info": {"title": title, "version": _text(info.get("version")) or "0"},
        "components": {"schemas": _rewrite_refs(context, context.models)},
    }
    api = Api(
        package=package,
        distribution=package.replace("_", "-"),
        spec_name=spec.root.path.name,
        title=title,
        version=_text(info.get("version")),
        description=_text(info.get("description")),
        client_name=client_name,
        env_prefix=naming.env_var_prefix(client_name),
        base_url=_base_url(context),
        default_headers=_default_headers(context),
        auth=auth,
        resources=resources,
        error_annotation=error_annotation,
        model_names=tuple(context.models),
        models_document=models_document,
    )
    return api, diagnostics


def _fail_on_errors(diagnostics: Diagnostics) -> None:
    if diagnostics.errors:
        raise SpecError(diagnostics.sorted())


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _check_version(context: _Context) -> None:
    document = context.document
    if "swagger" in document:
        context.error(
            f"Swagger {document['swagger']} documents are not supported",
            "/swagger",
            "convert it to OpenAPI 3 first, e.g. with swagger2openapi or the Swagger Editor",
        )
        return
    version = document.get("openapi")
    if version is None:
        context.error("this is not an OpenAPI document: `openapi` is missing", "",
                      "start the file with `openapi: 3.1.0`")
    elif not isinstance(version, str) or not re.match(r"^3\.[01]\.\d+", version):
        context.error(f"OpenAPI version {version!r} is not supported", "/openapi",
                      "clientgen reads OpenAPI 3.0.x and 3.1.x; write it as a string, e.g. '3.1.0'")


# -- models -------------------------------------------------------------------------------


def _collect_component_schemas(context: _Context) -> None:
    components = context.document.get("components") or {}
    schemas = components.get("schemas") or {} if isinstance(components, dict) else {}
    if not isinstance(schemas, dict):
        context.error("`components.schemas` must be a mapping of names to schemas",
                      "/components/schemas")
        return
    by_class: dict[str, str] = {}
    for name in schemas:
        python_name = naming.class_name(name)
        if python_name in by_class:
            context.warning(
                f"schemas {by_class[python_name]!r} and {name!r} both become the class "
                f"{python_name!r}",
                join_pointer("/components/schemas", name),
                f"the second is named {naming.unique(python_name, set(context.taken))!r}; "
                "rename one of them to choose the name yourself",
            )
        unique_name = naming.unique(python_name, context.taken)
        by_class.setdefault(python_name, name)
        context.class_names[name] = unique_name
        context.models[unique_name] = schemas[name]


def _hoist(context: _Context, schema: Any, hint: str) -> str:
    """Make an inline schema a named model; return its class name."""
    name = naming.unique(naming.class_name(hint), context.taken)
    context.models[name] = schema
    return name


def _rewrite_refs(context: _Context, node: Any) -> Any:
    """A copy of `node` whose `#/components/schemas/X` refs name the renamed classes."""
    if isinstance(node, dict):
        result = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith(_SCHEMA_REF):
                target = split_pointer(value[1:])
                if len(target) == 3 and target[2] in context.class_names:
                    result[key] = _SCHEMA_REF + context.class_names[target[2]]
                    continue
            result[key] = _rewrite_refs(context, value)
        return result
    if isinstance(node, list):
        return [_rewrite_refs(context, item) for item in node]
    return node


def _schema_ref_class(context: _Context, schema: Any) -> str | None:
    ref = schema.get("$ref") if isinstance(schema, dict) else None
    if isinstance(ref, str) and ref.startswith(_SCHEMA_REF):
        tokens = split_pointer(ref[1:])
        if len(tokens) == 3:
            return context.class_names.get(tokens[2])
    return None


def python_type(context: _Context, schema: Any, pointer: str, hint: str) -> str:
    """The annotation for `schema` in a resource module; complex inline schemas become models."""
    if schema is None or schema is True or schema == {}:
        return "Any"
    if not isinstance(schema, dict):
        context.error("a schema must be a mapping", pointer)
        return "Any"
    class_name = _schema_ref_class(context, schema)
    if class_name is not None:
        return f"models.{class_name}"
    if "$ref" in schema:
        target, target_pointer = context.resolve(schema, pointer)
        if not target:
            return "Any"
        return python_type(context, target, target_pointer, hint)

    types = schema.get("type")
    type_list = types if isinstance(types, list) else [types] if types else []
    nullable = schema.get("nullable") is True or "null" in type_list
    non_null = [t for t in type_list if t != "null"]
    if any(k in schema for k in ("oneOf", "anyOf", "allOf", "properties", "const")) or (
        "enum" in schema and non_null != ["string"]
    ) or len(non_null) > 1:
        return f"models.{_hoist(context, schema, hint)}"
    base: str
    if "enum" in schema:
        values = [v for v in schema["enum"] if v is not None]
        base = f"Literal[{', '.join(repr(v) for v in values)}]" if values else "None"
        nullable = nullable or None in schema["enum"]
    elif non_null == ["array"]:
        item = python_type(context, schema.get("items"), join_pointer(pointer, "items"),
                           f"{hint}Item")
        base = f"list[{item}]"
    elif non_null == ["object"]:
        additional = schema.get("additionalProperties")
        value = (
            python_type(context, additional, join_pointer(pointer, "additionalProperties"),
                        f"{hint}Value")
            if isinstance(additional, dict)
            else "Any"
        )
        base = f"dict[str, {value}]"
    elif non_null and non_null[0] in _PRIMITIVES:
        base = "bytes" if schema.get("format") == "binary" else _PRIMITIVES[non_null[0]]
    elif not non_null:
        base = "Any"
    else:
        context.error(f"unknown schema type {non_null[0]!r}", join_pointer(pointer, "type"),
                      "use one of string, integer, number, boolean, array, object, null")
        base = "Any"
    return f"{base} | None" if nullable and base not in ("Any", "None") else base


# -- operations ---------------------------------------------------------------------------


def _operations(context: _Context) -> Iterator[tuple[str, str, dict[str, Any], str, list[Any]]]:
    paths = context.document.get("paths")
    if paths is None:
        return
    if not isinstance(paths, dict):
        context.error("`paths` must be a mapping", "/paths")
        return
    for path, item in paths.items():
        item_pointer = join_pointer("/paths", path)
        if not str(path).startswith("/"):
            context.error(f"path {path!r} must start with '/'", item_pointer)
        item, item_pointer = context.resolve(item, item_pointer)
        if not isinstance(item, dict):
            context.error("a path item must be a mapping", item_pointer)
            continue
        shared = item.get("parameters") or []
        for method in item:
            if method not in HTTP_METHODS:
                continue
            operation = item[method]
            pointer = join_pointer(item_pointer, method)
            if not isinstance(operation, dict):
                context.error("an operation must be a mapping", pointer)
                continue
            yield str(path), method, operation, pointer, shared


def _build_resources(context: _Context) -> tuple[Resource, ...]:
    by_tag: dict[str, list[Operation]] = {}
    function_names: dict[str, str] = {}
    operation_ids: dict[str, str] = {}
    for path, method, spec_op, pointer, shared in _operations(context):
        operation_id = _text(spec_op.get("operationId"))
        if not operation_id:
            operation_id = naming.function_name(f"{method} {path}")
            context.warning("operation has no operationId", pointer,
                            f"named it {operation_id!r}; add `operationId` to choose the name")
        if operation_id in operation_ids:
            context.error(
                f"duplicate operationId {operation_id!r} (also at {operation_ids[operation_id]})",
                join_pointer(pointer, "operationId"), "operationIds must be unique",
            )
            continue
        operation_ids[operation_id] = pointer
        function_name = naming.function_name(operation_id)
        if function_name in function_names:
            context.error(
                f"operationIds {function_names[function_name]!r} and {operation_id!r} both "
                f"become the function {function_name!r}",
                join_pointer(pointer, "operationId"), "rename one of them",
            )
            continue
        function_names[function_name] = operation_id
        tags = spec_op.get("tags")
        tag = str(tags[0]) if isinstance(tags, list) and tags else DEFAULT_RESOURCE
        operation = _build_operation(context, path, method, spec_op, pointer, shared,
                                     operation_id, function_name, tag)
        if operation is not None:
            by_tag.setdefault(tag, []).append(operation)

    resources = []
    attributes: set[str] = {"with_options", "with_raw_response", "close"}
    for tag, operations in by_tag.items():
        attribute = naming.unique(naming.argument_name(tag), attributes)
        resources.append(Resource(
            attribute=attribute,
            module=attribute,
            class_name=naming.class_name(tag) + "Resource",
            tag=tag,
            description=_tag_description(context, tag),
            operations=_name_methods(tag, operations),
        ))
    return tuple(resources)


def _tag_description(context: _Context, tag: str) -> str:
    for entry in context.document.get("tags") or []:
        if isinstance(entry, dict) and entry.get("name") == tag:
            return _text(entry.get("description"))
    return ""


def _name_methods(tag: str, operations: list[Operation]) -> tuple[Operation, ...]:
    """Short method names (`create`), unless two would collide; then the full function name."""
    short: dict[str, str] = {}
    for op in operations:
        explicit = op.method_name
        short[op.function_name] = explicit or naming.strip_words(
            op.function_name, naming.resource_words(tag)
        )
    counts: dict[str, int] = {}
    for name in short.values():
        counts[name] = counts.get(name, 0) + 1
    result = []
    for op in operations:
        name = short[op.function_name]
        usable = name and counts[name] == 1 and naming.function_name(name) == name
        result.append(replace(op, method_name=name if usable else op.function_name))
    return tuple(result)


def _build_operation(context: _Context, path: str, method: str, spec_op: dict[str, Any],
                     pointer: str, shared: list[Any], operation_id: str, function_name: str,
                     tag: str) -> Operation | None:
    hint = naming.class_name(operation_id)
    parameters = _build_parameters(context, path, spec_op, pointer, shared, hint)
    body = _build_body(context, spec_op, pointer, hint, parameters)
    response = _build_response(context, spec_op, pointer, hint)
    if response is None:
        return None
    explicit_method = spec_op.get("x-method-name")
    security = spec_op.get("security", context.document.get("security"))
    return Operation(
        operation_id=operation_id,
        function_name=function_name,
        method_name=naming.function_name(explicit_method) if isinstance(explicit_method, str)
        else "",
        constant_name="_" + naming.constant_name(function_name),
        http_method=method.upper(),
        path=path,
        summary=_text(spec_op.get("summary")),
        description=_text(spec_op.get("description")),
        deprecated=spec_op.get("deprecated") is True,
        parameters=parameters,
        body=body,
        response=response,
        pagination=_build_pagination(context, spec_op, pointer, parameters, response),
        authenticated=bool(security),
        pointer=pointer,
    )


def _build_parameters(context: _Context, path: str, spec_op: dict[str, Any], pointer: str,
                      shared: list[Any], hint: str) -> tuple[Parameter, ...]:
    merged: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
    sources = [(shared, join_pointer(pointer.rsplit("/", 1)[0], "parameters")),
               (spec_op.get("parameters") or [], join_pointer(pointer, "parameters"))]
    for entries, base in sources:
        if not isinstance(entries, list):
            context.error("`parameters` must be a list", base)
            continue
        for index, entry in enumerate(entries):
            entry_pointer = join_pointer(base, index)
            resolved, _ = context.resolve(entry, entry_pointer)
            if not isinstance(resolved, dict) or not resolved:
                continue
            name, location = resolved.get("name"), resolved.get("in")
            if not isinstance(name, str) or location not in ("path", "query", "header", "cookie"):
                context.error("a parameter needs a string `name` and `in` of path, query, "
                              "header or cookie", entry_pointer)
                continue
            merged[(location, name)] = (resolved, entry_pointer)

    template_names = _PATH_TEMPLATE.findall(path)
    for name in template_names:
        if ("path", name) not in merged:
            context.error(f"path parameter {name!r} is in the path but not declared", pointer,
                          f"add a parameter with `name: {name}`, `in: path`, `required: true`")
    taken = {"client", "body", "extra_headers", "extra_query", "timeout"}
    parameters = []
    order = {"path": 0, "query": 1, "header": 2, "cookie": 3}
    for (location, wire_name), (param, param_pointer) in sorted(
        merged.items(), key=lambda item: (order[item[0][0]], not item[1][0].get("required"))
    ):
        if location == "path" and wire_name not in template_names:
            context.error(f"path parameter {wire_name!r} is declared but not in the path {path!r}",
                          param_pointer, "add it to the path as {" + wire_name + "} or remove it")
            continue
        if location == "header" and wire_name.lower() in ("accept", "content-type",
                                                          "authorization"):
            context.warning(f"header parameter {wire_name!r} is managed by the client",
                            param_pointer, "it is not an argument; use default_headers or "
                            "extra_headers to change it")
            continue
        schema = param.get("schema")
        if schema is None:
            media = _media(param.get("content"))
            schema = media[1].get("schema") if media else None
        annotation = python_type(context, schema, join_pointer(param_pointer, "schema"),
                                 f"{hint}{naming.class_name(wire_name)}")
        parameters.append(Parameter(
            name=naming.unique(naming.argument_name(wire_name), taken),
            wire_name=wire_name,
            location=location,  # type: ignore[arg-type]  # checked above
            annotation=annotation,
            required=location == "path" or param.get("required") is True,
            description=_text(param.get("description")),
            deprecated=param.get("deprecated") is True,
        ))
    return tuple(parameters)


def _media(content: Any) -> tuple[str, dict[str, Any]] | None:
    """The media type the client speaks for a content map: JSON first, then the first."""
    if not isinstance(content, dict) or not content:
        return None
    for media_type in content:
        if _JSON_MEDIA.match(media_type):
            value = content[media_type]
            return media_type, value if isinstance(value, dict) else {}
    media_type = next(iter(content))
    value = content[media_type]
    return media_type, value if isinstance(value, dict) else {}


def _build_body(context: _Context, spec_op: dict[str, Any], pointer: str, hint: str,
                parameters: tuple[Parameter, ...]) -> Body | None:
    if "requestBody" not in spec_op:
        return None
    body_pointer = join_pointer(pointer, "requestBody")
    request_body, body_pointer = context.resolve(spec_op["requestBody"], body_pointer)
    media = _media(request_body.get("content") if isinstance(request_body, dict) else None)
    if media is None:
        context.error("`requestBody` has no `content`", body_pointer,
                      "add `content: {application/json: {schema: ...}}`")
        return None
    media_type, media_object = media
    schema_pointer = join_pointer(body_pointer, "content", media_type, "schema")
    if _JSON_MEDIA.match(media_type):
        encoding = "json"
        annotation = python_type(context, media_object.get("schema"), schema_pointer,
                                 f"{hint}Request")
    elif media_type == "application/x-www-form-urlencoded":
        encoding = "form"
        annotation = python_type(context, media_object.get("schema"), schema_pointer,
                                 f"{hint}Request")
    else:
        encoding = "bytes"
        annotation = "bytes"
        if not media_type.startswith("application/octet-stream"):
            context.warning(f"request body {media_type!r} is sent as raw bytes",
                            join_pointer(body_pointer, "content", media_type),
                            "the client takes `body: bytes` and sends it with this Content-Type")
    members = _union_members(context, annotation)
    if members:
        annotation = " | ".join([annotation, *members])
    return Body(
        annotation=annotation,
        required=request_body.get("required") is True,
        content_type=media_type,
        encoding=encoding,  # type: ignore[arg-type]
        description=_text(request_body.get("description")),
    )


def _success_status(responses: dict[str, Any]) -> str | None:
    statuses = sorted(str(s) for s in responses if str(s).startswith("2"))
    if statuses:
        return statuses[0]
    return "default" if "default" in responses else None


def _union_members(context: _Context, annotation: str) -> list[str] | None:
    """For a model that is a union (`oneOf`/`anyOf` of `$ref`s, nested too), its member
    classes; None for any other annotation."""
    if not annotation.startswith("models."):
        return None
    schema = context.models.get(annotation.removeprefix("models."))
    if not isinstance(schema, dict) or "properties" in schema or "allOf" in schema:
        return None
    branches = schema.get("oneOf") or schema.get("anyOf")
    if not isinstance(branches, list) or not branches:
        return None
    members: list[str] = []
    for branch in branches:
        class_name = _schema_ref_class(context, branch)
        if class_name is None:
            return None
        nested = _union_members(context, f"models.{class_name}")
        for member in nested or [f"models.{class_name}"]:
            if member not in members:
                members.append(member)
    return members


def _build_response(context: _Context, spec_op: dict[str, Any], pointer: str,
                    hint: str) -> Response | None:
    responses = spec_op.get("responses")
    responses_pointer = join_pointer(pointer, "responses")
    if not isinstance(responses, dict) or not responses:
        context.error("operation has no `responses`", pointer,
                      "add at least one response, e.g. `responses: {'200': {description: OK}}`")
        return None
    status = _success_status(responses)
    if status is None:
        context.warning("operation documents no success (2xx) response", responses_pointer,
                        "the method returns None")
        return Response("200", "None", "None", "None", None, False, "")
    response_pointer = join_pointer(responses_pointer, status)
    response, response_pointer = context.resolve(responses[status], response_pointer)
    description = _text(response.get("description")) if isinstance(response, dict) else ""
    media = _media(response.get("content") if isinstance(response, dict) else None)
    if media is None:
        return Response(status, "None", "None", "None", None, False, description)
    media_type, media_object = media
    schema = media_object.get("schema")
    schema_pointer = join_pointer(response_pointer, "content", media_type, "schema")
    if not _JSON_MEDIA.match(media_type):
        annotation = "str" if media_type.startswith("text/") else "bytes"
        return Response(status, annotation, "None", annotation, None, False, description)
    raw = python_type(context, schema, schema_pointer, f"{hint}Response")
    payload, envelope = raw, None
    resolved, resolved_pointer = context.resolve(schema, schema_pointer)
    if isinstance(resolved, dict) and "x-envelope" in resolved:
        envelope = resolved["x-envelope"]
        properties = resolved.get("properties") or {}
        if not isinstance(envelope, str) or envelope not in properties:
            context.error(f"`x-envelope: {envelope}` names no property of this schema",
                          join_pointer(resolved_pointer, "x-envelope"),
                          "set it to the property that holds the payload, e.g. `data`")
            envelope = None
        else:
            payload = python_type(context, properties[envelope],
                                  join_pointer(resolved_pointer, "properties", envelope),
                                  f"{hint}{naming.class_name(envelope)}")
            if envelope not in (resolved.get("required") or []) and "None" not in payload:
                payload = f"{payload} | None"
    members = _union_members(context, payload)
    annotation = " | ".join(members) if members else payload
    return Response(status, annotation, payload, raw, envelope, members is not None,
                    description)


def _property_schema(context: _Context, schema: Any, pointer: str,
                     name: str) -> tuple[Any, str] | None:
    """The schema of property `name`, looking through `$ref` and `allOf`."""
    schema, pointer = context.resolve(schema, pointer)
    if not isinstance(schema, dict):
        return None
    properties = schema.get("properties")
    if isinstance(properties, dict) and name in properties:
        return properties[name], join_pointer(pointer, "properties", name)
    for index, part in enumerate(schema.get("allOf") or []):
        found = _property_schema(context, part, join_pointer(pointer, "allOf", index), name)
        if found is not None:
            return found
    return None


def _build_pagination(context: _Context, spec_op: dict[str, Any], pointer: str,
                      parameters: tuple[Parameter, ...], response: Response) -> Pagination | None:
    declared = spec_op.get("x-pagination")
    if declared is None:
        return None
    declared_pointer = join_pointer(pointer, "x-pagination")
    if not isinstance(declared, dict) or declared.get("style") != "cursor":
        context.error("`x-pagination` supports `style: cursor` only", declared_pointer,
                      "see docs/spec-extensions.md")
        return None
    query = {p.wire_name for p in parameters if p.location == "query"}
    cursor_param = declared.get("cursor-param")
    limit_param = declared.get("limit-param")
    items = declared.get("items")
    next_cursor = declared.get("next-cursor")
    for key, value in (("cursor-param", cursor_param), ("limit-param", limit_param)):
        if value is not None and value not in query:
            context.error(f"`{key}: {value}` is not a query parameter of this operation",
                          join_pointer(declared_pointer, key))
            return None
    if not isinstance(items, str) or not isinstance(next_cursor, str) or not cursor_param:
        context.error("`x-pagination` needs `cursor-param`, `items` and `next-cursor`",
                      declared_pointer)
        return None
    schema = _response_schema(spec_op, response.status)
    found: tuple[Any, str] | None = (schema, join_pointer(pointer, "responses", response.status))
    for part in items.split("."):
        found = _property_schema(context, found[0], found[1], part) if found else None
    array, array_pointer = context.resolve(*found) if found else ({}, "")
    if not isinstance(array, dict) or array.get("type") != "array":
        context.error(f"`items: {items}` does not name an array in the success response",
                      join_pointer(declared_pointer, "items"))
        return None
    item = python_type(context, array.get("items"), join_pointer(array_pointer, "items"),
                       naming.class_name(spec_op.get("operationId", "")) + "Item")
    return Pagination(
        style="cursor",
        cursor_param=cursor_param,
        limit_param=limit_param,
        items_path=tuple(items.split(".")),
        next_cursor_path=tuple(next_cursor.split(".")),
        item_annotation=item,
    )


def _response_schema(spec_op: dict[str, Any], status: str) -> Any:
    media = _media((spec_op.get("responses") or {}).get(status, {}).get("content"))
    return media[1].get("schema") if media else None


# -- client-level facts -------------------------------------------------------------------


def _base_url(context: _Context) -> str:
    servers = context.document.get("servers")
    if not isinstance(servers, list) or not servers or not isinstance(servers[0], dict):
        return ""
    server = servers[0]
    url = _text(server.get("url"))
    for name, variable in (server.get("variables") or {}).items():
        if isinstance(variable, dict) and "default" in variable:
            url = url.replace("{" + name + "}", str(variable["default"]))
    return url.rstrip("/")


def _default_headers(context: _Context) -> tuple[tuple[str, str], ...]:
    headers = context.document.get("x-default-headers") or {}
    if not isinstance(headers, dict):
        context.error("`x-default-headers` must map header names to strings",
                      "/x-default-headers")
        return ()
    return tuple((str(k), str(v)) for k, v in headers.items())


def _build_auth(context: _Context, client_name: str) -> Auth | None:
    requirements = context.document.get("security") or []
    schemes = (context.document.get("components") or {}).get("securitySchemes") or {}
    for requirement in requirements:
        if not isinstance(requirement, dict):
            continue
        for scheme_name in requirement:
            pointer = join_pointer("/components/securitySchemes", scheme_name)
            scheme, pointer = context.resolve(schemes.get(scheme_name), pointer)
            if not isinstance(scheme, dict) or not scheme:
                context.error(f"security scheme {scheme_name!r} is not declared", "/security",
                              "declare it under components.securitySchemes")
                return None
            auth = _auth_for(context, scheme_name, scheme, pointer, client_name)
            if auth is not None:
                return auth
    return None


def _auth_for(context: _Context, scheme_name: str, scheme: dict[str, Any], pointer: str,
              client_name: str) -> Auth | None:
    names = scheme.get("x-credential-names") or {}
    prefix = naming.env_var_prefix(client_name)

    def credential(role: str, default: str, description: str) -> Credential:
        argument = naming.argument_name(str(names.get(role, default)))
        return Credential(argument, f"{prefix}_{argument.strip('_').upper()}", description)

    kind, http_scheme = scheme.get("type"), str(scheme.get("scheme", "")).lower()
    if kind == "http" and http_scheme == "basic":
        return Auth("basic", scheme_name, (
            credential("username", "username", "user name for HTTP basic authentication"),
            credential("password", "password", "password for HTTP basic authentication"),
        ))
    if kind == "http" and http_scheme == "bearer" or kind == "oauth2":
        return Auth("bearer", scheme_name,
                    (credential("token", "token", "bearer token"),))
    if kind == "apiKey" and scheme.get("in") in ("header", "query", "cookie"):
        return Auth("api_key", scheme_name, (credential("key", "api_key", "API key"),),
                    key_location=scheme["in"], key_name=str(scheme.get("name", "")))
    context.warning(f"security scheme {scheme_name!r} ({kind} {http_scheme}) is not supported",
                    pointer, "the client sends no credentials for it; pass headers yourself "
                    "with default_headers")
    return None


def _error_model(context: _Context) -> str | None:
    """The schema the API's 4xx/5xx responses share, when there is one."""
    seen: list[str] = []
    for _, _, spec_op, pointer, _ in _operations(context):
        for status, response in (spec_op.get("responses") or {}).items():
            if not (str(status)[:1] in ("4", "5") or status == "default"):
                continue
            response, _ = context.resolve(response, pointer)
            media = _media(response.get("content") if isinstance(response, dict) else None)
            if media is None:
                continue
            class_name = _schema_ref_class(context, media[1].get("schema"))
            if class_name is not None and class_name not in seen:
                seen.append(class_name)
    return f"models.{seen[0]}" if len(seen) == 1 else None


def model_document(api: Api) -> dict[str, Any]:
    """The document handed to the models step (a deep copy: that step may mutate it)."""
    return copy.deepcopy(api.models_document)
