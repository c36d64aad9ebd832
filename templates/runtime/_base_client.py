"""The request path every resource shares: build the request, send it (retrying where that is
safe), and turn the answer into a typed value or a typed error.

Retries: connection errors, timeouts and the statuses 408, 429, 500, 502, 503 and 504 are
retried up to ``max_retries`` times (default 2), waiting 0.5 s, 1 s, 2 s, ... (at most 8 s, less
up to 25 % jitter) or what the server's ``Retry-After`` asks for. A ``Retry-After`` longer than
60 s is not waited out: the error is raised at once. One that says nothing a server could mean
(not a number or date, negative, more than a day away, a date outside the calendar) is read as
absent. Methods that are not idempotent (POST, PATCH) may create or change something, so they
are retried only when the request never reached the server (the connection failed) or the server
said it did not act on it (429, 503): a create is never silently sent twice.

Logging goes to the standard ``logging`` logger named after the package: each attempt at DEBUG
(method, URL, status, attempt, elapsed time), each retry at INFO. Credentials never appear in
logs or error messages.
"""

from __future__ import annotations

import copy
import email.utils
import logging
import os
import random
import re
import sys
import time
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Generic, Literal, Self, TypeVar, cast
from urllib.parse import quote

import anyio
import httpx
import pydantic

from ._auth import CredentialAuth
from ._exceptions import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    status_error_class,
)
from ._models import (
    to_wire,
    unwrap_root,
    validate_request,
    validate_response,
    validation_problems,
)
from ._pagination import AsyncCursorPage, AsyncPaginator, CursorPagination, SyncCursorPage
from ._response import APIResponse, raw_response_requested
from ._serialization import Encoding, encode_form, encode_query, multipart_fields, simple_text
from ._types import NOT_GIVEN, Body, Headers, NotGiven, Query, Timeout

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "AsyncAPIClient",
    "AsyncAPIResource",
    "Endpoint",
    "RequestOptions",
    "SyncAPIClient",
    "SyncAPIResource",
    "body_of",
    "to_wire",
    "user_agent",
    "warn_deprecated",
]

T = TypeVar("T")
R = TypeVar("R")

log = logging.getLogger(__package__ or __name__)

DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=5.0)
DEFAULT_MAX_RETRIES = 2
INITIAL_RETRY_DELAY = 0.5  # seconds; doubles with each retry
MAX_RETRY_DELAY = 8.0
MAX_RETRY_AFTER = 60.0  # a longer Retry-After is not waited out
# A Retry-After further away than this means nothing: it is read as absent, like garbage.
MAX_READABLE_RETRY_AFTER = 24 * 3600.0
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
# Statuses by which the server says it did not act on the request: safe to repeat even a POST.
NOT_ACTED_ON_STATUSES = frozenset({429, 503})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})
# The keyword arguments every generated method takes besides the spec's own (extra_body only
# with an object body); the generator reads this to keep parameter and field names off them.
PER_CALL_OPTIONS = ("extra_headers", "extra_query", "extra_body", "timeout")
# Transport errors raised before the request reached the server.
_NOT_SENT_ERRORS = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# Transport errors that another attempt cannot fix.
_PERMANENT_ERRORS = (httpx.UnsupportedProtocol, httpx.LocalProtocolError)
_PATH_PARAMETER = re.compile(r"\{([^{}]+)\}")
_PATH_SAFE = "/:@!$&'()*+,;=-._~"  # what a path may hold unencoded (RFC 3986 pchar, and /)
_MIN_SECRET_LENGTH = 4  # shorter credentials are not redacted (they would mangle any text)
EXCERPT_LENGTH = 200  # characters of an error body an error message shows


# Seams for tests: replace these to skip real waiting or to fix the clock.
def _sleep(seconds: float) -> None:
    time.sleep(seconds)


async def _async_sleep(seconds: float) -> None:
    await anyio.sleep(seconds)


def _now() -> float:
    return time.time()


