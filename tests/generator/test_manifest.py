"""The manifest and the no-op regeneration: when nothing a package was made from changed,
`generate` and `generate --check` hash files and stop, without loading the heavy libraries."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from clientgen import manifest
from clientgen.manifest import MANIFEST, PINNED_TOOLS
from clientgen.pipeline import generate_package
from clientgen.write import files_on_disk

from tests.conftest import GENERATED

SPEC = """\
openapi: 3.1.0
info: {title: Pets, version: "1"}
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema: {type: array, items: {$ref: "shared/pet.yaml#/Pet"}}
"""
PET = "Pet: {type: object, properties: {name: {type: string}}}\n"
HEAVY = ("datamodel_code_generator", "black", "ruff", "jinja2")
WORKER = "(the models' worker process)"
# Runs the CLI in a fresh interpreter, as on a machine with PROBE_CORES cores, and prints the
# heavy modules it imported, and WORKER if it started the models' worker process (a pool of
# one; it imports datamodel-code-generator). On one core all the work is done in this process,
# where its imports show.
_PROBE = (
    "import json, os, sys\n"
    "from clientgen import parallel\n"
    "from clientgen.cli import main\n"
    "parallel.os.cpu_count = lambda: int(os.environ['PROBE_CORES'])\n"
    "pools = []\n"
    "_pool = parallel._pool\n"
    "parallel._pool = lambda workers: pools.extend([1] if workers == 1 else []) or _pool(workers)\n"
    "code = main(sys.argv[1:])\n"
    f"imported = sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY)!r})\n"
    f"print(json.dumps([code, imported + ([{WORKER!r}] if pools else [])]))"
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A spec that `$ref`s a file of another folder, generated once into out/."""
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "pet.yaml").write_text(PET, encoding="utf-8")
    (tmp_path / "spec.yaml").write_text(SPEC, encoding="utf-8")
    assert run(tmp_path, "generate", "spec.yaml", "--out", "out")[0] == 0
    return tmp_path


