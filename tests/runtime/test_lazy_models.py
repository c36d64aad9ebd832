"""The `models` package imports a class from its module when first asked for: importing the
client imports no model, a model imports the modules its class needs, and classes that name
each other across modules still build, validate, pickle and type-check."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from clientgen import model_parts
from clientgen.pipeline import generate_package
from clientgen.write import write_package

from tests.conftest import GENERATED, GENERATED_PACKAGES, ROOT, generated_import_path, mypy_strict
from tests.runtime.test_discriminated_unions import SPEC, S


def _python(code: str, path: Path | str, **env: str) -> Any:
    """What `code` prints (JSON), run by a fresh interpreter with `path` on PYTHONPATH."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(path), **env})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize("package", GENERATED_PACKAGES)
def test_importing_the_client_imports_no_model(package: str) -> None:
    loaded = _python(f"""
import json, sys
import {package}
from {package} import ENVIRONMENT_VARIABLES, Client, models
credentials = {{name: "x" for name in ENVIRONMENT_VARIABLES if name != "base_url"}}
client = Client(base_url="http://127.0.0.1:1", **credentials)
before = sorted(name for name in sys.modules if name.startswith("{package}.models."))
name = models.__all__[0]
getattr(models, name)
after = sorted(name for name in sys.modules if name.startswith("{package}.models."))
print(json.dumps([before, after]))
""", GENERATED / package)
    before, after = loaded
    assert before == [] and after  # the check sees a module once one is asked for


@pytest.mark.parametrize("package", GENERATED_PACKAGES)
def test_the_params_typeddicts_are_made_when_first_asked_for(package: str) -> None:
    """Importing the client (and its resources, which name them) creates no `TypedDict` of
    `params`; asking for one, importing one by name or `*`, `dir()` and the type hints of an
    endpoint all find them."""
    loaded = _python(f"""
import json, sys, typing
import {package}
from {package} import params, resources
before = "{package}._params" in sys.modules
public = [name for name in vars(params) if not name.startswith("_")]
name = sorted(params.__all__)[0]
found = getattr(params, name)
namespace = {{}}
exec("from {package}.params import *", namespace)
endpoints = [value for module in list(sys.modules.values())
             if module.__name__.startswith("{package}.resources.")
             for value in vars(module).values()
             if callable(value) and "params." in str(getattr(value, "__annotations__", ""))]
hints = [typing.get_type_hints(endpoint) for endpoint in endpoints]
print(json.dumps([before, name, found.__name__, name in dir(params),
                  sorted(set(params.__all__) - set(namespace)), len(hints) > 0,
                  hasattr(params, "TypedDict"), public]))
""", GENERATED / package)
    before, name, found, listed, missing, hinted, leaked, public = loaded
    assert before is False
    assert found == name and listed and missing == [] and hinted
    assert leaked is False and public == []  # only the classes, not the module's own imports


def test_mypy_sees_the_params_classes_through_the_facade(tmp_path: Path) -> None:
    """The lazy facade hides nothing from a type checker: a class, `__all__` and a wrong
    value type check as if the classes were defined in `params`, and a wrong name is an error."""
    usage = tmp_path / "usage.py"
    usage.write_text(textwrap.dedent("""\
        from fivetran_client import params
        from fivetran_client.params import NewGroupRequestParam

        named: NewGroupRequestParam = {"name": "analytics"}
        dotted: params.NewGroupRequestParam = {"name": "analytics"}
        names: list[str] = params.__all__
        """), encoding="utf-8")
    assert mypy_strict(usage, cwd=tmp_path, mypy_path=generated_import_path()).returncode == 0, \
        "the facade's classes should type check"
    usage.write_text(usage.read_text(encoding="utf-8") + textwrap.dedent("""\
        wrong: params.NewGroupRequestParam = {"name": 3}
        missing: params.NoSuchParam = {}
        """), encoding="utf-8")
    result = mypy_strict(usage, cwd=tmp_path, mypy_path=generated_import_path())
    assert "usage.py:7:" in result.stdout and "usage.py:8:" in result.stdout, result.stdout


