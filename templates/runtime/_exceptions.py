"""The errors a client raises. Every one derives from ``APIError``, except
``MissingCredentialsError``, which a client raises when it is built, before any request."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:  # only annotations name it: the generator reads this module without httpx
    import httpx

__all__ = [
    "STATUS_ERRORS",
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "MissingCredentialsError",
    "NotFoundError",
    "PaginationLoopError",
    "PermissionDeniedError",
    "RateLimitError",
    "UnprocessableEntityError",
    "status_error_class",
]


class APIError(Exception):
    """Base of every error a request can raise."""

    message: str
    request: httpx.Request

    def __init__(self, message: str, request: httpx.Request) -> None:
        super().__init__(message)
        self.message = message
        self.request = request


class APIConnectionError(APIError):
    """The request got no response: refused connection, DNS failure, TLS error, broken pipe."""

    def __init__(self, request: httpx.Request, message: str = "Connection error.") -> None:
        super().__init__(message, request)


class APITimeoutError(APIConnectionError):
    """The request timed out (connecting, writing, waiting for the response or for a
    connection from the pool)."""

    def __init__(self, request: httpx.Request, message: str = "Request timed out.") -> None:
        super().__init__(request, message)


class APIResponseValidationError(APIError):
    """The server answered with a success status, but with a body that does not match the spec."""

    response: httpx.Response
    status_code: int
    body: object

    def __init__(self, response: httpx.Response, body: object, message: str) -> None:
        super().__init__(message, response.request)
        self.response = response
        self.status_code = response.status_code
        self.body = body


class PaginationLoopError(APIResponseValidationError):
    """Walking the pages of a list, the server sent back a cursor that was already followed
    (A -> B -> A): following it would fetch the same pages for ever. ``cursor`` is that cursor;
    ``response`` and ``body`` are the page that sent it."""

    cursor: str

    def __init__(self, response: httpx.Response, body: object, cursor: str) -> None:
        super().__init__(
            response,
            body,
            f"the server sent the cursor {cursor!r} again: it was followed before, so the pages "
            "would repeat for ever",
        )
        self.cursor = cursor


class APIStatusError(APIError):
    """The server answered with a 4xx or 5xx status.

    ``code`` and ``message`` are the API's own when the body follows the spec's error schema.
    When the body says no message (a proxy's HTML page, a gateway's ``{title, detail}``),
    ``message`` is an excerpt of it (whitespace collapsed, at most 200 characters, credentials
    redacted), and the status line when the body is empty. ``error`` is the body as the typed
    error model; ``body`` is the parsed JSON body, the text when it is not JSON, and None when it
    is empty.
    """

    status_code: int
    response: httpx.Response
    body: object
    code: str | None
    error: Any

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        body: object,
        code: str | None = None,
        error: Any = None,
    ) -> None:
        super().__init__(message, response.request)
        self.response = response
        self.status_code = response.status_code
        self.body = body
        self.code = code
        self.error = error

    def __str__(self) -> str:
        status = f"{self.status_code} {self.response.reason_phrase}".strip()
        code = f" [{self.code}]" if self.code else ""
        detail = f": {self.message}" if self.message and self.message != status else ""
        return f"{status}{code}{detail}"


class BadRequestError(APIStatusError):
    status_code: Literal[400] = 400


class AuthenticationError(APIStatusError):
    status_code: Literal[401] = 401


class PermissionDeniedError(APIStatusError):
    status_code: Literal[403] = 403


class NotFoundError(APIStatusError):
    status_code: Literal[404] = 404


class ConflictError(APIStatusError):
    status_code: Literal[409] = 409


class UnprocessableEntityError(APIStatusError):
    status_code: Literal[422] = 422


class RateLimitError(APIStatusError):
    status_code: Literal[429] = 429


class InternalServerError(APIStatusError):
    """Any 5xx status."""


STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def status_error_class(status: int) -> type[APIStatusError]:
    """The error a response of this 4xx or 5xx status raises."""
    error_class = STATUS_ERRORS.get(status)
    if error_class is None:
        error_class = InternalServerError if status >= 500 else APIStatusError
    return error_class


class MissingCredentialsError(ValueError):
    """The client was built without a credential the API requires (argument or environment)."""
