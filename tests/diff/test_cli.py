"""`clientgen diff`: formats, exit codes, and specs read from git revisions."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from clientgen import cli
from clientgen.diff_report import MARKDOWN_MARKER

from .corpus import BASE, op, prop, schema


def _write(path: Path, spec: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(spec, indent=2), encoding="utf-8")
    return path


def _copy(spec: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(json.dumps(spec))
    return result


@pytest.fixture
def specs(tmp_path: Path) -> dict[str, str]:
    """OLD, and NEWs that differ from it by one change of each severity."""
    breaking, potentially, non_breaking = _copy(BASE), _copy(BASE), _copy(BASE)
    del schema(breaking, "Pet")["properties"]["tag"]
    prop(potentially, "Owner", "kind")["enum"].append("trust")
    schema(non_breaking, "NewPet")["properties"]["color"] = {"type": "string"}
    return {name: str(_write(tmp_path / f"{name}.json", spec)) for name, spec in (
        ("old", BASE), ("breaking", breaking), ("potentially", potentially),
        ("non_breaking", non_breaking))}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(["diff", "--no-api", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_identical_specs_report_no_changes(specs: dict[str, str],
                                           capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, specs["old"], specs["old"], "--fail-on", "any")
    assert code == 0
    assert "no API changes" in out


@pytest.mark.parametrize(("new", "fail_on", "expected"), [
    ("breaking", "breaking", 1),
    ("breaking", "never", 0),
    ("potentially", "breaking", 0),
    ("potentially", "potentially-breaking", 1),
    ("non_breaking", "potentially-breaking", 0),
    ("non_breaking", "any", 1),
])
def test_fail_on_sets_the_exit_code(specs: dict[str, str], capsys: pytest.CaptureFixture[str],
                                    new: str, fail_on: str, expected: int) -> None:
    code, _, _ = run(capsys, specs["old"], specs[new], "--fail-on", fail_on)
    assert code == expected


def test_default_never_fails(specs: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, specs["old"], specs["breaking"])[0] == 0


def test_unreadable_spec_exits_1_with_a_diagnostic(
        specs: dict[str, str], capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, specs["old"], str(tmp_path / "missing.yaml"))
    assert code == 1
    assert "missing.yaml" in err and "file not found" in err
    assert out == ""


def test_bad_arguments_exit_2(specs: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["diff", specs["old"], specs["old"], "--format", "html"])
    assert exit_info.value.code == 2
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["diff", specs["old"]])
    assert exit_info.value.code == 2


def test_text_names_kind_severity_pointer_and_line(specs: dict[str, str],
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, specs["old"], specs["breaking"])
    assert "1 breaking, 0 potentially-breaking, 0 non-breaking" in out
    assert "property-removed: property `Pet.tag` removed (in responses)" in out
    assert f"{specs['old']}:" in out and "/components/schemas/Pet/properties/tag" in out
    assert "\033[" not in out  # captured output is not a terminal


def test_text_is_coloured_on_a_terminal_unless_no_color(
        specs: dict[str, str], capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert "\033[1;31m" in run(capsys, specs["old"], specs["breaking"])[1]
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\033[" not in run(capsys, specs["old"], specs["breaking"])[1]


def test_markdown_is_a_pr_comment(specs: dict[str, str],
                                  capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, specs["old"], specs["breaking"], "--format", "markdown")
    assert out.startswith(MARKDOWN_MARKER)
    assert "#### Breaking (1)" in out
    assert "**schema `Pet`**\n- `property-removed`: property `Pet.tag` removed (in responses) " \
        "— `old.json:" in out  # a spec outside the working directory: by its name
    assert str(Path(specs["old"]).parent) not in out  # never an absolute path


def test_json_is_for_tools(specs: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, specs["old"], specs["potentially"], "--format", "json")
    document = json.loads(out)
    assert document["summary"] == {"breaking": 0, "potentially-breaking": 1, "non-breaking": 0}
    [change] = document["changes"]
    assert change["kind"] == "enum-value-added"
    assert change["severity"] == "potentially-breaking"
    assert change["pointer"] == "/components/schemas/Owner/properties/kind/enum/2"
    assert change["location"]["file"] == specs["potentially"]
    assert isinstance(change["location"]["line"], int)
    assert change["usage"] == ["response"]
    assert document["api_changes"] is None


def test_changelog_groups_changes_like_keep_a_changelog(
        specs: dict[str, str], capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    new = _copy(BASE)
    new["info"]["version"] = "1.1.0"
    del schema(new, "Pet")["properties"]["tag"]
    op(new, "/pets/{petId}", "delete")["deprecated"] = True
    op(new, "/pets", "get")["parameters"].append(
        {"name": "offset", "in": "query", "schema": {"type": "integer"}})
    path = str(_write(tmp_path / "v11.json", new))
    _, out, _ = run(capsys, specs["old"], path, "--format", "changelog")
    assert out.startswith("## Pets API 1.1.0 (from 1.0.0)\n")
    sections = out.split("### ")
    assert sections[1].startswith("Deprecated") and "`DELETE /pets/{petId}`" in sections[1]
    assert sections[2].startswith("Removed")
    assert "- **Breaking:** Property `Pet.tag` removed (in responses)." in sections[2]
    assert sections[3].startswith("Added") and "`offset`" in sections[3]


def test_the_generated_api_shows_what_the_spec_diff_calls_potentially_breaking(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    new = _copy(BASE)
    op(new, "/pets/{petId}", "get")["operationId"] = "fetchPet"
    old_path, new_path = _write(tmp_path / "old.json", BASE), _write(tmp_path / "new.json", new)
    code = cli.main(["diff", str(old_path), str(new_path), "--fail-on", "breaking"])
    out, _ = capsys.readouterr()
    assert "operation-id-changed" in out
    assert "method `PetsResource.get` removed" in out
    assert "method `PetsResource.fetch` added" in out
    assert code == 1  # the rename breaks client code, which the spec alone cannot tell


# -- git:REF:path -----------------------------------------------------------------------------


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
                   cwd=repo, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository whose spec is split over two files, committed, then edited."""
    root = tmp_path / "repo"
    main = _copy(BASE)
    main["components"]["schemas"]["Pet"] = {"$ref": "common/pet.json#/Pet"}
    pet = {"Pet": _copy(schema(BASE, "Pet"))}
    pet["Pet"]["properties"]["status"] = {"type": "string"}
    pet["Pet"]["properties"]["owner"] = {"type": "object"}
    pet["Pet"]["properties"]["children"] = {"type": "array", "items": {"type": "object"}}
    _write(root / "specs" / "main.json", main)
    _write(root / "specs" / "common" / "pet.json", pet)
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "spec")
    del pet["Pet"]["properties"]["tag"]  # edited, not committed
    _write(root / "specs" / "common" / "pet.json", pet)
    monkeypatch.chdir(root)
    return root


