"""The errors a client raises. Every one derives from ``APIError``."""

from __future__ import annotations

from typing import Any

import httpx


class APIError(Exception):
    """Base of every error the client raises."""

    message: str
    request: httpx.Request

    def __init__(self, message: str, request: httpx.Request) -> None:
        super().__init__(message)
        self.message = message
        self.request = request


class APIConnectionError(APIError):
    """The request never got a response: DNS, refused connection, TLS, broken pipe."""

    def __init__(self, request: httpx.Request, message: str = "Connection error.") -> None:
        super().__init__(message, request)


class APITimeoutError(APIConnectionError):
    def __init__(self, request: httpx.Request) -> None:
        super().__init__(request, "Request timed out.")


class APIResponseValidationError(APIError):
    """The server answered with a success status but a body that does not match the spec."""

    def __init__(self, response: httpx.Response, body: object, message: str) -> None:
        super().__init__(message, response.request)
        self.response = response
        self.status_code = response.status_code
        self.body = body


class APIStatusError(APIError):
    """The server answered with a 4xx or 5xx status."""

    status_code: int
    response: httpx.Response
    body: object  # the parsed JSON body, the text when it is not JSON, None when empty
    code: str | None  # the API's own error code, when the body follows its error schema
    error: Any  # the body parsed as the API's error model, when it fits

    def __init__(self, message: str, *, response: httpx.Response, body: object,
                 code: str | None = None, error: Any = None) -> None:
        super().__init__(message, response.request)
        self.response = response
        self.status_code = response.status_code
        self.body = body
        self.code = code
        self.error = error


class BadRequestError(APIStatusError):
    pass


class AuthenticationError(APIStatusError):
    pass


class PermissionDeniedError(APIStatusError):
    pass


class NotFoundError(APIStatusError):
    pass


class ConflictError(APIStatusError):
    pass


class UnprocessableEntityError(APIStatusError):
    pass


class RateLimitError(APIStatusError):
    pass


class InternalServerError(APIStatusError):
    pass


STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


class MissingCredentialsError(ValueError):
    """The client was built without a credential the API requires."""
