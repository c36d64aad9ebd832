"""Loading keeps every node's source position, for YAML and for JSON alike."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator import load
from tests.conftest import SPECS


@pytest.mark.parametrize("spec", ["fivetran.yaml", "stitch.yaml"])
def test_json_positions_match_a_full_yaml_parse(spec: str) -> None:
    data = load.load_spec(SPECS / spec).data
    text = json.dumps(data, indent=1, ensure_ascii=False)
    assert load._json_positions(text) == load._positions_of(text)


def test_json_position_of_a_nested_node_is_its_key(tmp_path: Path) -> None:
    path = tmp_path / "spec.json"
    path.write_text('{\n  "paths": {\n    "/a/b": {"get": {"x": [1, "two", [3]]}}\n  }\n}',
                    encoding="utf-8")
    document = load.read_document(path, "spec.json")
    assert str(document.location("/paths/~1a~1b/get")) == "spec.json:3:14"
    assert str(document.location("/paths/~1a~1b/get/x/1")) == "spec.json:3:31"
    assert str(document.location("/paths/~1a~1b/get/x/9")) == "spec.json:3:22"  # nearest parent


def test_yaml_dates_stay_the_strings_the_author_wrote(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text("openapi: 3.1.0\nexample: 2024-01-31\n", encoding="utf-8")
    assert load.read_document(path, "spec.yaml").data["example"] == "2024-01-31"