@dataclass(frozen=True)
class Endpoint(Generic[T]):
    """What the spec says about one operation; the generated modules declare one each.

    `T` is what the operation's method returns; for a paginated operation, the item type.
    """

    method: str
    path: str  # template, e.g. /v1/destinations/{destination_id}
    response_type: Any  # what the body (or its envelope's payload) validates as; None: nothing
    response_format: Literal["json", "text", "bytes", "none"] = "json"
    envelope: str | None = None  # property of the body that holds the payload
    unwrap_root: bool = False  # return a root model's value (a union member), not the wrapper
    body_encoding: str = "json"  # json, form, multipart or bytes
    content_type: str | None = None
    body_type: Any = None  # what a body given as a dict must validate as; None: not checked
    # headers the spec sets for this operation (an `Accept` default): below the caller's own
    headers: Mapping[str, str] = field(default_factory=dict)
    # query parameters not sent as `style: form, explode: true`, by wire name
    query_encodings: Mapping[str, Encoding] = field(default_factory=dict)
    # form and multipart bodies: the properties the spec's `encoding` describes
    body_fields: Mapping[str, Encoding] = field(default_factory=dict)
    authenticated: bool = True
    pagination: CursorPagination | None = None


@dataclass(frozen=True)
class RequestOptions:
    """Everything one call asks for; each attempt (and each page) builds its request from it."""

    endpoint: Endpoint[Any]
    path_params: Mapping[str, object]
    query: Mapping[str, object]
    headers: Mapping[str, object]
    body: object
    extra_headers: Headers | None
    extra_query: Query | None
    timeout: Timeout | NotGiven
    # fields the spec lacks, added to a JSON body after it is validated (which refuses them)
    extra_body: Body | None = None

    def __post_init__(self) -> None:
        # before anything is sent: a dict body holds what building its model would accept
        if self.endpoint.body_type is not None and not isinstance(
            self.body, NotGiven | pydantic.BaseModel
        ):
            validate_request(self.endpoint.body_type, self.body)

    def with_query(self, name: str, value: object) -> RequestOptions:
        return replace(self, query={**self.query, name: value})


def body_of(fields: Mapping[str, object], *, required: bool) -> dict[str, object] | NotGiven:
    """An object body from its keyword arguments: those given; NOT_GIVEN (no body at all)
    when none is and the body is optional."""
    given = {key: value for key, value in fields.items() if not isinstance(value, NotGiven)}
    return given if given or required else NOT_GIVEN


def user_agent(distribution: str, version: str) -> str:
    """The User-Agent header: `distribution/version (python-httpx)`, keeping only the printable
    ASCII a header value can hold."""
    return "".join(c for c in f"{distribution}/{version} (python-httpx)" if " " <= c <= "~")


_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


def warn_deprecated(message: str, **arguments: object) -> None:
    """A DeprecationWarning pointing at the caller's line outside this package: for the call
    itself (no `arguments`), or for each of the deprecated `arguments` given a value."""
    given = [name for name, value in arguments.items() if not isinstance(value, NotGiven)]
    if arguments and not given:
        return
    stacklevel, frame = 2, sys._getframe(1)
    while frame.f_back is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        stacklevel, frame = stacklevel + 1, frame.f_back
    for text in [message.format(name=name) for name in given] or [message]:
        warnings.warn(text, DeprecationWarning, stacklevel=stacklevel)


def _text(value: object) -> str:
    """A path or header parameter as text, in OpenAPI's `simple` style (booleans as JSON spells
    them, an array as `a,b,c`)."""
    return simple_text(to_wire(value))


def _expand_path(template: str, values: Mapping[str, object]) -> str:
    """The path with each `{name}` replaced by its value; every part is percent-encoded (a value
    entirely, so a `/` in it stays inside its segment)."""
    parts: list[str] = []
    end = 0
    for match in _PATH_PARAMETER.finditer(template):
        parts.append(quote(template[end : match.start()], safe=_PATH_SAFE))
        name = match.group(1)
        parts.append(_segment(_text(values[name])) if name in values else match.group(0))
        end = match.end()
    parts.append(quote(template[end:], safe=_PATH_SAFE))
    return "".join(parts)


