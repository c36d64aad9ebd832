"""`clientgen diff`: the API-level changes between two specs, classified for a client user.

The comparison is semantic, not textual: operations are matched by method and path (then by
path shape, then by operationId), parameters by `in` and name, bodies by media type, responses by
status, and schemas are compared wherever an operation reaches them, `$ref`s followed.

A schema change is judged by where the schema is used. A client *sends* request schemas and
*receives* response schemas, so one edit can break one side and not the other: a new required
field breaks a request but not a response; a new enum value may surprise a client reading it
but not one sending it. A change to a schema used on both sides takes the worse verdict.

The parts: diff_document (info, servers, security), diff_operations (operations, parameters,
bodies, responses), diff_schemas with diff_values (schemas and their keywords), diff_usage
(what a use of a discriminated base reaches, what can be skipped), all recording into one
diff_changes.ChangeLog. This module reads the sources and assembles the report.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from importlib import metadata
from pathlib import Path
from typing import Any

from . import api_surface, cache
from .diagnostics import Diagnostic, Level, Location, SpecError
from .diff_changes import ChangeLog
from .diff_document import DocumentComparer
from .diff_operations import OperationComparer
from .diff_report import ApiChange, Change, DiffReport, Severity
from .diff_schemas import SchemaComparer
from .load import LoadedSpec, load_spec, read_document
from .manifest import code_fingerprint, generator_inputs
from .openapi import OpenApiDocument, as_dict


class _Comparer:
    """The whole comparison: what applies to the whole API, the operations (which reach the
    schemas they use), then the schemas no operation reached. What is found first is listed
    first within a severity."""

    def __init__(self, old: LoadedSpec, new: LoadedSpec) -> None:
        self.log = ChangeLog(old, new)
        old_api, new_api = OpenApiDocument(old.data), OpenApiDocument(new.data)
        self.document = DocumentComparer(self.log, old_api, new_api)
        self.schemas = SchemaComparer(self.log, old_api, new_api)
        self.operations = OperationComparer(self.log, old_api, new_api, self.schemas)

    @property
    def unchanged(self) -> set[str]:
        """The components whose comparison is skipped: it could find nothing."""
        return self.schemas.reach.unchanged

    def run(self) -> None:
        self.document.run()
        self.operations.run()
        self.schemas.components()

    def changes(self) -> list[Change]:
        return self.log.changes()


def diff_specs(old: LoadedSpec, new: LoadedSpec) -> list[Change]:
    """Every API-level change from `old` to `new`, worst first, in document order within."""
    comparer = _Comparer(old, new)
    comparer.run()
    return comparer.changes()


# -- sources: files, or specs read from a git revision --------------------------------------

GIT_PREFIX = "git:"


def _source_error(source: str, message: str, hint: str = "") -> SpecError:
    return SpecError([Diagnostic(Level.ERROR, message, location=Location(source), hint=hint)])


def _git(args: list[str], source: str) -> bytes:
    try:
        result = subprocess.run(["git", *args], capture_output=True, check=False)
    except FileNotFoundError:
        raise _source_error(source, "git is not installed", "install git, or pass a file") \
            from None
    if result.returncode != 0:
        detail = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise _source_error(source, f"git {' '.join(args)} failed: "
                            f"{detail[-1] if detail else result.returncode}",
                            "check the revision and the path (relative to the repository root, "
                            "or starting with ./ for the current directory)")
    return result.stdout


def _external_refs(data: Any) -> Iterator[str]:
    """The file part of every relative-file `$ref` in a document."""
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and not ref.startswith("#") and "://" not in ref:
                yield ref.partition("#")[0]
            stack.extend(value for key, value in node.items() if key != "$ref")
        elif isinstance(node, list):
            stack.extend(node)


@contextmanager
def local_spec(source: str, ref_root: Path | None = None) -> Iterator[tuple[Path, Path | None]]:
    """The spec `source` names, as a local file, and the directory its `$ref`s may reach
    beyond the default (`load.ref_roots`): a path as given, with `ref_root`; or, for
    `git:REF:path`, the file read from that revision into a temporary directory, together with
    every file its relative `$ref`s name (so multi-file specs resolve as they did at that
    revision), with that directory, which stands for the revision's work tree."""
    if not source.startswith(GIT_PREFIX):
        yield Path(source), ref_root
        return
    revision, _, path = source[len(GIT_PREFIX):].partition(":")
    if not revision or not path:
        raise _source_error(source, "a git source is written git:REVISION:PATH",
                            "e.g. git:main:specs/fivetran.yaml")
    if path.startswith(("./", "../")):  # git reads these relative to the working directory
        prefix = _git(["rev-parse", "--show-prefix"], source).decode().strip()
        path = posixpath.normpath(posixpath.join(prefix, path))
    with tempfile.TemporaryDirectory(prefix="clientgen-diff-") as directory:
        root = Path(directory)
        pending, fetched = [path], set()
        while pending:
            relative = pending.pop()
            if relative in fetched:
                continue
            fetched.add(relative)
            try:
                content = _git(["show", f"{revision}:{relative}"], source)
            except SpecError:
                if relative == path:
                    raise
                continue  # a missing `$ref` target: loading reports it with its location
            target = root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
            try:
                data = read_document(target, relative).data
            except SpecError:
                continue  # loading reports the syntax error
            for file in _external_refs(data):
                joined = posixpath.normpath(posixpath.join(posixpath.dirname(relative), file))
                if not joined.startswith("../"):
                    pending.append(joined)
        yield root / path, root


