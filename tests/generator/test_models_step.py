"""Post-processing of datamodel-code-generator's output."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys

import pytest
from clientgen.models import (
    LONG_UNION,
    deferred_builds,
    flat_unions,
    sort_imports,
    stable_order,
)

from tests.conftest import GENERATED


def _union(n: int) -> str:
    return " | ".join(f"A{i}" for i in range(n))


def test_a_union_too_long_for_the_parser_becomes_a_flat_union() -> None:
    source = (
        "from __future__ import annotations\n\nfrom pydantic import RootModel\n\n\n"
        f"class X(RootModel[{_union(3000)}]):\n    root: {_union(3000)} | None\n"
    )
    result = flat_unions(source)
    compile(result, "models.py", "exec")  # at the default recursion limit
    tree = ast.parse(result)
    assert "from typing import Union" in result
    assert result.count("Union[") == 2
    assert "A2999, None]" in result and ast.dump(tree).count("'A1500'") == 2


def test_short_unions_keep_the_operator() -> None:
    source = f"from __future__ import annotations\nx: {_union(LONG_UNION)}\n"
    assert flat_unions(source) == source


def test_classes_follow_names_except_where_a_base_must_come_first() -> None:
    source = (
        "from __future__ import annotations\nfrom pydantic import BaseModel\n\n\n"
        "class Zebra(BaseModel):\n    pass\n\n\n"
        "class Apple(Zebra):\n    friend: Mango | None = None\n\n\n"
        "class Mango(BaseModel):\n    pass\n"
    )
    names = [n.name for n in ast.parse(stable_order(source)).body if isinstance(n, ast.ClassDef)]
    assert names == ["Mango", "Zebra", "Apple"]


def test_imports_are_sorted_standard_library_first() -> None:
    source = "from pydantic import BaseModel\nfrom typing import Any\nfrom ._models import X\n"
    assert sort_imports(source).splitlines() == [
        "from typing import Any", "from pydantic import BaseModel", "from ._models import X"]


_UNDEFERRED = """from __future__ import annotations

from enum import Enum
from pydantic import BaseModel, ConfigDict, Field, RootModel


class Pet(BaseModel):
    \"\"\"
    A pet.
    \"\"\"

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
    )
    owner: Owner | None = None


class Cat(Pet):
    lives: int = 9


class Owner(BaseModel):
    name: str


class Pets(RootModel[list[Pet]]):
    root: list[Pet]


class Colour(Enum):
    red = "red"
"""


def test_models_derive_from_the_runtime_bases_and_the_module_ends_by_building_them() -> None:
    result = stable_order(deferred_builds(_UNDEFERRED))
    imports = {node.module: [alias.name for alias in node.names]
               for node in ast.parse(result).body if isinstance(node, ast.ImportFrom)}
    assert imports["pydantic"] == ["ConfigDict", "Field"]
    assert imports["_models"] == ["BaseModel", "RootModel", "build_models"]
    assert result.rstrip().endswith("build_models(globals())")
    assert result.replace("from pydantic import ConfigDict, Field\n", "").replace(
        "from ._models import BaseModel, RootModel, build_models\n", "").rstrip().removesuffix(
        "build_models(globals())") == stable_order(_UNDEFERRED).replace(
        "from pydantic import BaseModel, ConfigDict, Field, RootModel\n", "").rstrip() + "\n\n\n"


def test_the_runtime_import_is_extended_wherever_it_is() -> None:
    source = ("from enum import Enum\nfrom ._models import LenientStrEnum\n"
              "from pydantic import (\n    BaseModel,\n    Field,\n)\n\n\n"
              "class A(BaseModel):\n    x: int = Field(1)\n")
    assert deferred_builds(source).splitlines()[:3] == [
        "from enum import Enum", "from ._models import BaseModel, LenientStrEnum, build_models",
        "from pydantic import Field"]


def test_a_module_without_models_is_left_alone() -> None:
    source = "from __future__ import annotations\nfrom enum import Enum\n\n\nclass A(Enum):\n    x = 1\n"
    assert deferred_builds(source) == source


_PROBE = """
import json, sys
import pydantic
import fivetran_client
from fivetran_client import models
# importing the modules of the models (not done by `import fivetran_client`) builds nothing
modules = {sys.modules[getattr(models, name).__module__] for name in models.__all__}
classes = [m for module in modules for m in vars(module).values()
           if isinstance(m, type)  # `RootModel[X]` too
           and issubclass(m, pydantic.BaseModel) and m.__module__ == module.__name__]
built_at_import = sum(m.__pydantic_complete__ for m in classes)
destination = models.Destination.model_validate(json.loads(sys.argv[1]))
built_after = sum(m.__pydantic_complete__ for m in classes)
# a model whose field names a class that comes later, subclassed here before its first use
incomplete = [m for m in classes if not m.__pydantic_fields_complete__
              and not issubclass(m, pydantic.RootModel)]
parent = incomplete[0] if incomplete else models.ConnectionBase
Mine = type("Mine", (parent,), {"__annotations__": {"note": "str | None"}, "note": None})
print(json.dumps({"models": len(classes), "built_at_import": built_at_import,
                  "id": destination.root.id, "built_after": built_after,
                  "unresolved_parent": bool(incomplete),
                  "subclass_fields": sorted(Mine.model_validate({"note": "n"}).model_fields_set)}))
"""


@pytest.mark.parametrize("setting", [None, "false"])
def test_a_generated_package_builds_its_models_on_first_use_or_at_import(
    setting: str | None,
) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DEFER_PYDANTIC_BUILD"}
    if setting is not None:
        env["DEFER_PYDANTIC_BUILD"] = setting
    env["PYTHONPATH"] = str(GENERATED / "fivetran_client")
    destination = {"id": "d1", "service": "adls", "config": {"tenant_id": "t"}}
    done = subprocess.run([sys.executable, "-c", _PROBE, json.dumps(destination)], env=env,
                          capture_output=True, text=True, check=True)
    result = json.loads(done.stdout)
    assert result["models"] > 40 and result["id"] == "d1"
    assert result["subclass_fields"] == ["note"]
    if setting is None:  # deferred: nothing built by the import, only what one call needed
        assert result["built_at_import"] == 0 and result["unresolved_parent"]
        assert 0 < result["built_after"] < result["models"]
    else:
        assert result["built_at_import"] == result["models"]
