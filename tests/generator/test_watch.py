"""`clientgen generate --watch` regenerates when the spec or a file it `$ref`s is saved, keeps
the package as it was when a save breaks the spec, starts a new models' worker when its worker
was killed, and ends on Ctrl-C with its worker; a save during a run, and a file asked for
before it exists, are seen."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from clientgen.cli import main
from clientgen.config import Target
from clientgen.diagnostics import SpecError
from clientgen.load import read_document
from clientgen.manifest import MANIFEST
from clientgen.watch import watch

from tests.processes import CLIENTGEN, LINUX_PROCESSES, alive, children, within
from tests.processes import SPEC as PETS

SPEC = PETS.replace("Pet: {type: object, properties: {name: {type: string}}}",
                    'Pet: {$ref: "pet.yaml"}')
assert SPEC != PETS
PET = "type: object\nproperties:\n  name: {type: string}\n"
WAIT = 120  # seconds; a generation takes ~1 s
SUMMARY = re.compile(r" -> .*: \d+ operations, \d+ models, \d+ files in ")  # a run's last line


class _Watcher:
    """A `clientgen generate --watch` process, and the lines it writes to stderr."""

    def __init__(self, spec: Path, out: Path, cache: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", CLIENTGEN, "generate", str(spec), "--out", str(out),
             "--watch", "--interval", "0.05"],
            stderr=subprocess.PIPE, text=True,
            env={**os.environ, "CLIENTGEN_CACHE_DIR": str(cache)})
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        assert self.process.stderr is not None
        stream = self.process.stderr
        threading.Thread(target=lambda: [self.lines.put(line) for line in stream],
                         daemon=True).start()

    def wait_for(self, text: str | re.Pattern[str]) -> list[str]:
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
            if (text.search(line) if isinstance(text, re.Pattern) else text in line):
                return found


def _save(path: Path, text: str) -> None:
    """Save as editors do, the whole file at once: a watch that polls between the truncation
    and the write of `write_text` sees two saves, and rightly regenerates twice (a test that
    expects one run would then interrupt the second)."""
    staged = path.with_name(f".{path.name}.new")
    staged.write_text(text, encoding="utf-8")
    os.replace(staged, path)


def _tree(folder: Path) -> dict[str, str]:
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


@LINUX_PROCESSES
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

        _save(pet, PET + "  age: {type: integer}\n")
        lines = watcher.wait_for(SUMMARY)
        assert any("pet.yaml changed: regenerating" in line for line in lines)
        models = "\n".join(path.read_text(encoding="utf-8")
                           for path in out.rglob("models/*.py"))
        assert "age: int | None" in models

        before = _tree(out)
        _save(spec, SPEC.replace("paths:", "paths: [", 1))
        lines = watcher.wait_for("nothing was written")
        assert any("spec.yaml changed: regenerating" in line for line in lines)
        assert _tree(out) == before

        _save(spec, SPEC.replace("listPets", "listAllPets"))
        watcher.wait_for(SUMMARY)
        code = "\n".join(path.read_text(encoding="utf-8") for path in out.rglob("*.py"))
        assert "def list_all_pets(" in code and "def list_pets(" not in code
        assert watcher.process.poll() is None  # still watching

        workers: list[int] = []
        if (os.cpu_count() or 1) >= 2:  # one core: the models are made in the process itself
            workers = children(watcher.process.pid)
            assert workers  # the models' worker, kept between runs
            os.kill(workers[0], signal.SIGKILL)  # as the kernel's out-of-memory killer would
            assert within(10, lambda: not alive(workers[0]))
            _save(pet, PET + "  weight: {type: number}\n")
            lines = watcher.wait_for(SUMMARY)
            assert not any("error" in line for line in lines), lines
            models = "\n".join(path.read_text(encoding="utf-8")
                               for path in out.rglob("models/*.py"))
            assert "weight: float | None" in models
            workers = children(watcher.process.pid)
            assert workers

        # Ctrl-C between runs: the summary line is a run's last act, but a signal that comes
        # as it is printed interrupts that run (exit 130); a moment later the watch is idle
        time.sleep(1)
        watcher.process.send_signal(signal.SIGINT)
        assert watcher.process.wait(timeout=WAIT) == 0
        watcher.wait_for("stopped watching")
        assert within(10, lambda: not any(alive(pid) for pid in workers))
    finally:
        if watcher.process.poll() is None:
            watcher.process.kill()
        watcher.process.wait()


class _Polls:
    """`watch`'s sleep: runs `actions[n]` at the n-th poll, and Ctrl-C after the last one."""

    def __init__(self, *actions: Callable[[], object]) -> None:
        self.actions = list(actions)

    def __call__(self, seconds: float) -> None:
        if not self.actions:
            raise KeyboardInterrupt
        self.actions.pop(0)()


def _watched(spec: Path, sleep: _Polls, during: Callable[[int], object] = lambda run: None,
             ) -> int:
    """How many runs `watch` made of a target whose spec is `spec`; `during(n)` runs inside
    the n-th run."""
    runs = []

    def regenerate(target: Target) -> None:
        runs.append(target)
        during(len(runs))

    with _contained():
        watch([Target(spec, spec.parent / "out", None)], regenerate, str, 0.0, quiet=True,
              sleep=sleep)
    return len(runs)


