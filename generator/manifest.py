"""The manifest of a generated package: what it was made from, and the hash of every file
written, so a regeneration whose inputs did not change is a few file hashes, not a run.

`clientgen-manifest.json` sits beside the package's pyproject.toml. It records the spec's
hash and the hash of every file the spec `$ref`s (by its path relative to the spec's folder),
the options that shape the output, clientgen's version and the hash of its templates, the
pinned versions of the tools that shape the output, and the hash of every other file written.
It holds no times and no absolute paths, so it is the same on every machine.

The manifest alone cannot say that clientgen's own code is the one that made the package
(`__version__` does not change with every commit of a development install), so the fast path
also needs an entry in the cache directory, written after a full run: "this generator code,
from these inputs, made this manifest". Without a cache directory (`--no-cache`, or an empty
CLIENTGEN_CACHE_DIR) every run does the full work.

This module imports only the standard library: the fast path must not load
datamodel-code-generator, black, ruff or jinja2.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

from . import __version__, cache
from .write import files_on_disk

MANIFEST = "clientgen-manifest.json"
_FORMAT = 1
# The tools whose exact version shapes the output: the ones pyproject.toml pins.
PINNED_TOOLS = ("black", "datamodel-code-generator", "ruff")
_CACHE_KIND = "manifest"
_CACHES = ("__pycache__",)  # in the templates' folder when it is imported


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_hash(path: Path) -> str:
    return _sha256(path.read_bytes())


def _tree_hash(root: Path, suffixes: tuple[str, ...] | None = None) -> str:
    """One hash of every file under `root` (names and contents, in sorted order)."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if not path.is_file() or any(part in _CACHES for part in relative.parts):
            continue
        if suffixes is not None and path.suffix not in suffixes:
            continue
        digest.update(relative.as_posix().encode() + b"\0")
        digest.update(_file_hash(path).encode() + b"\n")
    return digest.hexdigest()


def _installed_templates() -> Path | None:
    """Where `clientgen.templates` is, found without importing anything but its finder."""
    from importlib.util import find_spec

    spec = find_spec("clientgen.templates")
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    return Path(locations[0]) if locations else None


def generator_inputs() -> dict[str, Any]:
    """What of clientgen itself shapes its output: its version, templates and pinned tools."""
    templates = _installed_templates()
    return {
        "generator": {
            "version": __version__,
            "templates": _tree_hash(templates) if templates is not None else None,
        },
        "tools": {name: metadata.version(name) for name in PINNED_TOOLS},
    }


def code_fingerprint() -> str:
    """The hash of clientgen's own code, which the committed manifest does not record."""
    return _tree_hash(Path(__file__).resolve().parent, (".py",))


def spec_inputs(spec: Path, referenced: Iterable[Path], package: str | None,
                skip_invalid: bool) -> dict[str, Any]:
    """What of the user's shapes the output: the spec, the files it `$ref`s, the options."""
    folder = spec.resolve().parent
    data = spec.read_bytes()
    refs = {}
    for path in referenced:
        relative = Path(os.path.relpath(path.resolve(), folder)).as_posix()
        refs[relative] = _file_hash(path)
    return {
        "spec": {"file": spec.name, "bytes": len(data), "sha256": _sha256(data)},
        "refs": dict(sorted(refs.items())),
        "options": {"package": package, "skip_invalid": skip_invalid},
    }


def _recorded_refs(spec: Path, inputs: Mapping[str, Any]) -> list[Path]:
    """The files a manifest's `inputs` say `spec` `$ref`s (by their paths relative to the
    folder of the spec's real path, as `spec_inputs` records them)."""
    folder = spec.resolve().parent
    return [folder / name for name in inputs["refs"]]


def referenced_files(spec: Path, out: Path) -> list[Path]:
    """The files the manifest in `out` says `spec` `$ref`s; none without a readable one."""
    try:
        return _recorded_refs(spec, json.loads((out / MANIFEST).read_text(encoding="utf-8"))[
            "inputs"])
    except (OSError, ValueError, KeyError, TypeError):
        return []


def render(header: str, inputs: Mapping[str, Any], files: Mapping[str, str]) -> str:
    """The manifest's text for a package made from `inputs` whose files are `files`."""
    document = {
        "generated_by": header.lstrip("# "),  # the marker that makes the file clientgen's
        "format": _FORMAT,
        "inputs": inputs,
        "files": {name: _sha256(text.encode()) for name, text in sorted(files.items())
                  if name != MANIFEST},
    }
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


def _attestation_key(inputs: Mapping[str, Any], display: str) -> str:
    canonical = json.dumps([code_fingerprint(), display, inputs], sort_keys=True)
    return _sha256(canonical.encode())


def remember(manifest_text: str, display: str, warnings: list[str]) -> None:
    """After a full run that left `out` current: record that this code makes this manifest
    from its inputs, and the warnings the run printed, for the runs after it."""
    if cache.directory() is None:
        return
    inputs = json.loads(manifest_text)["inputs"]
    cache.write(_CACHE_KIND, _attestation_key(inputs, display), json.dumps(
        {"manifest": _sha256(manifest_text.encode()), "warnings": warnings}))


def unchanged(spec: Path, out: Path, package: str | None, skip_invalid: bool,
              display: str) -> list[str] | None:
    """When `out` is exactly what a full run would write, the warnings that run printed;
    None when the full work is needed (no cache, no or another manifest, a changed input,
    a file changed, missing or added in `out`)."""
    if cache.directory() is None:
        return None
    try:
        text = (out / MANIFEST).read_text(encoding="utf-8")
        manifest = json.loads(text)
        recorded = manifest["inputs"]
        if manifest.get("format") != _FORMAT or spec.stat().st_size != recorded["spec"]["bytes"]:
            return None
        inputs = {
            **spec_inputs(spec, _recorded_refs(spec, recorded), package, skip_invalid),
            **generator_inputs(),
        }
        if inputs != recorded:
            return None
        attested = cache.read(_CACHE_KIND, _attestation_key(inputs, display))
        if attested is None:
            return None
        attestation = json.loads(attested)
        if attestation["manifest"] != _sha256(text.encode()):
            return None
        if set(files_on_disk(out)) != set(manifest["files"]) | {MANIFEST}:
            return None
        for name, digest in manifest["files"].items():
            if _file_hash(out / name) != digest:
                return None
        return [str(line) for line in attestation["warnings"]]
    except (OSError, ValueError, KeyError, TypeError, metadata.PackageNotFoundError):
        return None  # anything unexpected: the full run knows what to say
