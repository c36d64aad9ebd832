"""Auto-pagination for list operations the spec marks with ``x-pagination`` (cursor style).

A paginated method returns its first page. The page holds that page's ``items``, the
``next_cursor``, the ``cursor`` and ``limit`` it was asked with and the HTTP response; iterating
it yields every item of this page and of the pages after it, fetching each page only when the
previous one is used up::

    for connection in client.connections.list(limit=100):   # all of them, page by page
        ...
    page = client.connections.list(limit=100)               # just the first page
    page.items, page.next_cursor, page.has_next_page()

The async client's method returns an ``AsyncPaginator``: ``await`` it for the first page, or
``async for`` over it for every item.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Generator, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import httpx
import pydantic

from ._exceptions import APIResponseValidationError
from ._models import unwrap_root, validate_response, validation_problems
from ._types import NotGiven

if TYPE_CHECKING:
    from ._base_client import AsyncAPIClient, RequestOptions, SyncAPIClient

__all__ = ["AsyncCursorPage", "AsyncPaginator", "CursorPagination", "SyncCursorPage"]

T = TypeVar("T")

_MISSING = object()


@dataclass(frozen=True)
class CursorPagination:
    """What the spec's `x-pagination` says about one list operation."""

    cursor_param: str  # query parameter that asks for a page
    limit_param: str | None  # query parameter for the page size
    items: tuple[str, ...]  # path in the response body to the page's items
    next_cursor: tuple[str, ...]  # path in the response body to the next page's cursor
    item_type: Any  # what each item validates as
    unwrap_root: bool = False  # items are union root models: yield the member inside


def _dig(body: object, path: tuple[str, ...]) -> object:
    for key in path:
        if not isinstance(body, dict) or key not in body:
            return _MISSING
        body = body[key]
    return body


def _read_page(
    pagination: CursorPagination, response: httpx.Response
) -> tuple[object, list[Any], str | None]:
    try:
        body = response.json()
    except ValueError as exc:
        raise APIResponseValidationError(response, response.text, "the page is not JSON") from exc
    raw_items = _dig(body, pagination.items)
    if raw_items is _MISSING or raw_items is None:
        raw_items = []
    if not isinstance(raw_items, list):
        raise APIResponseValidationError(
            response, body, f"{'.'.join(pagination.items)} is not a list of items"
        )
    try:
        # one validation for the page (per item, the fixed cost is most of a small one);
        # `list[...]` of a value, spelt so that type checkers read it as an expression
        items = validate_response(list.__class_getitem__(pagination.item_type), raw_items)
    except pydantic.ValidationError as exc:
        raise APIResponseValidationError(
            response,
            body,
            f"an item of the page does not match the spec: {validation_problems(exc)}",
        ) from exc
    if pagination.unwrap_root:
        items = unwrap_root(items)
    next_cursor = _dig(body, pagination.next_cursor)
    cursor = None if next_cursor is _MISSING or next_cursor in (None, "") else str(next_cursor)
    return body, items, cursor


class _Page(Generic[T]):
    """What sync and async pages share: one page's items and where the next page is."""

    items: list[T]  # this page's items
    next_cursor: str | None  # the cursor of the next page; None on the last page
    body: object  # the whole response body, as JSON
    http_response: httpx.Response

    def __init__(self, options: RequestOptions, response: httpx.Response) -> None:
        pagination = options.endpoint.pagination
        assert pagination is not None, "a page of an operation without x-pagination"
        self._options = options
        self._pagination = pagination
        self.http_response = response
        self.body, self.items, self.next_cursor = _read_page(pagination, response)

    def _query_value(self, name: str | None) -> Any:
        if name is None:
            return None
        value = self._options.query.get(name)
        return None if value is None or isinstance(value, NotGiven) else value

    @property
    def cursor(self) -> str | None:
        """The cursor this page was asked for with (None for the first page)."""
        value = self._query_value(self._pagination.cursor_param)
        return None if value is None else str(value)

    @property
    def limit(self) -> int | None:
        """The page size asked for (None: the server's default)."""
        value = self._query_value(self._pagination.limit_param)
        return None if value is None else int(value)

    def has_next_page(self) -> bool:
        """Whether there is a page after this one. A page without items is the last one, and so
        is a page whose next cursor is the cursor that fetched it (a server stuck on a page)."""
        return bool(self.items) and self.next_cursor is not None and self.next_cursor != self.cursor

    def _next_options(self) -> RequestOptions:
        if not self.has_next_page():
            raise RuntimeError("this is the last page; check has_next_page() first")
        return self._options.with_query(self._pagination.cursor_param, self.next_cursor)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(items=<{len(self.items)} items>, "
            f"next_cursor={self.next_cursor!r})"
        )


class SyncCursorPage(_Page[T]):
    """One page of a list; iterating it walks this page and every page after it."""

    def __init__(
        self, client: SyncAPIClient, options: RequestOptions, response: httpx.Response
    ) -> None:
        super().__init__(options, response)
        self._client = client

    def get_next_page(self) -> SyncCursorPage[T]:
        """Fetch the next page (raises RuntimeError on the last page)."""
        return self._client._request_page(self._next_options())

    def iter_pages(self) -> Iterator[SyncCursorPage[T]]:
        """This page, then each following page, fetched as you go."""
        page = self
        while True:
            yield page
            if not page.has_next_page():
                return
            page = page.get_next_page()

    def __iter__(self) -> Iterator[T]:
        for page in self.iter_pages():
            yield from page.items


class AsyncCursorPage(_Page[T]):
    """One page of a list; `async for` over it walks this page and every page after it."""

    def __init__(
        self, client: AsyncAPIClient, options: RequestOptions, response: httpx.Response
    ) -> None:
        super().__init__(options, response)
        self._client = client

    async def get_next_page(self) -> AsyncCursorPage[T]:
        """Fetch the next page (raises RuntimeError on the last page)."""
        return await self._client._request_page(self._next_options())

    async def iter_pages(self) -> AsyncIterator[AsyncCursorPage[T]]:
        """This page, then each following page, fetched as you go."""
        page = self
        while True:
            yield page
            if not page.has_next_page():
                return
            page = await page.get_next_page()

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self.iter_pages():
            for item in page.items:
                yield item


class AsyncPaginator(Generic[T]):
    """What an async list method returns: ``await`` it for the first page, or ``async for``
    over it for every item of every page."""

    def __init__(self, client: AsyncAPIClient, options: RequestOptions) -> None:
        self._client = client
        self._options = options

    def __await__(self) -> Generator[Any, None, AsyncCursorPage[T]]:
        return self._client._request_page(self._options).__await__()

    async def __aiter__(self) -> AsyncIterator[T]:
        page: AsyncCursorPage[T] = await self
        async for item in page:
            yield item
