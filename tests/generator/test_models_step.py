"""Post-processing of datamodel-code-generator's output."""

from __future__ import annotations

import ast
import datetime
import json
import os
import subprocess
import sys
import typing
from pathlib import Path
from typing import Any

import pytest
from clientgen.ir import Directions
from clientgen.models import (
    LONG_UNION,
    deferred_builds,
    flat_unions,
    sort_imports,
    split_modules,
    stable_order,
)

from tests.conftest import GENERATED, GenerateFn, mypy_strict


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


def _ordered(*classes: str) -> list[str]:
    """The names of `classes` (each a class's text) in the order `stable_order` gives them."""
    source = "from enum import Enum\nfrom pydantic import BaseModel\n\n\n" + "\n\n".join(classes)
    return [n.name for n in ast.parse(stable_order(source)).body if isinstance(n, ast.ClassDef)]


def test_classes_follow_names_except_where_a_base_must_come_first() -> None:
    assert _ordered("class Zebra(BaseModel):\n    pass\n",
                    "class Apple(Zebra):\n    friend: Mango | None = None\n",
                    "class Mango(BaseModel):\n    pass\n") == ["Mango", "Zebra", "Apple"]


def test_a_class_named_like_a_builtin_comes_before_the_classes_it_types() -> None:
    """Until it exists, `Warning` is the builtin, which the field would get. An enum member of
    that name, or a string, ties nothing (a tie both ways would leave the library's order)."""
    assert _ordered("class Report(BaseModel):\n    warning: Warning | None = None\n",
                    "class Severity(Enum):\n    Error = 'Error'\n    Warning = 'Warning'\n",
                    "class Warning(BaseModel):\n    severity: Severity = Severity.Warning\n"
                    ) == ["Severity", "Warning", "Report"]


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


def _object(**properties: Any) -> dict[str, Any]:
    return {"type": "object", "properties": properties}


_LATER_SPEC: dict[str, Any] = {
    "openapi": "3.0.3", "info": {"title": "Orchard", "version": "1"}, "paths": {},
    "components": {"schemas": {
        "Apple": _object(
            mango={"$ref": "#/components/schemas/Mango"},  # a later class
            zebras={"type": "array", "items": {"$ref": "#/components/schemas/Zebra"}},
            date={"type": "string", "format": "date"},  # the library imports `date` renamed
            error={"$ref": "#/components/schemas/Exception"},  # named as a builtin: first
            count={"type": "integer"}),
        "Exception": _object(message={"type": "string"},
                             cause={"$ref": "#/components/schemas/Exception"}),
        "Mango": _object(
            apple={"$ref": "#/components/schemas/Apple"},  # an earlier class
            parent={"$ref": "#/components/schemas/Mango"},  # its own class
            **{"kind-of": {"$ref": "#/components/schemas/Zebra"}}),  # Annotated, with an alias
        "Zebra": _object(name={"type": "string"}, stripes={"type": "integer", "default": 3}),
    }},
}


def test_a_models_module_evaluates_annotations_as_it_runs_but_those_of_later_names(
        generate: GenerateFn) -> None:
    """No `from __future__ import annotations`: Python evaluates a field's annotation as it
    creates the class (pydantic would compile each string), except where a name in it does not
    exist yet (a later class, the class itself): those are strings, resolved when the model is
    built. A class named like a builtin comes before those that name it: a string (or an
    annotation under `from __future__ import annotations`) naming it before it exists would be
    resolved to the builtin as the class is made (a pydantic error at first use)."""
    package = generate(_LATER_SPEC)
    models = package.models
    module = sys.modules[models.Apple.__module__]
    assert "from __future__ import annotations" not in Path(module.__file__ or "").read_text()
    strings = {f"{cls.__name__}.{field}": isinstance(annotation, str)
               for cls in (models.Apple, models.Exception, models.Mango, models.Zebra)
               for field, annotation in vars(cls)["__annotations__"].items()}
    assert strings == {
        "Apple.mango": True, "Apple.zebras": True, "Apple.date": False, "Apple.error": False,
        "Apple.count": False, "Exception.message": False, "Exception.cause": True,
        "Mango.apple": False, "Mango.parent": True, "Mango.kind_of": False,
        "Zebra.name": False, "Zebra.stripes": False,
    }
    # `Annotated[...]` keeps its metadata evaluated: only the type is a string
    kind_of = vars(models.Mango)["__annotations__"]["kind_of"]
    assert typing.get_origin(kind_of) is typing.Annotated
    assert typing.get_args(kind_of)[0] == typing.ForwardRef("Zebra | None")
    apple = models.Apple.model_validate({
        "mango": {"apple": {"count": 1}, "parent": {}, "kind-of": {"name": "z"}},
        "zebras": [{"name": "a"}], "date": "2026-12-05",
        "error": {"message": "m", "cause": {"message": "c"}}})
    assert apple.date == datetime.date(2026, 12, 5)
    assert isinstance(apple.error, models.Exception) and apple.error.message == "m"
    assert isinstance(apple.error.cause, models.Exception) and apple.error.cause.message == "c"
    assert apple.mango is not None and apple.mango.kind_of is not None
    assert apple.mango.kind_of.name == "z" and apple.zebras is not None
    assert apple.zebras[0].name == "a" and apple.mango.apple is not None
    assert apple.mango.apple.count == 1


