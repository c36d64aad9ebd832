"""A mock API on 127.0.0.1 that checks every request against an OpenAPI 3.x spec.

Each request is routed by method and path template, checked (path, query and header parameters,
the security requirements, the request body against its schema with jsonschema Draft 2020-12) and
answered with the example of the operation's success response. An unknown path gets 404, a path
without that method 405, an invalid request 400 with the list of problems; every request is
recorded with its problems so a test can assert that there were none.

It answers only what the spec says: no state is kept, so an id a create returns is not what a
later get answers with (each answer is that operation's example).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from jsonschema import Draft202012Validator

from tests.http_server import RecordedRequest, Reply, TestServer
from tests.specs.spec_support import follow, iter_operations, load_spec, pointer, validator_at

_TEMPLATE_PARAMETER = re.compile(r"\{([^{}/]+)\}")
# "If in is header and the name field is Accept, Content-Type or Authorization, the parameter
# definition SHALL be ignored" (OpenAPI, Parameter Object)
_IGNORED_HEADERS = ("accept", "content-type", "authorization")


@dataclass(frozen=True)
class Route:
    method: str  # upper case
    template: str  # the spec's path, e.g. /v1/destinations/{destination_id}
    operation: dict[str, Any]
    label: str  # the operationId, else "METHOD template"
    pattern: re.Pattern[str]
    names: tuple[str, ...]  # the template's parameters, in the pattern's group order
    specificity: tuple[int, ...]  # per segment 0 literal, 1 templated: concrete paths win

    @property
    def at(self) -> str:
        """The operation's JSON pointer in the spec."""
        return pointer("paths", self.template, self.method.lower())


@dataclass
class Call:
    """One request the server answered, with the operation it matched and what was wrong."""

    request: RecordedRequest
    operation: str | None  # the route's label; None when no route matched
    status: int
    problems: list[str] = field(default_factory=list)


