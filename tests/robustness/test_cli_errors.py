"""The CLI's failure modes: exit codes, no tracebacks, and --debug for the one case it helps."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from clientgen import pipeline
from clientgen.cli import main

SPEC = ("openapi: 3.1.0\ninfo: {title: Pets, version: '1'}\n"
        "servers: [{url: 'https://api.example.com'}]\npaths: {}\n")


@pytest.fixture
def spec(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "spec.yaml").write_text(SPEC, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "spec.yaml"


def _explode(*args: Any, **kwargs: Any) -> Any:
    raise KeyError("internal")


def test_an_internal_error_says_so_and_asks_for_a_bug_report_without_a_traceback(
    spec: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(pipeline, "build_api", _explode)
    assert main(["validate", "spec.yaml"]) == 3
    stderr = capsys.readouterr().err
    assert "Traceback" not in stderr
    assert stderr.startswith("clientgen: internal error (KeyError: 'internal'). This is a bug")
    assert "--debug" in stderr


@pytest.mark.parametrize("argv", [["--debug", "validate", "spec.yaml"],
                                  ["validate", "spec.yaml", "--debug"]])
def test_debug_shows_the_traceback_of_an_internal_error(
    spec: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    argv: list[str],
) -> None:
    monkeypatch.setattr(pipeline, "build_api", _explode)
    assert main(argv) == 3
    stderr = capsys.readouterr().err
    assert "Traceback (most recent call last)" in stderr and "_explode" in stderr


def test_ctrl_c_exits_130_with_a_message(
    spec: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupt(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "build_api", interrupt)
    assert main(["validate", "spec.yaml"]) == 130
    assert "interrupted" in capsys.readouterr().err


def test_errors_exit_1_and_end_with_a_count(
    spec: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec.write_text("openapi: 3.1.0\ninfo: {version: '1'}\nservers: [{url: 'https://a.example'}]\n"
                    "paths: {/a: {get: {}}}\n", encoding="utf-8")
    assert main(["generate", "spec.yaml", "--out", "out"]) == 1
    stderr = capsys.readouterr().err
    assert stderr.rstrip().splitlines()[-1] == (
        "spec.yaml: 1 error, 2 warnings; nothing was written to out")
    assert not Path("out").exists()


def test_warnings_alone_exit_0(spec: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec.write_text(SPEC + "x-typo: 1\ncomponent: {}\n", encoding="utf-8")
    assert main(["validate", "spec.yaml"]) == 0
    stderr = capsys.readouterr().err
    assert "warning: unknown field `component`" in stderr
    assert stderr.rstrip().endswith("spec.yaml: valid (0 operations, 1 warning)")


@pytest.mark.parametrize(("package", "problem"), [
    ("my-client", "is not a valid Python package name"),
    ("class", "is not a valid Python package name"),
    ("httpx", "is a module the generated client needs at run time"),
    ("pydantic", "is a module the generated client needs at run time"),
    ("anyio", "is a module the generated client needs at run time"),
    ("pydantic_core", "is a module the generated client needs at run time"),
    ("typing", "is a module of Python's standard library"),
    ("json", "is a module of Python's standard library"),
])
def test_a_package_name_that_cannot_be_imported_or_would_shadow_a_module_is_a_usage_error(
    spec: Path, capsys: pytest.CaptureFixture[str], package: str, problem: str,
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["generate", "spec.yaml", "--out", "out", "--package", package])
    assert exit_info.value.code == 2
    stderr = capsys.readouterr().err
    assert f"--package {package!r} {problem}" in stderr
    assert "spec.yaml" not in stderr  # not blamed on the spec
    assert not Path("out").exists()


def test_diff_without_check_is_a_usage_error(spec: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["generate", "spec.yaml", "--out", "out", "--diff"])
    assert exit_info.value.code == 2
    assert "--diff goes with --check" in capsys.readouterr().err
    assert not Path("out").exists()


def test_a_configured_package_that_would_shadow_a_module_is_a_usage_error(
    spec: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("pyproject.toml").write_text(
        '[[tool.clientgen.packages]]\nspec = "spec.yaml"\nout = "out"\npackage = "httpx"\n',
        encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        main(["generate"])
    assert exit_info.value.code == 2
    assert ("the package of a [[tool.clientgen.packages]] entry, 'httpx' is a module the "
            "generated client needs at run time") in capsys.readouterr().err
    assert not Path("out").exists()
