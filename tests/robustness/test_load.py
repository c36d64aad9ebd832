"""Loading: huge files are refused before parsing, positions survive `$ref`s into other files,
and YAML and JSON read the same."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from clientgen import load
from clientgen.cli import main
from clientgen.diagnostics import SpecError
from clientgen.load import load_spec

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
    assert main(["validate", "huge.yaml"]) == 1
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


SMALL_SPEC = ("openapi: 3.1.0\ninfo: {title: T, version: '1'}\n"
              "servers: [{url: 'https://api.example.com'}]\n")


def _spec_with_ref(directory: Path, ref: str) -> Path:
    """A spec in `directory` whose one response schema is `$ref: REF` (on line 8)."""
    spec = directory / "spec.yaml"
    spec.write_text(SMALL_SPEC + "paths:\n  /a:\n    get:\n      responses:\n"
                    f"        '200': {{description: OK, content: {{application/json: "
                    f"{{schema: {{$ref: '{ref}'}}}}}}}}\n", encoding="utf-8")
    return spec


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_as_the_spec_is_refused_at_once(
    device: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", device]) == 1
    assert f"{device}: error: this is a device, not a spec file" in capsys.readouterr().err


def test_a_fifo_as_the_spec_or_as_a_ref_target_is_refused_without_blocking(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")  # nobody ever writes to it: reading would block
    _spec_with_ref(tmp_path, "pipe.yaml")
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "pipe.yaml"]) == 1
    assert main(["validate", "spec.yaml"]) == 1
    stderr = capsys.readouterr().err
    assert "pipe.yaml: error: this is a named pipe (FIFO), not a spec file" in stderr
    assert "spec.yaml:8:63: error: $ref 'pipe.yaml': this is a named pipe (FIFO), not a spec " \
        "file" in stderr


def test_the_size_limit_counts_the_bytes_read_not_the_size_the_file_claims(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(SMALL_SPEC + "paths: {}\n" + "# padding\n" * 200, encoding="utf-8")
    real_stat, real_fstat = os.stat, os.fstat

    def claiming_empty(real: Callable[..., os.stat_result]) -> Callable[..., os.stat_result]:
        def stat(*args: Any, **kwargs: Any) -> os.stat_result:  # as /proc files and FUSE do
            status = list(real(*args, **kwargs))
            status[6] = 0  # st_size
            return os.stat_result(status)
        return stat

    monkeypatch.setattr(load.os, "stat", claiming_empty(real_stat))
    monkeypatch.setattr(load.os, "fstat", claiming_empty(real_fstat))
    monkeypatch.setenv("CLIENTGEN_MAX_SPEC_MB", "0.001")
    with pytest.raises(SpecError, match="specs over 0 MiB are refused"):
        load_spec(spec)


def test_a_ref_outside_the_spec_directory_is_refused_without_reading_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "secret.json").write_text('{"Secret": {"type": "string", "enum": ["hunter2"]}}',
                                          encoding="utf-8")
    (tmp_path / "api").mkdir()
    spec = _spec_with_ref(tmp_path / "api", "../secret.json#/Secret")
    opened: list[str] = []
    real_open = os.open

    def recording_open(path: object, *args: object, **kwargs: object) -> int:
        opened.append(str(path))
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(load.os, "open", recording_open)
    loaded = load_spec(spec, "api/spec.yaml", keep_going=True)
    assert [d.message for d in loaded.diagnostics] == [
        "$ref '../secret.json' is outside the directories a spec's `$ref`s may reach"]
    assert str(loaded.diagnostics[0].location) == "api/spec.yaml:8:63"  # the `schema` key
    assert not any("secret" in path for path in opened)
    assert "hunter2" not in json.dumps(loaded.data)


def test_the_message_for_a_ref_outside_does_not_tell_whether_the_file_exists(
    tmp_path: Path
) -> None:
    (tmp_path / "exists.json").write_text("{}", encoding="utf-8")
    (tmp_path / "api").mkdir()
    messages = []
    for name in ("exists.json", "missing.json"):
        spec = _spec_with_ref(tmp_path / "api", f"../{name}")
        diagnostic = load_spec(spec, "spec.yaml", keep_going=True).diagnostics[0]
        messages.append((diagnostic.message.replace(name, "X"), diagnostic.hint))
    assert messages[0] == messages[1]


def test_a_ref_through_a_symlink_that_leads_out_is_refused(tmp_path: Path) -> None:
    (tmp_path / "outside.yaml").write_text("Secret: {type: string}\n", encoding="utf-8")
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "inside.yaml").symlink_to(tmp_path / "outside.yaml")
    spec = _spec_with_ref(tmp_path / "api", "inside.yaml#/Secret")
    with pytest.raises(SpecError, match="outside the directories"):
        load_spec(spec)


def test_refs_may_reach_the_whole_git_work_tree_that_holds_the_spec(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "common").mkdir()
    (tmp_path / "common" / "error.yaml").write_text("Error: {type: string}\n", encoding="utf-8")
    (tmp_path / "specs").mkdir()
    spec = _spec_with_ref(tmp_path / "specs", "../common/error.yaml#/Error")
    assert load_spec(spec).data["components"]["schemas"]["Error"] == {"type": "string"}


def test_ref_root_widens_where_refs_may_reach(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "error.yaml").write_text("Error: {type: string}\n", encoding="utf-8")
    (tmp_path / "api").mkdir()
    _spec_with_ref(tmp_path / "api", "../shared/error.yaml#/Error")
    monkeypatch.chdir(tmp_path / "api")
    assert main(["validate", "spec.yaml"]) == 1
    assert "is outside the directories" in capsys.readouterr().err
    assert main(["validate", "spec.yaml", "--ref-root", "../shared"]) == 0
    assert main(["generate", "spec.yaml", "--out", "../out", "-q", "--ref-root", ".."]) == 0
    assert main(["diff", "spec.yaml", "spec.yaml", "--no-api", "--ref-root", ".."]) == 0
