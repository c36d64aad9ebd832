"""Operation docstrings: summary, wrapped description, Args (with enum values, defaults and
deprecation), Returns and Raises (the error classes the declared responses raise), no line
over 100 characters, and the same text on the function, the method and their async twins."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import GENERATED, GENERATED_PACKAGES
from tests.generator.test_functional import _json, _spec

_LONG = ("Lists the animals of a zone, the ones that sleep and the ones that do not, in the order "
         "the keepers registered them, which is not the order of their names.")

DOCS_SPEC = _spec({
    "/zones/{zone_id}/animals": {
        "get": {
            "operationId": "listAnimals",
            "tags": ["animals"],
            "summary": "List animals",
            "description": _LONG + "\n\n- first item of a list\n- second item",
            "parameters": [
                {"name": "zone_id", "in": "path", "required": True,
                 "description": "The zone.", "schema": {"type": "string"}},
                {"name": "kind", "in": "query", "description": "The kind of animal.",
                 "schema": {"type": "string", "enum": ["lion", "zebra"]}},
                {"name": "limit", "in": "query", "schema": {"type": "integer", "default": 20}},
                {"name": "legacy", "in": "query", "deprecated": True,
                 "description": "Use kind.", "schema": {"type": "string"}},
            ],
            "responses": {
                "200": _json({"type": "array", "items": {"type": "string"}},
                             "The animals of the zone."),
                "404": {"description": "No such zone."},
                "429": {"description": "Slow down."},
                "503": {"description": "Keepers asleep."},
                "4XX": {"description": "Another client error."},
            },
        },
        "post": {
            "operationId": "createAnimal", "tags": ["animals"], "summary": "Add an animal",
            "parameters": [{"name": "zone_id", "in": "path", "required": True,
                            "schema": {"type": "string"}}],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["name"], "properties": {
                    "name": {"type": "string", "description": "Its name."},
                    "diet": {"type": "string", "enum": ["meat", "grass"], "default": "grass"},
                    "cage": {"type": "string", "deprecated": True}}}}}},
            "responses": {"204": {"description": "Added."}},
        },
    },
})


@pytest.fixture(scope="module")
def animals(generate_once: Any) -> Any:
    return generate_once(DOCS_SPEC, "docs_client").resources.AnimalsResource


def test_the_docstring_has_summary_description_args_returns_and_raises(animals: Any) -> None:
    assert inspect.getdoc(animals.list) == """\
List animals

Lists the animals of a zone, the ones that sleep and the ones that do not, in the order the
keepers registered them, which is not the order of their names.

- first item of a list
- second item

Args:
    zone_id: The zone.
    kind: The kind of animal. One of "lion", "zebra".
    limit: The `limit` query parameter. Defaults to 20 (the server's default when left out).
    legacy: Use kind. Deprecated.

Returns:
    The animals of the zone.

Raises:
    NotFoundError: 404: No such zone.
    RateLimitError: 429: Slow down.
    InternalServerError: 503: Keepers asleep.
    APIStatusError: 4XX: Another client error."""


def test_function_method_and_async_twins_share_one_docstring(animals: Any) -> None:
    module = inspect.getmodule(animals)
    docs = {inspect.getdoc(f) for f in (animals.list, module.AsyncAnimalsResource.list,
                                        module.list_animals, module.list_animals_async)}
    assert len(docs) == 1


def _docstring_lines(path: Path) -> list[tuple[int, str]]:
    """The source lines that hold docstrings (module, class, function), with their numbers."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    lines = path.read_text(encoding="utf-8").splitlines()
    found = []
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) and \
                isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
            expr = body[0]
            assert expr.end_lineno is not None
            found += [(n, lines[n - 1]) for n in range(expr.lineno, expr.end_lineno + 1)]
    return found


@pytest.mark.parametrize("package", GENERATED_PACKAGES)
def test_no_docstring_line_of_a_resource_is_over_100_characters(package: str) -> None:
    resources = GENERATED / package / package / "resources"
    checked = 0
    for path in sorted(resources.glob("*.py")):
        for number, line in _docstring_lines(path):
            checked += 1
            assert len(line) <= 100, f"{path.name}:{number}: {line}"
    assert checked > 100


def test_body_fields_are_documented_as_arguments(animals: Any) -> None:
    doc = inspect.getdoc(animals.create)
    assert """\
Args:
    zone_id: The `zone_id` path parameter.
    name: Its name.
    diet: The body's `diet`. One of "meat", "grass". Defaults to "grass" (the server's
        default when left out).
    cage: The body's `cage`. Deprecated.
    extra_body: Fields to add to the body that the spec does not declare (they are not
        validated).

Returns:
    None.
""" in doc + "\n"
