"""A generated model shares its base's `FieldInfo` for each field it inherits unchanged,
instead of holding pydantic's copy (memory: ~20 MB of a vendor client's 172 MB), and nothing a
user can see differs: schemas, validation and the fields' descriptions are those of a client
that keeps the copies."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from typing import Any

import pydantic
import pytest

from tests.conftest import GENERATED_PACKAGES, generated_import_path, import_generated

# Run in a fresh interpreter (other tests may have built the models in this one). Prints, for
# every model: how many fields it inherits, how many of those are its base's own objects, and
# what a user sees of it once built (its JSON schema, its fields, a validation).
_SURVEY = """\
import json, sys
import {package}._model_bases as bases
from {package} import models
if sys.argv[1] == "copies":
    bases._share_inherited_fields = lambda cls: None
seen = {{}}
for name in models.__all__:
    model = getattr(models, name)
    if not (isinstance(model, type) and issubclass(model, bases.BaseModel)):
        continue
    fields = model.__pydantic_fields__
    inherited = [f for f in fields if f not in vars(model).get("__annotations__", {{}})]
    parents = [vars(base).get("__pydantic_fields__", {{}}) for base in model.__bases__]
    shared = [f for f in inherited if any(p.get(f) is fields[f] for p in parents)]
    seen[name] = [len(inherited), len(shared)]
for name in seen:  # built after every class is made: the shared fields are in use
    model = getattr(models, name)
    problems = None
    try:
        model.model_validate({{}})
    except Exception as exc:
        problems = str(exc).splitlines()[0]
    seen[name] += [model.model_json_schema(), repr(model.model_fields), problems]
print(json.dumps(seen, sort_keys=True, default=str))
"""


def _survey(package: str, mode: str, defer: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", _SURVEY.format(package=package), mode], capture_output=True,
        text=True, env={**os.environ, "PYTHONPATH": generated_import_path(),
                        "DEFER_PYDANTIC_BUILD": defer}, check=False)
    assert done.returncode == 0, done.stderr
    found: dict[str, Any] = json.loads(done.stdout)
    return found


@pytest.mark.parametrize("defer", ["true", "false"])
@pytest.mark.parametrize("package", GENERATED_PACKAGES)
def test_inherited_fields_are_shared_and_nothing_else_changes(package: str, defer: str) -> None:
    shared = _survey(package, "shared", defer)
    copies = _survey(package, "copies", defer)
    inherited = sum(counts[0] for counts in shared.values())
    if package == "fivetran_client":  # its destinations and connections derive from bases
        assert inherited > 100
        assert sum(counts[1] for counts in shared.values()) > inherited / 2
    if defer == "true":  # built at import, a field resolved later is made anew: not shared
        assert all(counts[1] == counts[0] for counts in shared.values())
    assert sum(counts[1] for counts in copies.values()) == 0  # the comparison is fair
    assert {name: seen[2:] for name, seen in shared.items()} == {
        name: seen[2:] for name, seen in copies.items()}


def test_a_field_that_differs_from_its_base_keeps_its_own_copy() -> None:
    """A subclass whose configuration changes its inherited fields (an alias generator) keeps
    pydantic's copies: only fields equal in every attribute are shared."""
    import_generated("fivetran_client")
    bases = importlib.import_module("fivetran_client._model_bases")

    class Parent(pydantic.BaseModel):
        count: int = 0
        name: str | None = None

    class Child(Parent):
        model_config = pydantic.ConfigDict(alias_generator=str.upper)

    class Same(Parent):
        pass

    for model in (Child, Same):
        bases._share_inherited_fields(model)
    assert Child.model_fields["count"] is not Parent.model_fields["count"]
    assert Child.model_fields["count"].alias == "COUNT"
    assert Parent.model_fields["count"].alias is None
    assert Child.model_validate({"COUNT": 3}).count == 3
    assert all(Same.model_fields[name] is Parent.model_fields[name] for name in ("count", "name"))
