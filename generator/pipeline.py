"""The one-way pipeline: load -> validate -> normalise -> build the IR -> models -> render ->
format. Nothing is written here; `write` takes the result."""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import re
import time
from concurrent.futures import Executor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .build import build_ir, describe_unit, model_document, units_to_skip, without
from .diagnostics import Diagnostic, Diagnostics, Level, SpecError
from .format import check_python, format_python
from .ir import Api
from .load import LoadedSpec, load_spec
from .manifest import MANIFEST, generator_inputs, spec_inputs
from .manifest import render as render_manifest
from .model_worker import formatted_models, model_worker, submit_models
from .normalise import normalise
from .pointer import resolve_pointer
from .render import file_header, render_package, runtime_paths
from .validate import check_version, validate


@dataclass(frozen=True)
class GeneratedPackage:
    api: Api
    files: dict[str, str]  # relative path -> text, formatted
    diagnostics: Diagnostics
    seconds: float

    @property
    def model_count(self) -> int:
        return sum(len(re.findall(r"^class ", text, flags=re.MULTILINE))
                   for path, text in self.files.items() if _is_model_file(self.api, path))


def build_api(spec: LoadedSpec, package: str | None = None,
              skip_invalid: bool = False) -> tuple[Api, Diagnostics]:
    """Validate the loaded spec, normalise it and build the IR.

    Every problem of the spec is collected; if any is an error, SpecError carries them all.
    With `skip_invalid`, operations and schemas with errors (and whatever uses them) are left
    out instead, each listed as a warning, and the stages run again on the document without
    them; errors outside them still fail the run.
    """
    api, diagnostics = _checked_api(spec, package)
    if api is not None and not diagnostics.errors:
        return api, diagnostics
    if not skip_invalid or api is None:
        raise SpecError(diagnostics.sorted())
    skipped = units_to_skip(spec, diagnostics)
    if skipped is None:
        raise SpecError(diagnostics.sorted())
    api, second = _checked_api(without(spec, skipped), package)
    result = Diagnostics()
    for diagnostic in diagnostics.items:
        if diagnostic.level is Level.ERROR:
            result.add(replace(diagnostic, level=Level.WARNING,
                               message=f"{diagnostic.message} (skipped: --skip-invalid)"))
    for unit, reason in skipped.items():
        result.add(Diagnostic(Level.WARNING, f"skipped {describe_unit(spec, unit)}: {reason}",
                              unit, spec.locate(unit),
                              "fix the problems reported for it to generate it"))
    result.extend(second.items)
    if api is None or second.errors:
        raise SpecError(result.sorted())
    return api, result


def _checked_api(spec: LoadedSpec, package: str | None) -> tuple[Api | None, Diagnostics]:
    """validate -> normalise -> build the IR, once: the IR (None when the document is not
    OpenAPI 3 at all) and every problem found on the way."""
    diagnostics = check_version(spec)
    if diagnostics.errors:  # not OpenAPI 3: nothing else is worth saying
        return None, diagnostics
    diagnostics.extend(validate(spec).items)
    return build_ir(normalise(spec), diagnostics, package), diagnostics


def _exists(data: object, pointer: str) -> bool:
    try:
        resolve_pointer(data, pointer)
    except KeyError:
        return False
    return True


# Without a worker from the caller, only a process's first generation starts one of its own;
# the next one loads the library here, for those after it.
_generations = itertools.count()


def _is_model_file(api: Api, path: str) -> bool:
    """Whether `path` is a file of the package's `models` package."""
    return path.startswith(f"{api.package}/models/")


def _package_without_models(api: Api) -> dict[str, str]:
    """Every file of the package but the `models` package, formatted."""
    return format_python(render_package(api, {}), black_clean=runtime_paths(api))


def _model_modules(document: dict[str, Any], header: str, api: Api) -> dict[str, str]:
    """The `models` package's modules, made here (`models` is imported when first needed: it
    imports datamodel-code-generator and pydantic, which the models' worker loads instead)."""
    from .models import generate_model_modules

    return generate_model_modules(document, header, api.model_names, api.directions)


def _model_files(api: Api, modules: dict[str, str]) -> dict[str, str]:
    """The `models` package's modules (by name) as files of the package."""
    return {f"{api.package}/models/{name}": text for name, text in modules.items()}