@contextlib.contextmanager
def _contained() -> Iterator[None]:
    """A Ctrl-C that escapes `watch` as a test failure, not as the end of the test session
    (pytest takes a KeyboardInterrupt for the user's)."""
    try:
        yield
    except KeyboardInterrupt:
        pytest.fail("Ctrl-C went past the watch")


def test_a_save_during_a_run_is_seen_at_the_next_poll(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text("a", encoding="utf-8")
    saves = {1: "ab", 2: "abc"}  # in the first run, and in the run that the first save made

    def during(run: int) -> None:
        if run in saves:
            spec.write_text(saves[run], encoding="utf-8")

    assert _watched(spec, _Polls(lambda: None, lambda: None, lambda: None), during) == 3


def test_a_file_asked_for_before_it_exists_is_watched(tmp_path: Path) -> None:
    spec, later = tmp_path / "spec.yaml", tmp_path / "later.yaml"
    spec.write_text("a", encoding="utf-8")

    def during(run: int) -> None:  # as the loader, bundling a `$ref` to a file not written yet
        with contextlib.suppress(SpecError):
            read_document(later, "later.yaml")

    created = _Polls(lambda: later.write_text("b", encoding="utf-8"), lambda: None)
    assert _watched(spec, created, during) == 2


def test_a_save_after_a_file_was_first_read_in_a_run_is_seen(tmp_path: Path) -> None:
    spec, later = tmp_path / "spec.yaml", tmp_path / "later.yaml"
    spec.write_text("a", encoding="utf-8")
    later.write_text("b", encoding="utf-8")

    def during(run: int) -> None:  # the loader reads a new `$ref`'d file; then it is saved
        read_document(later, "later.yaml")
        if run == 1:
            later.write_text("bc", encoding="utf-8")

    assert _watched(spec, _Polls(lambda: None, lambda: None), during) == 2


def test_one_file_is_watched_once_however_it_is_spelled(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The manifest names a `$ref`'d file relative to the spec (`../shared/pet.yaml`), the
    loader by its own path: one file, watched once."""
    (tmp_path / "api").mkdir()
    (tmp_path / "shared").mkdir()
    spec, pet = tmp_path / "api" / "spec.yaml", tmp_path / "shared" / "pet.yaml"
    spec.write_text("a", encoding="utf-8")
    pet.write_text("b", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / MANIFEST).write_text(json.dumps({"inputs": {"refs": {"../shared/pet.yaml": "0"}}}),
                                encoding="utf-8")
    watch([Target(spec, out, None)], lambda target: read_document(pet.resolve(), "pet.yaml"),
          str, 0.0, sleep=_Polls())
    assert "watching 2 files" in capsys.readouterr().err


def test_a_usage_error_found_by_a_run_ends_the_watch(tmp_path: Path) -> None:
    """Not an internal error said on every save (a process, so that a watch that goes on
    fails the test instead of hanging it)."""
    (tmp_path / "spec.yaml").write_text(PETS, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "clientgen", "generate", "spec.yaml", "--out", "out",
         "--package", "httpx", "--watch"], cwd=tmp_path, capture_output=True, text=True,
        timeout=WAIT, check=False)
    assert done.returncode == 2, done.stderr
    assert "'httpx'" in done.stderr and "internal error" not in done.stderr


def test_ctrl_c_during_a_run_is_left_to_the_command(tmp_path: Path) -> None:
    """Between runs Ctrl-C ends the watch (`watch` returns: exit 0); during one, it goes on up
    to `main`, which says the output was left as it was (exit 130)."""
    spec = tmp_path / "spec.yaml"
    spec.write_text("a", encoding="utf-8")

    def during(run: int) -> None:
        if run == 2:
            raise KeyboardInterrupt

    assert _watched(spec, _Polls()) == 1  # Ctrl-C at the first poll
    with pytest.raises(pytest.fail.Exception, match="went past"):
        _watched(spec, _Polls(lambda: spec.write_text("ab", encoding="utf-8"), lambda: None),
                 during)
    with pytest.raises(pytest.fail.Exception, match="went past"):  # in the first run
        _watched(spec, _Polls(), lambda run: during(run + 1))


def test_ctrl_c_between_runs_but_not_in_the_sleep_ends_the_watch(tmp_path: Path) -> None:
    """The main thread may handle a Ctrl-C another thread received once its sleep is over:
    still between runs (here, as a change is announced), so the watch ends, not the command."""
    spec = tmp_path / "spec.yaml"
    spec.write_text("a", encoding="utf-8")
    runs = []

    def display(path: Path) -> str:
        raise KeyboardInterrupt

    with _contained():
        watch([Target(spec, tmp_path / "out", None)], runs.append, display, 0.0,
              sleep=_Polls(lambda: spec.write_text("ab", encoding="utf-8")))
    assert len(runs) == 1


def test_while_the_spec_is_missing_the_watch_waits_for_it(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text("a", encoding="utf-8")
    polls = _Polls(spec.unlink, lambda: None, lambda: spec.write_text("b", encoding="utf-8"),
                   lambda: None)
    assert _watched(spec, polls) == 2  # the first run, and the one after the spec came back


@pytest.mark.parametrize("options", [["--check", "--watch"], ["--interval", "1"]])
def test_watch_options_that_do_not_go_together(options: list[str],
                                                capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["generate", "spec.yaml", "--out", "out", *options])
    assert exited.value.code == 2
    assert "--watch" in capsys.readouterr().err
