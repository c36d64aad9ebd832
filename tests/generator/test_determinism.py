"""The same spec gives byte-identical output whatever the hash seed and working directory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT


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
