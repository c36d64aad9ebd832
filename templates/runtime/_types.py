"""Small types shared by the client and its resources."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, Literal, TypeAlias

import httpx

__all__ = ["NOT_GIVEN", "Body", "Headers", "NotGiven", "Query", "Timeout"]


class NotGiven:
    """The value of an argument the caller did not pass.

    It differs from an explicit ``None``: an argument left at ``NOT_GIVEN`` is not sent at all,
    while ``None`` is sent (as JSON ``null``) where the spec allows it.
    """

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:  # noqa: PYI034 (the one instance, not a new one)
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()

Headers: TypeAlias = Mapping[str, str]
Query: TypeAlias = Mapping[str, Any]
Body: TypeAlias = Mapping[str, object]  # fields added to a JSON body (`extra_body`)
Timeout: TypeAlias = float | httpx.Timeout | None