def _segment(value: str) -> str:
    """A path parameter's value, percent-encoded whole; `.` and `..` too, which a URL would
    otherwise read as "this" and "the parent" segment."""
    encoded = quote(value, safe="")
    return encoded.replace(".", "%2E") if encoded in (".", "..") else encoded


def _base_url(url: str) -> httpx.URL:
    """The base URL with one trailing slash, so that a path is appended to it as it is."""
    parsed = httpx.URL(url.rstrip("/") + "/")
    if parsed.query or parsed.fragment:
        raise ValueError(
            f"base_url {url!r} has a query or fragment; it must end with a path (query "
            "parameters for every request go in the http_client's `params`)"
        )
    return parsed


def _parse_body(response: httpx.Response) -> tuple[object, bool]:
    """(the body as JSON, True); (its text, False) when it is not JSON; (None, True) when empty."""
    if not response.content:
        return None, True
    try:
        return response.json(), True
    except ValueError:
        return response.text, False


def _readable_delay(seconds: float) -> float | None:
    """`seconds` when a server could mean it: from 0 to a day (NaN fails both bounds)."""
    return seconds if 0.0 <= seconds <= MAX_READABLE_RETRY_AFTER else None


def _retry_after(headers: httpx.Headers) -> float | None:
    """Seconds the server asks us to wait: `retry-after-ms`, or `Retry-After` as seconds or as
    an HTTP date (negative for a date past). None when it says nothing readable."""
    milliseconds = headers.get("retry-after-ms")
    if milliseconds:
        try:
            seconds = _readable_delay(float(milliseconds) / 1000)
        except ValueError:
            seconds = None
        if seconds is not None:
            return seconds
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return _readable_delay(float(value))
    except ValueError:
        pass
    parsed = email.utils.parsedate_tz(value)
    if parsed is None:
        return None
    try:
        seconds = email.utils.mktime_tz(parsed) - _now()
    except (ValueError, OverflowError):  # a date outside the calendar, e.g. in the year 10000
        return None
    return seconds if seconds <= MAX_READABLE_RETRY_AFTER else None


def _error_fields(error_type: Any, body: object) -> tuple[str | None, str | None, Any]:
    """(code, message, typed error) of an error body, read through the spec's error model when
    the body fits it, else from a JSON object's `code` and `message` or from a plain text."""
    error: Any = None
    if error_type is not None and body is not None:
        try:
            error = unwrap_root(validate_response(error_type, body))
        except pydantic.ValidationError:
            error = None
    source: Any = error if error is not None else body
    if isinstance(source, str):
        return None, source, error
    if isinstance(source, pydantic.BaseModel):
        code, message = getattr(source, "code", None), getattr(source, "message", None)
    elif isinstance(source, dict):
        code, message = source.get("code"), source.get("message")
    else:
        return None, None, error
    code = str(code) if isinstance(code, str | int) and code != "" else None
    message = message if isinstance(message, str) and message else None
    return code, message, error


