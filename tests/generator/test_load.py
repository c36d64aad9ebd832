"""Loading keeps every node's source position, for YAML and for JSON alike."""

from __future__ import annotations

import contextlib
import json
import platform
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from clientgen import load
from clientgen.cli import main
from clientgen.diagnostics import Level, Location
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml.error import MarkedYAMLError

from tests.conftest import ROOT, SPECS


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
    monkeypatch.setattr(load, "_round_trip", _no_yaml_parse)
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
    monkeypatch.setattr(load, "_round_trip", _no_yaml_parse)
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


# libyaml (ruamel.yaml.clib) parses YAML for ruamel's round-trip composer and constructor; it
# must read every document exactly as ruamel's own parser does, or leave it to that parser.

def _read(path: Path, display: str) -> object:
    """What reading a file gives: its data, every node's position and the parser's warnings,
    or the error's text."""
    try:
        document = load.read_document(path, display)
    except load.SpecError as exc:
        return [diagnostic.format() for diagnostic in exc.diagnostics]
    positions = load._tree_positions(load._yaml().load(document.text))
    return (document.data, {p: document.location(p) for p in positions},
            [warning.format() for warning in document.warnings])


def _read_both_ways(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    with_libyaml = _read(path, path.name)
    monkeypatch.setattr(load, "CParser", None)
    return with_libyaml, _read(path, path.name)


@pytest.mark.skipif(platform.python_implementation() != "CPython",
                    reason="ruamel.yaml.clib is a dependency on CPython only")
def test_libyaml_is_there_on_cpython() -> None:
    # a dependency on CPython (pyproject.toml); without it every spec loads ~4x slower
    assert load.CParser is not None


_YAML_FILES = sorted(p for p in [*SPECS.glob("*.yaml"), *ROOT.joinpath("tests").rglob("*.yaml")]
                     if p.is_file())


@pytest.mark.parametrize("path", _YAML_FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_yaml_file_of_the_project_reads_alike_with_libyaml_and_without(
        path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = path.read_text(encoding="utf-8", errors="replace").removeprefix("\ufeff")
    try:
        load._yaml().load(text)
        valid = True
    except Exception:
        valid = False
    with_libyaml, without = _read_both_ways(path, monkeypatch)
    assert with_libyaml == without
    if valid and load.CParser is not None and not load._LIBYAML_DIFFERS.search(text):
        # libyaml read it, or refused it as YAML 1.1 does (`{url: https://x}`, a `:` in a flow
        # plain scalar): a fault of the loader itself would fall back unseen, but not here
        monkeypatch.undo()  # libyaml back
        with contextlib.suppress(MarkedYAMLError):
            load._LibyamlLoader(text).get_single_data()


@pytest.mark.parametrize("spec", ["fivetran.yaml", "stitch.yaml"])
def test_a_spec_is_parsed_by_libyaml_not_by_ruamels_parser(
        spec: str, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = load.read_document(SPECS / spec, spec)
    monkeypatch.setattr(load, "_yaml", _no_yaml_parse)
    document = load.read_document(SPECS / spec, spec)
    assert document.data == expected.data
    assert document._positions == expected._positions


@pytest.mark.parametrize("text", [
    "%YAML 1.1\n---\nopenapi: 3.1.0\nflag: yes\nmode: 0777\n",  # 1.1: a bool and an octal
    "openapi: 3.1.0\ninfo:\n  title: \"a\x85b\"\nlater: x\n",  # NEL: a line break to libyaml
    "openapi: 3.1.0\ninfo: \"a\u2028b\"\nlater: x\n",
    "openapi: 3.1.0\ninfo: {ti\ufefftle: x, later: y}\n",  # a byte order mark: a column less
    "openapi: 3.1.0\ninfo:\n  ti\ttle: x\n",  # a tab that ruamel refuses, libyaml not
    "openapi: 3.1.0\ninfo:\n  title: \"a\tb\"\n",
    "openapi: 3.1.0\nversion: !!str 12\nlist: [!!str 1.0, x]\n",  # a string, tag or not
    "openapi: 3.1.0\nwhen: !!timestamp 2024-01-31\nthen: 2024-02-01\n",  # text too
    "openapi: 3.1.0\nx:\n  - !!str &a y\n  - *a\n",  # ruamel's node starts at the anchor
    "# one\r%YAML 1.1\r---\ropenapi: 3.1.0\rflag: yes\r",  # a directive after a CR
    "openapi: 3.1.0\n? [a, b]\n: c\n",  # a key that is a sequence
    "openapi: 3.1.0\n? {a: !!str 1}\n: c\n",
    "openapi: 3.1.0\n{[!custom x]: 1}\n",
    "openapi: 3.1.0\nx: !custom y\n",
    "openapi: 3.1.0\ninfo: {}\ninfo: []\n",
    "openapi: 3.1.0\r\ninfo:\r\n  title: crlf\r\n  description: |\r\n    two\r\n    lines\r\n",
    "openapi: 3.1.0\nbase: &b {type: object}\nuse: *b\nmerged: {<<: *b, x: 1}\n",
    "openapi: 3.1.0\nx: [a, {b: c\n",
    "openapi: 3.1.0\n---\nsecond: document\n",
    "\ufeffopenapi: 3.1.0\nkey: \"é \\u00e9\"\n  bad indent: 1\n",
])
def test_yaml_that_libyaml_reads_otherwise_is_read_as_ruamel_reads_it(
        text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(text, encoding="utf-8")
    with_libyaml, without = _read_both_ways(path, monkeypatch)
    assert with_libyaml == without


@pytest.mark.parametrize("nesting", ["[", "{a: ", "- "])
def test_yaml_nested_two_hundred_thousand_levels_is_an_error_not_a_crash(
        nesting: str, tmp_path: Path) -> None:
    # libyaml's own composer recurses in C and overflows the stack (a segfault) near 100,000
    # levels; ruamel's composer, which the loader uses, raises RecursionError instead
    path = tmp_path / "spec.yaml"
    closing = {"[": "]", "{a: ": "}", "- ": ""}[nesting] * 200_000
    path.write_text(f"openapi: 3.1.0\nx:\n  {nesting * 200_000}1{closing}\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from clientgen import load\n"
         "try:\n    load.read_document(load.Path(sys.argv[1]), 'spec.yaml')\n"
         "except load.SpecError as exc:\n    print(exc.diagnostics[0].message)\n",
         str(path)], capture_output=True, text=True, timeout=300, check=False)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.strip() == "the document is nested too deeply to read"


# Fragments of YAML that parsers read differently if any do: YAML 1.1 scalars, tags, block
# scalars, flow collections, anchors, merge keys, complex keys, odd characters.
_SCALARS = [
    "yes", "No", "on", "0o17", "017", "0x1F", "1_000", "1e3", ".inf", "-.Inf", ".NaN", "null",
    "~", "2024-01-31", "2024-01-31T10:00:00Z", "12:30:00", "'it''s'", '"dq \\u00e9 \\n"', "a#b",
    "a #c", "é 中文", "!!str 12", "!!int '7'", "!!float 1", "!!binary aGVsbG8=", "!custom x",
    "''", "-", "?x", "|\n  one\n   two\n", "!!timestamp 2024-01-31", "!!str &anchor tagged", "|-\n  a\n\n", ">+\n  folded\n  more\n\n",
    "[a, b, {c: d}]", "{a: 1, b: [2, 3]}", "[]", "&anchor value", "*anchor", "'multi\n  line'",
    "plain\n  continued", "+1", "0b101", "1:2:3", "=", "<<",
]
_KEYS = ["a", "b", "'q k'", '"dq"', "1", "true", "null", "~", "é", "? complex", "<<", "x y",
         "200", "0o7", "[a, b]"]


@st.composite
def _yaml_texts(draw: st.DrawFn) -> str:
    def value(depth: int, indent: int) -> str:
        kind = draw(st.sampled_from(["scalar", "mapping", "sequence"]))
        if depth > 3 or kind == "scalar":
            return " " + draw(st.sampled_from(_SCALARS)).replace("\n", "\n" + " " * (indent + 2))
        lines = []
        for _ in range(draw(st.integers(1, 3))):
            if kind == "mapping":
                key = draw(st.sampled_from(_KEYS))
                key = "? " + key[2:] if key.startswith("? ") else key
                lines.append(f"{' ' * (indent + 2)}{key}:{value(depth + 1, indent + 2)}")
            else:
                lines.append(f"{' ' * (indent + 2)}-{value(depth + 1, indent + 2)}")
        return "\n" + "\n".join(lines)

    items = [f"{draw(st.sampled_from(_KEYS))}:{value(0, 0)}"
             for _ in range(draw(st.integers(1, 4)))]
    text = "\n".join(items) + "\n"
    return text.replace("\n", "\r\n") if draw(st.booleans()) else text


@pytest.mark.filterwarnings("ignore::ruamel.yaml.error.ReusedAnchorWarning")  # `&anchor` twice
@settings(max_examples=300, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_yaml_texts())
def test_generated_yaml_reads_alike_with_libyaml_and_without(
        text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(text, encoding="utf-8", newline="")
    with monkeypatch.context() as patched:  # undone after each example
        with_libyaml, without = _read_both_ways(path, patched)
    assert with_libyaml == without


@pytest.mark.parametrize("servers", ['[{url: "https://x.example"}]',
                                     "[{url: https://x.example}]"],  # libyaml refuses it
                         ids=["libyaml", "ruamel"])
def test_a_yaml_warning_is_said_once_whichever_parser_reads_the_file(
        servers: str, tmp_path: Path) -> None:
    """As a diagnostic located where the anchor is defined again, not as a Python warning."""
    path = tmp_path / "spec.yaml"
    path.write_text(f"openapi: 3.1.0\nx-a: &dup one\nx-b: &dup two\nservers: {servers}\n",
                    encoding="utf-8")
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        document = load.read_document(path, "spec.yaml")
    assert [str(w.message) for w in said] == []
    [warning] = document.warnings
    assert (warning.level, warning.pointer) == (Level.WARNING, "/x-b")
    assert warning.location == Location("spec.yaml", 3, 6, "/x-b")
    assert "&dup" in warning.message and "line 2, column 6" in warning.message


def test_a_duplicate_anchor_is_a_located_warning_of_validate(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """In a `$ref`'d file too, counted with the others; no raw warning from the parser."""
    (tmp_path / "spec.yaml").write_text(
        'openapi: 3.1.0\ninfo: {title: T, version: "1"}\nservers: [{url: "https://x.example"}]\n'
        "paths: {}\ncomponents:\n  schemas:\n    Pet: {$ref: 'pet.yaml'}\n", encoding="utf-8")
    (tmp_path / "pet.yaml").write_text(
        "type: object\nproperties:\n  a: &one {type: string}\n  b: &one {type: integer}\n"
        "  c: *one\n", encoding="utf-8")
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        assert main(["validate", str(tmp_path / "spec.yaml")]) == 0
    assert [str(w.message) for w in said] == []
    err = capsys.readouterr().err
    assert "pet.yaml:4:6: warning: the YAML anchor &one is defined again (first at line 3" in err
    assert "at /properties/b" in err  # the node in its own file, not a pointer into the spec
    assert "(0 operations, 1 warning)" in err
    [warning] = load.load_spec(tmp_path / "spec.yaml").diagnostics
    assert warning.pointer == ""  # a pointer is into the bundled spec: this node is not there
