"""The vendor documents, as fixtures, checked against the specs transcribed from them.

Each tests/fixtures/documents/<seed>.json holds one source document's JSON bodies (placeholders
resolved) and an inventory of every field and enum value the document shows, by the component
schema where it belongs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SPECS
from tests.specs.spec_support import (
    allowed_values,
    body_schema_pointer,
    fixture_paths,
    load_fixture,
    load_spec,
    schema_errors,
    schema_properties,
)

FIXTURES = fixture_paths()


def test_there_are_document_fixtures() -> None:
    assert FIXTURES, "no tests/fixtures/documents/*.json found"


@pytest.mark.parametrize("fixture_path", FIXTURES, ids=lambda p: p.stem)
def test_fixture_is_well_formed(fixture_path: Path) -> None:
    fixture = load_fixture(fixture_path)
    assert set(fixture) == {"document", "spec", "notes", "bodies", "inventory"}
    assert Path(fixture["document"]).stem == fixture_path.stem
    assert (SPECS / fixture["spec"]).is_file(), f"spec {fixture['spec']} not found"
    assert fixture["bodies"] or fixture["inventory"], "the fixture records nothing"
    for body in fixture["bodies"]:
        assert body["kind"] in ("request", "response"), body
        assert ("status" in body) == (body["kind"] == "response"), body
    for entry in fixture["inventory"]:
        assert set(entry) <= {"schema", "fields", "enums"}, entry
        assert set(entry.get("enums", {})) <= set(entry["fields"]), entry


@pytest.mark.parametrize("fixture_path", FIXTURES, ids=lambda p: p.stem)
def test_document_bodies_match_the_spec(fixture_path: Path) -> None:
    fixture = load_fixture(fixture_path)
    spec = load_spec(SPECS / fixture["spec"])
    failures = []
    for body in fixture["bodies"]:
        label = f"{body['operationId']} {body['kind']} {body.get('status', '')}".strip()
        schema_pointer = body_schema_pointer(
            spec, body["operationId"], body["kind"], body.get("status")
        )
        failures += [
            f"{label}: {error}"
            for error in schema_errors(spec, schema_pointer, body["body"])
        ]
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("fixture_path", FIXTURES, ids=lambda p: p.stem)
def test_document_fields_and_enum_values_are_in_the_spec(fixture_path: Path) -> None:
    fixture = load_fixture(fixture_path)
    spec = load_spec(SPECS / fixture["spec"])
    schemas = spec.get("components", {}).get("schemas", {})
    missing = []
    for entry in fixture["inventory"]:
        name = entry["schema"]
        if name not in schemas:
            missing.append(f"schema {name}")
            continue
        properties = schema_properties(spec, schemas[name])
        missing += [
            f"{name}.{field}" for field in entry["fields"] if field not in properties
        ]
        for field, values in entry.get("enums", {}).items():
            if field not in properties:
                continue  # already reported as a missing field
            allowed = allowed_values(spec, properties[field])
            if allowed is None:
                missing.append(f"{name}.{field}: no enum or const")
                continue
            missing += [
                f"{name}.{field} = {value!r}"
                for value in values
                if value not in allowed
            ]
    assert not missing, "missing from the spec:\n" + "\n".join(missing)