class BaseClient:
    """What the sync and async clients share: configuration, requests, retry decisions, errors."""

    _owns_http: bool

    def __init__(
        self,
        *,
        base_url: str,
        auth: CredentialAuth | None,
        timeout: Timeout | NotGiven,
        max_retries: int,
        default_headers: Headers | None,
        error_type: Any = None,
        spec_headers: Headers | None = None,
    ) -> None:
        self.base_url = _base_url(base_url)
        self.timeout: Timeout = DEFAULT_TIMEOUT if isinstance(timeout, NotGiven) else timeout
        self.max_retries = max_retries
        self._auth = auth
        # the spec's headers, then each operation's, then the caller's: the later ones win
        self._spec_headers = dict(spec_headers or {})
        self._default_headers = dict(default_headers or {})
        self._error_type = error_type

    def _bind_resources(self) -> None:
        """Create the resource attributes; the generated client overrides this."""

    def with_options(
        self,
        *,
        base_url: str | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        default_headers: Headers | None = None,
    ) -> Self:
        """A copy of this client with some options changed, e.g.
        ``client.with_options(max_retries=0).connections.get(...)``. It shares this client's
        connection pool; closing it does not close the pool."""
        clone = copy.copy(self)
        if base_url is not None:
            clone.base_url = _base_url(base_url)
        if not isinstance(timeout, NotGiven):
            clone.timeout = timeout
        if max_retries is not None:
            clone.max_retries = max_retries
        if default_headers is not None:
            clone._default_headers = {**self._default_headers, **default_headers}
        clone._owns_http = False
        clone._bind_resources()
        return clone

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(base_url={str(self.base_url)!r}, "
            f"auth={self._auth!r}, max_retries={self.max_retries}, timeout={self.timeout!r})"
        )

    # -- building requests ----------------------------------------------------------------

    def _build_request(
        self, http: httpx.Client | httpx.AsyncClient, options: RequestOptions
    ) -> httpx.Request:
        endpoint = options.endpoint
        path = _expand_path(endpoint.path, options.path_params)
        # written here, not by httpx: each parameter in its OpenAPI style, byte for byte
        query = encode_query(options.query, endpoint.query_encodings, options.extra_query)
        headers = httpx.Headers(self._spec_headers)
        headers.update(endpoint.headers)
        headers.update(self._default_headers)
        headers.update(
            {
                name: _text(value)
                for name, value in options.headers.items()
                if value is not None and not isinstance(value, NotGiven)
            }
        )
        content: dict[str, Any] = {}
        body = options.body
        if options.extra_body and endpoint.body_encoding == "json":
            body = {**({} if isinstance(body, NotGiven) else to_wire(body)), **options.extra_body}
        if not isinstance(body, NotGiven):
            if endpoint.body_encoding == "json":
                content["json"] = to_wire(body)
            elif endpoint.body_encoding == "form":
                content["content"] = encode_form(body, endpoint.body_fields)
            elif endpoint.body_encoding == "multipart":
                content["files"] = multipart_fields(body, endpoint.body_fields)
            else:
                content["content"] = body
            # httpx writes a multipart Content-Type itself: it holds the boundary
            if endpoint.content_type and endpoint.body_encoding != "multipart":
                headers.setdefault("Content-Type", endpoint.content_type)
        headers.update(options.extra_headers or {})
        timeout = self.timeout if isinstance(options.timeout, NotGiven) else options.timeout
        return http.build_request(
            endpoint.method,
            # the path is percent-encoded already: appending it is exact, and `URL.join`
            # (urljoin) would parse both once more for each request
            str(self.base_url) + path.lstrip("/") + (f"?{query}" if query else ""),
            headers=headers,
            timeout=timeout,
            **content,
        )

    def _auth_for(self, endpoint: Endpoint[Any]) -> Any:
        """The auth to send `endpoint` with: none for an operation the spec marks as open, and
        the http_client's own when the spec declares no scheme this client speaks."""
        if not endpoint.authenticated:
            return None
        return self._auth if self._auth is not None else httpx.USE_CLIENT_DEFAULT

    # -- secrets ----------------------------------------------------------------------------

    def _redact(self, text: str) -> str:
        """`text` without the credentials of this client."""
        secrets = self._auth.secrets if self._auth is not None else ()
        for secret in sorted(secrets, key=len, reverse=True):
            if len(secret) >= _MIN_SECRET_LENGTH:
                text = text.replace(secret, "<redacted>")
        return text

    def _excerpt(self, text: str) -> str:
        """The start of a body for an error message: whitespace collapsed, at most
        EXCERPT_LENGTH characters. Credentials go first, so that the cut cannot leave half of
        one."""
        text = " ".join(self._redact(text).split())
        return text if len(text) <= EXCERPT_LENGTH else text[: EXCERPT_LENGTH - 3] + "..."

    # -- retries ------------------------------------------------------------------------------

    def _retry_delay(self, retries_taken: int, response: httpx.Response | None) -> float | None:
        """Seconds to wait before the next attempt; None when the server asks for longer than
        MAX_RETRY_AFTER (then the error is raised instead)."""
        if response is not None:
            retry_after = _retry_after(response.headers)
            if retry_after is not None:
                return max(retry_after, 0.0) if retry_after <= MAX_RETRY_AFTER else None
        delay = min(INITIAL_RETRY_DELAY * 2.0**retries_taken, MAX_RETRY_DELAY)
        return delay * (1 - 0.25 * random.random())

    def _delay_after_error(
        self,
        request: httpx.Request,
        url: str,
        exc: httpx.TransportError,
        retries_taken: int,
        max_retries: int,
    ) -> float | None:
        """Seconds to wait before retrying after a transport error, None to give up."""
        if retries_taken >= max_retries or isinstance(exc, _PERMANENT_ERRORS):
            return None
        if request.method not in IDEMPOTENT_METHODS and not isinstance(exc, _NOT_SENT_ERRORS):
            return None  # it may have reached the server: repeating it could do it twice
        delay = self._retry_delay(retries_taken, None)
        if delay is not None:
            log.info(
                "Retrying %s %s in %.2f s after %s (retry %d of %d)",
                request.method,
                url,
                delay,
                type(exc).__name__,
                retries_taken + 1,
                max_retries,
            )
        return delay

    def _delay_after_response(
        self,
        request: httpx.Request,
        url: str,
        response: httpx.Response,
        retries_taken: int,
        max_retries: int,
    ) -> float | None:
        """Seconds to wait before retrying after an error status, None to give up."""
        status = response.status_code
        if retries_taken >= max_retries or status not in RETRY_STATUSES:
            return None
        if request.method not in IDEMPOTENT_METHODS and status not in NOT_ACTED_ON_STATUSES:
            return None  # the server may have acted on it: repeating it could do it twice
        delay = self._retry_delay(retries_taken, response)
        if delay is None:
            log.info(
                "Not retrying %s %s: the server asks to wait longer than %.0f s",
                request.method,
                url,
                MAX_RETRY_AFTER,
            )
        else:
            log.info(
                "Retrying %s %s in %.2f s after %d %s (retry %d of %d)",
                request.method,
                url,
                delay,
                status,
                response.reason_phrase,
                retries_taken + 1,
                max_retries,
            )
        return delay

    def _log_attempt(
        self,
        request: httpx.Request,
        url: str,
        outcome: str,
        attempt: int,
        max_retries: int,
        started: float,
    ) -> None:
        log.debug(
            "%s %s -> %s (attempt %d of %d, %.3f s)",
            request.method,
            url,
            outcome,
            attempt + 1,
            max_retries + 1,
            time.monotonic() - started,
        )

    # -- answers ------------------------------------------------------------------------------

    def _connection_error(
        self, request: httpx.Request, exc: httpx.TransportError
    ) -> APIConnectionError:
        detail = self._redact(str(exc)) or type(exc).__name__
        if isinstance(exc, httpx.TimeoutException):
            return APITimeoutError(request, f"Request timed out: {detail}")
        return APIConnectionError(request, f"Connection error: {detail}")

    def _make_status_error(self, response: httpx.Response) -> APIStatusError:
        """The typed error for a 4xx or 5xx response."""
        status = response.status_code
        error_class = status_error_class(status)
        body, is_json = _parse_body(response)
        code, message, error = _error_fields(self._error_type, body) if is_json else (None,) * 3
        if message:
            message = self._redact(message)
        elif response.content:
            # Not the API's error shape (a proxy's HTML page, a gateway's JSON): show the body.
            message = self._excerpt(response.text) or None
        message = message or f"{status} {response.reason_phrase}".strip()
        return error_class(
            message,
            response=response,
            body=body,
            code=self._redact(code) if code else None,
            error=error,
        )

    def _parse(self, endpoint: Endpoint[T], response: httpx.Response) -> T:
        """The value a method returns for a success response."""
        if endpoint.response_format == "text":
            return cast(T, response.text)
        if endpoint.response_format == "bytes":
            return cast(T, response.content)
        if endpoint.response_format == "none" or endpoint.response_type is None:
            return cast(T, None)
        try:
            body = response.json()
        except ValueError as exc:
            raise APIResponseValidationError(
                response, response.text, "the response is not JSON"
            ) from exc
        payload = body
        if endpoint.envelope is not None:
            payload = body.get(endpoint.envelope) if isinstance(body, dict) else None
        try:
            value = validate_response(endpoint.response_type, payload)
        except pydantic.ValidationError as exc:
            raise APIResponseValidationError(
                response, body, f"the response does not match the spec: {validation_problems(exc)}"
            ) from exc
        return cast(T, unwrap_root(value) if endpoint.unwrap_root else value)