def generate_package(spec: Path | str, package: str | None = None,
                     display: str | None = None,
                     skip_invalid: bool = False, formatted: bool = True,
                     ref_root: Path | None = None, worker: Executor | None = None
                     ) -> GeneratedPackage:
    """Everything `clientgen generate` produces for one spec, in memory.

    Raises SpecError (with every diagnostic found) when the spec cannot be generated; the
    warnings found before a later stage failed are part of it. `ref_root` widens where the
    spec's `$ref`s may reach (`load.ref_roots`). `formatted=False` skips black
    (the files are then valid but unformatted), for callers that only want the diagnostics.

    The models are made on a second process (`model_worker`), which imports
    datamodel-code-generator (~0.35 s on its first call) while this one loads the spec, and
    which formats them while this one renders and formats the rest of the package: `worker`,
    one the caller started (the command starts it before it imports this module, and keeps
    it for every target), or else, on a process's first call, one of this call's own. Later
    calls without a `worker` make them here, where the library is then loaded.
    """
    started = time.perf_counter()
    first = next(_generations) == 0
    with (contextlib.nullcontext(worker) if worker is not None
          else model_worker(formatted and first)) as models_worker:
        loaded = load_spec(spec, display, keep_going=True, ref_root=ref_root)
        api, diagnostics = build_api(loaded, package, skip_invalid=skip_invalid)
        document = model_document(api)
        try:
            if formatted:
                models = submit_models(models_worker, document, file_header(api),
                                       api.model_names, api.directions)
                files = dict(sorted({**_package_without_models(api),
                                     **_model_files(api, formatted_models(models))}.items()))
            else:
                files = render_package(api, _model_modules(document, file_header(api), api))
                check_python(files)
        except SpecError as exc:
            raise _located(exc, loaded, diagnostics) from exc
    files = _with_manifest(files, loaded, api, package, skip_invalid)
    return GeneratedPackage(api, files, diagnostics, time.perf_counter() - started)


def _located(exc: SpecError, loaded: LoadedSpec, diagnostics: Diagnostics) -> SpecError:
    """A later stage's error with the warnings found before it: the later stages know
    pointers, not files, so each is located where the spec can locate it."""
    diagnostics.extend(
        replace(d, location=loaded.locate(d.pointer))
        if d.location is None and d.pointer and _exists(loaded.data, d.pointer) else d
        for d in exc.diagnostics
    )
    return SpecError(diagnostics.sorted())


def unformatted_package(loaded: LoadedSpec, package: str | None = None,
                        models: dict[str, dict[str, str]] | None = None
                        ) -> tuple[Api, dict[str, str]]:
    """The package's files as `generate_package(..., formatted=False)` makes them, without
    the manifest, from a spec already loaded: for readers of the files' `ast` (the API diff),
    to whom black's layout changes nothing. `models` remembers models modules by what they
    are made from, so a second spec with the same schemas (a diff of two versions that differ
    in paths only) reuses the first one's. Raises SpecError as `generate_package` does."""
    api, diagnostics = build_api(loaded, package)
    try:
        document, header = model_document(api), file_header(api)
        key = hashlib.sha256(json.dumps([document, header, api.model_names, repr(api.directions)],
                                        default=str).encode()).hexdigest()
        memo = {} if models is None else models
        if key not in memo:
            memo[key] = _model_modules(document, header, api)
        files = render_package(api, memo[key])
        check_python(files)
    except SpecError as exc:
        raise _located(exc, loaded, diagnostics) from exc
    return api, files


def _with_manifest(files: dict[str, str], loaded: LoadedSpec, api: Api, package: str | None,
                   skip_invalid: bool) -> dict[str, str]:
    """`files` and the manifest of what they were made from (see generator/manifest.py)."""
    root = loaded.root.path.resolve()
    referenced = {document.path for document, _ in loaded.origins.values()} - {root}
    inputs = {**spec_inputs(loaded.root.path, sorted(referenced), package, skip_invalid),
              **generator_inputs()}
    return dict(sorted({**files, MANIFEST: render_manifest(file_header(api), inputs, files)}
                       .items()))
