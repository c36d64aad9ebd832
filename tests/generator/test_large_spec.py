"""A spec shaped like a large real vendor spec (~3,000 schemas, ~170 operations, per-service
configs through an allOf discriminator hierarchy) generates a working package."""

from __future__ import annotations

import importlib.util
import inspect
from pathlib import Path
from typing import Any

import pytest
from clientgen import naming

from tests.conftest import ROOT

pytestmark = pytest.mark.slow  # a 3,000-schema spec: generating it takes most of a minute


def _build_spec() -> dict[str, Any]:
    module_spec = importlib.util.spec_from_file_location(
        "make_spec", ROOT / "benchmarks" / "make_spec.py"
    )
    assert module_spec is not None and module_spec.loader is not None
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    spec: dict[str, Any] = module.build_spec(1, extensions=True)
    return spec


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Any]:
    import json
    import sys

    from clientgen.pipeline import generate_package
    from clientgen.write import write_package

    spec = _build_spec()
    directory = tmp_path_factory.mktemp("large")
    spec_path = directory / "large.json"
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    result = generate_package(spec_path, "large_client")
    write_package(result.files, directory / "out")
    sys.path.insert(0, str(directory / "out"))
    try:
        package = importlib.import_module("large_client")
    finally:
        sys.path.remove(str(directory / "out"))
    return spec, package


def test_spec_has_the_shape_of_a_large_vendor_spec(large: tuple[dict[str, Any], Any]) -> None:
    spec, _ = large
    assert len(spec["components"]["schemas"]) >= 2800
    assert sum(len(item) for item in spec["paths"].values()) >= 160


def test_every_operation_becomes_a_resource_method(large: tuple[dict[str, Any], Any]) -> None:
    spec, package = large
    client = package.Client(base_url="http://127.0.0.1:1", **_credentials(package))
    methods = 0
    for name in dir(client):
        resource = getattr(client, name)
        if isinstance(resource, package._base_client.SyncAPIResource):
            methods += sum(
                1 for attr, value in inspect.getmembers(type(resource), inspect.isfunction)
                if not attr.startswith("_")
            )
    operations = sum(
        1 for item in spec["paths"].values() for method in item if method != "parameters"
    )
    assert methods == operations


def test_allof_children_of_a_discriminated_base_are_typed_subclasses(
    large: tuple[dict[str, Any], Any]
) -> None:
    spec, package = large
    schemas = spec["components"]["schemas"]
    base_name = next(n for n, s in schemas.items() if "discriminator" in s)
    _, target = next(iter(schemas[base_name]["discriminator"]["mapping"].items()))
    child = getattr(package.models, naming.class_name(target.rsplit("/", 1)[1]))
    base = getattr(package.models, naming.class_name(base_name))
    assert issubclass(child, base)
    assert child.model_fields["service"] is not None


def _credentials(package: Any) -> dict[str, str]:
    signature = inspect.signature(package.Client.__init__)
    return {
        name: "secret-value"
        for name, parameter in signature.parameters.items()
        if name not in ("self", "base_url", "timeout", "max_retries", "default_headers",
                        "http_client") and parameter.kind is inspect.Parameter.KEYWORD_ONLY
    }


def test_generation_is_independent_of_the_spec_location(tmp_path: Path) -> None:
    """Nothing of the spec's absolute path leaks into the output (determinism across machines)."""
    spec_path = tmp_path / "deep" / "dir" / "large.json"
    spec_path.parent.mkdir(parents=True)
    import json

    from clientgen.pipeline import generate_package

    spec_path.write_text(json.dumps({
        "openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": {},
    }), encoding="utf-8")
    files = generate_package(spec_path, "t_client").files
    assert not any(str(tmp_path) in text for text in files.values())
