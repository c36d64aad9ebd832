"""Post-processing of datamodel-code-generator's output."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys

import pytest

from generator.models import (
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


def test_models_defer_their_build_unless_the_environment_says_otherwise() -> None:
    result = stable_order(deferred_builds(_UNDEFERRED))
    tree = ast.parse(result)
    configs = {
        node.name: ast.unparse(statement.value)
        for node in tree.body if isinstance(node, ast.ClassDef)
        for statement in node.body if isinstance(statement, ast.Assign)
        and ast.unparse(statement.targets[0]) == "model_config"
    }
    assert configs == {  # a subclass inherits it; an enum is no model
        "Pet": "ConfigDict(extra='allow', populate_by_name=True, defer_build=DEFER_BUILD)",
        "Owner": "ConfigDict(defer_build=DEFER_BUILD)",
        "Pets": "ConfigDict(defer_build=DEFER_BUILD)",
    }
    assert ast.get_docstring(next(n for n in tree.body if isinstance(n, ast.ClassDef)
                                  and n.name == "Pet")) == "A pet."
    assert "from ._models import DEFER_BUILD, build_models" in result
    assert result.rstrip().endswith("build_models(globals())")


def test_a_module_without_models_is_left_alone() -> None:
    source = "from __future__ import annotations\nfrom enum import Enum\n\n\nclass A(Enum):\n    x = 1\n"
    assert deferred_builds(source) == source


_PROBE = """
import json, sys
import fivetran_client
from fivetran_client import models
classes = [m for m in vars(models).values() if isinstance(m, type)
           and issubclass(m, models.BaseModel) and m.__module__ == models.__name__
           and m.__pydantic_generic_metadata__["origin"] is None]  # not `RootModel[X]` itself
built_at_import = sum(m.__pydantic_complete__ for m in classes)
destination = models.Destination.model_validate(json.loads(sys.argv[1]))
print(json.dumps({"models": len(classes), "built_at_import": built_at_import,
                  "id": destination.root.root.id,
                  "built_after": sum(m.__pydantic_complete__ for m in classes)}))
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
    if setting is None:  # deferred: nothing built by the import, only what one call needed
        assert result["built_at_import"] == 0
        assert 0 < result["built_after"] < result["models"]
    else:
        assert result["built_at_import"] == result["models"]
