"""A spec's size costs time in proportion: no quadratic step a big spec can turn into minutes."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from clientgen import model_library
from clientgen.cli import main
from datamodel_code_generator.reference import EnumFieldNameResolver


@pytest.mark.slow
def test_validating_an_enum_of_20000_values_takes_seconds_not_minutes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    values = [f"value_{n}" for n in range(20_000)] + ["value_7"]  # and one repeat
    spec = {
        "openapi": "3.1.0", "info": {"title": "Big", "version": "1"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": {"/things": {"get": {"operationId": "getThing", "responses": {"200": {
            "description": "OK", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Thing"}}}}}}}},
        "components": {"schemas": {"Thing": {"type": "string", "enum": values}}},
    }
    (tmp_path / "big.json").write_text(json.dumps(spec), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    started = time.process_time()  # this process's CPU: other tests' load does not count
    assert main(["validate", "big.json"]) == 0
    assert time.process_time() - started < 5  # 11 s, growing with the square, before
    stderr = capsys.readouterr().err
    assert "enum value 'value_7' is listed twice" in stderr
    assert stderr.count("listed twice") == 1


@pytest.mark.parametrize("values", [
    ["mro", "mro_", "MRO", "a b", "a_b", "a-b", "class", "1", "_private", "", "#", "ü", "名前"],
    ["x", "x", "x_", "x__"],
])
def test_enum_member_names_are_the_libraries_own(values: list[str]) -> None:
    resolver = EnumFieldNameResolver()
    names: dict[str, list[str]] = {"library": [], "linear": []}
    for kind, function in (("library", model_library.library_enum_member_name),
                           ("linear", EnumFieldNameResolver.get_valid_name)):
        excludes: set[str] = set()
        for value in values:
            name = function(resolver, value, excludes=excludes)
            excludes.add(name)
            names[kind].append(name)
    assert names["linear"] == names["library"]
    assert EnumFieldNameResolver.get_valid_name is not model_library.library_enum_member_name