# Two schemas that name each other, and a base with subtypes: with a bucket per tied group,
# they land in different modules (checked below, so the test cannot pass vacuously).
CROSSED: dict[str, Any] = {**SPEC, "components": {"schemas": {
    **SPEC["components"]["schemas"],
    "Left": {"type": "object", "properties": {"right": {"$ref": S + "Right"},
                                              "name": {"type": "string"},
                                              # named by Left only so, in another module:
                                              # `Annotated["Far | None", Field(alias=...)]`
                                              "far-side": {"$ref": S + "Far"}}},
    "Far": {"type": "object", "properties": {"depth": {"type": "integer"}}},
    "Right": {"type": "object", "properties": {"left": {"$ref": S + "Left"},
                                               "size": {"type": "integer"}}},
}}}
CROSSED["paths"] = {**SPEC["paths"], "/left": {"get": {
    "operationId": "get_left", "tags": ["sides"],
    "responses": {"200": {"description": "ok", "content": {"application/json": {
        "schema": {"$ref": S + "Left"}}}}}}}}


@pytest.fixture(scope="module")
def split(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("split")
    spec = root / "crossed.json"
    spec.write_text(json.dumps(CROSSED), encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CLIENTGEN_CACHE_DIR", "")
        patch.setattr(model_parts, "SPLIT_AT", 1)
        patch.setattr(model_parts, "BUCKETS", 10_000)
        write_package(generate_package(spec, "crossed_client").files, root / "out")
    return root / "out"


_PROBE = """
import json, pickle, sys
import pydantic
import crossed_client
from crossed_client import models

def loaded():
    return sorted(n for n in sys.modules if n.startswith("crossed_client.models."))

at_import = loaded()
from crossed_client.models import Left
left_only = loaded()
left = Left.model_validate({"name": "l", "right": {"size": 2, "left": {"name": "inner"}}})
with_right = loaded()

class Mine(pydantic.BaseModel):
    right: models.Right

union = models.ConnectorResponseUnion.model_validate(
    {"id": "c1", "service": "salesforce", "config": {"instance": "i"}, "auth": {"token": "t"}})
member = union.root
print(json.dumps({
    "modules": [at_import, left_only, with_right],
    "left_module": Left.__module__, "right_module": type(left.right).__module__,
    "inner": left.right.left.name,
    "pickled": pickle.loads(pickle.dumps(left)) == left,
    "isinstance": isinstance(left.right, models.Right),
    "adapter": pydantic.TypeAdapter(list[models.Right]).validate_python(
        [{"size": 1}])[0].size,
    "user_model": Mine.model_validate({"right": {"size": 3}}).right.size,
    "aliased": Left.model_validate({"far-side": {"depth": 5}}).far_side.depth,
    "member": type(member).__name__,
    "member_is_base": isinstance(member, models.ConnectorResponse),
    "member_pickled": pickle.loads(pickle.dumps(member)) == member,
    "unknown": type(models.ConnectorResponseUnion.model_validate(
        {"id": "c2", "service": "new"}).root).__name__,
}))
"""


@pytest.mark.parametrize("defer", ["true", "false"])
def test_models_across_modules_build_validate_and_pickle(split: Path, defer: str) -> None:
    modules = sorted(p.stem for p in (split / "crossed_client" / "models").glob("_*.py"))
    result = _python(_PROBE, split, DEFER_PYDANTIC_BUILD=defer)
    at_import, left_only, with_right = result["modules"]
    assert len(modules) > 3 and result["left_module"] != result["right_module"]
    assert at_import == []
    # Left's module, not every module; Right's module comes when Left is built
    assert result["left_module"] in left_only and len(left_only) < len(modules)
    assert result["right_module"] in with_right
    if defer == "true":
        assert result["right_module"] not in left_only
    assert result["inner"] == "inner" and result["pickled"] and result["isinstance"]
    assert result["adapter"] == 1 and result["user_model"] == 3 and result["aliased"] == 5
    assert result["member"] == "SalesforceConnectorResponseV1" and result["member_is_base"]
    assert result["member_pickled"] and result["unknown"] == "ConnectorResponse"


def test_models_across_modules_type_check(split: Path, tmp_path: Path) -> None:
    user = tmp_path / "use_models.py"
    user.write_text("from crossed_client.models import Left, Right\n"
                    "from crossed_client import models\n\n"
                    "left: Left = Left(right=Right(size=1))\n"
                    "size: int | None = left.right.size if left.right else None\n"
                    "wrong: str = models.Right(size=1).size\n", encoding="utf-8")
    checked = mypy_strict("crossed_client", user, cwd=split, mypy_path=str(split))
    assert checked.returncode == 1, checked.stdout
    errors = [line for line in checked.stdout.splitlines() if ": error:" in line]
    # only the deliberate mistake: the lazy package shows mypy every class and its type
    assert len(errors) == 1 and "use_models.py:6" in errors[0], checked.stdout


# Each schema names another far from it, by a property that needs an alias: 420 schemas make
# models modules of a few classes each, whose fields name classes of other modules.
_RING = 420
RING: dict[str, Any] = {
    "openapi": "3.0.3", "info": {"title": "Ring", "version": "1"}, "paths": {},
    "components": {"schemas": {f"S{i:03d}": {"type": "object", "properties": {
        "next-one": {"$ref": f"{S}S{(i * 11 + 3) % _RING:03d}"},
        "n": {"type": "integer"}}} for i in range(_RING)}},
}

_RING_PROBE = """
import json
from ring_client import models
first = models.S000.model_validate({"next-one": {"next-one": {"n": 3}}})
every = [getattr(models, name) for name in models.__all__]
print(json.dumps({"modules": len({model.__module__ for model in every}),
                  "n": first.next_one.next_one.n, "built": sum(model.__pydantic_complete__
                                                                for model in every)}))
"""


@pytest.mark.parametrize("defer", ["true", "false"])
def test_a_ring_of_models_across_modules_builds(tmp_path: Path, defer: str) -> None:
    """Without deferring, building a model imports the modules its fields name, whose own
    builds import more: a model built while its module still ran was never linked to the
    classes its fields name (`name 'S171' is not defined` at import). Deferred, each builds on
    first use."""
    spec = tmp_path / "ring.json"
    spec.write_text(json.dumps(RING), encoding="utf-8")
    write_package(generate_package(spec, "ring_client").files, tmp_path / "out")
    result = _python(_RING_PROBE, tmp_path / "out", DEFER_PYDANTIC_BUILD=defer)
    assert result["modules"] > 20 and result["n"] == 3
    if defer == "false":
        assert result["built"] == _RING
    else:  # what the one validation needed
        assert 0 < result["built"] < _RING


# Three models modules as the generator writes them (bases imported at the top, field types
# linked when built): _a's K derives from _b's Base; _b's root model U is built as its class is
# made and names _c's R, whose field names _a's S.
_TIED = {
    "__init__.py": "from .._models import lazy_models\n__getattr__, __dir__ = lazy_models("
                   "__name__, {'_a': ('K', 'S'), '_b': ('Base', 'U'), '_c': ('R',)})\n",
    "_a.py": "from .._models import BaseModel, build_models\nfrom ._b import Base, U\n\n\n"
             "class K(Base):\n    u: U | None = None\n\n\n"
             "class S(BaseModel):\n    m: int = 2\n\n\nbuild_models(globals())\n",
    "_b.py": "from .._models import BaseModel, RootModel, build_models\nfrom ._c import R\n\n\n"
             "class Base(BaseModel):\n    n: int = 1\n\n\n"
             "class U(RootModel[R | None]):\n    root: R | None\n\n\nbuild_models(globals())\n",
    "_c.py": "from typing import TYPE_CHECKING\nfrom .._models import BaseModel, build_models\n"
             "if TYPE_CHECKING:\n    from ._a import S\n\n\n"
             "class R(BaseModel):\n    s: 'S | None' = None\n\n\n"
             "build_models(globals(), {'_a': ('S',)})\n",
}


@pytest.mark.parametrize("first", ["K", "U", "R"])
@pytest.mark.parametrize("defer", ["true", "false"])
def test_a_model_built_while_a_module_it_names_still_runs(
        tmp_path: Path, defer: str, first: str) -> None:
    """Without deferring, `U` is built as `_b` runs, before `_a` defines `S` (`_a` imports `_b`
    first, or `_b` is imported first and `_a` would import it again): `R`'s field is not
    linked to `S` while a models module is being imported, and is when the last module's
    `build_models` builds what is left."""
    package = tmp_path / "tied"
    (package / "models").mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    for runtime in ("_models.py", "_model_bases.py"):
        (package / runtime).write_text((ROOT / "templates" / "runtime" / runtime).read_text(
            encoding="utf-8"), encoding="utf-8")
    for name, text in _TIED.items():
        (package / "models" / name).write_text(text, encoding="utf-8")
    result = _python(f"import json\nfrom tied.models import {first}\n"
                     "from tied.models import K\nk = K.model_validate({'u': {'s': {'m': 3}}})\n"
                     "print(json.dumps({'m': k.u.root.s.m, 'n': k.n}))", tmp_path,
                     DEFER_PYDANTIC_BUILD=defer)
    assert result == {"m": 3, "n": 1}