def run(cwd: Path, *argv: str, cache: str | None = None, one_core: bool = False
        ) -> tuple[int, list[str], str]:
    """`clientgen ARGV` in a fresh interpreter: exit code, heavy modules imported (and WORKER
    if a worker process was started), stderr."""
    env = dict(os.environ)
    if cache is not None:
        env["CLIENTGEN_CACHE_DIR"] = cache
    env["PROBE_CORES"] = "1" if one_core else "2"
    done = subprocess.run([sys.executable, "-c", _PROBE, *argv], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.stdout, done.stderr
    code, imported = json.loads(done.stdout.splitlines()[-1])
    return code, imported, done.stderr


def test_unchanged_inputs_are_verified_without_the_heavy_libraries(project: Path) -> None:
    code, imported, stderr = run(project, "generate", "spec.yaml", "--out", "out", "--check")
    assert (code, imported) == (0, [])
    assert "out is current" in stderr
    before = {p: p.stat().st_mtime_ns for p in (project / "out").rglob("*")}
    code, imported, _ = run(project, "generate", "spec.yaml", "--out", "out")
    assert (code, imported) == (0, [])
    assert {p: p.stat().st_mtime_ns for p in (project / "out").rglob("*")} == before


@pytest.mark.parametrize("how", ["--no-cache", "empty CLIENTGEN_CACHE_DIR"])
def test_without_the_cache_the_full_work_is_done(project: Path, how: str) -> None:
    options, cache = (["--no-cache"], None) if how == "--no-cache" else ([], "")
    code, imported, stderr = run(project, "generate", "spec.yaml", "--out", "out", "--check",
                                 *options, cache=cache, one_core=True)
    assert code == 0, stderr
    assert set(imported) >= {"datamodel_code_generator", "black", "jinja2"}
    code, imported, stderr = run(project, "generate", "spec.yaml", "--out", "out", "--check",
                                 *options, cache=cache)
    assert code == 0, stderr
    assert set(imported) >= {WORKER, "black", "jinja2"}  # the models made on the worker,
    assert "datamodel_code_generator" not in imported  # which alone imports the library


def test_a_hand_edit_is_still_reported_and_undone(project: Path) -> None:
    models = project / "out" / "pets_client" / "models" / "_all.py"
    original = models.read_text(encoding="utf-8")
    models.write_text(original.replace("name:", "nom:"), encoding="utf-8")
    code, _, stderr = run(project, "generate", "spec.yaml", "--out", "out", "--check")
    assert code == 1
    assert "changed: out/pets_client/models/_all.py" in stderr
    assert run(project, "generate", "spec.yaml", "--out", "out")[0] == 0
    assert models.read_text(encoding="utf-8") == original


def test_an_added_file_is_still_reported(project: Path) -> None:
    (project / "out" / "pets_client" / "notes.py").write_text("# Generated by clientgen\n")
    code, _, stderr = run(project, "generate", "spec.yaml", "--out", "out", "--check")
    assert code == 1
    assert "extra: out/pets_client/notes.py" in stderr


def test_a_changed_referenced_file_is_generated_again(project: Path) -> None:
    (project / "shared" / "pet.yaml").write_text(
        PET.replace("name: {type: string}", "name: {type: string}, age: {type: integer}"),
        encoding="utf-8")
    code, imported, stderr = run(project, "generate", "spec.yaml", "--out", "out", "--check",
                                 one_core=True)
    assert code == 1 and "changed: out/pets_client/models/_all.py" in stderr
    assert "datamodel_code_generator" in imported
    assert run(project, "generate", "spec.yaml", "--out", "out")[0] == 0
    assert "age: int | None" in (project / "out" / "pets_client" / "models" / "_all.py").read_text()


def test_a_manifest_alone_is_not_trusted(project: Path, tmp_path: Path) -> None:
    """A fresh cache (a new checkout, CI without its cache) has no record that this code made
    the manifest: the full work is done."""
    code, imported, _ = run(project, "generate", "spec.yaml", "--out", "out", "--check",
                            cache=str(tmp_path / "another-cache"), one_core=True)
    assert code == 0
    assert "datamodel_code_generator" in imported


def test_other_generator_code_is_not_trusted(project: Path, monkeypatch: pytest.MonkeyPatch
                                             ) -> None:
    """The manifest records clientgen's version, which a development install keeps across
    commits: the record in the cache is also keyed by the hash of clientgen's code."""
    monkeypatch.chdir(project)
    warnings = manifest.unchanged(Path("spec.yaml"), Path("out"), None, False, "spec.yaml")
    assert warnings is not None and "no absolute server URL" in warnings[0]  # printed again
    monkeypatch.setattr(manifest, "code_fingerprint", lambda: "edited")
    assert manifest.unchanged(Path("spec.yaml"), Path("out"), None, False, "spec.yaml") is None


def test_the_manifest_records_inputs_and_files_deterministically(project: Path,
                                                                  tmp_path: Path) -> None:
    recorded = json.loads((project / "out" / MANIFEST).read_text(encoding="utf-8"))
    assert recorded["inputs"]["refs"] == {
        "shared/pet.yaml": hashlib.sha256(PET.encode()).hexdigest()}
    assert recorded["inputs"]["spec"]["sha256"] == hashlib.sha256(SPEC.encode()).hexdigest()
    assert set(recorded["inputs"]["tools"]) == set(PINNED_TOOLS)
    on_disk = {p.relative_to(project / "out").as_posix(): hashlib.sha256(p.read_bytes())
               .hexdigest() for p in (project / "out").rglob("*") if p.is_file()}
    assert recorded["files"] == {k: v for k, v in on_disk.items() if k != MANIFEST}
    # the same inputs elsewhere, generated in memory: the same manifest, no paths of this run
    elsewhere = tmp_path / "elsewhere" / "deeper"
    shutil.copytree(project / "shared", elsewhere / "shared")
    shutil.copy(project / "spec.yaml", elsewhere / "spec.yaml")
    again = generate_package(elsewhere / "spec.yaml").files[MANIFEST]
    assert again == (project / "out" / MANIFEST).read_text(encoding="utf-8")
    assert str(tmp_path) not in again and "elsewhere" not in again


@pytest.mark.parametrize("package", ["fivetran_client", "stitch_client"])
def test_the_bundled_manifests_name_every_committed_file(package: str) -> None:
    out = GENERATED / package
    recorded = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    committed = set(files_on_disk(out)) - {MANIFEST}  # without what tests left there
    assert set(recorded["files"]) == committed
