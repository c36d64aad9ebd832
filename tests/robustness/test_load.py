"""Loading: huge files are refused before parsing, positions survive `$ref`s into other files,
and YAML and JSON read the same."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from generator import load
from generator.cli import main
from generator.diagnostics import SpecError
from generator.load import load_spec

MB = 1000 * 1000


def _fifty_megabytes(path: Path) -> Path:
    line = b"# a comment line that pads the file to a size no spec should have......\n"
    with path.open("wb") as handle:
        handle.write(b"openapi: 3.1.0\n")
        handle.write(line * (50 * MB // len(line) + 1))
    return path


def test_a_50_mb_file_is_refused_before_it_is_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _fifty_megabytes(tmp_path / "huge.yaml")

    def no_parsing(*args: object) -> None:
        raise AssertionError("the size check must come before parsing")

    monkeypatch.setattr(load, "_parse_yaml", no_parsing)
    monkeypatch.setattr(load.Path, "read_bytes", no_parsing)
    monkeypatch.chdir(tmp_path)
    started = time.perf_counter()
    assert main(["validate", "huge.yaml"]) == 1
    assert time.perf_counter() - started < 2
    assert capsys.readouterr().err == (
        "huge.yaml: error: the file is 47.7 MiB; specs over 32 MiB are refused\n"
        "  hint: check that this is the spec you meant; to allow bigger specs, set "
        "CLIENTGEN_MAX_SPEC_MB (in MiB)\n"
        "huge.yaml: 1 error; not valid\n"
    )


def test_the_size_limit_can_be_raised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text("openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\n"
                    + "# padding\n" * 200, encoding="utf-8")
    monkeypatch.setenv("CLIENTGEN_MAX_SPEC_MB", "0.001")
    with pytest.raises(SpecError, match="specs over 0 MiB are refused"):
        load_spec(spec)
    monkeypatch.setenv("CLIENTGEN_MAX_SPEC_MB", "1")
    assert load_spec(spec).data["openapi"] == "3.1.0"


def test_a_missing_file_and_a_directory_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="file not found"):
        load_spec(tmp_path / "nope.yaml")
    with pytest.raises(SpecError, match="this is a directory"):
        load_spec(tmp_path)


def test_yaml_and_json_of_the_same_spec_load_the_same(tmp_path: Path) -> None:
    text = ("openapi: 3.1.0\ninfo: {title: T, version: '1'}\n"
            "paths: {/a: {get: {responses: {'200': {description: OK}}}}}\n"
            "x-date: 2024-01-01\n")
    (tmp_path / "spec.yaml").write_text(text, encoding="utf-8")
    yaml_data = load_spec(tmp_path / "spec.yaml").data
    (tmp_path / "spec.json").write_text(json.dumps(yaml_data), encoding="utf-8")
    assert load_spec(tmp_path / "spec.json").data == yaml_data
    assert yaml_data["x-date"] == "2024-01-01"  # dates stay the text the author wrote


def test_positions_point_into_the_file_a_ref_came_from(tmp_path: Path) -> None:
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "pet.yaml").write_text(
        "Pet:\n  type: object\n  properties:\n    name:\n      type: string\n",
        encoding="utf-8")
    (tmp_path / "spec.yaml").write_text(
        "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n"
        "  schemas:\n    Pet: {$ref: 'schemas/pet.yaml#/Pet'}\n",
        encoding="utf-8")
    loaded = load_spec(tmp_path / "spec.yaml", "spec.yaml")
    location = loaded.locate("/components/schemas/Pet/properties/name/type")
    assert (location.file, location.line, location.column) == ("schemas/pet.yaml", 5, 7)


def test_merge_keys_do_not_break_positions(tmp_path: Path) -> None:
    (tmp_path / "spec.yaml").write_text(
        "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\n"
        "x-base: &base {a: 1}\nx-child:\n  <<: *base\n  b: 2\n", encoding="utf-8")
    loaded = load_spec(tmp_path / "spec.yaml", "spec.yaml")
    assert loaded.data["x-child"] == {"a": 1, "b": 2}
    assert str(loaded.locate("/x-child/b")) == "spec.yaml:7:3"
