"""Checks every curated spec in specs/ must pass, whatever its vendor."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openapi_spec_validator import validate
from ruamel.yaml import YAML

from tests.specs.spec_support import iter_examples, load_spec, schema_errors, spec_paths

SPEC_PATHS = spec_paths()


def test_there_are_specs_to_check() -> None:
    assert SPEC_PATHS, "no specs/*.yaml found"


@pytest.mark.parametrize("spec_path", SPEC_PATHS, ids=lambda p: p.name)
def test_spec_is_a_valid_openapi_document(spec_path: Path) -> None:
    validate(load_spec(spec_path))


@pytest.mark.parametrize("spec_path", SPEC_PATHS, ids=lambda p: p.name)
def test_spec_round_trips_through_ruamel(spec_path: Path) -> None:
    # The round-trip loader (the one an editing tool uses) rejects duplicate keys, and what it
    # writes back reads as the same data.
    text = spec_path.read_text(encoding="utf-8")
    yaml = YAML()
    document = yaml.load(text)
    written = io.StringIO()
    yaml.dump(document, written)
    assert YAML(typ="safe", pure=True).load(written.getvalue()) == load_spec(spec_path)


@pytest.mark.parametrize("spec_path", SPEC_PATHS, ids=lambda p: p.name)
def test_every_example_matches_its_schema(spec_path: Path) -> None:
    spec = load_spec(spec_path)
    examples = list(iter_examples(spec))
    assert examples, f"{spec_path.name} has no examples"
    failures = [
        f"{where}: {error}"
        for where, schema_pointer, value in examples
        for error in schema_errors(spec, schema_pointer, value)
    ]
    assert not failures, "\n".join(failures)


# The checker itself, on a small spec: it must find every kind of example and reject bad ones.

_TINY_SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/things/{id}": {
            "parameters": [
                {
                    "name": "id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "integer"},
                    "example": "not-an-integer",
                }
            ],
            "post": {
                "requestBody": {
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/Thing"},
                            "examples": {
                                "bad": {"value": {"size": "big"}},
                                "good": {"value": {"size": 3}},
                            },
                        }
                    }
                },
                "responses": {
                    "200": {
                        "description": "ok",
                        "headers": {
                            "X-N": {"schema": {"type": "integer"}, "example": 1.5}
                        },
                    }
                },
            },
        },
    },
    "components": {
        "schemas": {
            "Thing": {
                "type": "object",
                "properties": {
                    "size": {"type": "integer", "examples": [2, "two"]},
                    "when": {
                        "type": "string",
                        "format": "date-time",
                        "example": "yesterday",
                    },
                },
            }
        }
    },
}


def test_example_checker_finds_and_rejects_bad_examples() -> None:
    results = {
        where: schema_errors(_TINY_SPEC, schema_pointer, value)
        for where, schema_pointer, value in iter_examples(_TINY_SPEC)
    }
    failing = {where for where, errors in results.items() if errors}
    assert failing == {
        "/components/schemas/Thing/properties/size/examples/1",
        "/components/schemas/Thing/properties/when/example",
        "/paths/~1things~1%7Bid%7D/parameters/0/example",
        "/paths/~1things~1%7Bid%7D/post/requestBody/content/application~1json/examples/bad/value",
        "/paths/~1things~1%7Bid%7D/post/responses/200/headers/X-N/example",
    }
    assert len(results) == 7  # the two good examples are found too