class SpecServer:
    """The spec's operations on a real HTTP server (tests.http_server.TestServer) at `url`."""

    def __init__(self, spec_path: Path) -> None:
        self.spec = load_spec(spec_path)
        self.routes = _routes(self.spec)
        self.calls: list[Call] = []
        self._base_path = _base_path(self.spec)
        self._credential_queries = _credential_query_names(self.spec)
        self._validators: dict[str, Draft202012Validator] = {}
        self._lock = threading.Lock()  # requests are answered on several threads
        self._http = TestServer()
        self._http.default = self.answer

    @property
    def url(self) -> str:
        return self._http.url

    @property
    def failures(self) -> list[Call]:
        """The calls that were not valid requests for an operation of the spec, or that the
        spec gives no answer for."""
        return [call for call in self.calls if call.problems]

    @property
    def operations_called(self) -> set[str]:
        """The labels of the operations that were called with a valid request."""
        return {call.operation for call in self.calls
                if call.operation is not None and not call.problems}

    def report(self) -> str:
        """The failures, one line each, for an assertion message."""
        return "\n".join(
            f"{call.request.method} {call.request.path} -> {call.status} "
            f"({call.operation or 'no operation'}): {'; '.join(call.problems)}"
            for call in self.failures
        )

    def start(self) -> SpecServer:
        self._http.start()
        return self

    def stop(self) -> None:
        self._http.stop()

    def __enter__(self) -> SpecServer:  # noqa: PYI034 (start() returns it)
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def answer(self, request: RecordedRequest) -> Reply:
        call, reply = self._answer(request)
        with self._lock:
            self.calls.append(call)
        return reply

    def _answer(self, request: RecordedRequest) -> tuple[Call, Reply]:
        path = request.path
        if self._base_path and path.startswith(self._base_path + "/"):
            path = path[len(self._base_path):]
        matches = [(route, m) for route in self.routes if (m := route.pattern.fullmatch(path))]
        if not matches:
            return self._refuse(request, None, 404, f"no path of the spec matches {path}")
        for_method = [(r, m) for r, m in matches if r.method == request.method]
        if not for_method:
            allowed = sorted({route.method for route, _ in matches})
            return self._refuse(request, None, 405,
                                f"{path} has no {request.method} operation (has {allowed})",
                                {"Allow": ", ".join(allowed)})
        route, match = min(for_method, key=lambda pair: pair[0].specificity)
        path_values = {name: unquote(value) for name, value in zip(route.names, match.groups())}
        problems = self._check(route, request, path_values)
        if problems:
            return self._refuse(request, route.label, 400, "the request does not match the "
                                f"spec's {route.label}", problems=problems)
        reply = self._example_reply(route)
        if isinstance(reply, str):
            return self._refuse(request, route.label, 501, reply)
        return Call(request, route.label, reply.status), reply

    def _refuse(self, request: RecordedRequest, operation: str | None, status: int,
                message: str, headers: dict[str, str] | None = None,
                problems: list[str] | None = None) -> tuple[Call, Reply]:
        if problems:
            message = f"{message}: {'; '.join(problems)}"
        else:
            problems = [message]
        # {code, message} is the error shape of both bundled specs, so clients show the message
        body = {"code": "SpecServer", "message": message, "errors": problems}
        return Call(request, operation, status, problems), Reply(status, body, headers or {})

    # -- checks ---------------------------------------------------------------------------------

    def _check(self, route: Route, request: RecordedRequest,
               path_values: dict[str, str]) -> list[str]:
        parameters = self._parameters(route)
        problems: list[str] = []
        for (name, where), (parameter, schema_at) in parameters.items():
            if where == "path":
                raw: list[str] | None = [path_values[name]] if name in path_values else None
            elif where == "query":
                raw = request.query.get(name)
            elif where == "header" and name.lower() not in _IGNORED_HEADERS:
                raw = [request.headers[name.lower()]] if name.lower() in request.headers else None
            else:
                continue  # cookie parameters are not checked
            if raw is None:
                if parameter.get("required", False):
                    problems.append(f"{where} parameter {name!r} is required")
                continue
            if schema_at is not None:
                value = _parameter_value(self.spec, parameter, schema_at, raw)
                problems += [f"{where} parameter {name!r}: {problem}"
                             for problem in self._schema_problems(schema_at, value)]
        declared = {name for name, where in parameters if where == "query"}
        problems += [f"query parameter {name!r} is not declared"
                     for name in sorted(request.query)
                     if name not in declared and name not in self._credential_queries]
        problems += self._security_problems(route, request)
        problems += self._body_problems(route, request)
        return problems

    def _parameters(self, route: Route) -> dict[tuple[str, str], tuple[dict[str, Any],
                                                                        str | None]]:
        """(name, in) -> (parameter, pointer of its schema or None) of the path item's and the
        operation's parameters; the operation's override the path item's."""
        path_at = pointer("paths", route.template)
        item = self.spec["paths"][route.template]
        found: dict[tuple[str, str], tuple[dict[str, Any], str | None]] = {}
        for holder, at in ((item, path_at), (route.operation, route.at)):
            for index, reference in enumerate(holder.get("parameters", [])):
                parameter, parameter_at = follow(self.spec, reference,
                                                 f"{at}/parameters/{index}")
                schema_at = f"{parameter_at}/schema" if "schema" in parameter else None
                found[parameter["name"], parameter["in"]] = parameter, schema_at
        return found

    def _security_problems(self, route: Route, request: RecordedRequest) -> list[str]:
        requirements = route.operation.get("security", self.spec.get("security", []))
        if not requirements:
            return []
        schemes = self.spec.get("components", {}).get("securitySchemes", {})
        unmet: list[str] = []
        for requirement in requirements:  # alternatives; each needs all of its schemes
            missing = [problem for name in requirement
                       if (problem := _credential_problem(name, schemes.get(name), request))]
            if not missing:
                return []
            unmet.append(" and ".join(missing))
        return ["no security requirement is met: " + " / ".join(unmet)]

    def _body_problems(self, route: Route, request: RecordedRequest) -> list[str]:
        declared = route.operation.get("requestBody")
        if declared is None:
            return ["the operation takes no request body"] if request.body else []
        body, body_at = follow(self.spec, declared, f"{route.at}/requestBody")
        if not request.body:
            return ["the request body is required"] if body.get("required", False) else []
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        media_type = _media_type_for(content_type, list(body.get("content", {})))
        if media_type is None:
            return [f"Content-Type {content_type or '(none)'} is not one of "
                    f"{sorted(body.get('content', {}))}"]
        if not _is_json(media_type):
            return []  # only JSON bodies are checked against their schema
        try:
            value = json.loads(request.body)
        except ValueError as error:
            return [f"the body is not JSON: {error}"]
        media = body["content"][media_type]
        if "schema" not in media:
            return []
        schema_at = f"{body_at}/content{pointer(media_type)}/schema"
        return [f"body: {problem}" for problem in self._schema_problems(schema_at, value)]

    def _schema_problems(self, schema_at: str, value: Any) -> list[str]:
        with self._lock:
            validator = self._validators.get(schema_at)
            if validator is None:
                validator = self._validators[schema_at] = validator_at(self.spec, schema_at)
        return [f"{'/'.join(map(str, error.absolute_path)) or '<root>'}: {error.message}"
                for error in validator.iter_errors(value)]

    # -- answers --------------------------------------------------------------------------------

    def _example_reply(self, route: Route) -> Reply | str:
        """The operation's lowest declared 2xx response with its example (of its first media
        type); or why there is none."""
        successes = sorted((str(status) for status in route.operation.get("responses", {})
                            if str(status).startswith("2")), key=lambda s: s.replace("X", "0"))
        if not successes:
            return f"{route.label} declares no 2xx response"
        status = int(successes[0].replace("XX", "00"))
        response, _ = follow(self.spec, route.operation["responses"][successes[0]], "")
        content = response.get("content", {})
        if not content:
            return Reply(status)
        media_type, media = next(iter(content.items()))
        found, example = _example(self.spec, media)
        if not found:
            return f"the spec has no example for the {successes[0]} response of {route.label}"
        body = json.dumps(example).encode() if _is_json(media_type) else str(example).encode()
        return Reply(status, body, {"Content-Type": media_type})


