"""The corpus of bad and awkward specs: each one's CLI output is pinned in a snapshot.

`corpus/NAME` is a spec; `corpus/NAME.expected` is what `clientgen validate NAME` prints, run in
the corpus directory (so paths in messages are relative to it), with its exit code. A case
named `*.skip-invalid.*` runs with `--skip-invalid`. Files under `corpus/_parts/` are only
`$ref` targets. CLIENTGEN_UPDATE_SNAPSHOTS=1 rewrites the snapshots (see README.md).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from clientgen.cli import main
from clientgen.pipeline import generate_package
from clientgen.write import write_package

CORPUS = Path(__file__).parent / "corpus"
UPDATE = os.environ.get("CLIENTGEN_UPDATE_SNAPSHOTS") == "1"
SUFFIX = ".expected"


def _cases() -> list[Path]:
    return sorted(
        path for path in CORPUS.iterdir()
        if path.is_file() and not path.name.startswith(("_", ".")) and path.suffix != SUFFIX
        and path.name != "README.md"
    )


CASES = _cases()
# The alias bomb expands millions of values before it is refused: seconds each time.
SLOW_CASES = frozenset({"yaml_alias_bomb.yaml"})


def _params(cases: list[Path]) -> list[Any]:
    return [pytest.param(case, marks=pytest.mark.slow) if case.name in SLOW_CASES else case
            for case in cases]


def _argv(case: Path) -> list[str]:
    options = ["--skip-invalid"] if ".skip-invalid." in case.name else []
    return ["validate", *options, case.name]


def _snapshot(case: Path) -> Path:
    return case.with_name(case.name + SUFFIX)


def run_cli(argv: list[str], cwd: Path, monkeypatch: pytest.MonkeyPatch,
            capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """`clientgen ARGV` in-process, in `cwd`: its exit code and what it printed to stderr."""
    monkeypatch.chdir(cwd)
    capsys.readouterr()
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse
        code = int(exc.code or 0)
    return code, capsys.readouterr().err


def _transcript(argv: list[str], code: int, stderr: str) -> str:
    return f"$ clientgen {' '.join(argv)}\nexit code: {code}\n{stderr}"


def expected_exit_code(case: Path) -> int:
    second_line = _snapshot(case).read_text(encoding="utf-8").splitlines()[1]
    return int(second_line.removeprefix("exit code: "))


def test_the_corpus_holds_at_least_40_cases() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", _params(CASES), ids=lambda case: case.name)
def test_corpus_case_prints_its_snapshot(case: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    argv = _argv(case)
    code, stderr = run_cli(argv, CORPUS, monkeypatch, capsys)
    actual = _transcript(argv, code, stderr)
    snapshot = _snapshot(case)
    if UPDATE:
        snapshot.write_text(actual, encoding="utf-8", newline="\n")
    assert snapshot.exists(), f"no snapshot for {case.name}: run with CLIENTGEN_UPDATE_SNAPSHOTS=1"
    assert actual == snapshot.read_text(encoding="utf-8")


@pytest.mark.parametrize("case", _params(CASES), ids=lambda case: case.name)
def test_corpus_case_fails_cleanly_or_passes(case: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    # Never a traceback or an internal error: a bad spec is the user's problem, explained.
    code, stderr = run_cli(_argv(case), CORPUS, monkeypatch, capsys)
    assert code in (0, 1)
    assert "Traceback" not in stderr and "internal error" not in stderr
    if code == 1:
        assert " error: " in stderr
        assert stderr.rstrip().endswith("not valid")
    for line in stderr.splitlines():
        if ": error: " in line or ": warning: " in line:
            assert not line.startswith("/"), f"absolute path in {line!r}"


VALID_CASES = [case for case in CASES if _snapshot(case).exists()
               and expected_exit_code(case) == 0]


@pytest.mark.parametrize("case", VALID_CASES, ids=lambda case: case.name)
def test_corpus_case_that_validates_generates_a_package_that_imports_cleanly(
    case: Path, tmp_path: Path
) -> None:
    package = "corpus_" + re.sub(r"\W", "_", case.stem) + "_client"
    result = generate_package(case, package, case.name,
                              skip_invalid=".skip-invalid." in case.name)
    write_package(result.files, tmp_path / package)
    program = (
        "import importlib, pkgutil, warnings\n"
        "warnings.simplefilter('error')\n"  # no warning at import, e.g. from pydantic
        f"import {package}\n"
        f"for module in pkgutil.walk_packages({package}.__path__, '{package}.'):\n"
        "    importlib.import_module(module.name)\n"
    )
    completed = subprocess.run([sys.executable, "-c", program], cwd=tmp_path / package,
                               capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stderr


def test_every_snapshot_belongs_to_a_case() -> None:
    names = {case.name for case in CASES}
    stale = [p.name for p in CORPUS.glob(f"*{SUFFIX}") if p.name[: -len(SUFFIX)] not in names]
    assert not stale


def test_errors_come_with_file_line_column_pointer_and_hint(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _, stderr = run_cli(["validate", "path_param_undeclared.yaml"], CORPUS, monkeypatch, capsys)
    first = stderr.splitlines()[:3]
    assert first == [
        "path_param_undeclared.yaml:7:5: error: path parameter 'ownerId' is in the path but not "
        "declared",
        "  at /paths/~1owners~1{ownerId}~1pets~1{petId}/get",
        "  hint: add a parameter with `name: ownerId`, `in: path`, `required: true`",
    ]


def test_a_problem_in_a_referenced_file_is_located_in_that_file(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _, stderr = run_cli(["validate", "external_ref_errors.yaml"], CORPUS, monkeypatch, capsys)
    assert "_parts/schemas.yaml:7:7: error: unknown type 'animal'" in stderr


def test_all_problems_of_a_run_are_reported_together(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, stderr = run_cli(["validate", "many_errors.yaml"], CORPUS, monkeypatch, capsys)
    assert code == 1
    assert stderr.count(": error: ") == 2
    assert "path parameter 'petId'" in stderr and "unknown type 'strng'" in stderr


def test_skip_invalid_leaves_out_broken_parts_and_lists_each(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, stderr = run_cli(["validate", "--skip-invalid", "many_errors.skip-invalid.yaml"],
                           CORPUS, monkeypatch, capsys)
    assert code == 0
    assert "skipped operation 'getPet' (GET /pets/{petId})" in stderr
    assert "skipped schema 'NewPet'" in stderr
    assert "skipped operation 'createPet' (POST /pets): it uses schema 'NewPet'" in stderr
    assert "valid (2 operations" in stderr


def test_messages_do_not_depend_on_hash_seeds() -> None:
    outputs = set()
    for seed in ("0", "12345"):
        result = subprocess.run(
            [sys.executable, "-m", "clientgen", "validate", "unknown_fields.yaml"],
            cwd=CORPUS, capture_output=True, text=True, check=False,
            env={**os.environ, "PYTHONHASHSEED": seed,
                 "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        )
        outputs.add(result.stderr)
    assert len(outputs) == 1
