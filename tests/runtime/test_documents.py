"""The vendor documents' own examples, driven through the generated clients: the request each
document shows is what the client sends (method, path, headers, JSON body), and each response
it shows comes back as the typed payload, unchanged.

The bodies are in tests/fixtures/documents/*.json; the request lines and headers are the ones the
documents print (000-002: `POST /v1/... HTTP/1.1`, `Accept: application/json;version=2`,
`Authorization: Basic ...`, `Content-Type: application/json`; 004 builds its URLs from the
Connect API reference: bearer token, `/v4/...`)."""

from __future__ import annotations

import base64
import functools
import json
import sys
import typing
from pathlib import Path
from types import ModuleType
from typing import Any

import pydantic
import pytest
from clientgen.ir import Api, Operation
from clientgen.load import load_spec
from clientgen.pipeline import build_api

from tests.conftest import ROOT
from tests.http_server import Reply, TestServer
from tests.runtime.conftest import FIVETRAN, STITCH

DOCUMENTS = Path(__file__).resolve().parent.parent / "fixtures" / "documents"
PACKAGES = {"fivetran.yaml": FIVETRAN, "stitch.yaml": STITCH}
CREDENTIALS = {
    "fivetran.yaml": {"api_key": "doc-api-key", "api_secret": "doc-api-secret"},
    "stitch.yaml": {"access_token": "doc-access-token"},
}
AUTHORIZATION = {
    "fivetran.yaml": "Basic " + base64.b64encode(b"doc-api-key:doc-api-secret").decode(),
    "stitch.yaml": "Bearer doc-access-token",
}
# What each document shows for an operation: the request line, headers, and path arguments.
FIVETRAN_HEADERS = {"accept": "application/json;version=2", "content-type": "application/json"}
REQUESTS: dict[str, tuple[str, str, dict[str, str], dict[str, Any]]] = {
    "fivetran.yaml:create_destination": ("POST", "/v1/destinations", FIVETRAN_HEADERS, {}),
    "fivetran.yaml:create_connection": ("POST", "/v1/connections", FIVETRAN_HEADERS, {}),
    "stitch.yaml:get_destination_type": ("GET", "/v4/destination-types/postgres", {},
                                         {"destination_type": "postgres"}),
    "stitch.yaml:create_destination": ("POST", "/v4/destinations",
                                       {"content-type": "application/json"}, {}),
    "stitch.yaml:list_destinations": ("GET", "/v4/destinations", {}, {}),
}


def _bodies(kind: str) -> list[Any]:
    cases = []
    for path in sorted(DOCUMENTS.glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        for index, body in enumerate(document["bodies"]):
            if body["kind"] == kind:
                cases.append(pytest.param(document, body,
                                          id=f"{path.stem[:3]}-{body['operationId']}-{index}"))
    return cases


def _function(package: ModuleType, operation_id: str) -> Any:
    for module_name in vars(package.resources):
        module = getattr(package.resources, module_name)
        if isinstance(module, ModuleType) and operation_id in getattr(module, "__all__", ()):
            return getattr(module, operation_id)
    raise AssertionError(f"no function for {operation_id}")


def _request_body(document: dict[str, Any], operation_id: str) -> dict[str, Any]:
    """The document's request body for `operation_id` as the method's arguments: the whole
    body as `body`, built as the typed model the method takes, or an object body's properties
    as keyword arguments (named as the method names them); {} when it takes no body."""
    package = PACKAGES[document["spec"]]
    function = _function(package, operation_id)
    examples = [b["body"] for b in document["bodies"]
                if b["operationId"] == operation_id and b["kind"] == "request"]
    if not examples:
        return {}
    (example,) = examples
    hints = typing.get_type_hints(function, vars(sys.modules[function.__module__]))
    if "body" in hints:
        return {"body": pydantic.TypeAdapter(hints["body"]).validate_python(example)}
    operation = _operation(document["spec"], operation_id)
    assert operation.body is not None and operation.body.keyword_fields
    names = {field.key: field.name for field in operation.body.properties}
    return {names[key]: value for key, value in example.items()}


@functools.cache
def _api(spec: str) -> Api:
    return build_api(load_spec(ROOT / "specs" / spec))[0]


def _operation(spec: str, operation_id: str) -> Operation:
    (operation,) = [op for op in _api(spec).operations if op.function_name == operation_id]
    return operation


def _call(document: dict[str, Any], operation_id: str, server: TestServer) -> Any:
    spec = document["spec"]
    package = PACKAGES[spec]
    *_, arguments = REQUESTS[f"{spec}:{operation_id}"]
    arguments = {**arguments, **_request_body(document, operation_id)}
    with package.Client(**CREDENTIALS[spec], base_url=server.url) as client:
        return _function(package, operation_id)(client, **arguments)


@pytest.mark.parametrize(("document", "example"), _bodies("request"))
def test_client_sends_the_request_the_document_shows(
    document: dict[str, Any], example: dict[str, Any], server: TestServer
) -> None:
    spec, operation_id = document["spec"], example["operationId"]
    responses = [b for b in document["bodies"]
                 if b["operationId"] == operation_id and b["kind"] == "response"]
    server.reply(Reply(int(responses[0]["status"]), responses[0]["body"]))
    _call(document, operation_id, server)
    method, path, headers, _ = REQUESTS[f"{spec}:{operation_id}"]
    (request,) = server.requests
    assert (request.method, request.path, request.query) == (method, path, {})
    assert request.headers["authorization"] == AUTHORIZATION[spec]
    for name, value in headers.items():
        assert request.headers[name] == value
    assert request.json() == example["body"]


@pytest.mark.parametrize(("document", "example"), _bodies("response"))
def test_client_returns_the_response_the_document_shows_as_typed_payload(
    document: dict[str, Any], example: dict[str, Any], server: TestServer
) -> None:
    spec, operation_id = document["spec"], example["operationId"]
    package = PACKAGES[spec]
    server.reply(Reply(int(example["status"]), example["body"]))
    result = _call(document, operation_id, server)
    method, path, *_ = REQUESTS[f"{spec}:{operation_id}"]
    assert (server.requests[0].method, server.requests[0].path) == (method, path)
    envelope = spec == "fivetran.yaml"
    expected = example["body"]["data"] if envelope else example["body"]
    items = result if isinstance(result, list) else [result]
    for item in items:  # the typed model itself, not the union wrapper around it
        assert isinstance(item, pydantic.BaseModel)
        assert not isinstance(item, pydantic.RootModel)
    assert package._models.to_wire(result) == expected