def serve_spec(spec_path: Path) -> Iterator[SpecServer]:
    """Start a SpecServer for `spec_path`, yield it, stop it (for a fixture)."""
    with SpecServer(spec_path) as server:
        yield server


def _routes(spec: dict[str, Any]) -> list[Route]:
    routes = []
    for template, method, operation in iter_operations(spec):
        names = tuple(_TEMPLATE_PARAMETER.findall(template))
        pattern = re.compile(
            "".join(re.escape(part) if index % 2 == 0 else "([^/]+)"
                    for index, part in enumerate(_TEMPLATE_PARAMETER.split(template)))
        )
        specificity = tuple(int("{" in segment) for segment in template.split("/"))
        label = operation.get("operationId") or f"{method.upper()} {template}"
        routes.append(Route(method.upper(), template, operation, label, pattern, names,
                            specificity))
    return routes


def _base_path(spec: dict[str, Any]) -> str:
    """The path of the first server URL (e.g. /api/v2), which request paths start with."""
    servers = spec.get("servers") or [{"url": "/"}]
    url = servers[0].get("url", "/")
    return "" if "{" in url else urlsplit(url).path.rstrip("/")


def _credential_query_names(spec: dict[str, Any]) -> set[str]:
    schemes = spec.get("components", {}).get("securitySchemes", {}).values()
    return {scheme["name"] for scheme in schemes
            if scheme.get("type") == "apiKey" and scheme.get("in") == "query"}


def _credential_problem(name: str, scheme: dict[str, Any] | None,
                        request: RecordedRequest) -> str | None:
    """What is wrong with the request's credential for one security scheme, or None."""
    if scheme is None:
        return f"{name}: the security scheme is not declared"
    kind = scheme.get("type")
    authorization = request.headers.get("authorization", "")
    given_scheme, _, credential = authorization.partition(" ")
    if kind == "apiKey":
        key, where = scheme.get("name", ""), scheme.get("in")
        present = (key.lower() in request.headers if where == "header"
                   else key in request.query if where == "query"
                   else f"{key}=" in request.headers.get("cookie", ""))
        return None if present else f"{name}: no {where} {key!r}"
    if kind not in ("http", "oauth2", "openIdConnect"):
        return f"{name}: a {kind} scheme cannot be checked"
    expected = str(scheme.get("scheme", "")).lower() if kind == "http" else "bearer"
    if given_scheme.lower() != expected or not credential.strip():
        return f"{name}: no Authorization: {expected.title()} credential"
    if expected == "basic":
        try:
            user, colon, _ = base64.b64decode(credential, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return f"{name}: the Basic credential is not base64 of user:password"
        if not colon or not user:
            return f"{name}: the Basic credential is not base64 of user:password"
    return None


def _parameter_value(spec: dict[str, Any], parameter: dict[str, Any], schema_at: str,
                     raw: list[str]) -> Any:
    """A parameter's text as the value its schema describes: numbers and booleans parsed, an
    array from repeated (explode, the default of form style) or comma-separated values."""
    schema, _ = follow(spec, parameter["schema"], schema_at)
    if "array" in _types(schema):
        explode = parameter.get("explode", parameter.get("style", "form") == "form")
        parts = raw if explode else [part for text in raw for part in text.split(",")]
        items, _ = follow(spec, schema.get("items", {}), "")
        return [_scalar(items, part) for part in parts]
    return _scalar(schema, raw[-1])


def _scalar(schema: dict[str, Any], text: str) -> Any:
    for kind in _types(schema):
        if kind == "integer" and re.fullmatch(r"-?\d+", text):
            return int(text)
        if kind == "number" and re.fullmatch(r"-?\d+(\.\d+)?([eE][-+]?\d+)?", text):
            return float(text)
        if kind == "boolean" and text in ("true", "false"):
            return text == "true"
    return text  # a string, or text the schema rejects


def _types(schema: dict[str, Any]) -> list[str]:
    kinds = schema.get("type", [])
    return [kinds] if isinstance(kinds, str) else list(kinds)


def _media_type_for(content_type: str, declared: list[str]) -> str | None:
    """The declared media type a request's Content-Type matches (exact before wildcard)."""
    for candidate in declared:
        if candidate.lower() == content_type:
            return candidate
    for candidate in declared:
        kind, _, subtype = candidate.lower().partition("/")
        if candidate == "*/*" or (subtype == "*" and content_type.startswith(kind + "/")):
            return candidate
    return None


def _is_json(media_type: str) -> bool:
    media_type = media_type.split(";")[0].strip().lower()
    return media_type == "application/json" or media_type.endswith("+json")


def _example(spec: dict[str, Any], media: dict[str, Any]) -> tuple[bool, Any]:
    """(found, value): the media type's `example`, else its first `examples` value, else the
    example of its schema."""
    if "example" in media:
        return True, media["example"]
    for named in media.get("examples", {}).values():
        named, _ = follow(spec, named, "")
        if "value" in named:
            return True, named["value"]
    schema, _ = follow(spec, media.get("schema", {}), "")
    if "example" in schema:
        return True, schema["example"]
    if schema.get("examples"):
        return True, schema["examples"][0]
    return False, None
