"""The same spec gives byte-identical output whatever the hash seed and working directory."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.diff.corpus import BASE


def _tree(directory: Path) -> dict[str, bytes]:
    return {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("spec", ["fivetran.yaml", "stitch.yaml"])
def test_output_is_identical_across_hash_seeds_and_directories(spec: str, tmp_path: Path) -> None:
    trees = []
    for seed, cwd in (("0", ROOT), ("4242", tmp_path)):
        out = tmp_path / f"out-{seed}"
        subprocess.run(
            [sys.executable, "-m", "clientgen", "generate", str(ROOT / "specs" / spec),
             "--out", str(out), "--quiet"],
            cwd=cwd, env={**os.environ, "PYTHONHASHSEED": seed}, check=True,
        )
        trees.append(_tree(out))
    assert trees[0] == trees[1]
    assert len(trees[0]) > 5


def test_diff_lists_changes_in_the_same_order_across_hash_seeds(tmp_path: Path) -> None:
    """Parameters, media types and security schemes changed together: their changes are
    listed in document order, never in the order of a set of names."""
    old = copy.deepcopy(BASE)
    new = copy.deepcopy(BASE)
    names = ["alpha", "beta", "gamma", "delta", "epsilon"]
    old["paths"]["/pets"]["get"]["parameters"] += [
        {"name": name, "in": "query", "required": True, "schema": {"type": "string"}}
        for name in names]
    new["paths"]["/pets"]["get"]["parameters"] += [
        {"name": name, "in": "query", "schema": {"type": "string"}} for name in names]
    new["paths"]["/pets"]["post"]["requestBody"]["content"].update(
        {f"text/x-{name}": {"schema": {"type": "string"}} for name in names})
    new["components"]["securitySchemes"].update(
        {name: {"type": "http", "scheme": "basic"} for name in names})
    for side, spec in (("old", old), ("new", new)):
        (tmp_path / f"{side}.json").write_text(json.dumps(spec), encoding="utf-8")
    outputs = [
        subprocess.run(
            [sys.executable, "-m", "clientgen", "diff", "old.json", "new.json", "--format",
             "json", "--no-api"],
            cwd=tmp_path, env={**os.environ, "PYTHONHASHSEED": seed}, check=True,
            capture_output=True, text=True,
        ).stdout
        for seed in ("0", "4242")
    ]
    assert outputs[0] == outputs[1]
    kinds = [change["kind"] for change in json.loads(outputs[0])["changes"]]
    assert kinds.count("parameter-became-optional") == len(names)
    assert kinds.count("request-media-type-added") == len(names)
    assert kinds.count("security-scheme-added") == len(names)
