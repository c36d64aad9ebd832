"""Nothing is lost: a failed or interrupted generation leaves the output directory exactly as it
was, and a directory that holds someone's work is never replaced by mistake."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from clientgen import models, pipeline, write
from clientgen.cli import main
from clientgen.diagnostics import SpecError
from clientgen.write import write_package

from tests.processes import SPEC


def tree(directory: Path) -> dict[str, bytes]:
    """Every file under `directory` (and the directory's siblings' names): what must not change."""
    files = {p.relative_to(directory).as_posix(): p.read_bytes()
             for p in sorted(directory.rglob("*")) if p.is_file()}
    files["<siblings>"] = "\n".join(sorted(p.name for p in directory.parent.iterdir())).encode()
    return files


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory with a spec and a previous generation in out/."""
    (tmp_path / "spec.yaml").write_text(SPEC, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["generate", "spec.yaml", "--out", "out", "-q"]) == 0
    (tmp_path / "spec.yaml").write_text(SPEC.replace("name: {type: string}",
                                                     "name: {type: string}, age: {type: integer}"),
                                        encoding="utf-8")
    return tmp_path


def _generate(*extra: str) -> int:
    return main(["generate", "spec.yaml", "--out", "out", "-q", *extra])


@pytest.mark.parametrize("stage", ["models.generate_model_modules", "pipeline.render_package",
                                   "pipeline.format_python"])
@pytest.mark.parametrize("exception", [RuntimeError("boom"), KeyboardInterrupt()],
                         ids=["exception", "ctrl-c"])
def test_a_failure_in_any_stage_leaves_the_output_as_it_was(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    stage: str, exception: BaseException,
) -> None:
    before = tree(project / "out")

    def fail(*args: Any, **kwargs: Any) -> Any:
        raise exception

    module, name = stage.split(".")
    # seen by the models' worker process too, a fork of this one
    monkeypatch.setattr({"models": models, "pipeline": pipeline}[module], name, fail)
    code = _generate()
    assert code == (130 if isinstance(exception, KeyboardInterrupt) else 3)
    assert tree(project / "out") == before
    stderr = capsys.readouterr().err
    assert "Traceback" not in stderr


