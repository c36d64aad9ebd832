"""Credentials: where they come from (argument or environment) and how a request carries them.

Each auth object keeps its credentials in a ``_Secret`` (its ``repr`` and ``vars`` show none
of them) and lists them in ``secrets`` so the client can strip them from error messages and
logs.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Callable, Generator
from typing import Literal
from urllib.parse import quote

import httpx

from ._exceptions import MissingCredentialsError

__all__ = [
    "APIKeyAuth",
    "BasicAuth",
    "BearerAuth",
    "CredentialAuth",
    "MissingCredentials",
    "credential",
    "optional_credentials",
]


def credential(value: str | None, *, argument: str, env_var: str, client_name: str) -> str:
    """The credential passed as `argument`, else the one in `env_var`; raises
    MissingCredentialsError when neither is set. An empty string is a value, not a missing
    credential: HTTP basic auth with an API key as user name has an empty password."""
    if value is None:
        value = os.environ.get(env_var)
    if value is None:
        raise MissingCredentialsError(
            f"{client_name} needs `{argument}`: pass {argument}=... or set the environment "
            f"variable {env_var}"
        )
    return value


class _Secret:
    """A credential whose ``repr`` and ``str`` do not show it, like pydantic's ``SecretStr``
    (not used here: importing it imports most of pydantic, which making a client does not
    need)."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def get_secret_value(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')"

    __str__ = __repr__


class CredentialAuth(httpx.Auth):
    """An httpx auth that knows which of the strings it sends are secret."""

    _secrets: tuple[_Secret, ...] = ()

    @property
    def secrets(self) -> tuple[str, ...]:
        """The secret strings this auth sends, to strip them from messages and logs."""
        return tuple(secret.get_secret_value() for secret in self._secrets)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(<redacted>)"


class BasicAuth(CredentialAuth):
    """HTTP basic authentication: ``Authorization: Basic base64(username:password)``."""

    def __init__(self, username: str, password: str) -> None:
        token = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
        self._token = _Secret(token)
        self._secrets = (_Secret(username), _Secret(password), self._token)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Basic {self._token.get_secret_value()}"
        yield request


class BearerAuth(CredentialAuth):
    """A bearer token: ``Authorization: Bearer <token>``."""

    def __init__(self, token: str) -> None:
        self._token = _Secret(token)
        self._secrets = (self._token,)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self._token.get_secret_value()}"
        yield request


class APIKeyAuth(CredentialAuth):
    """An API key in a header, a query parameter or a cookie."""

    def __init__(
        self, key: str, *, location: Literal["header", "query", "cookie"], name: str
    ) -> None:
        self._key = _Secret(key)
        self._location = location
        self._name = name
        self._secrets = (self._key,)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        key = self._key.get_secret_value()
        if self._location == "header":
            request.headers[self._name] = key
        elif self._location == "query":
            # appended as it is: merging params would re-encode the query the client wrote
            pair = f"{quote(self._name, safe='')}={quote(key, safe='')}".encode("ascii")
            query = request.url.query
            request.url = request.url.copy_with(query=query + b"&" + pair if query else pair)
        else:
            cookie = f"{self._name}={key}"
            existing = request.headers.get("Cookie")
            request.headers["Cookie"] = f"{existing}; {cookie}" if existing else cookie
        yield request


class MissingCredentials(CredentialAuth):
    """Stands in for credentials that were not given, where the API has operations that need
    none: those work, and an operation that needs them raises MissingCredentialsError before
    anything is sent, instead of a 401 from the server."""

    def __init__(self, error: MissingCredentialsError) -> None:
        self._error = error

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        raise MissingCredentialsError(str(self._error))
        yield request  # pragma: no cover - makes this a generator, as httpx expects

    def __repr__(self) -> str:
        return "MissingCredentials()"


def optional_credentials(build: Callable[[], CredentialAuth | None]) -> CredentialAuth | None:
    """The auth `build` makes, or a MissingCredentials stand-in when a credential is missing."""
    try:
        return build()
    except MissingCredentialsError as missing:
        return MissingCredentials(missing)
