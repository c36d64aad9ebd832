"""A spec's size costs time in proportion: no quadratic step a big spec can turn into minutes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from clientgen import model_library
from clientgen.cli import main
from clientgen.load import Document, LoadedSpec
from clientgen.validate import validate
from datamodel_code_generator.reference import EnumFieldNameResolver


class _Counted(str):
    """An enum value that counts how often it is compared for equality."""

    comparisons = 0

    def __eq__(self, other: object) -> bool:
        _Counted.comparisons += 1
        return str.__eq__(self, other)

    __hash__ = str.__hash__


def _enum_spec(values: list[Any]) -> dict[str, Any]:
    return {
        "openapi": "3.1.0", "info": {"title": "Big", "version": "1"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": {"/things": {"get": {"operationId": "getThing", "responses": {"200": {
            "description": "OK", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Thing"}}}}}}}},
        "components": {"schemas": {"Thing": {"type": "string", "enum": values}}},
    }


def test_the_repeat_check_of_an_enum_compares_each_value_about_once() -> None:
    """A 20,000-value enum took 11 s when every value was compared with those before it:
    counted, the check is linear (a pairwise one makes 200 million comparisons)."""
    values = [_Counted(f"value_{n}") for n in range(20_000)] + [_Counted("value_7")]
    spec = _enum_spec(values)
    document = Document(Path("big.json"), "big.json", json.dumps(spec), spec)
    _Counted.comparisons = 0
    diagnostics = validate(LoadedSpec(data=spec, root=document))
    assert _Counted.comparisons < 3 * len(values)
    repeats = [d.message for d in diagnostics.items if "listed twice" in d.message]
    assert repeats == ["enum value 'value_7' is listed twice"]


@pytest.mark.slow
def test_validating_an_enum_of_20000_values_reports_the_one_repeat(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    values = [f"value_{n}" for n in range(20_000)] + ["value_7"]  # and one repeat
    (tmp_path / "big.json").write_text(json.dumps(_enum_spec(values)), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "big.json"]) == 0
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