# -- the whole report -----------------------------------------------------------------------


_SURFACE_CACHE = "api-surface"


def _clientgen_key() -> str:
    """What of this installation shapes a generated API: clientgen's code, templates and
    pinned tools, the libraries the models and templates are made with, and Python. Computed
    without importing them: a diff whose APIs are cached loads neither."""
    libraries = [metadata.version(name) for name in ("pydantic", "jinja2")]
    return json.dumps([code_fingerprint(), generator_inputs(), libraries, sys.version_info[:2]])


def _surface_key(loaded: LoadedSpec, clientgen: str) -> str:
    """The cache key of a spec's generated API: `clientgen` (`_clientgen_key`), the spec's file
    name and the bundled document (so the files it `$ref`s count too)."""
    return hashlib.sha256(json.dumps([clientgen, loaded.root.path.name, loaded.data],
                                     default=str).encode()).hexdigest()


def _api_surface(loaded: LoadedSpec, clientgen: str, made: dict[str, dict[str, str]],
                 seen: api_surface.Seen
                 ) -> tuple[str, dict[str, api_surface.Symbol]]:
    """The package name and public API generated from `loaded`: from the cache when this
    spec was compared before (a pull request's base mostly was), else generated unformatted
    (the API is read with `ast`: black and ruff change no symbol, tests/diff/
    test_api_surface.py), reusing what the other side made from the same inputs (`made`:
    models modules; `seen`: each file's and class's symbols). Raises SpecError when it does not
    generate."""
    key = _surface_key(loaded, clientgen)
    cached = cache.read(_SURFACE_CACHE, key)
    if cached is not None:
        package, _, text = cached.partition("\n")
        surface = api_surface.decode_surface(text)
        if package and surface is not None:  # a damaged entry is made again
            return package, surface
    from . import pipeline  # datamodel-code-generator and jinja2: only when generating

    api, files = pipeline.unformatted_package(loaded, models=made)
    surface = api_surface.public_surface(files, api.package, seen)
    cache.write(_SURFACE_CACHE, key, f"{api.package}\n{api_surface.encode_surface(surface)}")
    return api.package, surface


def _api_changes(old: LoadedSpec, new: LoadedSpec
                 ) -> tuple[tuple[ApiChange, ...] | None, str]:
    """Changes of the generated public Python API, or None and the reason it is unavailable."""
    made: dict[str, dict[str, str]] = {}
    seen: api_surface.Seen = {}
    surfaces = []
    clientgen = _clientgen_key()  # hashes clientgen's files: once for both sides
    for loaded in (old, new):
        try:
            surfaces.append(_api_surface(loaded, clientgen, made, seen))
        except SpecError as exc:
            return None, f"{loaded.display} does not generate ({exc.diagnostics[0].message})"
    (old_package, old_surface), (new_package, new_surface) = surfaces
    note = ""
    if old_package != new_package:
        note = f"the package is renamed from `{old_package}` to `{new_package}`"
    return tuple(api_surface.diff_surfaces(old_surface, new_surface)), note


def compare(old_source: str, new_source: str, with_api: bool = True,
            ref_root: Path | None = None) -> DiffReport:
    """The report `clientgen diff OLD NEW` prints. Raises SpecError if a spec cannot be read.
    `ref_root` is `--ref-root`: a directory local specs' `$ref`s may reach (`load_spec`)."""
    with ExitStack() as stack:
        old_path, old_root = stack.enter_context(local_spec(old_source, ref_root))
        new_path, new_root = stack.enter_context(local_spec(new_source, ref_root))
        old = load_spec(old_path, old_source, ref_root=old_root)
        new = load_spec(new_path, new_source, ref_root=new_root)
        changes = diff_specs(old, new)
        api_changes: tuple[ApiChange, ...] | None = None
        note = "--no-api"
        if with_api:
            api_changes, note = _api_changes(old, new)
    old_info, new_info = as_dict(old.data.get("info")), as_dict(new.data.get("info"))
    return DiffReport(
        old=old_source,
        new=new_source,
        title=str(new_info.get("title") or ""),
        old_version=str(old_info.get("version") or ""),
        new_version=str(new_info.get("version") or ""),
        changes=tuple(changes),
        api_changes=api_changes,
        api_note=note,
    )


FAIL_ON = {
    "breaking": Severity.BREAKING,
    "potentially-breaking": Severity.POTENTIALLY_BREAKING,
    "any": Severity.NON_BREAKING,
}


def fails(report: DiffReport, fail_on: str) -> bool:
    """Should `--fail-on fail_on` fail for this report? (`never` never does.)"""
    threshold = FAIL_ON.get(fail_on)
    return threshold is not None and report.worst is not None and report.worst >= threshold
