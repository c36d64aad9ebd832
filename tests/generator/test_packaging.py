"""The installed distribution: it is the `clientgen` package, and nothing else lands in site-packages."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

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


def test_the_command_exits_with_mains_code_and_all_it_printed(tmp_path: Path) -> None:
    """`clientgen` ends without the interpreter's teardown (`cli.run`): the exit code and
    every line written to the pipes must still arrive."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"
                   "components: {schemas: {A: {$ref: '#/components/schemas/Missing'}}}\n")
    failed = subprocess.run([sys.executable, "-m", "clientgen", "validate", str(bad)],
                            capture_output=True, text=True, cwd=tmp_path)
    assert failed.returncode == 1
    assert "bad.yaml:4" in failed.stderr and "Missing" in failed.stderr
    spec = Path(__file__).parents[2] / "specs" / "stitch.yaml"
    done = subprocess.run([sys.executable, "-m", "clientgen", "generate", str(spec), "--out",
                           str(tmp_path / "out"), "--no-cache"],
                          capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0 and "21 operations" in done.stderr
    assert (tmp_path / "out" / "stitch_client" / "py.typed").exists()
    # reports on stdout, block-buffered into a pipe: all of them, as a normal exit gives them
    for other in (spec, spec.with_name("fivetran.yaml")):
        argv = ["diff", str(spec), str(other), "--no-api"]
        piped = subprocess.run([sys.executable, "-m", "clientgen", *argv], capture_output=True,
                               text=True, cwd=tmp_path, env=_BUFFERED)
        normal = subprocess.run([sys.executable, "-c", "import sys; from clientgen.cli import "
                                 f"main; sys.exit(main({argv!r}))"], capture_output=True,
                                text=True, cwd=tmp_path, env=_BUFFERED)
        assert piped.stdout and piped.stdout == normal.stdout


_BUFFERED = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs a device that refuses writes")
def test_output_that_cannot_be_written_fails_the_command_as_python_does() -> None:
    spec = Path(__file__).parents[2] / "specs" / "stitch.yaml"
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "clientgen", "diff", str(spec), str(spec),
                               "--no-api"], stdout=full, stderr=subprocess.PIPE, env=_BUFFERED)
    assert done.returncode == 120 and b"No space left on device" in done.stderr


def test_under_a_profiler_the_command_exits_as_usual(tmp_path: Path) -> None:
    """A profiler writes its results at exit, which the fast exit would skip."""
    spec = Path(__file__).parents[2] / "specs" / "stitch.yaml"
    subprocess.run([sys.executable, "-m", "cProfile", "-o", str(tmp_path / "profile"), "-m",
                    "clientgen", "validate", str(spec)], capture_output=True, check=True)
    assert (tmp_path / "profile").stat().st_size > 0
