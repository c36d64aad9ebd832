"""The one-way pipeline: load -> build the IR -> models -> render -> format. Nothing is written
here; `write` takes the result."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

from .build import build_api, model_document
from .diagnostics import Diagnostics
from .format import format_python
from .ir import Api
from .load import load_spec
from .models import generate_models
from .render import HEADER, render_package


@dataclass(frozen=True)
class GeneratedPackage:
    api: Api
    files: dict[str, str]  # relative path -> text, formatted
    diagnostics: Diagnostics
    seconds: float

    @property
    def model_count(self) -> int:
        models = self.files[f"{self.api.package}/models.py"]
        return len(re.findall(r"^class ", models, flags=re.MULTILINE))


def generate_package(spec: Path | str, package: str | None = None,
                     display: str | None = None) -> GeneratedPackage:
    """Everything `clientgen generate` produces for one spec, in memory.

    Raises SpecError (with every diagnostic found) when the spec cannot be generated.
    """
    started = time.perf_counter()
    loaded = load_spec(spec, display)
    api, diagnostics = build_api(loaded, package)
    header = HEADER.format(spec=api.spec_name)
    models_source = generate_models(model_document(api), header, api.model_names)
    files = format_python(render_package(api, models_source))
    return GeneratedPackage(api, files, diagnostics, time.perf_counter() - started)
