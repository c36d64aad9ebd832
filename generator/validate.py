"""Structural checks of an OpenAPI 3.0/3.1 document, run before it is normalised and the IR
is built. Checking is pure: it reads the document and returns diagnostics, and never changes
what it checks (normalise.py makes the changes the warnings announce).

Each problem becomes a located diagnostic: an error where the document is wrong in a way the
generated client would get wrong too (a value of the wrong type, an unknown `type`, a `$ref`
that leads nowhere), a warning where clientgen can go on and says what it did instead (a
keyword the models do not enforce, a field it ignores). Every problem of the document is
reported, not just the first. `build.py` checks what only building the IR finds (duplicate
operationIds, path parameters, envelopes, pagination).

This module checks the document as a whole (its version, `info`, `servers`, `tags`,
`components`); the other parts live beside it: validate_paths.py (path items, operations,
parameters, request bodies, responses, media types), validate_schemas.py (schemas) and
validate_refs.py (`$ref`s and inheritance cycles), all on validate_common.py.
"""

from __future__ import annotations

import re
from typing import Any

from .diagnostics import Diagnostics, Reporter
from .load import LoadedSpec
from .pointer import join_pointer
from .validate_common import Checks, type_name
from .validate_paths import PathChecks
from .validate_refs import RefChecks
from .validate_schemas import SchemaChecks

_ROOT_FIELDS = {"openapi", "info", "jsonSchemaDialect", "servers", "paths", "webhooks",
                "components", "security", "tags", "externalDocs"}
_INFO_FIELDS = {"title", "summary", "description", "termsOfService", "contact", "license",
                "version"}
_COMPONENT_SECTIONS = {"schemas", "responses", "parameters", "examples", "requestBodies",
                       "headers", "securitySchemes", "links", "callbacks", "pathItems"}
_COMPONENT_NAME = re.compile(r"^[a-zA-Z0-9.\-_]+$")


def check_version(spec: LoadedSpec) -> Diagnostics:
    """An error when the document is not OpenAPI 3.0 or 3.1 (then nothing else is worth
    checking), else nothing."""
    diagnostics = Diagnostics()
    report = Reporter(spec, diagnostics)
    document = spec.data
    if "swagger" in document:
        report.error(
            f"Swagger {document['swagger']} documents are not supported",
            "/swagger",
            "convert it to OpenAPI 3 first, e.g. with swagger2openapi or the Swagger Editor",
        )
        return diagnostics
    version = document.get("openapi")
    if version is None:
        report.error("this is not an OpenAPI document: `openapi` is missing", "",
                     "start the file with `openapi: 3.1.0`")
    elif isinstance(version, int | float) and not isinstance(version, bool):
        report.error(f"`openapi` must be a string, not the number {version}", "/openapi",
                     f"quote the full version: openapi: '{version}.0' (YAML reads {version} "
                     "as a number)")
    elif not isinstance(version, str) or not re.match(r"^3\.[01]\.\d+", version):
        report.error(f"OpenAPI version {version!r} is not supported", "/openapi",
                     "clientgen reads OpenAPI 3.0.x and 3.1.x; write it as a string, e.g. '3.1.0'")
    return diagnostics


def validate(spec: LoadedSpec) -> Diagnostics:
    """The problems of an OpenAPI 3 document: those the loader found bundling its `$ref`s,
    then every structural one."""
    diagnostics = Diagnostics()
    diagnostics.extend(spec.diagnostics)
    check_document(spec, diagnostics)
    return diagnostics


def check_document(spec: LoadedSpec, diagnostics: Diagnostics) -> None:
    """Add a diagnostic for every structural problem of `spec`."""
    _DocumentChecks(spec, Reporter(spec, diagnostics)).run()


class _DocumentChecks(Checks):
    """The document as a whole; the parts it holds are checked by the other Checks."""

    def __init__(self, spec: LoadedSpec, reporter: Reporter) -> None:
        super().__init__(spec, reporter)
        self.refs = RefChecks(spec, reporter)
        self.schemas = SchemaChecks(spec, reporter)
        self.paths = PathChecks(spec, reporter, self.schemas)

    def run(self) -> None:
        document = self.document
        self.unknown_fields(document, "", _ROOT_FIELDS, "the OpenAPI object")
        self.refs.check_refs()
        self.check_info()
        self.check_servers(document.get("servers"), "/servers")
        self.check_tags()
        self.paths.check_security(document.get("security"), "/security")
        if "webhooks" in document:
            self.warning("`webhooks` are not generated: the client only calls the API",
                         "/webhooks", "the webhook payload schemas are still generated if "
                         "they are in components.schemas")
        self.paths.check_paths()
        self.check_components()

    def check_info(self) -> None:
        info = self.document.get("info")
        if info is None:
            return  # build reports the missing info with what it names
        if not self.mapping(info, "/info", "`info`"):
            return
        self.unknown_fields(info, "/info", _INFO_FIELDS, "`info`")
        if "title" in info and not isinstance(info["title"], str):
            self.error(f"`info.title` must be a string, not {type_name(info['title'])}",
                       "/info/title")
        version = info.get("version")
        if version is None:
            self.warning("`info.version` is missing", "/info",
                         "add the API's version; the package uses '0' meanwhile")
        elif not isinstance(version, str):
            self.warning(f"`info.version` must be a string, not {type_name(version)}; it is "
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
        content = self.paths.content
        if section == "schemas":
            self.schemas.check_schema(entry, pointer)
        elif isinstance(entry, dict) and "$ref" in entry:
            return
        elif section == "parameters":
            if self.mapping(entry, pointer, "a parameter"):
                self.paths.check_parameter(entry, pointer)
        elif section == "responses":
            content.check_response(entry, pointer)
        elif section == "requestBodies":
            content.check_request_body(entry, pointer)
        elif section == "headers":
            content.check_header(entry, pointer)
        elif section == "securitySchemes" and self.mapping(entry, pointer,
                                                              "a security scheme") \
                and not isinstance(entry.get("type"), str):
            self.error("a security scheme needs a string `type`", pointer,
                       "one of apiKey, http, oauth2, openIdConnect, mutualTLS")
