"""`clientgen generate --watch` regenerates when the spec or a file it `$ref`s is saved, keeps
the package as it was when a save breaks the spec, and ends on Ctrl-C with its worker."""

from __future__ import annotations

import hashlib
import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from clientgen.cli import main

from tests.robustness.test_processes import _CLIENTGEN, _alive, _children, _within

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="sends SIGINT")

SPEC = """\
openapi: 3.1.0
info: {title: Pets, version: "1"}
servers: [{url: "https://api.example.com"}]
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Pet"}}
components:
  schemas:
    Pet: {$ref: "pet.yaml"}
"""
PET = "type: object\nproperties:\n  name: {type: string}\n"
WAIT = 120  # seconds; a generation takes ~1 s


class _Watcher:
    """A `clientgen generate --watch` process, and the lines it writes to stderr."""

    def __init__(self, spec: Path, out: Path, cache: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", _CLIENTGEN, "generate", str(spec), "--out", str(out),
             "--watch", "--interval", "0.05"],
            stderr=subprocess.PIPE, text=True,
            env={**os.environ, "CLIENTGEN_CACHE_DIR": str(cache)})
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        assert self.process.stderr is not None
        stream = self.process.stderr
        threading.Thread(target=lambda: [self.lines.put(line) for line in stream],
                         daemon=True).start()

    def wait_for(self, text: str) -> list[str]:
        """The lines written until one that holds `text` (that one included)."""
        found = []
        while True:
            try:
                line = self.lines.get(timeout=WAIT)
            except queue.Empty:
                raise AssertionError(f"no line with {text!r} in {WAIT} s; seen: "
                                     f"{self.seen}") from None
            self.seen.append(line)
            found.append(line)
            if text in line:
                return found


def _tree(folder: Path) -> dict[str, str]:
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def test_watch_regenerates_on_each_save_and_survives_a_broken_spec(tmp_path: Path) -> None:
    spec, pet, out = tmp_path / "spec.yaml", tmp_path / "pet.yaml", tmp_path / "out"
    spec.write_text(SPEC, encoding="utf-8")
    pet.write_text(PET, encoding="utf-8")
    watcher = _Watcher(spec, out, tmp_path / "cache")
    try:
        watcher.wait_for("watching 2 files")  # the spec and the file it $refs
        models = "\n".join(path.read_text(encoding="utf-8")
                           for path in out.rglob("models/*.py"))
        assert "name: str | None" in models and "age:" not in models

        pet.write_text(PET + "  age: {type: integer}\n", encoding="utf-8")
        lines = watcher.wait_for(" -> ")
        assert any("pet.yaml changed: regenerating" in line for line in lines)
        models = "\n".join(path.read_text(encoding="utf-8")
                           for path in out.rglob("models/*.py"))
        assert "age: int | None" in models

        before = _tree(out)
        spec.write_text(SPEC.replace("paths:", "paths: [", 1), encoding="utf-8")
        lines = watcher.wait_for("nothing was written")
        assert any("spec.yaml changed: regenerating" in line for line in lines)
        assert _tree(out) == before

        spec.write_text(SPEC.replace("listPets", "listAllPets"), encoding="utf-8")
        watcher.wait_for(" -> ")
        code = "\n".join(path.read_text(encoding="utf-8") for path in out.rglob("*.py"))
        assert "def list_all_pets(" in code and "def list_pets(" not in code
        assert watcher.process.poll() is None  # still watching

        workers = _children(watcher.process.pid)
        assert workers  # the models' worker, kept between runs
        watcher.process.send_signal(signal.SIGINT)
        assert watcher.process.wait(timeout=WAIT) == 0
        watcher.wait_for("stopped watching")
        assert _within(10, lambda: not any(_alive(pid) for pid in workers))
    finally:
        if watcher.process.poll() is None:
            watcher.process.kill()
        watcher.process.wait()


def test_watch_does_not_go_with_check(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["generate", "spec.yaml", "--out", "out", "--check", "--watch"])
    assert exited.value.code == 2
    assert "--watch" in capsys.readouterr().err
