"""A 4xx or 5xx response raises the error class for its status, carrying the response, the
parsed body and the API's own error code and message."""

from __future__ import annotations

import json

import pytest

from tests.http_server import Reply, TestServer
from tests.runtime.conftest import FIVETRAN, STITCH, ApiCase, call_async

STATUS_CLASSES = [
    (400, "BadRequestError"),
    (401, "AuthenticationError"),
    (403, "PermissionDeniedError"),
    (404, "NotFoundError"),
    (409, "ConflictError"),
    (422, "UnprocessableEntityError"),
    (429, "RateLimitError"),
    (500, "InternalServerError"),
    (502, "InternalServerError"),
    (503, "InternalServerError"),
    (504, "InternalServerError"),
]


@pytest.mark.parametrize(("status", "class_name"), STATUS_CLASSES)
def test_each_error_status_raises_its_own_class(
    api: ApiCase, server: TestServer, status: int, class_name: str
) -> None:
    server.reply(Reply(status, api.error_body))
    with api.client(server, max_retries=0) as client, \
            pytest.raises(api.package.APIStatusError) as raised:
        api.get(client)
    error = raised.value
    assert type(error) is getattr(api.package, class_name)
    assert error.status_code == status
    assert error.response.status_code == status
    assert error.body == api.error_body


def test_a_status_without_its_own_class_raises_api_status_error(
    api: ApiCase, server: TestServer
) -> None:
    server.reply(Reply(418, api.error_body))
    with api.client(server) as client, pytest.raises(api.package.APIStatusError) as raised:
        api.get(client)
    assert type(raised.value) is api.package.APIStatusError
    assert raised.value.status_code == 418


@pytest.mark.parametrize("class_name", [name for _, name in STATUS_CLASSES])
def test_status_errors_derive_from_api_status_error_and_api_error(
    api: ApiCase, class_name: str
) -> None:
    error_class = getattr(api.package, class_name)
    assert issubclass(error_class, api.package.APIStatusError)
    assert issubclass(error_class, api.package.APIError)


def test_connection_and_timeout_errors_derive_from_api_error(api: ApiCase) -> None:
    assert issubclass(api.package.APITimeoutError, api.package.APIConnectionError)
    assert issubclass(api.package.APIConnectionError, api.package.APIError)
    assert issubclass(api.package.APIResponseValidationError, api.package.APIError)


def test_error_carries_the_apis_code_message_and_typed_body(
    api: ApiCase, server: TestServer
) -> None:
    server.reply(Reply(404, api.error_body))
    with api.client(server) as client, pytest.raises(api.package.NotFoundError) as raised:
        api.get(client)
    error = raised.value
    assert error.code == api.error_body["code"]
    assert error.message == api.error_body["message"]
    assert isinstance(error.error, api.package.models.Error)
    assert str(error) == f"404 Not Found [{api.error_body['code']}]: {api.error_body['message']}"


def test_stitch_plain_string_error_body_becomes_the_message(server: TestServer) -> None:
    # The spec's ErrorBody is `Error | string`: a JSON string is a valid error body.
    server.reply(Reply(400, b'"you are at your destination limit"',
                       headers={"Content-Type": "application/json"}))
    with STITCH.Stitch(access_token="t-123456", base_url=server.url) as client, \
            pytest.raises(STITCH.BadRequestError) as raised:
        client.destinations.list()
    assert raised.value.body == "you are at your destination limit"
    assert raised.value.message == "you are at your destination limit"
    assert raised.value.code is None


def test_non_json_error_body_is_kept_as_text(api: ApiCase, server: TestServer) -> None:
    server.reply(Reply(502, "upstream connect error", headers={"Content-Type": "text/plain"}))
    with api.client(server, max_retries=0) as client, \
            pytest.raises(api.package.InternalServerError) as raised:
        api.get(client)
    assert raised.value.body == "upstream connect error"
    assert raised.value.code is None
    assert str(raised.value) == "502 Bad Gateway: upstream connect error"


def test_html_error_page_is_kept_in_body_and_excerpted_in_the_message(
    api: ApiCase, server: TestServer
) -> None:
    page = "<html>\n  <body><h1>502 Bad Gateway</h1></body>\n</html>"
    server.reply(Reply(502, page, headers={"Content-Type": "text/html"}))
    with api.client(server, max_retries=0) as client, \
            pytest.raises(api.package.InternalServerError) as raised:
        api.get(client)
    assert raised.value.body == page
    assert raised.value.code is None
    assert str(raised.value) == \
        "502 Bad Gateway: <html> <body><h1>502 Bad Gateway</h1></body> </html>"


