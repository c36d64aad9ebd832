"""What goes on the wire for OpenAPI's parameter styles and form encodings, checked byte for byte
on a real server: the serialization table of OpenAPI 3.1 ("Style Examples" of the Parameter
Object), and a Stripe-shaped payments API (tests/fixtures/payments.yaml) whose form bodies and
query parameters use `deepObject`, a multipart upload, and basic auth with an empty password."""

from __future__ import annotations

import asyncio
import base64
import email.parser
import email.policy
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.http_server import Reply, TestServer

PAYMENTS_SPEC = ROOT / "tests" / "fixtures" / "payments.yaml"

# The values of the table: `color` as an empty string, a string, an array and an object.
COLOR: dict[str, Any] = {
    "empty": "",
    "string": "blue",
    "array": ["blue", "black", "brown"],
    "object": {"R": 100, "G": 200, "B": 150},
}

# OpenAPI 3.1 (3.1.0, with 3.1.1's corrections: the `color=` of the delimited styles and the
# percent-encoded `|`, `[` and `]`), Parameter Object, "Style Examples": the query rows.
# Combinations the table marks n/a are left out.
QUERY_STYLE_EXAMPLES: list[tuple[str, bool, str, str]] = [
    ("form", False, "empty", "color="),
    ("form", False, "string", "color=blue"),
    ("form", False, "array", "color=blue,black,brown"),
    ("form", False, "object", "color=R,100,G,200,B,150"),
    ("form", True, "empty", "color="),
    ("form", True, "string", "color=blue"),
    ("form", True, "array", "color=blue&color=black&color=brown"),
    ("form", True, "object", "R=100&G=200&B=150"),
    ("spaceDelimited", False, "array", "color=blue%20black%20brown"),
    ("spaceDelimited", False, "object", "color=R%20100%20G%20200%20B%20150"),
    ("pipeDelimited", False, "array", "color=blue%7Cblack%7Cbrown"),
    ("pipeDelimited", False, "object", "color=R%7C100%7CG%7C200%7CB%7C150"),
    ("deepObject", True, "object", "color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150"),
]

# The same table's `simple` rows (explode false), for a header parameter.
HEADER_STYLE_EXAMPLES: list[tuple[str, str]] = [
    ("string", "blue"),
    ("array", "blue,black,brown"),
    ("object", "R,100,G,200,B,150"),
]


def _operation_id(style: str, explode: bool) -> str:
    return f"{style}{'Explode' if explode else 'Flat'}"


def _styles_spec() -> dict[str, Any]:
    """One operation per (style, explode) of the table, each with a query parameter `color`
    of any type, and one with a `simple` header parameter."""
    paths: dict[str, Any] = {}
    for style, explode in sorted({(s, e) for s, e, _, _ in QUERY_STYLE_EXAMPLES}):
        paths[f"/{style}/{str(explode).lower()}"] = {"get": {
            "operationId": _operation_id(style, explode), "tags": ["styles"],
            "parameters": [{"name": "color", "in": "query", "required": True, "style": style,
                            "explode": explode, "schema": {}}],
            "responses": {"204": {"description": "done"}},
        }}
    paths["/header"] = {"get": {
        "operationId": "simpleHeader", "tags": ["styles"],
        "parameters": [{"name": "X-Color", "in": "header", "required": True, "schema": {}}],
        "responses": {"204": {"description": "done"}},
    }}
    return {"openapi": "3.1.0", "info": {"title": "Styles", "version": "1"}, "paths": paths}


@pytest.fixture
def styles(generate_once: Any) -> Any:
    return generate_once(_styles_spec(), "runtime_styles_client")


@pytest.fixture
def payments(generate_once: Any) -> Any:
    return generate_once(PAYMENTS_SPEC, "runtime_payments_client")


def _method(client: Any, style: str, explode: bool) -> Any:
    from clientgen.naming import function_name

    return getattr(client.styles, function_name(_operation_id(style, explode)))


@pytest.mark.parametrize(("style", "explode", "column", "wire"), QUERY_STYLE_EXAMPLES,
                         ids=[f"{s}-{e}-{c}" for s, e, c, _ in QUERY_STYLE_EXAMPLES])
def test_query_parameter_is_written_as_the_openapi_style_table_shows(
    styles: Any, server: TestServer, style: str, explode: bool, column: str, wire: str
) -> None:
    server.reply(Reply(204))
    with styles.Client(base_url=server.url) as client:
        _method(client, style, explode)(color=COLOR[column])
    assert server.requests[0].raw_query == wire


@pytest.mark.parametrize(("column", "wire"), HEADER_STYLE_EXAMPLES,
                         ids=[c for c, _ in HEADER_STYLE_EXAMPLES])
def test_header_parameter_is_written_in_the_simple_style(
    styles: Any, server: TestServer, column: str, wire: str
) -> None:
    server.reply(Reply(204))
    with styles.Client(base_url=server.url) as client:
        client.styles.simple_header(x_color=COLOR[column])
    assert server.requests[0].headers["x-color"] == wire


def test_async_client_writes_the_same_query(styles: Any, server: TestServer) -> None:
    server.reply(Reply(204))

    async def main() -> None:
        async with styles.AsyncClient(base_url=server.url) as client:
            await client.styles.deep_object_explode(color=COLOR["object"])

    asyncio.run(main())
    assert server.requests[0].raw_query == "color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150"


def test_delimiters_inside_values_are_percent_encoded(styles: Any, server: TestServer) -> None:
    server.reply(Reply(204), Reply(204))
    with styles.Client(base_url=server.url) as client:
        client.styles.form_flat(color=["a,b", "c d"])
        client.styles.deep_object_explode(color={"a[b]": "x&y=z"})
    assert [r.raw_query for r in server.requests] == [
        "color=a%2Cb,c%20d",
        "color%5Ba%5Bb%5D%5D=x%26y%3Dz",
    ]


