"""Post-processing of datamodel-code-generator's output."""

from __future__ import annotations

import ast

from generator.models import LONG_UNION, flat_unions, sort_imports, stable_order


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
