"""The request path every resource shares: build the request, send it, parse the answer."""

from __future__ import annotations

import functools
import json
from urllib.parse import quote
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import httpx
import pydantic
from pydantic import BaseModel, RootModel, SecretBytes, SecretStr
from pydantic_core import to_jsonable_python

from ._exceptions import (
    STATUS_ERRORS,
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    InternalServerError,
)
from ._types import Headers, NotGiven, Query, Timeout

T = TypeVar("T")

DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=5.0)
DEFAULT_MAX_RETRIES = 2


@dataclass(frozen=True)
class Endpoint(Generic[T]):
    """What the spec says about one operation; the generated modules declare one each."""

    method: str
    path: str  # template, e.g. /v1/destinations/{destination_id}
    response_type: Any  # the type the body (or its envelope payload) validates as
    envelope: str | None = None  # property of the body that holds the payload
    unwrap_root: bool = False  # return a root model's value (a union member), not the wrapper
    body_encoding: str = "json"  # json, form or bytes
    content_type: str | None = None
    authenticated: bool = True


@functools.lru_cache(maxsize=None)
def _adapter(tp: Any) -> pydantic.TypeAdapter[Any]:
    return pydantic.TypeAdapter(tp)


def _reveal(value: Any) -> Any:
    """Secrets are masked when models dump themselves; the wire needs their value."""
    if isinstance(value, SecretStr | SecretBytes):
        return value.get_secret_value()
    if isinstance(value, dict):
        return {k: _reveal(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_reveal(v) for v in value]
    return value


def to_wire(value: Any) -> Any:
    """A request body or parameter as JSON-compatible data; unset model fields are left out."""
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="python", by_alias=True, exclude_unset=True)
    return to_jsonable_python(_reveal(value))


def _parse_body(response: httpx.Response) -> object:
    if not response.content:
        return None
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return response.text


class BaseClient:
    def __init__(
        self,
        *,
        base_url: str,
        auth: httpx.Auth | None,
        timeout: Timeout | NotGiven,
        max_retries: int,
        default_headers: Headers | None,
        error_type: Any = None,
    ) -> None:
        self.base_url = httpx.URL(base_url.rstrip("/") + "/")
        self.timeout: Timeout = DEFAULT_TIMEOUT if isinstance(timeout, NotGiven) else timeout
        self.max_retries = max_retries
        self._auth = auth
        self._default_headers = dict(default_headers or {})
        self._error_type = error_type

    def _build_request(
        self,
        http: httpx.Client | httpx.AsyncClient,
        endpoint: Endpoint[Any],
        *,
        path_params: Mapping[str, object],
        query: Mapping[str, object],
        headers: Mapping[str, object],
        body: object,
        extra_headers: Headers | None,
        extra_query: Query | None,
        timeout: Timeout | NotGiven,
    ) -> httpx.Request:
        path = endpoint.path
        for name, value in path_params.items():
            path = path.replace("{" + name + "}", quote(str(to_wire(value)), safe=""))
        params = {k: to_wire(v) for k, v in query.items() if not isinstance(v, NotGiven)}
        params.update(extra_query or {})
        request_headers = {**self._default_headers}
        request_headers.update(
            {k: str(to_wire(v)) for k, v in headers.items() if not isinstance(v, NotGiven)}
        )
        request_headers.update(extra_headers or {})
        content: dict[str, Any] = {}
        if not isinstance(body, NotGiven):
            if endpoint.body_encoding == "json":
                content["json"] = to_wire(body)
            elif endpoint.body_encoding == "form":
                content["data"] = to_wire(body)
            else:
                content["content"] = body
            if endpoint.content_type and endpoint.body_encoding != "form":
                request_headers.setdefault("Content-Type", endpoint.content_type)
        effective_timeout = self.timeout if isinstance(timeout, NotGiven) else timeout
        return http.build_request(
            endpoint.method,
            self.base_url.join(path.lstrip("/")),
            params={k: v for k, v in params.items() if v is not None},
            headers=request_headers,
            timeout=effective_timeout,
            **content,
        )

    def _process_response(self, endpoint: Endpoint[T], response: httpx.Response) -> T:
        if response.is_error:
            raise self._make_status_error(response)
        if endpoint.response_type is None:
            return None  # type: ignore[return-value]
        body = _parse_body(response)
        payload = body
        if endpoint.envelope is not None:
            payload = body.get(endpoint.envelope) if isinstance(body, dict) else None
        try:
            value = _adapter(endpoint.response_type).validate_python(payload)
        except pydantic.ValidationError as exc:
            raise APIResponseValidationError(
                response, body, f"the response does not match the spec: {exc}"
            ) from exc
        while endpoint.unwrap_root and isinstance(value, RootModel):
            value = value.root
        return value  # type: ignore[no-any-return]

    def _make_status_error(self, response: httpx.Response) -> APIStatusError:
        body = _parse_body(response)
        error_class = STATUS_ERRORS.get(response.status_code)
        if error_class is None:
            error_class = InternalServerError if response.status_code >= 500 else APIStatusError
        code: str | None = None
        error: Any = None
        message = f"{response.status_code} {response.reason_phrase}"
        if self._error_type is not None and isinstance(body, dict):
            try:
                error = _adapter(self._error_type).validate_python(body)
            except pydantic.ValidationError:
                error = None
            if error is not None:
                code = str(getattr(error, "code", None) or "") or None
                api_message = getattr(error, "message", None)
                if api_message:
                    message = f"{message}: {api_message}"
        return error_class(message, response=response, body=body, code=code, error=error)


