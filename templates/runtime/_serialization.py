"""How query parameters and form bodies go on the wire: OpenAPI's `style` and `explode` for query
parameters, and its Encoding Object for `application/x-www-form-urlencoded` and
`multipart/form-data` request bodies.

A query string follows the serialization table of OpenAPI 3.1 ("Style Examples" of the Parameter
Object) byte for byte: names and values are percent-encoded except for RFC 3986's unreserved
characters, and each style's delimiters are written as the table writes them (`,` as it is;
space, `|`, `[` and `]` as `%20`, `%7C`, `%5B` and `%5D`), so a delimiter never collides with
the same character inside a value. A form body is written the same way, with `+` for a space
inside a name or value, as form encoding spells it. Multipart parts hold names and values as
they are.

- `form`, explode: `color=blue&color=black`; an object's keys become names: `R=100&G=200`
- `form`, no explode: `color=blue,black`; an object as `color=R,100,G,200`
- `spaceDelimited` / `pipeDelimited` (no explode): `color=blue%20black` / `color=blue%7Cblack`;
  with explode (undefined in OpenAPI) as `form` with explode
- `deepObject`: `color%5BR%5D=100`, nested objects one bracket deeper and array items by index
  (`items%5B0%5D%5Bprice%5D=p`), as payments APIs read it
- a primitive is `color=blue` in every style; an empty array or object sends nothing

A body property whose Encoding Object sets no `style` (or that the spec gives no Encoding Object)
is written by its content: an object as compact JSON, bytes as a file part (multipart), anything
else as text; each item of an array as its own field or part under the property's name.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import quote, quote_plus

from ._models import to_wire, to_wire_with_bytes
from ._types import NotGiven

__all__ = [
    "BY_CONTENT",
    "Encoding",
    "MultipartField",
    "encode_form",
    "encode_query",
    "multipart_fields",
    "simple_text",
]

Style = Literal["form", "spaceDelimited", "pipeDelimited", "deepObject"]
# httpx's `files` item: (name, (file name or None for a plain field, content, Content-Type))
MultipartField = tuple[str, tuple[str | None, str | bytes, str | None]]


@dataclass(frozen=True)
class Encoding:
    """How one query parameter, or one property of a form or multipart body, is written.

    `style` None (body properties only) writes the value by its content (see the module
    docstring); `content_type` is then the Content-Type the spec sets for it.
    """

    style: Style | None = "form"
    explode: bool = True
    content_type: str | None = None


BY_CONTENT = Encoding(None)  # a body property the spec gives no style


@dataclass(frozen=True)
class _Syntax:
    escape: Callable[[str], str]
    separators: Mapping[str, str]  # between the items of a non-exploded value, by style
    open: str  # the brackets of deepObject names
    close: str


def _quote(text: str) -> str:
    return quote(text, safe="")


def _quote_form(text: str) -> str:
    return quote_plus(text, safe="")


def _as_is(text: str) -> str:
    return text


_QUERY = _Syntax(
    _quote, {"form": ",", "spaceDelimited": "%20", "pipeDelimited": "%7C"}, "%5B", "%5D"
)
_FORM = _Syntax(
    _quote_form, {"form": ",", "spaceDelimited": "%20", "pipeDelimited": "%7C"}, "%5B", "%5D"
)
_PARTS = _Syntax(_as_is, {"form": ",", "spaceDelimited": " ", "pipeDelimited": "|"}, "[", "]")


def _json(value: object) -> str:
    return json.dumps(to_wire(value), separators=(",", ":"), ensure_ascii=False)


def _scalar(value: object) -> str:
    """One value as text: booleans as JSON spells them, null as empty, a nested array or object
    (which no style but deepObject can spell) as JSON."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return str(value)
    return _json(value)


def simple_text(value: object) -> str:
    """A path or header value in OpenAPI's `simple` style (explode false): `blue,black,brown`,
    an object as `R,100,G,200`. `value` is wire data (see to_wire)."""
    if isinstance(value, list):
        return ",".join(_scalar(item) for item in value)
    if isinstance(value, dict):
        return ",".join(f"{key},{_scalar(item)}" for key, item in value.items())
    return _scalar(value)


def _deep(name: str, value: object, syntax: _Syntax) -> Iterator[tuple[str, str]]:
    """deepObject pairs; `name` is escaped already."""
    items: Iterable[tuple[object, object]]
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        yield name, syntax.escape(_scalar(value))
        return
    for key, item in items:
        yield from _deep(
            f"{name}{syntax.open}{syntax.escape(str(key))}{syntax.close}", item, syntax
        )


