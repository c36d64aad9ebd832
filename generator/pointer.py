"""JSON pointers (RFC 6901): how every stage names a node of the document."""

from __future__ import annotations

from typing import Any


def escape_pointer_token(token: str | int) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def unescape_pointer_token(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def join_pointer(pointer: str, *tokens: str | int) -> str:
    for token in tokens:  # a loop, not a join: this runs for every node of a large spec
        pointer = f"{pointer}/{escape_pointer_token(token)}"
    return pointer


def split_pointer(pointer: str) -> list[str]:
    if pointer in ("", "/"):
        return [] if pointer == "" else [""]
    return [unescape_pointer_token(t) for t in pointer.lstrip("/").split("/")]


def resolve_pointer(data: Any, pointer: str) -> Any:
    """Follow a JSON pointer; raises KeyError when any step is missing."""
    node = data
    for token in split_pointer(pointer):
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise KeyError(token)
    return node