def test_a_gateways_json_error_is_excerpted_in_the_message(
    api: ApiCase, server: TestServer
) -> None:
    body = {"title": "Service Unavailable", "detail": "upstream timed out after 30 s"}
    server.reply(Reply(503, body))
    with api.client(server, max_retries=0) as client, \
            pytest.raises(api.package.InternalServerError) as raised:
        api.get(client)
    assert raised.value.body == body
    assert raised.value.code is None
    assert str(raised.value) == f"503 Service Unavailable: {json.dumps(body)}"


def test_async_client_excerpts_a_body_outside_the_error_schema(
    api: ApiCase, server: TestServer
) -> None:
    server.reply(Reply(502, "<html><title>bad gateway</title></html>",
                       headers={"Content-Type": "text/html"}))
    with pytest.raises(api.package.InternalServerError) as raised:
        call_async(api, server, api.get, max_retries=0)
    assert str(raised.value) == "502 Bad Gateway: <html><title>bad gateway</title></html>"


def test_a_long_error_body_is_cut_to_a_short_excerpt(api: ApiCase, server: TestServer) -> None:
    page = "<html><body>" + "proxy trouble " * 500 + "</body></html>"
    server.reply(Reply(502, page, headers={"Content-Type": "text/html"}))
    with api.client(server, max_retries=0) as client, \
            pytest.raises(api.package.InternalServerError) as raised:
        api.get(client)
    message = str(raised.value)
    assert message.startswith("502 Bad Gateway: <html><body>proxy trouble proxy trouble")
    assert message.endswith("...")
    assert len(message) <= len("502 Bad Gateway: ") + 200
    assert raised.value.body == page  # the whole body stays on the error


@pytest.mark.parametrize("offset", [10, 150, 190, 195])  # 190 and 195: across the cut
def test_an_excerpt_never_shows_a_credential_even_cut_in_two(
    api: ApiCase, server: TestServer, offset: int
) -> None:
    secret = api.secrets[-1]
    page = "<html>" + "x" * offset + secret + " echoed by a proxy " + "y" * 300 + "</html>"
    server.reply(Reply(502, page, headers={"Content-Type": "text/html"}))
    with api.client(server, max_retries=0) as client, \
            pytest.raises(api.package.InternalServerError) as raised:
        api.get(client)
    message = str(raised.value)
    assert message.startswith("502 Bad Gateway: <html>xxxxxxxxxx")
    assert secret[:4] not in message
    assert secret[-4:] not in message


def test_empty_error_body_gives_none_and_the_status_line(api: ApiCase, server: TestServer) -> None:
    server.reply(Reply(404))
    with api.client(server) as client, pytest.raises(api.package.NotFoundError) as raised:
        api.get(client)
    assert raised.value.body is None
    assert raised.value.code is None
    assert raised.value.message == "404 Not Found"
    assert str(raised.value) == "404 Not Found"


def test_json_error_body_outside_the_schema_is_kept_whole(server: TestServer) -> None:
    body = {"errors": [{"reason": "quota"}]}
    server.reply(Reply(403, body))
    with FIVETRAN.Fivetran(api_key="k-123456", api_secret="s-123456", base_url=server.url) \
            as client, pytest.raises(FIVETRAN.PermissionDeniedError) as raised:
        client.destinations.get(destination_id="d")
    assert raised.value.body == body
    assert raised.value.error is None
    assert raised.value.code is None
    assert str(raised.value) == '403 Forbidden: {"errors": [{"reason": "quota"}]}'


def test_async_client_raises_the_same_errors(api: ApiCase, server: TestServer) -> None:
    server.reply(Reply(404, api.error_body))
    with pytest.raises(api.package.NotFoundError) as raised:
        call_async(api, server, api.get)
    assert raised.value.code == api.error_body["code"]


def test_success_body_that_does_not_match_the_spec_raises_validation_error(
    api: ApiCase, server: TestServer
) -> None:
    server.reply(Reply(200, ["not", "the", "documented", "object"]))
    with api.client(server) as client, \
            pytest.raises(api.package.APIResponseValidationError) as raised:
        api.get(client)
    assert raised.value.status_code == 200
    assert raised.value.body == ["not", "the", "documented", "object"]


def test_success_body_that_is_not_json_raises_validation_error(
    api: ApiCase, server: TestServer
) -> None:
    server.reply(Reply(200, "<html>maintenance</html>", headers={"Content-Type": "text/html"}))
    with api.client(server) as client, \
            pytest.raises(api.package.APIResponseValidationError) as raised:
        api.get(client)
    assert raised.value.body == "<html>maintenance</html>"


def test_error_classes_report_the_package_as_their_module(api: ApiCase) -> None:
    assert api.package.NotFoundError.__module__ == api.package.__name__
    assert api.package.Client.__module__ == api.package.__name__
