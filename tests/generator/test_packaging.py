"""The installed distribution: it is the `clientgen` package, and nothing else lands in site-packages."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_wheel_installs_only_the_clientgen_package(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(tmp_path), str(ROOT)],
        check=True, capture_output=True,
    )
    (wheel,) = tmp_path.glob("clientgen-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert {name.split("/")[0] for name in names} == {"clientgen", wheel.name.split("-py")[0] + ".dist-info"}
    assert "clientgen/templates/runtime/_base_client.py" in names
    assert "clientgen/templates/package/_client.py.jinja" in names
    assert "clientgen/py.typed" in names


def test_python_dash_m_clientgen_runs_the_cli() -> None:
    result = subprocess.run([sys.executable, "-m", "clientgen", "--version"],
                            capture_output=True, text=True, check=True, cwd="/")
    assert result.stdout.startswith("clientgen ")