class SyncAPIClient(BaseClient):
    def __init__(self, *, http_client: httpx.Client | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._owns_http = http_client is None
        self._http = http_client or httpx.Client(timeout=DEFAULT_TIMEOUT, follow_redirects=True)
        self._bind_resources()

    def request(
        self,
        endpoint: Endpoint[T],
        *,
        path_params: Mapping[str, object],
        query: Mapping[str, object],
        headers: Mapping[str, object],
        body: object,
        extra_headers: Headers | None,
        extra_query: Query | None,
        timeout: Timeout | NotGiven,
        extra_body: Body | None = None,
    ) -> T:
        """Send one operation's request; return what its method returns."""
        options = RequestOptions(
            endpoint,
            path_params,
            query,
            headers,
            body,
            extra_headers,
            extra_query,
            timeout,
            extra_body,
        )
        return self._request(options, lambda response: self._parse(endpoint, response))

    def request_page(
        self,
        endpoint: Endpoint[T],
        *,
        path_params: Mapping[str, object],
        query: Mapping[str, object],
        headers: Mapping[str, object],
        body: object,
        extra_headers: Headers | None,
        extra_query: Query | None,
        timeout: Timeout | NotGiven,
        extra_body: Body | None = None,
    ) -> SyncCursorPage[T]:
        """Send a paginated operation's request; return its first page."""
        return self._request_page(
            RequestOptions(
                endpoint,
                path_params,
                query,
                headers,
                body,
                extra_headers,
                extra_query,
                timeout,
                extra_body,
            )
        )

    def _request_page(self, options: RequestOptions) -> SyncCursorPage[Any]:
        return self._request(options, lambda response: SyncCursorPage(self, options, response))

    def _request(self, options: RequestOptions, parse: Callable[[httpx.Response], R]) -> R:
        response, retries_taken = self._send(options)
        raw = APIResponse(response, parser=lambda: parse(response), retries_taken=retries_taken)
        if raw_response_requested():
            return cast(R, raw)
        return raw.parse()

    def _send(self, options: RequestOptions) -> tuple[httpx.Response, int]:
        max_retries = self.max_retries
        retries_taken = 0
        while True:
            request = self._build_request(self._http, options)
            url = self._redact(str(request.url))  # before auth may add a key to it
            started = time.monotonic()
            try:
                response = self._http.send(request, auth=self._auth_for(options.endpoint))
            except httpx.TransportError as exc:
                self._log_attempt(
                    request, url, type(exc).__name__, retries_taken, max_retries, started
                )
                delay = self._delay_after_error(request, url, exc, retries_taken, max_retries)
                if delay is None:
                    raise self._connection_error(request, exc) from exc
            else:
                self._log_attempt(
                    request,
                    url,
                    f"{response.status_code} {response.reason_phrase}",
                    retries_taken,
                    max_retries,
                    started,
                )
                if not response.is_error:
                    return response, retries_taken
                delay = self._delay_after_response(
                    request, url, response, retries_taken, max_retries
                )
                if delay is None:
                    raise self._make_status_error(response)
                response.close()
            _sleep(delay)
            retries_taken += 1

    @property
    def is_closed(self) -> bool:
        return self._http.is_closed

    def close(self) -> None:
        """Close the connection pool (unless you passed your own http_client)."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncAPIClient(BaseClient):
    def __init__(self, *, http_client: httpx.AsyncClient | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._owns_http = http_client is None
        self._http = http_client or httpx.AsyncClient(
            timeout=DEFAULT_TIMEOUT, follow_redirects=True
        )
        self._bind_resources()

    async def request(
        self,
        endpoint: Endpoint[T],
        *,
        path_params: Mapping[str, object],
        query: Mapping[str, object],
        headers: Mapping[str, object],
        body: object,
        extra_headers: Headers | None,
        extra_query: Query | None,
        timeout: Timeout | NotGiven,
        extra_body: Body | None = None,
    ) -> T:
        """Send one operation's request; return what its method returns."""
        options = RequestOptions(
            endpoint,
            path_params,
            query,
            headers,
            body,
            extra_headers,
            extra_query,
            timeout,
            extra_body,
        )
        return await self._request(options, lambda response: self._parse(endpoint, response))

    def request_page(
        self,
        endpoint: Endpoint[T],
        *,
        path_params: Mapping[str, object],
        query: Mapping[str, object],
        headers: Mapping[str, object],
        body: object,
        extra_headers: Headers | None,
        extra_query: Query | None,
        timeout: Timeout | NotGiven,
        extra_body: Body | None = None,
    ) -> AsyncPaginator[T]:
        """A paginated operation: await the result for the first page, or `async for` over it."""
        return AsyncPaginator(
            self,
            RequestOptions(
                endpoint,
                path_params,
                query,
                headers,
                body,
                extra_headers,
                extra_query,
                timeout,
                extra_body,
            ),
        )

    async def _request_page(self, options: RequestOptions) -> AsyncCursorPage[Any]:
        return await self._request(
            options, lambda response: AsyncCursorPage(self, options, response)
        )

    async def _request(self, options: RequestOptions, parse: Callable[[httpx.Response], R]) -> R:
        response, retries_taken = await self._send(options)
        raw = APIResponse(response, parser=lambda: parse(response), retries_taken=retries_taken)
        if raw_response_requested():
            return cast(R, raw)
        return raw.parse()

    async def _send(self, options: RequestOptions) -> tuple[httpx.Response, int]:
        max_retries = self.max_retries
        retries_taken = 0
        while True:
            request = self._build_request(self._http, options)
            url = self._redact(str(request.url))  # before auth may add a key to it
            started = time.monotonic()
            try:
                response = await self._http.send(request, auth=self._auth_for(options.endpoint))
            except httpx.TransportError as exc:
                self._log_attempt(
                    request, url, type(exc).__name__, retries_taken, max_retries, started
                )
                delay = self._delay_after_error(request, url, exc, retries_taken, max_retries)
                if delay is None:
                    raise self._connection_error(request, exc) from exc
            else:
                self._log_attempt(
                    request,
                    url,
                    f"{response.status_code} {response.reason_phrase}",
                    retries_taken,
                    max_retries,
                    started,
                )
                if not response.is_error:
                    return response, retries_taken
                delay = self._delay_after_response(
                    request, url, response, retries_taken, max_retries
                )
                if delay is None:
                    raise self._make_status_error(response)
                await response.aclose()
            await _async_sleep(delay)
            retries_taken += 1

    @property
    def is_closed(self) -> bool:
        return self._http.is_closed

    async def close(self) -> None:
        """Close the connection pool (unless you passed your own http_client)."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()


class SyncAPIResource:
    def __init__(self, client: SyncAPIClient) -> None:
        self._client = client


class AsyncAPIResource:
    def __init__(self, client: AsyncAPIClient) -> None:
        self._client = client
