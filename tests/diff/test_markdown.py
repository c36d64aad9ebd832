"""The Markdown report is a PR comment: grouped, worst first, and always within GitHub's limit."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from clientgen.diagnostics import Location
from clientgen.diff_report import (
    COMMENT_LIMIT,
    MARKDOWN_MARKER,
    ApiChange,
    Change,
    DiffReport,
    Severity,
    render_markdown,
    render_text,
)

B, P, N = Severity.BREAKING, Severity.POTENTIALLY_BREAKING, Severity.NON_BREAKING


def _change(severity: Severity, index: int, file: str = "specs/v.yaml") -> Change:
    pointer = f"/components/schemas/Config{index % 50}/properties/field{index}"
    return Change("property-removed" if severity is B else "property-added", severity,
                  f"property `Config{index % 50}.field{index}` changed in some way", pointer,
                  "new", Location(file, index + 1, 3), ("response",))


def _report(changes: list[Change], api: list[ApiChange] | None = None,
            old: str = "git:main:specs/v.yaml", new: str = "specs/v.yaml") -> DiffReport:
    return DiffReport(old, new, "Vendor API", "1", "2", tuple(changes),
                      None if api is None else tuple(api))


def _big() -> DiffReport:
    changes = [_change(B, i) for i in range(800)] + [_change(N, i) for i in range(800, 4800)]
    api = [ApiChange("field-removed", B, f"field `models.Config{i}.x: int` removed",
                     f"models.Config{i}.x") for i in range(3000)]
    return _report(changes, api)


def test_a_large_report_fits_a_comment_with_the_breaking_changes_first() -> None:
    report = _big()
    full = render_markdown(report, limit=None)
    assert len(full) > 4 * COMMENT_LIMIT
    fitted = render_markdown(report)
    assert len(fitted) <= COMMENT_LIMIT
    assert fitted.startswith(MARKDOWN_MARKER)
    assert "**800 breaking, 0 potentially-breaking, 4000 non-breaking; 3000 breaking in the " \
        "generated Python API**" in fitted
    shown = fitted.count("\n- ")
    assert fitted.index("#### Breaking (800)") < fitted.index("property `Config0.field0`")
    # the breaking changes of the Python API share the room with the spec's
    assert "- field `models.Config0.x: int` removed" in fitted
    # nothing non-breaking is shown while breaking changes are left out
    assert "field4000" not in fitted
    last = fitted.rstrip("\n").rsplit("\n", 1)[-1]
    left_out = 800 + 4000 + 3000 - shown
    assert last.startswith(f"_{left_out} changes were left out to fit a comment; the full "
                           "report: `clientgen diff git:main:specs/v.yaml specs/v.yaml`")
    assert fitted.count("<details>") == fitted.count("</details>")


def test_a_small_report_is_whole_grouped_and_folds_the_non_breaking_changes() -> None:
    changes = [_change(B, 1), _change(B, 51), _change(N, 2),
               Change("operation-removed", B, "operation `DELETE /pets/{id}` removed",
                      "/paths/~1pets~1{id}/delete", "old", Location("git:main:specs/v.yaml", 9))]
    text = render_markdown(_report(changes, []))
    assert "left out" not in text
    assert "#### Breaking (3)" in text
    # grouped: the two changes of Config1 under one heading, the operation under its own
    assert text.count("**schema `Config1`**") == 1
    assert "**`DELETE /pets/{id}`**\n- `operation-removed`" in text
    assert "<details><summary>Non-breaking (1)</summary>" in text
    assert text.index("Non-breaking") > text.index("field51")
    assert "_Generated Python API: unchanged._" in text


def test_files_are_named_relative_to_the_repository_never_absolutely(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    inside = str(tmp_path / "specs" / "v.yaml")
    outside = os.path.join(os.sep, "elsewhere", "v2.yaml")
    report = _report([_change(B, 1, inside), _change(B, 2, outside)], old=inside, new=outside)
    text = render_markdown(report)
    assert "`specs/v.yaml:2`" in text and "`v2.yaml:3`" in text
    assert "`specs/v.yaml` → `v2.yaml`" in text
    assert str(tmp_path) not in text and "/elsewhere" not in text


def test_a_python_api_change_is_stated_once() -> None:
    twice = ApiChange("method-removed", B, "method `PetsResource.get` removed",
                      "PetsResource.get")
    text = render_markdown(_report([], [twice, twice]))
    assert text.count("method `PetsResource.get` removed") == 1
    assert "Generated Python API: breaking (1)" in text


def test_one_change_is_one_change() -> None:
    api = [ApiChange("class-added", N, "class `models.X` added", "models.X")]
    assert "Generated Python API (1 change):" in render_text(_report([], api))
