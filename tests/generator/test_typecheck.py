"""The generated packages pass mypy --strict, install with pip, and import without warnings."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import GENERATED, GENERATED_PACKAGES, generated_import_path, mypy_strict


@pytest.mark.parametrize("package", GENERATED_PACKAGES)
def test_generated_package_passes_mypy_strict(package: str) -> None:
    result = mypy_strict(package, cwd=GENERATED / package)
    assert result.returncode == 0, result.stdout + result.stderr


# Calls of the payments client with form, deepObject and multipart arguments, as a user writes them.
_PAYMENTS_USAGE = """\
from payments_client import Payments, models

with Payments(api_key="sk_test_123", password="") as client:
    client.customers.create(body=models.CreateCustomerRequest(
        address=models.Address(city="Paris"), metadata={"k": "v"}, preferred_locales=["fr"],
        tax_id_data=[models.TaxId(type="eu_vat", value="FR1")]))
    client.customers.list(created=models.RangeQuery(gt=1), expand=["data.source"])
    client.files.create(body=models.CreateFileRequest(file=b"...", purpose="dispute_evidence"))
"""


def test_generated_payments_client_and_its_use_pass_mypy_strict(tmp_path: Path) -> None:
    from clientgen.pipeline import generate_package
    from clientgen.write import write_package

    project = tmp_path / "payments_client"
    spec = GENERATED.parent / "tests" / "fixtures" / "payments.yaml"
    write_package(generate_package(spec, "payments_client").files, project)
    (project / "usage.py").write_text(_PAYMENTS_USAGE, encoding="utf-8")
    result = mypy_strict("payments_client", "usage.py", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("package", GENERATED_PACKAGES)
def test_generated_package_imports_without_warnings(package: str) -> None:
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", f"import {package}"],
        cwd=GENERATED / package, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("package", GENERATED_PACKAGES)
def test_generated_project_installs_with_pip(package: str, tmp_path: Path) -> None:
    # pip builds in the source tree (build/, *.egg-info): build from a copy, never generated/
    source = tmp_path / "project"
    shutil.copytree(GENERATED / package, source)
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
         "--target", str(target), str(source)],
        check=True, capture_output=True,
    )
    assert (target / package / "py.typed").is_file()
    assert (target / package / "_client.py").is_file()


@pytest.mark.parametrize("version", ["2024-01-01", "latest"])
def test_a_spec_version_pip_rejects_still_gives_an_installable_project(
    version: str, tmp_path: Path
) -> None:
    import json

    from clientgen.pipeline import generate_package
    from clientgen.write import write_package

    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"openapi": "3.1.0", "info": {"title": "V", "version": version},
                                "paths": {}}), encoding="utf-8")
    write_package(generate_package(spec, "v_client").files, tmp_path / "v_client")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
         "--target", str(tmp_path / "site"), str(tmp_path / "v_client")],
        check=True, capture_output=True,
    )
    assert (tmp_path / "site" / "v_client" / "__init__.py").is_file()


# The fivetran client as a user writes it: positional ids and keyword arguments.
_FIVETRAN_USAGE = """\
from fivetran_client import Fivetran, models

with Fivetran(api_key="k", api_secret="s") as client:
    destination = client.destinations.get("d1")
    client.connection_schemas.update_table_config("c1", "s1", "t1", enabled=True)
    page = client.connections.list(limit=10)
    client.groups.create(name="g")
    client.connection_schemas.update_config(
        "c1", schema_change_handling="ALLOW_COLUMNS",
        schemas={"s1": {"enabled": True, "tables": {"t1": {"enabled": False}}}},
        extra_body={"beta": True})
    client.connection_schemas.update_config(
        "c1", schemas={"s1": models.SchemaConfigSchemaUpdate(enabled=True)})
    adls: models.AdlsDestination = client.destinations.create(
        group_id="g1", service="adls",
        config={"storage_account_name": "acc", "auth_type": "OAUTH2"})
    typed: models.AdlsDestination = client.destinations.create(
        group_id="g1", service="adls", config=models.AdlsDestinationConfig(port=1))
    other = client.destinations.create(group_id="g1", service="snowflake", config={"x": 1})
    client.destinations.update("d1", config={"port": 443})
"""

# Each a mistake mypy must report: (code, what the error says)
_FIVETRAN_MISUSES = [
    ('client.connections.list(10)', "Too many positional arguments"),
    ('client.destinations.get(1)', 'incompatible type "int"'),
    ('client.groups.create(nmae="g")', 'Unexpected keyword argument "nmae"'),
    ('client.groups.create(name=1)', 'incompatible type "int"'),
    ('client.groups.create()', 'Missing named argument "name"'),
    ('client.connection_schemas.update_config("c1", schemas={"s1": {"enabled": "yes"}})',
     'incompatible type'),
    ('client.connection_schemas.update_config("c1", schemas={"s1": {"tables": {}}})',
     'incompatible type'),
    ('client.connection_schemas.update_config("c1", schema_change_handling="ALLOW_SOME")',
     'incompatible type'),
    ('client.destinations.create(group_id=1, service="adls", config={})',
     'No overload variant of "create"'),
    ('client.destinations.create(service="adls", config={})', 'No overload variant'),
    # another service's destination is not typed as the adls one
    ('x: models.AdlsDestination = client.destinations.create(\n'
     '        group_id="g1", service="snowflake", config={})', 'Incompatible types in assignment'),
]


def _check_fivetran_usage(source: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    (tmp_path / "usage.py").write_text(source, encoding="utf-8")
    return mypy_strict("usage.py", cwd=tmp_path, mypy_path=generated_import_path())


def test_a_fivetran_users_script_passes_mypy_strict(tmp_path: Path) -> None:
    result = _check_fivetran_usage(_FIVETRAN_USAGE, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("code, error", _FIVETRAN_MISUSES, ids=[c for c, _ in _FIVETRAN_MISUSES])
def test_a_wrong_call_fails_mypy_strict(code: str, error: str, tmp_path: Path) -> None:
    result = _check_fivetran_usage(_FIVETRAN_USAGE + f"    {code}\n", tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert error in result.stdout
