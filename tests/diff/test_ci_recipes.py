"""The CI recipes do what docs/ci.md says: the GitHub Actions workflow's steps, run as written,
and the pre-commit hooks' commands."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from clientgen import cli
from clientgen.diff_report import COMMENT_LIMIT, MARKDOWN_MARKER
from ruamel.yaml import YAML

from .corpus import BASE, schema

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / "examples" / "github-actions" / "clientgen.yml"
HOOKS = ROOT / ".pre-commit-hooks.yaml"


def _yaml(path: Path) -> Any:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def _steps(job: str) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = _yaml(WORKFLOW)["jobs"][job]["steps"]
    return steps


def _step(job: str, name: str) -> dict[str, Any]:
    return next(step for step in _steps(job) if step.get("name") == name)


def test_workflow_runs_on_pull_requests_and_pushes() -> None:
    workflow = _yaml(WORKFLOW)
    # YAML 1.1 readers (GitHub's among them) read the key `on` as is; ruamel's safe loader too.
    assert set(workflow["on"]) == {"pull_request", "push"}
    assert workflow["jobs"]["api-diff"]["permissions"]["pull-requests"] == "write"


def test_workflow_installs_tests_and_checks_generated_code() -> None:
    runs = [step.get("run", "") for step in _steps("check")]
    assert any("pip install -e '.[test]'" in run for run in runs)
    assert any("pytest" in run for run in runs)
    assert "clientgen generate --check --diff" in runs


def test_workflow_comment_step_finds_its_comment_by_the_markdown_marker() -> None:
    script = _step("api-diff", "Post or update the PR comment")["with"]["script"]
    assert MARKDOWN_MARKER in script
    assert "updateComment" in script and "createComment" in script
    checkout = _steps("api-diff")[0]
    assert checkout["with"]["fetch-depth"] == 0  # git:BASE_SHA:... needs the base commit


@pytest.mark.parametrize("job", ["check", "api-diff"])
def test_workflow_keeps_the_clientgen_cache_keyed_by_its_version(
        job: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The key step, run as written, names the directory generator/cache.py uses by default and
    the installed clientgen's version; the cache step restores it before clientgen runs."""
    from clientgen import __version__, cache

    steps = _steps(job)
    key_step = _step(job, "clientgen's cache key")
    cache_step = next(step for step in steps if str(step.get("uses", "")).startswith(
        "actions/cache@"))
    assert steps.index(key_step) < steps.index(cache_step) < next(
        index for index, step in enumerate(steps) if "clientgen " in step.get("run", "")
        and step is not key_step)
    output = tmp_path / "github-output"
    monkeypatch.setenv("GITHUB_OUTPUT", str(output))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.delenv("CLIENTGEN_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    subprocess.run(["bash", "-e", "-c", key_step["run"]], check=True)
    outputs = dict(line.split("=", 1) for line in output.read_text().splitlines())
    assert outputs["version"] == __version__
    assert outputs["dir"] == str(cache.directory())
    wanted = cache_step["with"]
    assert wanted["path"] == "${{ steps.clientgen-cache.outputs.dir }}"
    version = "${{ steps.clientgen-cache.outputs.version }}"
    assert version in wanted["key"] and wanted["restore-keys"].startswith(
        wanted["key"].removesuffix("${{ github.sha }}"))


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=repo, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def clientgen_on_path(tmp_path: Path) -> dict[str, str]:
    """An environment whose `clientgen` is this checkout's, as `pip install -e .` makes it."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "clientgen"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m clientgen "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    return {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
            "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}


def test_workflow_diff_step_reports_each_spec_and_flags_breaking_changes(
        tmp_path: Path, clientgen_on_path: dict[str, str]) -> None:
    repo = tmp_path / "repo"
    (repo / "specs").mkdir(parents=True)
    (repo / "specs" / "pets.yaml").write_text(json.dumps(BASE, indent=2), encoding="utf-8")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "base")
    base_sha = _git(repo, "rev-parse", "HEAD").strip()
    changed: dict[str, Any] = json.loads(json.dumps(BASE))
    del schema(changed, "Pet")["properties"]["tag"]
    (repo / "specs" / "pets.yaml").write_text(json.dumps(changed, indent=2), encoding="utf-8")
    (repo / "specs" / "toys.yaml").write_text(json.dumps(BASE), encoding="utf-8")

    step = _step("api-diff", "Diff the specs against the base branch")
    summary, output = tmp_path / "summary.md", tmp_path / "output.txt"
    env = {**clientgen_on_path, **_yaml(WORKFLOW)["jobs"]["api-diff"]["env"],
           "BASE_SHA": base_sha, "GITHUB_STEP_SUMMARY": str(summary),
           "GITHUB_OUTPUT": str(output)}
    # GitHub runs `run:` scripts with `bash -e`.
    result = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=repo, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    report = (repo / "api-diff.md").read_text(encoding="utf-8")
    assert report.startswith(MARKDOWN_MARKER)
    assert "property `Pet.tag` removed" in report
    assert "- field `models.Pet.tag: str | None = None` removed" in report
    assert f"`git:{base_sha[:7]}:specs/pets.yaml` → `specs/pets.yaml`" in report
    assert "`specs/toys.yaml` is new in this pull request" in report
    assert summary.read_text(encoding="utf-8") == report
    assert output.read_text(encoding="utf-8") == "breaking=1\n"
    # each spec's part of the comment gets an even share of GitHub's comment limit ...
    assert len(report) <= COMMENT_LIMIT
    # ... and its whole report goes to the artifact the next step uploads
    full = (repo / "api-diff-full" / "specs_pets.yaml.md").read_text(encoding="utf-8")
    assert full.startswith(MARKDOWN_MARKER) and "property `Pet.tag` removed" in full
    upload = _step("api-diff", "Upload the full reports")
    assert upload["uses"].startswith("actions/upload-artifact@")
    assert upload["with"]["path"] == "api-diff-full/"


def test_workflow_comment_share_keeps_a_large_diff_within_the_comment_limit(
        tmp_path: Path, clientgen_on_path: dict[str, str]) -> None:
    repo = tmp_path / "repo"
    (repo / "specs").mkdir(parents=True)
    for name in ("a", "b"):
        (repo / "specs" / f"{name}.yaml").write_text(json.dumps(BASE), encoding="utf-8")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "base")
    base_sha = _git(repo, "rev-parse", "HEAD").strip()
    changed: dict[str, Any] = json.loads(json.dumps(BASE))
    for index in range(600):  # ~70 KB of Markdown per spec
        changed["components"]["schemas"][f"Model{index}"] = {
            "type": "object", "properties": {"a_rather_long_property_name": {"type": "string"}}}
    for name in ("a", "b"):
        (repo / "specs" / f"{name}.yaml").write_text(json.dumps(changed), encoding="utf-8")
    step = _step("api-diff", "Diff the specs against the base branch")
    env = {**clientgen_on_path, **_yaml(WORKFLOW)["jobs"]["api-diff"]["env"],
           "BASE_SHA": base_sha, "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
           "GITHUB_OUTPUT": str(tmp_path / "output.txt")}
    result = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=repo, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    report = (repo / "api-diff.md").read_text(encoding="utf-8")
    assert len(report) <= COMMENT_LIMIT
    assert report.count("left out to fit a comment") == 2
    full = (repo / "api-diff-full" / "specs_a.yaml.md").read_text(encoding="utf-8")
    assert len(full) > COMMENT_LIMIT and "`Model599`" in full


def _hook(hook_id: str) -> dict[str, Any]:
    hooks: list[dict[str, Any]] = _yaml(HOOKS)
    return next(hook for hook in hooks if hook["id"] == hook_id)


def test_pre_commit_hooks_run_clientgen_from_pyproject_config() -> None:
    for hook_id in ("clientgen-check", "clientgen-regenerate"):
        hook = _hook(hook_id)
        assert hook["language"] == "python"
        assert hook["pass_filenames"] is False  # the targets come from pyproject.toml
        assert shlex.split(hook["entry"])[:2] == ["clientgen", "generate"]
    assert "--check" in shlex.split(_hook("clientgen-check")["entry"])


def test_pre_commit_check_hook_fails_on_stale_output_until_regenerated(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "specs").mkdir()
    spec = tmp_path / "specs" / "pets.json"
    spec.write_text(json.dumps(BASE), encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(
        '[[tool.clientgen.packages]]\nspec = "specs/pets.json"\n'
        'out = "generated/pets_client"\npackage = "pets_client"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)

    def hook(hook_id: str) -> int:
        return cli.main(shlex.split(_hook(hook_id)["entry"])[1:])

    assert hook("clientgen-check") == 1  # nothing generated yet
    assert hook("clientgen-regenerate") == 0
    assert hook("clientgen-check") == 0
    changed: dict[str, Any] = json.loads(json.dumps(BASE))
    schema(changed, "Owner")["properties"]["nickname"] = {"type": "string"}
    spec.write_text(json.dumps(changed), encoding="utf-8")
    assert hook("clientgen-check") == 1
    assert "+    nickname: str | None = None" in capsys.readouterr().err
