"""`[tool.clientgen]` in pyproject.toml: the specs `clientgen generate` regenerates by default."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Diagnostic, Level, Location, SpecError


@dataclass(frozen=True)
class Target:
    spec: Path
    out: Path
    package: str | None


def find_pyproject(start: Path) -> Path | None:
    for directory in (start, *start.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def configured_targets(start: Path) -> list[Target]:
    pyproject = find_pyproject(start)
    if pyproject is None:
        raise _config_error(str(start), "no pyproject.toml here or in a parent directory",
                            "pass a spec: clientgen generate SPEC --out DIR")
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise _config_error(str(pyproject), f"invalid TOML: {exc}", "") from None
    entries: object = data
    for key in ("tool", "clientgen", "packages"):
        entries = entries.get(key) if isinstance(entries, dict) else None
    if not isinstance(entries, list) or not entries:
        raise _config_error(
            str(pyproject), "no [[tool.clientgen.packages]] entries",
            'add [[tool.clientgen.packages]] with spec = "..." and out = "...", '
            "or pass a spec: clientgen generate SPEC --out DIR",
        )
    root = pyproject.parent
    targets = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("spec"), str) or not \
                isinstance(entry.get("out"), str):
            raise _config_error(str(pyproject),
                                f"[[tool.clientgen.packages]] entry {index + 1} needs "
                                "string `spec` and `out`", "")
        package = entry.get("package")
        if package is not None and not isinstance(package, str):
            raise _config_error(str(pyproject), f"[[tool.clientgen.packages]] entry {index + 1}: "
                                "`package` must be a string", "")
        targets.append(Target(root / entry["spec"], root / entry["out"], package))
    return targets


def _config_error(file: str, message: str, hint: str) -> SpecError:
    return SpecError([Diagnostic(Level.ERROR, message, location=Location(file), hint=hint)])