def test_git_source_reads_the_spec_and_its_referenced_files_at_a_revision(
        repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "git:main:specs/main.json", "specs/main.json",
                         "--format", "json", "--fail-on", "breaking")
    assert err == ""
    document = json.loads(out)
    [change] = document["changes"]
    assert change["kind"] == "property-removed"
    assert change["location"]["file"] == "git:main:specs/common/pet.json"
    assert change["location"]["line"] is not None
    assert code == 1


def test_git_source_against_itself_has_no_changes(repo: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    _git(repo, "commit", "-q", "-am", "drop tag")
    code, out, _ = run(capsys, "git:HEAD~1:specs/main.json", "git:HEAD:specs/main.json")
    assert code == 0 and "1 breaking" in out
    code, out, _ = run(capsys, "git:HEAD:specs/main.json", "specs/main.json")
    assert "no API changes" in out


def test_git_path_relative_to_the_working_directory(
        repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo / "specs")
    _, out, err = run(capsys, "git:main:./main.json", "main.json")
    assert "property `Pet.tag` removed" in out, err


def test_unknown_revision_exits_1_with_a_diagnostic(
        repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "git:no-such-branch:specs/main.json", "specs/main.json")
    assert code == 1
    assert "git:no-such-branch:specs/main.json" in err and "git show" in err


def test_malformed_git_source_exits_1(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "git:main", "specs/main.json")
    assert code == 1 and "git:REVISION:PATH" in err


def test_a_spec_that_does_not_generate_still_gets_its_spec_diff(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    new = _copy(BASE)
    op(new, "/pets", "get")["parameters"].append(  # an error: not in the path template
        {"name": "nope", "in": "path", "required": True, "schema": {"type": "string"}})
    old_path, new_path = _write(tmp_path / "old.json", BASE), _write(tmp_path / "new.json", new)
    code = cli.main(["diff", str(old_path), str(new_path), "--format", "json"])
    document = json.loads(capsys.readouterr().out)
    assert code == 0
    assert [c["kind"] for c in document["changes"]] == ["required-parameter-added"]
    assert document["api_changes"] is None
    assert document["api_note"].startswith(f"{new_path} does not generate")


def test_markdown_fits_max_chars_and_the_full_report_goes_to_a_file(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    new = _copy(BASE)
    for index in range(40):
        schema(new, "Pet")["properties"][f"extra_{index}"] = {"type": "string"}
    old_path, new_path = _write(tmp_path / "old.json", BASE), _write(tmp_path / "new.json", new)
    full = tmp_path / "full.md"
    code, out, _ = run(capsys, str(old_path), str(new_path), "--format", "markdown",
                       "--max-chars", "2000", "--full-report", str(full))
    assert code == 0
    assert len(out) <= 2000
    assert "changes were left out to fit a comment" in out
    whole = full.read_text(encoding="utf-8")
    assert "left out" not in whole
    assert all(f"`Pet.extra_{index}`" in whole for index in range(40))
    _, unlimited, _ = run(capsys, str(old_path), str(new_path), "--format", "markdown",
                          "--max-chars", "0")
    assert unlimited == whole
