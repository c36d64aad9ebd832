"""The models' worker process formats what it made, unless the process that asked is waiting
for it already: then that process formats it. The output is the same either way."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from clientgen import format, model_worker, parallel
from clientgen.ir import Api
from clientgen.load import load_spec
from clientgen.models import generate_model_modules
from clientgen.pipeline import build_api, model_document
from clientgen.render import file_header

from tests.conftest import SPECS


@pytest.fixture
def api() -> Api:
    return build_api(load_spec(SPECS / "stitch.yaml"))[0]


@pytest.mark.parametrize("caller_waits", [True, False])
def test_whoever_is_free_first_formats_the_models(
        api: Api, caller_waits: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", str(tmp_path / "cache"))
    # a worker process even on one core, or where this one has loaded the library already
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(model_worker, "_LOADED_BY_FIRST_CALL", "not.a.module")
    document, header = model_document(api), file_header(api)
    expected = format.format_python(generate_model_modules(
        document, header, api.model_names, api.directions))
    with model_worker.model_worker() as worker:
        assert worker.submit(os.getpid).result() != os.getpid()  # forked by now
        formatted_here: list[int] = []  # calls made by this process, not the worker's
        format_python = format.format_python
        monkeypatch.setattr(format, "format_python",
                            lambda files: formatted_here.append(1) or format_python(files))
        models = model_worker.submit_models(worker, document, header, api.model_names,
                                            api.directions)
        if not caller_waits:
            while not models.done():  # busy elsewhere until the worker is done
                time.sleep(0.01)
        assert model_worker.formatted_models(models) == expected
    assert formatted_here == ([1] if caller_waits else [])