_HAND_MADE = """\
# header
from __future__ import annotations

from typing import TYPE_CHECKING, Annotated
from pydantic import Field
from ._models import BaseModel

if TYPE_CHECKING:
    from .elsewhere import Far


class Apple(BaseModel):
    basket: Basket | None = None


class Basket(BaseModel):
    fruit: Apple | None = None
    far: Far | None = None
    sized: Annotated[
        int,
        Field(description="two  spaces\\n", ge=1),
    ] = 1
    count: Annotated[
        int | None,
        Field(description="é  \\\\", ge=Zed.MIN),
    ] = None
    wrapped: (
        Zed
        | None
    ) = None


class Zed(BaseModel):
    MIN: int = 1
"""


def test_an_annotation_naming_a_later_or_type_checking_name_is_a_string() -> None:
    """An annotation naming a class imported for type checkers only, or a later class (in an
    `Annotated`'s metadata: the whole `Annotated`), is a string; one that spans lines becomes
    one line, its strings kept as they were."""
    [module] = [text for name, text in split_modules(_HAND_MADE, {}, "# header").items()
                if name != "__init__.py"]
    annotations = {f"{cls.name}.{node.target.id}": node.annotation
                   for cls in ast.parse(module).body if isinstance(cls, ast.ClassDef)
                   for node in cls.body
                   if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)}
    quoted = {name for name, node in annotations.items() if isinstance(node, ast.Constant)}
    assert quoted == {"Apple.basket", "Basket.far", "Basket.count", "Basket.wrapped"}
    assert all("\n" not in node.value for name, node in annotations.items() if name in quoted)
    original = {f"{cls.name}.{node.target.id}": node.annotation
                for cls in ast.parse(_HAND_MADE).body if isinstance(cls, ast.ClassDef)
                for node in cls.body
                if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)}
    read = {name: ast.parse(node.value, mode="eval").body if name in quoted else node
            for name, node in annotations.items()}
    assert {name: ast.dump(node) for name, node in read.items()} == \
        {name: ast.dump(node) for name, node in original.items()}
    assert "from __future__" not in module


_DIRECTED = """\
# header
from enum import Enum
from pydantic import ConfigDict
from ._models import BaseModel


class Color(Enum):
    red = "red"


class Order(BaseModel):
    model_config = ConfigDict(extra="allow")
    quantity: int = 1


class Pet(BaseModel):
    color: Color = Color.red
"""


def test_split_modules_fit_each_class_to_the_way_its_data_travels() -> None:
    """A class only sent forbids unknown fields; a received one has no defaults, and then needs
    the classes its defaults named no more while it is created: those its fields name are
    imported for type checkers only, and linked when it is built."""
    directions = Directions(sent=("Order",), received=("Pet",))
    files = split_modules(_DIRECTED, {"Color": "_a", "Order": "_b", "Pet": "_c"}, "# header",
                          directions)
    assert 'extra="forbid"' in files["_b.py"] and "quantity: int = 1" in files["_b.py"]
    pet = files["_c.py"]
    assert "color: 'Color | None' = None" in pet  # a string: Color is not imported at run time
    assert "if TYPE_CHECKING:\n    from ._a import Color" in pet
    assert "build_models(globals(), {'_a': ('Color',)})" in pet
    # a module that is not only classes is kept whole, and fitted too
    [whole] = [text for name, text in split_modules(
        _DIRECTED.replace("\n\nclass Pet", "\nLIMIT = 3\n\nclass Pet"), {}, "# header",
        directions).items() if name != "__init__.py"]
    assert 'extra="forbid"' in whole and "color: Color | None = None" in whole


_TAGGED_PETS: dict[str, Any] = {
    "openapi": "3.0.3", "info": {"title": "Tagged pets", "version": "1"},
    "paths": {"/pets/{id}": {"get": {
        "operationId": "getPet",
        "parameters": [{"name": "id", "in": "path", "required": True,
                        "schema": {"type": "string"}}],
        "responses": {"200": {"description": "ok", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Pet"}}}}}}}},
    "components": {"schemas": {
        "Pet": {"type": "object", "required": ["kind"],
                "properties": {"kind": {"type": "string"},
                               "tags": {"type": "array",
                                        "items": {"$ref": "#/components/schemas/Tag"}}},
                "discriminator": {"propertyName": "kind",
                                  "mapping": {"cat": "#/components/schemas/Cat"}}},
        "Cat": {"allOf": [{"$ref": "#/components/schemas/Pet"},
                          _object(meow={"type": "boolean"})]},
        "Tag": _object(name={"type": "string"}),  # as in the Petstore
    }},
}


def test_a_schema_named_tag_beside_a_discriminated_union(
        generate: GenerateFn, tmp_path: Path) -> None:
    """The union's members are marked with pydantic's `Tag`: imported under another name when
    a schema's class is called `Tag`, which the fields that name it then mean (a redefinition
    mypy refused; with the annotations evaluated at import, pydantic's class in the fields)."""
    package = generate(_TAGGED_PETS)
    source = Path(sys.modules[package.models.Tag.__module__].__file__ or "").read_text()
    assert "from pydantic import ConfigDict, Tag as PydanticTag" in source
    cat = package.models.PetUnion.model_validate(
        {"kind": "cat", "meow": True, "tags": [{"name": "indoor"}]}).root
    assert isinstance(cat, package.models.Cat)
    assert cat.tags is not None and isinstance(cat.tags[0], package.models.Tag)
    root = Path(package.__file__ or "").parents[1]
    checked = mypy_strict(package.__name__, cwd=root, mypy_path=str(root))
    assert checked.returncode == 0, checked.stdout
