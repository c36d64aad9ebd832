"""Validation of what the client calls: path items, operations, parameters and security
requirements (`PathChecks`), and request bodies, responses, headers and media types
(`ContentChecks`)."""

from __future__ import annotations

import re
from typing import Any

from .diagnostics import Reporter
from .load import LoadedSpec
from .openapi import HTTP_METHODS
from .pointer import join_pointer
from .validate_common import Checks, did_you_mean, type_name
from .validate_schemas import SchemaChecks

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
_STATUS = re.compile(r"^([1-5][0-9][0-9]|[1-5]XX|default)$")


class ContentChecks(Checks):
    """Request bodies, responses, headers and the media types they hold."""

    def __init__(self, spec: LoadedSpec, reporter: Reporter, schemas: SchemaChecks) -> None:
        super().__init__(spec, reporter)
        self.schemas = schemas

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
            self.schemas.check_schema(header["schema"], join_pointer(pointer, "schema"))
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
                self.schemas.check_schema(media["schema"], join_pointer(media_pointer, "schema"))


class PathChecks(Checks):
    """Path items, operations, their parameters and security requirements."""

    def __init__(self, spec: LoadedSpec, reporter: Reporter, schemas: SchemaChecks) -> None:
        super().__init__(spec, reporter)
        self.schemas = schemas
        self.content = ContentChecks(spec, reporter, schemas)

    def check_paths(self) -> None:
        paths = self.document.get("paths")
        if paths is None:
            if not self.v31:
                self.error("`paths` is missing", "", "add `paths: {}` with the API's operations")
            else:
                self.warning("the document has no `paths`: the client will have no methods", "")
        elif self.mapping(paths, "/paths", "`paths`"):
            for path, item, pointer in self.view.path_items():
                self.check_path_item(path, item, pointer)

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
                guess = did_you_mean(key, _PATH_ITEM_FIELDS)
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
            self.error(f"`operationId` must be a string, not {type_name(operation_id)}",
                       join_pointer(pointer, "operationId"))
        tags = operation.get("tags")
        if tags is not None and (not isinstance(tags, list)
                                 or not all(isinstance(t, str) for t in tags)):
            self.error("`tags` must be a list of strings", join_pointer(pointer, "tags"),
                       "e.g. `tags: [Pets]`")
        self.check_parameters(operation.get("parameters"), join_pointer(pointer, "parameters"))
        if "requestBody" in operation:
            self.content.check_request_body(operation["requestBody"],
                                            join_pointer(pointer, "requestBody"))
        if "responses" in operation:
            self.content.check_responses(operation["responses"],
                                         join_pointer(pointer, "responses"))
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
        """One list of parameter entries, as written (a path item's or an operation's)."""
        if parameters is None or not self.listing(parameters, pointer, "`parameters`"):
            return
        seen: dict[tuple[str, str], str] = {}
        for index, entry in enumerate(parameters):
            entry_pointer = join_pointer(pointer, index)
            if isinstance(entry, dict) and "$ref" in entry:
                located = self.view.resolve(entry, entry_pointer)
                if located is not None and isinstance(located.node, dict):
                    parameter = located.node
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
            self.schemas.check_schema(parameter["schema"], join_pointer(pointer, "schema"))
        if has_content:
            self.content.check_content(parameter["content"], join_pointer(pointer, "content"))
        if not has_schema and not has_content:
            self.warning(f"parameter {name!r} has no `schema`: it is typed Any", pointer,
                         "add `schema: {type: string}` (or the right type)")

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
                    guess = did_you_mean(name, declared)
                    self.error(f"security scheme {name!r} is not declared",
                               join_pointer(requirement_pointer, name),
                               f"did you mean {guess!r}?" if guess else
                               "declare it under components.securitySchemes")
