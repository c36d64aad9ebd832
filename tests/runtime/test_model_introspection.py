"""Models show their fields to `inspect.signature` and `help()` before their first use (the
deferred build does not hide them), and `dir(models)` lists the spec's classes only."""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

from tests.conftest import GENERATED, generated_import_path

# Run in a fresh interpreter: in this one, other tests may have built the models already.
_SHOW = """\
import inspect, pydoc
from fivetran_client import models

model = models.AdlsDestinationConfig
assert not model.__pydantic_complete__, "built at import: nothing to show"
print(inspect.signature(model))
print(pydoc.render_doc(models.NewGroupRequest, renderer=pydoc.plaintext))
"""


def _run(code: str) -> str:
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={"PYTHONPATH": generated_import_path()}, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_signature_and_help_list_the_fields_of_a_model_not_used_yet() -> None:
    out = _run(_SHOW)
    signature, help_text = out.split("\n", 1)
    assert signature.startswith("(*, ")
    assert "storage_account_name: str | None = None" in signature
    assert "**data" not in signature
    assert "NewGroupRequest(*, name: str" in help_text


def _classes_in_source(package: str) -> set[str]:
    return {node.name for path in (GENERATED / package / package / "models").glob("*.py")
            for node in ast.parse(path.read_text(encoding="utf-8")).body
            if isinstance(node, ast.ClassDef)}


@pytest.mark.parametrize("package", ["fivetran_client", "stitch_client"])
def test_dir_of_models_lists_the_spec_classes_only(package: str) -> None:
    # validating a union first makes pydantic add its 'RootModel[...]' entries to the module
    out = _run(f"""\
from {package} import models, _models
for name in dir(models):
    value = getattr(models, name)
    if isinstance(value, type) and issubclass(value, _models.RootModel):
        value.model_rebuild()
print(sorted(vars(models)).__len__() > len(dir(models)))
print("\\n".join(name for name in dir(models) if not name.startswith("__")))
""")
    grew, *names = out.split()
    assert grew == "True"  # the module holds more than dir shows: the test is not vacuous
    assert set(names) == _classes_in_source(package)