def _pairs(
    name: str, value: object, encoding: Encoding, syntax: _Syntax
) -> Iterator[tuple[str, str]]:
    """The escaped (name, value) pairs of one parameter or property in `encoding`'s style;
    `value` is wire data."""
    escape = syntax.escape
    style = encoding.style or "form"
    if style == "deepObject" and isinstance(value, list | dict):
        yield from _deep(escape(name), value, syntax)
        return
    # spaceDelimited and pipeDelimited with explode are undefined: they are sent as form's
    explode = encoding.explode
    separator = syntax.separators.get(style, ",")
    if isinstance(value, list):
        if not value:
            return
        if explode:
            for item in value:
                yield escape(name), escape(_scalar(item))
        else:
            yield escape(name), separator.join(escape(_scalar(item)) for item in value)
    elif isinstance(value, dict):
        if not value:
            return
        if explode:
            for key, item in value.items():
                yield escape(str(key)), escape(_scalar(item))
        else:
            yield escape(name), separator.join(
                f"{escape(str(key))}{separator}{escape(_scalar(item))}"
                for key, item in value.items()
            )
    else:
        yield escape(name), escape(_scalar(value))


def encode_query(
    query: Mapping[str, object],
    encodings: Mapping[str, Encoding],
    extra_query: Mapping[str, Any] | None,
) -> str:
    """The query string (without `?`) of the operation's parameters, each in its style, then
    `extra_query` (form style; it replaces a parameter of the same name). A parameter that is
    None or not given is left out."""
    extra = extra_query or {}
    pairs: list[tuple[str, str]] = []
    for name, value in query.items():
        if value is None or isinstance(value, NotGiven) or name in extra:
            continue
        pairs.extend(_pairs(name, to_wire(value), encodings.get(name, Encoding()), _QUERY))
    for name, value in extra.items():
        pairs.extend(_pairs(name, to_wire(value), Encoding(), _QUERY))
    return "&".join(f"{name}={value}" for name, value in pairs)


def _is_json(content_type: str | None) -> bool:
    media = (content_type or "").split(";")[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


def _fields(body: object, wire: Callable[[Any], Any]) -> dict[str, Any]:
    fields = wire(body)
    if not isinstance(fields, dict):
        raise TypeError(
            f"a form body must be an object (a model or a dict), not {type(body).__name__}"
        )
    return fields


def _content_text(value: object, content_type: str | None) -> str:
    """A form field written by its content: JSON for an object or when the spec asks for JSON,
    else text."""
    if _is_json(content_type) or isinstance(value, dict | list):
        return _json(value)
    return _scalar(value)


def encode_form(body: object, encodings: Mapping[str, Encoding]) -> bytes:
    """An `application/x-www-form-urlencoded` body: each property of `body` by its Encoding."""
    pairs: list[tuple[str, str]] = []
    for name, value in _fields(body, to_wire).items():
        encoding = encodings.get(name, BY_CONTENT)
        if encoding.style is not None:
            pairs.extend(_pairs(name, value, encoding, _FORM))
            continue
        for item in value if isinstance(value, list) else [value]:
            pairs.append(
                (_quote_form(name), _quote_form(_content_text(item, encoding.content_type)))
            )
    return "&".join(f"{name}={value}" for name, value in pairs).encode("ascii")


def multipart_fields(body: object, encodings: Mapping[str, Encoding]) -> list[MultipartField]:
    """The parts of a `multipart/form-data` body (httpx's `files`), in property order: bytes as
    a file part named after its property, an object as an `application/json` part, anything
    else as a text part; a property the spec gives a style as the text parts of its pairs."""
    parts: list[MultipartField] = []
    for name, value in _fields(body, to_wire_with_bytes).items():
        encoding = encodings.get(name, BY_CONTENT)
        if encoding.style is not None:
            parts.extend(
                (part_name, (None, text, None))
                for part_name, text in _pairs(name, to_wire(value), encoding, _PARTS)
            )
            continue
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, bytes):
                parts.append(
                    (name, (name, item, encoding.content_type or "application/octet-stream"))
                )
            elif isinstance(item, dict | list) or _is_json(encoding.content_type):
                parts.append(
                    (name, (None, _json(item), encoding.content_type or "application/json"))
                )
            else:
                parts.append((name, (None, _scalar(item), encoding.content_type)))
    return parts
