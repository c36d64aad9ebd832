"""Raw responses: ``client.with_raw_response.<resource>.<method>(...)`` returns an ``APIResponse``
(status, headers, the whole body) whose ``parse()`` gives what the plain method returns."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any, Generic, ParamSpec, TypeVar, cast

import httpx

__all__ = [
    "APIResponse",
    "async_to_raw_response_wrapper",
    "raw_response_requested",
    "to_raw_response_wrapper",
]

T = TypeVar("T")
R = TypeVar("R")
P = ParamSpec("P")

_raw_response: ContextVar[bool] = ContextVar("raw_response", default=False)


def raw_response_requested() -> bool:
    """True while a `with_raw_response` method runs: the client returns an APIResponse."""
    return _raw_response.get()


class APIResponse(Generic[T]):
    """One HTTP response, before parsing."""

    def __init__(
        self, http_response: httpx.Response, *, parser: Callable[[], T], retries_taken: int
    ) -> None:
        self.http_response = http_response
        self.retries_taken = retries_taken
        self._parser = parser
        self._parsed: list[T] = []

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def http_request(self) -> httpx.Request:
        return self.http_response.request

    @property
    def method(self) -> str:
        return self.http_response.request.method

    @property
    def url(self) -> httpx.URL:
        return self.http_response.url

    @property
    def elapsed(self) -> datetime.timedelta:
        return self.http_response.elapsed

    @property
    def content(self) -> bytes:
        return self.http_response.content

    @property
    def text(self) -> str:
        return self.http_response.text

    def json(self) -> Any:
        """The whole body as JSON, envelope included."""
        return self.http_response.json()

    def parse(self) -> T:
        """What the method returns without `with_raw_response` (parsed once, then cached)."""
        if not self._parsed:
            self._parsed.append(self._parser())
        return self._parsed[0]

    def __repr__(self) -> str:
        return (
            f"<APIResponse [{self.status_code} {self.http_response.reason_phrase}] "
            f"{self.method} {self.url.copy_with(query=None)}>"
        )


def to_raw_response_wrapper(func: Callable[P, R]) -> Callable[P, APIResponse[R]]:
    """`func` with the same arguments, returning the APIResponse instead of the parsed value."""

    @functools.wraps(func)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> APIResponse[R]:
        token = _raw_response.set(True)
        try:
            return cast(APIResponse[R], func(*args, **kwargs))
        finally:
            _raw_response.reset(token)

    return wrapped


def async_to_raw_response_wrapper(
    func: Callable[P, Awaitable[R]],
) -> Callable[P, Awaitable[APIResponse[R]]]:
    """The async twin of `to_raw_response_wrapper`."""

    @functools.wraps(func)
    async def wrapped(*args: P.args, **kwargs: P.kwargs) -> APIResponse[R]:
        token = _raw_response.set(True)
        try:
            return cast(APIResponse[R], await func(*args, **kwargs))
        finally:
            _raw_response.reset(token)

    return wrapped