def test_extra_query_replaces_a_parameter_of_the_same_name(
    styles: Any, server: TestServer
) -> None:
    server.reply(Reply(204))
    with styles.Client(base_url=server.url) as client:
        client.styles.form_flat(color=["a", "b"], extra_query={"color": "c", "page": 2})
    assert server.requests[0].raw_query == "color=c&page=2"


# -- the payments API ---------------------------------------------------------------------

CUSTOMER = {"id": "cus_1", "name": "Jane Doe"}


def test_form_body_writes_objects_maps_and_arrays_as_deep_objects(
    payments: Any, server: TestServer
) -> None:
    models = payments.models
    server.reply(Reply(200, CUSTOMER))
    with payments.Client(api_key="sk_test_123", password="", base_url=server.url) as client:
        customer = client.customers.create(body=models.CreateCustomerRequest(
            name="Jane Doe",
            address=models.Address(line1="1 Rue de Rivoli", city="Paris"),
            metadata={"order_id": "6735", "note": "a&b"},
            preferred_locales=["fr", "en"],
            tax_id_data=[models.TaxId(type="eu_vat", value="FR123")],
            preferences=models.CreateCustomerRequestPreferences(theme="dark"),
        ))
    assert customer.id == "cus_1"
    request = server.requests[0]
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert request.body == (
        b"name=Jane+Doe"
        b"&address%5Bline1%5D=1+Rue+de+Rivoli&address%5Bcity%5D=Paris"
        b"&metadata%5Border_id%5D=6735&metadata%5Bnote%5D=a%26b"
        b"&preferred_locales%5B0%5D=fr&preferred_locales%5B1%5D=en"
        b"&tax_id_data%5B0%5D%5Btype%5D=eu_vat&tax_id_data%5B0%5D%5Bvalue%5D=FR123"
        # no Encoding Object: an object is written as JSON
        b"&preferences=%7B%22theme%22%3A%22dark%22%7D"
    )
    # what a server reading the form sees
    assert request.form()["address[city]"] == ["Paris"]
    assert request.form()["metadata[note]"] == ["a&b"]
    assert request.form()["tax_id_data[0][value]"] == ["FR123"]


def test_deep_object_query_parameters(payments: Any, server: TestServer) -> None:
    server.reply(Reply(200, {"data": [CUSTOMER]}))
    with payments.Client(api_key="sk_test_123", password="", base_url=server.url) as client:
        page = client.customers.list(created=payments.models.RangeQuery(gt=1700000000, lte=1800000000),
                                     expand=["data.default_source"], email="j@example.com")
    assert page.data[0].id == "cus_1"
    assert server.requests[0].raw_query == (
        "created%5Bgt%5D=1700000000&created%5Blte%5D=1800000000"
        "&expand%5B0%5D=data.default_source&email=j%40example.com"
    )


def _multipart(content_type: str, body: bytes) -> list[Any]:
    """The parts of a multipart body, read with the standard library's MIME parser."""
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body
    )
    return list(message.iter_parts())  # type: ignore[attr-defined]


def test_multipart_body_sends_bytes_as_a_file_and_objects_as_json(
    payments: Any, server: TestServer
) -> None:
    models = payments.models
    server.reply(Reply(200, {"id": "file_1", "purpose": "identity_document"}))
    with payments.Client(api_key="sk_test_123", password="", base_url=server.url) as client:
        created = client.files.create(body=models.CreateFileRequest(
            file=b"\x89PNG\r\n\x00\xff",
            purpose="identity_document",
            file_link_data=models.CreateFileRequestFileLinkData(create=True),
            metadata={"kind": "passport"},
        ))
    assert created.id == "file_1"
    request = server.requests[0]
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    parts = _multipart(request.headers["content-type"], request.body)
    assert [(p.get_param("name", header="content-disposition"), p.get_filename(),
             p.get_content_type() if p.get("content-type") else None,
             p.get_payload(decode=True)) for p in parts] == [
        ("file", "file", "image/png", b"\x89PNG\r\n\x00\xff"),
        ("purpose", None, None, b"identity_document"),
        ("file_link_data", None, "application/json", b'{"create":true}'),
        ("metadata[kind]", None, None, b"passport"),
    ]


def test_basic_auth_with_an_empty_password_sends_the_key_as_user_name(
    payments: Any, server: TestServer
) -> None:
    server.reply(Reply(200, {"data": []}))
    with payments.Client(api_key="sk_test_123", password="", base_url=server.url) as client:
        client.customers.list()
    expected = base64.b64encode(b"sk_test_123:").decode()
    assert server.requests[0].headers["authorization"] == f"Basic {expected}"


def test_an_empty_password_from_the_environment_is_a_value(
    payments: Any, server: TestServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAYMENTS_API_KEY", "sk_test_456")
    monkeypatch.setenv("PAYMENTS_PASSWORD", "")
    server.reply(Reply(200, {"data": []}))
    with payments.Client(base_url=server.url) as client:
        client.customers.list()
    expected = base64.b64encode(b"sk_test_456:").decode()
    assert server.requests[0].headers["authorization"] == f"Basic {expected}"


def test_an_absent_password_is_still_missing(
    payments: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PAYMENTS_PASSWORD", raising=False)
    with pytest.raises(payments.MissingCredentialsError, match="PAYMENTS_PASSWORD"):
        payments.Client(api_key="sk_test_123", base_url="http://127.0.0.1:1")