class SyncAPIClient(BaseClient):
    def __init__(self, *, http_client: httpx.Client | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._owns_http = http_client is None
        self._http = http_client or httpx.Client()

    def request(self, endpoint: Endpoint[T], *, path_params: Mapping[str, object],
                query: Mapping[str, object], headers: Mapping[str, object], body: object,
                extra_headers: Headers | None, extra_query: Query | None,
                timeout: Timeout | NotGiven) -> T:
        request = self._build_request(
            self._http, endpoint, path_params=path_params, query=query, headers=headers,
            body=body, extra_headers=extra_headers, extra_query=extra_query, timeout=timeout,
        )
        try:
            response = self._http.send(request, auth=self._auth if endpoint.authenticated else None)
        except httpx.TimeoutException as exc:
            raise APITimeoutError(request) from exc
        except httpx.TransportError as exc:
            raise APIConnectionError(request) from exc
        return self._process_response(endpoint, response)

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def __enter__(self: _SyncClientT) -> _SyncClientT:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncAPIClient(BaseClient):
    def __init__(self, *, http_client: httpx.AsyncClient | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._owns_http = http_client is None
        self._http = http_client or httpx.AsyncClient()

    async def request(self, endpoint: Endpoint[T], *, path_params: Mapping[str, object],
                      query: Mapping[str, object], headers: Mapping[str, object], body: object,
                      extra_headers: Headers | None, extra_query: Query | None,
                      timeout: Timeout | NotGiven) -> T:
        request = self._build_request(
            self._http, endpoint, path_params=path_params, query=query, headers=headers,
            body=body, extra_headers=extra_headers, extra_query=extra_query, timeout=timeout,
        )
        try:
            response = await self._http.send(
                request, auth=self._auth if endpoint.authenticated else None
            )
        except httpx.TimeoutException as exc:
            raise APITimeoutError(request) from exc
        except httpx.TransportError as exc:
            raise APIConnectionError(request) from exc
        return self._process_response(endpoint, response)

    async def close(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self: _AsyncClientT) -> _AsyncClientT:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()


_SyncClientT = TypeVar("_SyncClientT", bound=SyncAPIClient)
_AsyncClientT = TypeVar("_AsyncClientT", bound=AsyncAPIClient)


class SyncAPIResource:
    def __init__(self, client: SyncAPIClient) -> None:
        self._client = client


class AsyncAPIResource:
    def __init__(self, client: AsyncAPIClient) -> None:
        self._client = client
