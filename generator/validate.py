"""Structural checks of an OpenAPI 3.0/3.1 document, run before the IR is built.

Each problem becomes a located diagnostic: an error where the document is wrong in a way the
generated client would get wrong too (a value of the wrong type, an unknown `type`, a `$ref`
that leads nowhere), a warning where clientgen can go on and says what it did instead (a
keyword the models do not enforce, a field it ignores). Every problem of the document is
reported, not just the first. `build.py` checks what only building the IR finds (duplicate
operationIds, path parameters, envelopes, pagination).

The one change made to the document: `enum` values of a `type: string` schema that are not
strings (`enum: [1, 2]` written unquoted) become strings, with a warning.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable
from typing import Any, TypeGuard

from pydantic_core import SchemaValidator
from pydantic_core import core_schema as cs

from . import discriminators
from .diagnostics import Diagnostics, Reporter
from .load import LoadedSpec, join_pointer, ref_holders, resolve_pointer, split_pointer
from .openapi import HTTP_METHODS


_ROOT_FIELDS = {"openapi", "info", "jsonSchemaDialect", "servers", "paths", "webhooks",
                "components", "security", "tags", "externalDocs"}
_INFO_FIELDS = {"title", "summary", "description", "termsOfService", "contact", "license",
                "version"}
_PATH_ITEM_FIELDS = {"$ref", "summary", "description", "servers", "parameters", *HTTP_METHODS}
_OPERATION_FIELDS = {"tags", "summary", "description", "externalDocs", "operationId",
                     "parameters", "requestBody", "responses", "callbacks", "deprecated",
                     "security", "servers"}
_PARAMETER_FIELDS = {"name", "in", "description", "required", "deprecated", "allowEmptyValue",
                     "style", "explode", "allowReserved", "schema", "example", "examples",
                     "content"}
_RESPONSE_FIELDS = {"description", "headers", "content", "links"}
_REQUEST_BODY_FIELDS = {"description", "content", "required"}
_MEDIA_FIELDS = {"schema", "example", "examples", "encoding"}
_COMPONENT_SECTIONS = {"schemas", "responses", "parameters", "examples", "requestBodies",
                       "headers", "securitySchemes", "links", "callbacks", "pathItems"}
_SCHEMA_KEYWORDS = {
    "$ref", "$id", "$schema", "$anchor", "$comment", "$defs", "definitions", "$dynamicAnchor",
    "$dynamicRef", "$recursiveRef", "$recursiveAnchor", "$vocabulary",
    "type", "enum", "const", "format", "title", "description", "default", "example",
    "examples", "nullable", "readOnly", "writeOnly", "deprecated", "discriminator", "xml",
    "externalDocs", "properties", "required", "additionalProperties", "patternProperties",
    "propertyNames", "minProperties", "maxProperties", "dependentRequired",
    "dependentSchemas", "unevaluatedProperties", "items", "prefixItems", "additionalItems",
    "contains", "minContains", "maxContains", "minItems", "maxItems", "uniqueItems",
    "unevaluatedItems", "minLength", "maxLength", "pattern", "minimum", "maximum",
    "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "allOf", "anyOf", "oneOf", "not",
    "if", "then", "else", "contentMediaType", "contentEncoding", "contentSchema",
}
_TYPES = ("string", "integer", "number", "boolean", "array", "object", "null")
# What people write instead of a JSON Schema type, and what they mean.
_TYPE_HINTS = {
    "int": "integer", "int32": "integer", "int64": "integer", "long": "integer",
    "float": "number", "double": "number", "decimal": "number", "bool": "boolean",
    "str": "string", "text": "string", "list": "array", "dict": "object", "map": "object",
    "date": "string", "datetime": "string", "date-time": "string", "uuid": "string",
}
# Keywords the generated models accept but do not enforce: what the model does instead.
_NOT_ENFORCED = {
    "not": "the value is not checked against `not`",
    "if": "`if`/`then`/`else` are not checked",
    "dependentRequired": "the dependent properties are not required",
    "dependentSchemas": "the dependent schemas are not checked",
    "unevaluatedProperties": "unknown properties are kept, as everywhere else",
    "unevaluatedItems": "extra items are accepted",
    "contains": "the items are not checked against `contains`",
    "prefixItems": "the items are typed by `items` (or Any), not position by position",
}
_UNSUPPORTED = {
    "$dynamicRef": "use a plain `$ref`",
    "$recursiveRef": "use a plain `$ref`",
}
_STRING_FORMATS = {"date": "date", "datetime": "date-time", "date-time": "date-time",
                   "uuid": "uuid"}
_STATUS = re.compile(r"^([1-5][0-9][0-9]|[1-5]XX|default)$")
_COMPONENT_NAME = re.compile(r"^[a-zA-Z0-9.\-_]+$")


def check_document(spec: LoadedSpec, diagnostics: Diagnostics) -> None:
    """Add a diagnostic for every structural problem of `spec`."""
    _Checker(spec, diagnostics).run()


def _ungenerated_section(pointer: str) -> str | None:
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


def _type_name(value: Any) -> str:
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


def _did_you_mean(word: str, choices: Iterable[str], cutoff: float = 0.75) -> str | None:
    lowered = {choice.lower(): choice for choice in choices}
    if word.lower() in lowered:
        return lowered[word.lower()]
    matches = difflib.get_close_matches(word.lower(), sorted(lowered), n=1, cutoff=cutoff)
    return lowered[matches[0]] if matches else None


@functools.lru_cache(maxsize=1024)
def _regex_engines(pattern: str) -> frozenset[str]:
    """The regex engines the generated models may use that accept `pattern`."""
    engines = set()
    for engine in ("rust-regex", "python-re"):
        try:
            SchemaValidator(cs.str_schema(pattern=pattern),
                            config=cs.CoreConfig(regex_engine=engine))
        except Exception:
            continue
        engines.add(engine)
    return frozenset(engines)


class _Checker:
    def __init__(self, spec: LoadedSpec, diagnostics: Diagnostics) -> None:
        self.spec = spec
        reporter = Reporter(spec, diagnostics)
        self.error = reporter.error
        self.warning = reporter.warning
        self.document = spec.data
        version = self.document.get("openapi")
        self.v31 = isinstance(version, str) and version.startswith("3.1")
        components = self.document.get("components")
        schemas = components.get("schemas") if isinstance(components, dict) else None
        # the `not`s that tagged unions enforce (discriminators.py)
        self.enforced = discriminators.enforced_exclusions(schemas) \
            if isinstance(schemas, dict) else set()

    def mapping(self, node: Any, pointer: str, what: str, hint: str = "") -> bool:
        """True when `node` is a mapping; an error naming `what` otherwise."""
        if isinstance(node, dict):
            return True
        self.error(f"{what} must be a mapping, not {_type_name(node)}", pointer, hint)
        return False

    def listing(self, node: Any, pointer: str, what: str, hint: str = "") -> bool:
        if isinstance(node, list):
            return True
        self.error(f"{what} must be a list, not {_type_name(node)}", pointer, hint)
        return False

    def unknown_fields(self, node: dict[str, Any], pointer: str, known: set[str],
                       what: str) -> None:
        for key in node:
            if key in known or key.startswith("x-"):
                continue
            guess = _did_you_mean(key, known)
            hint = (f"did you mean `{guess}`?" if guess else
                    "fields that are not part of OpenAPI must start with `x-`")
            self.warning(f"unknown field `{key}` in {what} (ignored)", join_pointer(pointer, key),
                         hint)

    def resolve(self, node: Any) -> Any:
        """The target of a local `$ref` (the ref pass reports those that fail), or `node`."""
        seen = 0
        while isinstance(node, dict) and isinstance(node.get("$ref"), str) and seen < 32:
            ref = node["$ref"]
            if not ref.startswith("#/"):
                return None
            try:
                node = resolve_pointer(self.document, ref[1:])
            except KeyError:
                return None
            seen += 1
        return node

    # -- the document -----------------------------------------------------------------------

    def run(self) -> None:
        document = self.document
        self.unknown_fields(document, "", _ROOT_FIELDS, "the OpenAPI object")
        self.check_refs()
        self.check_info()
        self.check_servers(document.get("servers"), "/servers")
        self.check_tags()
        self.check_security(document.get("security"), "/security")
        if "webhooks" in document:
            self.warning("`webhooks` are not generated: the client only calls the API",
                         "/webhooks", "the webhook payload schemas are still generated if "
                         "they are in components.schemas")
        paths = document.get("paths")
        if paths is None:
            if not self.v31:
                self.error("`paths` is missing", "", "add `paths: {}` with the API's operations")
            else:
                self.warning("the document has no `paths`: the client will have no methods", "")
        elif self.mapping(paths, "/paths", "`paths`"):
            for path, item in paths.items():
                self.check_path_item(path, item, join_pointer("/paths", path))
        self.check_components()

    def check_info(self) -> None:
        info = self.document.get("info")
        if info is None:
            return  # build reports the missing info with what it names
        if not self.mapping(info, "/info", "`info`"):
            return
        self.unknown_fields(info, "/info", _INFO_FIELDS, "`info`")
        if "title" in info and not isinstance(info["title"], str):
            self.error(f"`info.title` must be a string, not {_type_name(info['title'])}",
                       "/info/title")
        version = info.get("version")
        if version is None:
            self.warning("`info.version` is missing", "/info",
                         "add the API's version; the package uses '0' meanwhile")
        elif not isinstance(version, str):
            self.warning(f"`info.version` must be a string, not {_type_name(version)}; it is "
                         f"read as {str(version)!r}", "/info/version",
                         f"quote it: version: '{version}'")
        client_name = info.get("x-client-name")
        if client_name is not None and not isinstance(client_name, str):
            self.error("`x-client-name` must be a string", "/info/x-client-name")

    def check_servers(self, servers: Any, pointer: str) -> None:
        if servers is None or not self.listing(servers, pointer, "`servers`"):
            return
        for index, server in enumerate(servers):
            server_pointer = join_pointer(pointer, index)
            if not self.mapping(server, server_pointer, "a server"):
                continue
            if not isinstance(server.get("url"), str):
                self.error("a server needs a string `url`", server_pointer,
                           "e.g. `url: https://api.example.com/v1`")
            variables = server.get("variables")
            if variables is None:
                continue
            variables_pointer = join_pointer(server_pointer, "variables")
            if not self.mapping(variables, variables_pointer, "`variables`"):
                continue
            for name, variable in variables.items():
                variable_pointer = join_pointer(variables_pointer, name)
                if not self.mapping(variable, variable_pointer, f"server variable {name!r}"):
                    continue
                if not isinstance(variable.get("default"), str):
                    self.error(f"server variable {name!r} needs a string `default`",
                               variable_pointer, "the client's base URL uses the default")

    def check_tags(self) -> None:
        tags = self.document.get("tags")
        if tags is None or not self.listing(tags, "/tags", "`tags`"):
            return
        for index, tag in enumerate(tags):
            pointer = join_pointer("/tags", index)
            if self.mapping(tag, pointer, "a tag") and not isinstance(tag.get("name"), str):
                self.error("a tag needs a string `name`", pointer)

    def check_security(self, security: Any, pointer: str) -> None:
        if security is None or not self.listing(security, pointer, "`security`"):
            return
        components = self.document.get("components")
        schemes = components.get("securitySchemes") if isinstance(components, dict) else None
        declared = set(schemes) if isinstance(schemes, dict) else set()
        for index, requirement in enumerate(security):
            requirement_pointer = join_pointer(pointer, index)
            if not self.mapping(requirement, requirement_pointer, "a security requirement",
                                "e.g. `- api_key: []`"):
                continue
            for name in requirement:
                if name not in declared:
                    guess = _did_you_mean(name, declared)
                    self.error(f"security scheme {name!r} is not declared",
                               join_pointer(requirement_pointer, name),
                               f"did you mean {guess!r}?" if guess else
                               "declare it under components.securitySchemes")

    # -- paths and operations ----------------------------------------------------------------

    def check_path_item(self, path: str, item: Any, pointer: str) -> None:
        self.check_path_template(path, pointer)
        if isinstance(item, dict) and "$ref" in item:
            ref = item["$ref"]
            if isinstance(ref, str) and ref.startswith("#/") and not ref.startswith(
                ("#/paths/", "#/components/pathItems/")
            ):
                self.error(f"a path item's $ref must lead to a path item, not {ref!r}",
                           join_pointer(pointer, "$ref"),
                           "refer to an entry of components.pathItems (OpenAPI 3.1)")
            return  # the ref pass checks that it resolves; build follows it
        if not self.mapping(item, pointer, "a path item"):
            return
        for key in item:
            if key in _PATH_ITEM_FIELDS or key.startswith("x-"):
                continue
            key_pointer = join_pointer(pointer, key)
            if key.lower() in HTTP_METHODS:
                self.error(f"`{key}` is not an HTTP method field: methods are lower case",
                           key_pointer, f"write `{key.lower()}`")
            else:
                guess = _did_you_mean(key, _PATH_ITEM_FIELDS)
                self.warning(f"unknown field `{key}` in a path item (ignored)", key_pointer,
                             f"did you mean `{guess}`?" if guess else
                             "a path item holds HTTP methods, `parameters`, `summary` and "
                             "`description`")
        self.check_parameters(item.get("parameters"), join_pointer(pointer, "parameters"))
        if "servers" in item:
            self.warning("per-path `servers` are not supported: the client uses its base URL",
                         join_pointer(pointer, "servers"),
                         "pass base_url=... to the client to call another server")
        for method in HTTP_METHODS:
            if method in item:
                self.check_operation(item[method], join_pointer(pointer, method))

    def check_path_template(self, path: str, pointer: str) -> None:
        depth = 0
        for character in path:
            depth += {"{": 1, "}": -1}.get(character, 0)
            if depth not in (0, 1):
                break
        if depth != 0 or "{}" in path:
            self.error(f"path {path!r} has unbalanced or empty `{{}}`", pointer,
                       "a path parameter is written `{name}`")

    def check_operation(self, operation: Any, pointer: str) -> None:
        if not self.mapping(operation, pointer, "an operation"):
            return
        self.unknown_fields(operation, pointer, _OPERATION_FIELDS, "an operation")
        operation_id = operation.get("operationId")
        if operation_id is not None and not isinstance(operation_id, str):
            self.error(f"`operationId` must be a string, not {_type_name(operation_id)}",
                       join_pointer(pointer, "operationId"))
        tags = operation.get("tags")
        if tags is not None and (not isinstance(tags, list)
                                 or not all(isinstance(t, str) for t in tags)):
            self.error("`tags` must be a list of strings", join_pointer(pointer, "tags"),
                       "e.g. `tags: [Pets]`")
        self.check_parameters(operation.get("parameters"), join_pointer(pointer, "parameters"))
        if "requestBody" in operation:
            self.check_request_body(operation["requestBody"],
                                    join_pointer(pointer, "requestBody"))
        if "responses" in operation:
            self.check_responses(operation["responses"], join_pointer(pointer, "responses"))
        elif self.v31:
            self.warning("operation declares no `responses`: the method returns the parsed "
                         "body untyped (Any)", pointer,
                         "add `responses` with the success response's schema")
        self.check_security(operation.get("security"), join_pointer(pointer, "security"))
        if "callbacks" in operation:
            self.warning("`callbacks` are not generated: the client only calls the API",
                         join_pointer(pointer, "callbacks"))
        if "servers" in operation:
            self.warning("per-operation `servers` are not supported: the client uses its base "
                         "URL", join_pointer(pointer, "servers"),
                         "pass base_url=... to the client to call another server")

    def check_parameters(self, parameters: Any, pointer: str) -> None:
        if parameters is None or not self.listing(parameters, pointer, "`parameters`"):
            return
        seen: dict[tuple[str, str], str] = {}
        for index, entry in enumerate(parameters):
            entry_pointer = join_pointer(pointer, index)
            if isinstance(entry, dict) and "$ref" in entry:
                parameter = self.resolve(entry)
                if isinstance(parameter, dict):
                    key = (str(parameter.get("name")), str(parameter.get("in")))
                    self.note_duplicate(seen, key, entry_pointer)
                continue
            if not self.mapping(entry, entry_pointer, "a parameter"):
                continue
            self.check_parameter(entry, entry_pointer)
            self.note_duplicate(seen, (str(entry.get("name")), str(entry.get("in"))),
                                entry_pointer)

    def note_duplicate(self, seen: dict[tuple[str, str], str], key: tuple[str, str],
                       pointer: str) -> None:
        if key in seen:
            self.warning(f"parameter {key[0]!r} in {key[1]} is declared twice in this list "
                         f"(also at {seen[key]}); this later one is used", pointer,
                         "remove one of them")
        seen[key] = pointer

    def check_parameter(self, parameter: dict[str, Any], pointer: str) -> None:
        self.unknown_fields(parameter, pointer, _PARAMETER_FIELDS, "a parameter")
        location = parameter.get("in")
        name = parameter.get("name")
        if location == "path" and parameter.get("required") is not True:
            self.warning(f"path parameter {name!r} is not marked `required: true`; it is "
                         "required anyway", pointer, "path parameters are always required")
        if location == "cookie":
            self.warning(f"cookie parameter {name!r} is not an argument of the method: the "
                         "client does not send cookie parameters", pointer,
                         "pass it with extra_headers={'Cookie': ...}")
        has_schema, has_content = "schema" in parameter, "content" in parameter
        if has_schema:
            self.check_schema(parameter["schema"], join_pointer(pointer, "schema"))
        if has_content:
            self.check_content(parameter["content"], join_pointer(pointer, "content"))
        if not has_schema and not has_content:
            self.warning(f"parameter {name!r} has no `schema`: it is typed Any", pointer,
                         "add `schema: {type: string}` (or the right type)")

    def check_request_body(self, body: Any, pointer: str) -> None:
        if isinstance(body, dict) and "$ref" in body:
            return
        if not self.mapping(body, pointer, "`requestBody`"):
            return
        self.unknown_fields(body, pointer, _REQUEST_BODY_FIELDS, "a request body")
        if "content" in body:
            self.check_content(body["content"], join_pointer(pointer, "content"))

    def check_responses(self, responses: Any, pointer: str) -> None:
        if not self.mapping(responses, pointer, "`responses`",
                            "e.g. `responses: {'200': {description: OK}}`"):
            return
        for status, response in responses.items():
            response_pointer = join_pointer(pointer, status)
            if not _STATUS.match(str(status)) and not str(status).startswith("x-"):
                self.warning(f"response key {status!r} is not an HTTP status code (ignored)",
                             response_pointer, "use a code like '200', a range like '2XX', or "
                             "'default'")
                continue
            self.check_response(response, response_pointer)

    def check_response(self, response: Any, pointer: str) -> None:
        if isinstance(response, dict) and "$ref" in response:
            return
        if not self.mapping(response, pointer, "a response"):
            return
        self.unknown_fields(response, pointer, _RESPONSE_FIELDS, "a response")
        if "content" in response:
            self.check_content(response["content"], join_pointer(pointer, "content"))
        headers = response.get("headers")
        if headers is not None and self.mapping(headers, join_pointer(pointer, "headers"),
                                                "`headers`"):
            for name, header in headers.items():
                self.check_header(header, join_pointer(pointer, "headers", name))

    def check_header(self, header: Any, pointer: str) -> None:
        if isinstance(header, dict) and "$ref" in header:
            return
        if not self.mapping(header, pointer, "a header"):
            return
        if "schema" in header:
            self.check_schema(header["schema"], join_pointer(pointer, "schema"))
        if "content" in header:
            self.check_content(header["content"], join_pointer(pointer, "content"))

    def check_content(self, content: Any, pointer: str) -> None:
        if not self.mapping(content, pointer, "`content`",
                            "map media types to media objects, e.g. "
                            "`content: {application/json: {schema: ...}}`"):
            return
        for media_type, media in content.items():
            media_pointer = join_pointer(pointer, media_type)
            if "/" not in media_type:
                self.warning(f"{media_type!r} is not a media type", media_pointer,
                             "write it as type/subtype, e.g. application/json")
            if not self.mapping(media, media_pointer, f"the media object of {media_type!r}"):
                continue
            self.unknown_fields(media, media_pointer, _MEDIA_FIELDS, "a media type object")
            if "schema" in media:
                self.check_schema(media["schema"], join_pointer(media_pointer, "schema"))

    # -- components ----------------------------------------------------------------------------

    def check_components(self) -> None:
        components = self.document.get("components")
        if components is None or not self.mapping(components, "/components", "`components`"):
            return
        self.unknown_fields(components, "/components", _COMPONENT_SECTIONS, "`components`")
        for section, entries in components.items():
            if section.startswith("x-") or section not in _COMPONENT_SECTIONS:
                continue
            section_pointer = join_pointer("/components", section)
            if not self.mapping(entries, section_pointer, f"`components.{section}`",
                                "map names to objects"):
                continue
            for name, entry in entries.items():
                pointer = join_pointer(section_pointer, name)
                if not _COMPONENT_NAME.match(name):
                    self.warning(f"component name {name!r} may only hold letters, digits, "
                                 "'.', '-' and '_'", pointer,
                                 "clientgen converts it to a Python name anyway; other tools "
                                 "may reject it")
                self.check_component(section, entry, pointer)

    def check_component(self, section: str, entry: Any, pointer: str) -> None:
        if section == "schemas":
            self.check_schema(entry, pointer)
        elif isinstance(entry, dict) and "$ref" in entry:
            return
        elif section == "parameters":
            if self.mapping(entry, pointer, "a parameter"):
                self.check_parameter(entry, pointer)
        elif section == "responses":
            self.check_response(entry, pointer)
        elif section == "requestBodies":
            self.check_request_body(entry, pointer)
        elif section == "headers":
            self.check_header(entry, pointer)
        elif section == "securitySchemes":
            if self.mapping(entry, pointer, "a security scheme") and not isinstance(
                entry.get("type"), str
            ):
                self.error("a security scheme needs a string `type`", pointer,
                           "one of apiKey, http, oauth2, openIdConnect, mutualTLS")

    # -- schemas -------------------------------------------------------------------------------

    def check_schema(self, schema: Any, pointer: str) -> None:
        if isinstance(schema, bool):
            if not self.v31:
                self.warning("`true`/`false` schemas are OpenAPI 3.1; read as 3.1 would",
                             pointer, "in OpenAPI 3.0 write `{}` for any value")
            if schema is False:
                self.warning("a `false` schema (no value is valid) is not enforced: the model "
                             "accepts any value here", pointer)
            return
        if isinstance(schema, str) and schema in _TYPES:
            self.error("a schema must be a mapping, not a string", pointer,
                       f"write `{{type: {schema}}}`")
            return
        if not self.mapping(schema, pointer, "a schema"):
            return
        for keyword, hint in _UNSUPPORTED.items():
            if keyword in schema:
                self.error(f"`{keyword}` is not supported", join_pointer(pointer, keyword), hint)
        for keyword, effect in _NOT_ENFORCED.items():
            if keyword in schema and join_pointer(pointer, keyword) not in self.enforced:
                self.warning(f"`{keyword}` is not enforced by the generated models: {effect}",
                             join_pointer(pointer, keyword))
        for key in schema:
            if key in _SCHEMA_KEYWORDS or key.startswith("x-"):
                continue
            guess = _did_you_mean(key, _SCHEMA_KEYWORDS, cutoff=0.85)
            if guess is not None:
                self.warning(f"unknown schema keyword `{key}` (ignored)",
                             join_pointer(pointer, key), f"did you mean `{guess}`?")
        types = self.check_type(schema, pointer)
        self.check_nested(schema, pointer)
        self.check_required(schema, pointer)
        if "enum" in schema:
            self.check_enum(schema, types, pointer)
        if "pattern" in schema:
            self.check_pattern(schema["pattern"], join_pointer(pointer, "pattern"))
        if "default" in schema:
            self.check_default(schema["default"], types, join_pointer(pointer, "default"))
        if "nullable" in schema and not isinstance(schema["nullable"], bool):
            self.error("`nullable` must be true or false", join_pointer(pointer, "nullable"))
        self.check_property_patterns(schema, pointer)
        self.check_constraints(schema, pointer)
        if isinstance(schema.get("discriminator"), dict):
            self.check_discriminator_mapping(schema["discriminator"],
                                             join_pointer(pointer, "discriminator"))

    def check_constraints(self, schema: dict[str, Any], pointer: str) -> None:
        """Bounds the models could not build (pydantic refuses `multiple_of=0` or a negative
        length when the model is first used) or that no value can meet."""
        if "multipleOf" in schema:
            value = schema["multipleOf"]
            if not _is_number(value) or value <= 0:
                self.error(f"`multipleOf` must be a number above 0, not {_scalar_text(value)}",
                           join_pointer(pointer, "multipleOf"), "e.g. `multipleOf: 0.01`")
        for keyword in _COUNTS:
            value = schema.get(keyword)
            if keyword in schema and (not _is_number(value) or value < 0 or value != int(value)):
                self.error(f"`{keyword}` must be a whole number of 0 or more, not "
                           f"{_scalar_text(value)}", join_pointer(pointer, keyword))
        for low, high in _BOUNDS:
            lower, upper = schema.get(low), schema.get(high)
            if low in _COUNTS and not (_is_number(lower) and _is_number(upper)
                                       and lower >= 0 and upper >= 0):
                continue  # a bad count is reported above
            if _is_number(lower) and _is_number(upper) and (
                    lower > upper or lower == upper and "exclusive" in low + high):
                self.error(f"`{low}` ({_scalar_text(lower)}) is not below `{high}` "
                           f"({_scalar_text(upper)}): no value is valid",
                           join_pointer(pointer, low), f"check the two bounds; `{low}` is the "
                           "lower one")

    def check_discriminator_mapping(self, discriminator: dict[str, Any], pointer: str) -> None:
        """Each mapping value must name a schema: a value whose schema is missing would
        otherwise be dropped, and the union would read that variant as another one."""
        mapping = discriminator.get("mapping")
        if not isinstance(mapping, dict):
            return
        components = self.document.get("components")
        schemas = components.get("schemas") if isinstance(components, dict) else None
        for value, target in mapping.items():
            name = discriminators.component_name(target)
            if name is None or isinstance(schemas, dict) and name in schemas:
                continue  # not a component's name (another file's ref: bundled or reported)
            guess = _did_you_mean(name, schemas or {})
            self.error(f"the discriminator maps {value!r} to schema {name!r}, which does not "
                       "exist", join_pointer(pointer, "mapping", value),
                       f"did you mean `{guess}`?" if guess else
                       "map it to a schema in `components.schemas`")

    def check_type(self, schema: dict[str, Any], pointer: str) -> list[str]:
        """The schema's types, after reporting any that are not JSON Schema types."""
        if "type" not in schema:
            return []
        declared = schema["type"]
        type_pointer = join_pointer(pointer, "type")
        if isinstance(declared, list):
            if not self.v31:
                self.warning("a list of types is OpenAPI 3.1; read as 3.1 would", type_pointer,
                             "in OpenAPI 3.0 write one type and `nullable: true`")
            names = declared
        elif isinstance(declared, str):
            names = [declared]
        else:
            self.error(f"`type` must be a string, not {_type_name(declared)}", type_pointer,
                       "one of " + ", ".join(_TYPES))
            return []
        result = []
        for name in names:
            if name in _TYPES:
                result.append(name)
                continue
            if not isinstance(name, str):
                self.error(f"`type` entries must be strings, not {_type_name(name)}",
                           type_pointer)
                continue
            meant = _TYPE_HINTS.get(name.lower())
            if name == "file":
                hint = "`type: file` is Swagger 2.0: write `type: string, format: binary`"
            elif name.lower() in _STRING_FORMATS:
                hint = f"write `type: string, format: {_STRING_FORMATS[name.lower()]}`"
            elif meant is not None:
                hint = f"did you mean `{meant}`?"
            else:
                guess = _did_you_mean(name, _TYPES)
                hint = f"did you mean `{guess}`?" if guess else "use one of " + ", ".join(_TYPES)
            self.error(f"unknown type {name!r}", type_pointer, hint)
        strings = [n for n in names if isinstance(n, str)]
        if len(set(strings)) != len(strings):
            self.warning("`type` lists a type twice", type_pointer)
        return result

    def check_nested(self, schema: dict[str, Any], pointer: str) -> None:
        for key in ("properties", "patternProperties", "$defs", "definitions",
                    "dependentSchemas"):
            if key not in schema:
                continue
            key_pointer = join_pointer(pointer, key)
            if self.mapping(schema[key], key_pointer, f"`{key}`",
                            "map names to schemas"):
                for name, child in schema[key].items():
                    self.check_schema(child, join_pointer(key_pointer, name))
        for key in ("allOf", "anyOf", "oneOf", "prefixItems"):
            if key not in schema:
                continue
            key_pointer = join_pointer(pointer, key)
            if not self.listing(schema[key], key_pointer, f"`{key}`", "a list of schemas"):
                continue
            if not schema[key]:
                self.error(f"`{key}` must not be empty", key_pointer)
            for index, child in enumerate(schema[key]):
                self.check_schema(child, join_pointer(key_pointer, index))
        if "items" in schema:
            items = schema["items"]
            if isinstance(items, list):
                self.error("`items` must be one schema, not a list", join_pointer(pointer, "items"),
                           "for a tuple use `prefixItems` (OpenAPI 3.1); for a list of several "
                           "kinds use `items: {oneOf: [...]}`")
            else:
                self.check_schema(items, join_pointer(pointer, "items"))
        for key in ("additionalProperties", "unevaluatedProperties", "unevaluatedItems",
                    "additionalItems"):
            if key in schema:
                value = schema[key]
                if isinstance(value, bool):
                    continue
                if isinstance(value, dict):
                    self.check_schema(value, join_pointer(pointer, key))
                else:
                    self.error(f"`{key}` must be true, false or a schema, not "
                               f"{_type_name(value)}", join_pointer(pointer, key))
        for key in ("not", "if", "then", "else", "contains", "propertyNames"):
            if key in schema:
                self.check_schema(schema[key], join_pointer(pointer, key))

    def check_required(self, schema: dict[str, Any], pointer: str) -> None:
        if "required" not in schema:
            return
        required = schema["required"]
        required_pointer = join_pointer(pointer, "required")
        if isinstance(required, bool):
            self.warning("`required: true/false` on a property is Swagger 2.0 style and is "
                         "ignored", required_pointer,
                         "list the property's name in its object's `required` list instead")
            del schema["required"]  # so that the models step reads the schema at all
            return
        if not isinstance(required, list) or not all(isinstance(r, str) for r in required):
            self.error("`required` must be a list of property names", required_pointer,
                       "e.g. `required: [id, name]`")
            return
        properties = schema.get("properties")
        composed = any(k in schema for k in ("allOf", "anyOf", "oneOf", "$ref",
                                             "patternProperties"))
        if not isinstance(properties, dict) or composed or isinstance(
            schema.get("additionalProperties"), dict
        ):
            return
        for index, name in enumerate(required):
            if name not in properties:
                self.warning(f"`required` lists {name!r}, which is not in `properties`; the "
                             "model does not require it", join_pointer(required_pointer, index),
                             f"add {name!r} to `properties`, or remove it from `required`")

    def check_enum(self, schema: dict[str, Any], types: list[str], pointer: str) -> None:
        enum_pointer = join_pointer(pointer, "enum")
        values = schema["enum"]
        if not isinstance(values, list) or not values:
            self.error("`enum` must be a non-empty list of values", enum_pointer)
            return
        non_null = [t for t in types if t != "null"]
        if non_null == ["object"] and any(isinstance(v, str) for v in values) and all(
                v is None or isinstance(v, str) for v in values):
            self.warning("`type: object` with string `enum` values: typed as a string enum",
                         join_pointer(pointer, "type"),
                         "write `type: string`; as written, no listed value is valid")
        if non_null == ["string"]:
            converted = [v for v in values if v is not None and not isinstance(v, str)]
            if any(isinstance(v, dict | list) for v in converted):
                self.error("a `type: string` enum holds a mapping or a list", enum_pointer,
                           "list the allowed strings")
                return
            if converted:
                shown = ", ".join(_scalar_text(v) for v in converted)
                self.warning(f"enum values {shown} of a `type: string` schema are not strings; "
                             "they are read as strings", enum_pointer,
                             "quote them in the spec, e.g. `enum: ['1', '2']`")
                schema["enum"] = [v if v is None or isinstance(v, str) else _scalar_text(v)
                                  for v in values]
                values = schema["enum"]
        # a set, so that a 20,000-value enum is checked in linear time; 1 and 1.0 (and True)
        # are equal but not repeats of each other, hence the type in the key
        seen: set[tuple[type, Any]] = set()
        unhashable: list[Any] = []  # mappings and lists, rare in an enum
        for index, value in enumerate(values):
            try:
                key = (type(value), value)
                repeated = key in seen
                seen.add(key)
            except TypeError:
                repeated = any(type(s) is type(value) and s == value for s in unhashable)
                unhashable.append(value)
            if repeated:
                self.warning(f"enum value {value!r} is listed twice",
                             join_pointer(enum_pointer, index), "remove the repeated value")

    def check_pattern(self, pattern: Any, pointer: str) -> None:
        if not isinstance(pattern, str):
            self.error(f"`pattern` must be a string, not {_type_name(pattern)}", pointer)
            return
        if not _regex_engines(pattern):
            try:
                re.compile(pattern)
                reason = "pydantic cannot compile it"
            except re.error as exc:
                reason = str(exc)
            self.error(f"`pattern` is not a valid regular expression: {reason}", pointer,
                       "the generated model would fail to import; fix or remove the pattern")

    def check_property_patterns(self, schema: dict[str, Any], pointer: str) -> None:
        """One model uses one regex engine: patterns that need different ones cannot mix."""
        properties = schema.get("properties")
        if not isinstance(properties, dict):
            return
        needs: dict[str, str] = {}
        for name, child in properties.items():
            if isinstance(child, dict) and isinstance(child.get("pattern"), str):
                engines = _regex_engines(child["pattern"])
                if len(engines) == 1:
                    needs[name] = next(iter(engines))
        if len(set(needs.values())) > 1:
            python_only = sorted(n for n, e in needs.items() if e == "python-re")
            rust_only = sorted(n for n, e in needs.items() if e == "rust-regex")
            self.error(f"the patterns of {', '.join(python_only)} need Python's regex engine "
                       f"and those of {', '.join(rust_only)} need pydantic's default engine; "
                       "one model cannot use both", join_pointer(pointer, "properties"),
                       "rewrite one of the patterns (e.g. without look-around or \\p{...})")

    def check_default(self, default: Any, types: list[str], pointer: str) -> None:
        non_null = [t for t in types if t != "null"]
        if default is None or len(non_null) != 1:
            return
        expected = non_null[0]
        matches = {
            "string": isinstance(default, str),
            "integer": isinstance(default, int) and not isinstance(default, bool),
            "number": isinstance(default, int | float) and not isinstance(default, bool),
            "boolean": isinstance(default, bool),
            "array": isinstance(default, list),
            "object": isinstance(default, dict),
        }.get(expected, True)
        if not matches:
            self.warning(f"`default: {_scalar_text(default)}` is not of type {expected}; the "
                         "model uses it as written", pointer, "fix the default or the type")

    # -- references ------------------------------------------------------------------------------

    def check_refs(self) -> None:
        """Every local `$ref` must lead somewhere, and not back to itself."""
        cycles: set[tuple[str, ...]] = set()
        for pointer, _, holder in ref_holders(self.document, ""):
            ref = holder["$ref"]
            ref_pointer = join_pointer(pointer, "$ref")
            if not isinstance(ref, str):
                self.ref_problem(f"`$ref` must be a string, not {_type_name(ref)}", ref_pointer,
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
            cycle = self.ref_cycle(holder)
            if cycle and _ungenerated_section(pointer) and not all(
                    _ungenerated_section(member[1:]) for member in cycle):
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
        section = _ungenerated_section(pointer)
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
            guess = _did_you_mean(tokens[-1], [str(k) for k in parent], cutoff=0.6)
            if guess is not None:
                return f"did you mean '#{join_pointer('', *tokens[:-1], guess)}'?"
        return "check the spelling; targets are JSON pointers like '#/components/schemas/Name'"

    def ref_cycle(self, holder: dict[str, Any]) -> list[str]:
        """The refs of a chain of `$ref`-only objects that comes back to where it started."""
        chain: list[str] = []
        node: Any = holder
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if ref in chain:
                return chain[chain.index(ref):]
            if not ref.startswith("#/"):
                return []
            chain.append(ref)
            try:
                node = resolve_pointer(self.document, ref[1:])
            except KeyError:
                return []
        return []

    def check_inheritance_cycles(self) -> None:
        """A schema may not be built from itself through `allOf` (a class its own base)."""
        components = self.document.get("components")
        schemas = components.get("schemas") if isinstance(components, dict) else None
        if not isinstance(schemas, dict):
            return
        prefix = "#/components/schemas/"
        bases: dict[str, list[str]] = {}
        for name, schema in schemas.items():
            parts = schema.get("allOf") if isinstance(schema, dict) else None
            bases[name] = [
                split_pointer(part["$ref"][1:])[2]
                for part in (parts if isinstance(parts, list) else [])
                if isinstance(part, dict) and isinstance(part.get("$ref"), str)
                and part["$ref"].startswith(prefix) and len(split_pointer(part["$ref"][1:])) == 3
            ]
        reported: set[tuple[str, ...]] = set()
        for start in schemas:
            path = self.find_cycle(start, bases)
            if path and tuple(sorted(path)) not in reported:
                reported.add(tuple(sorted(path)))
                self.error("schema inherits from itself through `allOf`: "
                           + " -> ".join([*path, path[0]]),
                           join_pointer("/components/schemas", path[0], "allOf"),
                           "remove the `allOf` entry that leads back")

    @staticmethod
    def find_cycle(start: str, bases: dict[str, list[str]]) -> list[str]:
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


# Keywords whose value counts characters, items or properties.
_COUNTS = ("minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties")
# (lower, upper) bound pairs; an exclusive bound may not equal the other bound either.
_BOUNDS = (("minimum", "maximum"), ("exclusiveMinimum", "exclusiveMaximum"),
           ("exclusiveMinimum", "maximum"), ("minimum", "exclusiveMaximum"),
           ("minLength", "maxLength"), ("minItems", "maxItems"),
           ("minProperties", "maxProperties"))


def _is_number(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value


def _scalar_text(value: Any) -> str:
    """How a non-string enum value reads as a string: JSON's spelling (true, 1.5, null)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    return str(value)
