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

A page whose body lacks the list of items the spec declares raises
``APIResponseValidationError`` naming that path: no page is read as empty by mistake. Each page
remembers the cursors followed to reach it; a next cursor among them (A -> B -> A) raises
``PaginationLoopError`` instead of fetching the same pages for ever.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Generator, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import httpx
import pydantic

from ._exceptions import APIResponseValidationError, PaginationLoopError
from ._models import resolved, unwrap_root, validate_response, validation_problems
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
    if not isinstance(raw_items, list):
        path = ".".join(pagination.items)
        if raw_items is _MISSING:
            problem = f"the page has no {path} (its list of items)"
        else:
            found = "null" if raw_items is None else type(raw_items).__name__
            problem = f"the page's {path} is {found}, not a list of items"
        raise APIResponseValidationError(response, body, problem)
    try:
        # one validation for the page (per item, the fixed cost is most of a small one);
        # `list[...]` of a value, spelt so that type checkers read it as an expression
        items = validate_response(list.__class_getitem__(resolved(pagination.item_type)), raw_items)
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
        # The cursors followed to reach this page; the next page adds its own. A frozenset per
        # page (not one shared set) so that asking a page for its next page twice is no loop.
        cursor = self.cursor
        self._followed: frozenset[str] = frozenset() if cursor is None else frozenset({cursor})

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
        """Whether the server names a page after this one. A page without items is the last
        one. Fetching a next page whose cursor was followed before raises PaginationLoopError."""
        return bool(self.items) and self.next_cursor is not None

    def _next_options(self) -> RequestOptions:
        if not self.has_next_page():
            raise RuntimeError("this is the last page; check has_next_page() first")
        assert self.next_cursor is not None
        if self.next_cursor in self._followed:
            raise PaginationLoopError(self.http_response, self.body, self.next_cursor)
        return self._options.with_query(self._pagination.cursor_param, self.next_cursor)

    def _remember_path(self, page: _Page[Any]) -> None:
        """`page`, fetched with this page's next cursor, also remembers the cursors before it."""
        page._followed = self._followed | page._followed

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
        """Fetch the next page (raises RuntimeError on the last page, PaginationLoopError when
        its cursor was followed before)."""
        page: SyncCursorPage[T] = self._client._request_page(self._next_options())
        self._remember_path(page)
        return page

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
        """Fetch the next page (raises RuntimeError on the last page, PaginationLoopError when
        its cursor was followed before)."""
        page: AsyncCursorPage[T] = await self._client._request_page(self._next_options())
        self._remember_path(page)
        return page

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
