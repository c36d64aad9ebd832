"""Loading keeps every node's source position, for YAML and for JSON alike."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from clientgen import load

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


def _offset_position(text: str, pointer: str) -> tuple[int, int] | None:
    offset = load._json_offset(text, load.split_pointer(pointer))
    if offset is None:
        return None
    return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)


@pytest.mark.parametrize("indent", [None, 0, 1, 3])
@pytest.mark.parametrize("spec", ["fivetran.yaml", "stitch.yaml"])
def test_following_one_pointer_finds_what_the_full_map_has(spec: str, indent: int | None) -> None:
    """The few-lookups path (`_json_offset`) and the map of every node agree on every node."""
    data = load.load_spec(SPECS / spec).data
    data["x-odd keys"] = {"a/b": [{}, [], {"~0": "\"}"}], "é \"q\"": {"": 1}, "[": ",:"}
    text = json.dumps(data, indent=indent, ensure_ascii=indent == 3)
    positions = load._json_positions(text)
    assert {pointer: _offset_position(text, pointer) for pointer in positions} == positions


def test_following_a_pointer_to_nothing_finds_nothing() -> None:
    text = '{"a": [1, {"b": 2}], "c": "d"}'
    for pointer in ["/x", "/a/2", "/a/1/c", "/c/0", "/a/b", "/a/-1"]:
        assert load._json_offset(text, load.split_pointer(pointer)) is None, pointer


def test_a_json_document_locates_a_few_pointers_without_mapping_every_node(
        tmp_path: Path) -> None:
    path = tmp_path / "spec.json"
    path.write_text('{\n  "paths": {\n    "/a": {"get": {"x": [1, 2]}}\n  }\n}', encoding="utf-8")
    document = load.read_document(path, "spec.json")
    located = document.location("/paths/~1a/get/x/1/missing")  # falls back to /x/1
    assert (located.line, located.column) == (3, 29)
    assert document._positions is None


def _no_yaml_parse() -> object:
    raise AssertionError("parsed with the YAML loader")


@pytest.mark.parametrize("spec", ["fivetran.yaml", "stitch.yaml"])
def test_json_text_in_a_yaml_file_is_read_as_json_with_the_same_data_and_positions(
        spec: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = load.load_spec(SPECS / spec).data
    text = json.dumps(data, indent=1, ensure_ascii=False)
    path = tmp_path / spec
    path.write_text(text, encoding="utf-8")
    as_yaml = load._Plain().convert(load._yaml().load(text), "")
    expected = load._positions_of(text)
    monkeypatch.setattr(load, "_yaml", _no_yaml_parse)
    document = load.read_document(path, spec)
    assert document.is_json
    assert document.data == as_yaml
    located = {pointer: document.location(pointer) for pointer in expected}
    assert {p: (loc.line, loc.column) for p, loc in located.items()} == expected


def test_a_yaml_file_is_located_from_the_parse_that_read_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = (SPECS / "stitch.yaml").read_text(encoding="utf-8")
    expected = load._positions_of(text)
    document = load.read_document(SPECS / "stitch.yaml", "stitch.yaml")
    monkeypatch.setattr(load, "_yaml", _no_yaml_parse)
    assert not document.is_json
    located = {pointer: document.location(pointer) for pointer in expected}
    assert {p: (loc.line, loc.column) for p, loc in located.items()} == expected


@pytest.mark.parametrize(("text", "message"), [
    (('{\n "openapi": "3.1.0",\n "info": {"title": "T", "version": "1"},\n "paths": {},\n'
      ' "info": {}\n}\n'),
     "spec.yaml:5:2: error: duplicate key 'info' in the mapping that starts on line 1"),
    ('{"openapi": "3.1.0",\n "paths": {\n}',
     ("spec.yaml:3:2: error: invalid YAML: expected ',' or '}', but got '<stream end>' "
      "(while parsing a flow mapping on line 1)")),
])
def test_json_text_that_json_refuses_in_a_yaml_file_is_reported_as_yaml(
        text: str, message: str, tmp_path: Path) -> None:
    (tmp_path / "spec.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(load.SpecError) as raised:
        load.read_document(tmp_path / "spec.yaml", "spec.yaml")
    assert raised.value.diagnostics[0].format().splitlines()[0] == message


@pytest.mark.parametrize(("text", "data"), [
    ('{"a": NaN, "b": Infinity}', {"a": "NaN", "b": "Infinity"}),  # not JSON: YAML strings
    ("{a: 1, 'b': [x]}", {"a": 1, "b": ["x"]}),  # flow YAML, not JSON
    ('{"a": "\\ud83d\\ude00"}', {"a": "\U0001f600"}),  # JSON's surrogate pair is one character
])
def test_yaml_files_that_look_like_json(text: str, data: object, tmp_path: Path) -> None:
    (tmp_path / "spec.yaml").write_text(text, encoding="utf-8")
    document = load.read_document(tmp_path / "spec.yaml", "spec.yaml")
    assert document.data == data
    assert document.is_json == text.startswith('{"a": "')