def test_a_formatter_failure_is_reported_and_leaves_the_output_as_it_was(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    before = tree(project / "out")

    import black

    def broken_black(source: str, **kwargs: Any) -> str:
        raise black.parsing.InvalidInput("cannot parse")

    monkeypatch.setattr(black, "format_str", broken_black)
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", "")
    assert _generate() == 1
    assert tree(project / "out") == before
    assert "not valid Python" in capsys.readouterr().err


@pytest.mark.parametrize("after_files", [0, 3])
def test_ctrl_c_while_writing_files_leaves_the_output_as_it_was(
    project: Path, monkeypatch: pytest.MonkeyPatch, after_files: int,
) -> None:
    before = tree(project / "out")
    real_write_text = Path.write_text
    written: list[Path] = []

    def interrupted(self: Path, *args: Any, **kwargs: Any) -> int:
        if len(written) >= after_files:
            raise KeyboardInterrupt
        written.append(self)
        return real_write_text(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", interrupted)
    assert _generate() == 130
    monkeypatch.undo()
    assert tree(project / "out") == before


def test_ctrl_c_between_the_two_renames_restores_the_previous_output(
    project: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = tree(project / "out")
    real_replace = os.replace
    calls: list[tuple[Any, Any]] = []

    def replace(source: Any, target: Any) -> None:
        calls.append((source, target))
        if len(calls) == 2:  # the staging directory taking the output's place
            raise KeyboardInterrupt
        real_replace(source, target)

    monkeypatch.setattr(write.os, "replace", replace)
    assert _generate() == 130
    monkeypatch.undo()
    assert tree(project / "out") == before


def test_a_full_disk_is_an_error_message_and_the_output_is_kept(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    before = tree(project / "out")

    def full(self: Path, *args: Any, **kwargs: Any) -> int:
        raise OSError(errno.ENOSPC, "No space left on device", str(self))

    monkeypatch.setattr(Path, "write_text", full)
    assert _generate() == 1
    monkeypatch.undo()
    assert tree(project / "out") == before
    stderr = capsys.readouterr().err
    assert "cannot write out: No space left on device" in stderr
    assert "it was left as it was" in stderr


def test_a_failed_first_generation_leaves_no_directories_behind(
    project: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    def full(self: Path, *args: Any, **kwargs: Any) -> int:
        raise OSError(errno.ENOSPC, "No space left on device", str(self))

    monkeypatch.setattr(Path, "write_text", full)
    assert main(["generate", "spec.yaml", "--out", "new/deeper/client", "-q"]) == 1
    monkeypatch.undo()
    assert not (project / "new").exists()


def test_out_holding_other_files_is_refused_without_force(
    project: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    work = project / "work"
    work.mkdir()
    (work / "notes.txt").write_text("my notes", encoding="utf-8")
    (work / "main.py").write_text("print('mine')", encoding="utf-8")
    before = tree(work)
    assert main(["generate", "spec.yaml", "--out", "work", "-q"]) == 1
    assert tree(work) == before
    stderr = capsys.readouterr().err
    assert "work holds files clientgen did not generate for this package (main.py, notes.txt)" in stderr
    assert "--force" in stderr


def test_force_replaces_a_directory_that_holds_other_files(project: Path) -> None:
    work = project / "work"
    work.mkdir()
    (work / "notes.txt").write_text("my notes", encoding="utf-8")
    assert main(["generate", "spec.yaml", "--out", "work", "-q", "--force"]) == 0
    assert not (work / "notes.txt").exists()
    assert (work / "pets_client" / "__init__.py").exists()


def test_regenerating_over_a_previous_generation_needs_no_force(project: Path) -> None:
    assert _generate() == 0
    assert "age" in (project / "out" / "pets_client" / "models" / "_all.py").read_text(encoding="utf-8")
    assert sorted(p.name for p in project.iterdir()) == ["out", "spec.yaml"]  # no leftovers


@pytest.mark.parametrize("out", [".", "..", "/"], ids=["cwd", "parent", "root"])
def test_out_that_would_swallow_the_project_is_refused_even_with_force(
    project: Path, capsys: pytest.CaptureFixture[str], out: str,
) -> None:
    before = tree(project)
    assert main(["generate", "spec.yaml", "--out", out, "-q", "--force"]) == 1
    assert tree(project) == before
    assert "refusing to write the package to" in capsys.readouterr().err


def test_out_that_holds_the_spec_is_refused_even_with_force(
    project: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    (project / "api").mkdir()
    (project / "api" / "spec.yaml").write_text(SPEC, encoding="utf-8")
    assert main(["generate", "api/spec.yaml", "--out", "api", "-q", "--force"]) == 1
    assert "it holds the spec being generated from" in capsys.readouterr().err
    assert (project / "api" / "spec.yaml").exists()


def test_a_backup_left_by_a_killed_run_is_restored_not_deleted(tmp_path: Path) -> None:
    # kill -9 between the two renames leaves the previous output under .out.previous.
    out = tmp_path / "out"
    backup = tmp_path / ".out.previous"
    backup.mkdir()
    (backup / "mine.txt").write_text("previous generation", encoding="utf-8")
    with pytest.raises(SpecError):  # restored, then refused: it holds a non-generated file
        write_package({"pkg/__init__.py": "# Generated by clientgen\n"}, out)
    assert (out / "mine.txt").read_text(encoding="utf-8") == "previous generation"


def test_check_writes_nothing(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = tree(project / "out")
    assert main(["generate", "spec.yaml", "--out", "out", "--check"]) == 1
    assert tree(project / "out") == before
    assert "is stale" in capsys.readouterr().err


def test_out_holding_another_generated_package_is_refused(tmp_path: Path) -> None:
    """`--out generated` (the parent of the packages) must not wipe the other packages."""
    out = tmp_path / "generated"
    write_package({"README.md": "<!-- Generated by clientgen -->\n"}, out / "a_client")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    with pytest.raises(SpecError, match="a_client/README.md"):
        write_package({"README.md": "<!-- Generated by clientgen -->\n"}, out)
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_a_build_folder_inside_the_package_is_not_thrown_away(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_package({"pkg/__init__.py": "# Generated by clientgen\n"}, out)
    (out / "pkg" / "build").mkdir()
    (out / "pkg" / "build" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(SpecError, match="pkg/build/notes.txt"):
        write_package({"pkg/__init__.py": "# Generated by clientgen\n"}, out)


def _dead_pid() -> int:
    """The id of a process that has exited (and been reaped)."""
    process = subprocess.Popen([sys.executable, "-c", ""])
    process.wait()
    return process.pid


def test_a_staging_directory_left_by_a_killed_run_is_removed_by_the_next_run(
    project: Path,
) -> None:
    left = project / f".out.staging-{_dead_pid()}-0123abcd"
    (left / "pets_client").mkdir(parents=True)
    (left / "pets_client" / "models.py").write_text("# half written", encoding="utf-8")
    running = project / f".out.staging-{os.getpid()}-4567abcd"  # a run still at work
    running.mkdir()
    assert _generate() == 0
    assert not left.exists()
    assert running.is_dir()


def test_a_missing_output_is_restored_from_its_backup_even_when_the_spec_has_errors(
    project: Path,
) -> None:
    # kill -9 between the two renames leaves the previous output only under .out.previous
    before = tree(project / "out")
    os.replace(project / "out", project / ".out.previous")
    (project / "spec.yaml").write_text(SPEC.replace("type: string", "type: strng"),
                                       encoding="utf-8")
    assert _generate() == 1
    assert tree(project / "out") == before
    assert not (project / ".out.previous").exists()


def test_build_and_cache_files_in_the_output_survive_a_regeneration(project: Path) -> None:
    out = project / "out"
    kept = {
        "build/lib/pets_client/__init__.py": b"# a build copy",
        "dist/pets_client-1.tar.gz": b"\x1f\x8b archive",
        "pets_client.egg-info/PKG-INFO": b"Name: pets-client",
        "pets_client/__pycache__/models.cpython-311.pyc": b"bytecode",
        ".mypy_cache/3.11/cache.json": b"{}",
    }
    for name, content in kept.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(content)
    assert _generate() == 0
    assert "age" in (out / "pets_client" / "models" / "_all.py").read_text(encoding="utf-8")
    assert {name: (out / name).read_bytes() for name in kept} == kept


def test_an_edited_py_typed_is_refused_without_force(
    project: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    marker = project / "out" / "pets_client" / "py.typed"
    marker.write_text("partial\n", encoding="utf-8")
    before = tree(project / "out")
    assert _generate() == 1
    assert tree(project / "out") == before
    assert "(pets_client/py.typed)" in capsys.readouterr().err
    assert _generate("--force") == 0
    assert marker.read_text(encoding="utf-8") == ""


def test_output_directories_follow_the_umask(project: Path) -> None:
    previous = os.umask(0o027)
    try:
        assert main(["generate", "spec.yaml", "--out", "fresh/client", "-q"]) == 0
    finally:
        os.umask(previous)
    for directory in ("fresh", "fresh/client", "fresh/client/pets_client"):
        assert stat.S_IMODE((project / directory).stat().st_mode) == 0o750, directory
    assert stat.S_IMODE((project / "fresh/client/README.md").stat().st_mode) == 0o640


def test_a_fifo_in_the_output_is_refused_without_blocking(
    project: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    os.mkfifo(project / "out" / "pipe")  # opening it to look for the header would block
    assert _generate() == 1
    assert "(pipe)" in capsys.readouterr().err
    assert stat.S_ISFIFO((project / "out" / "pipe").lstat().st_mode)
