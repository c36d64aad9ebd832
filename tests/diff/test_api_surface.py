"""The generated public Python API of two specs, compared: what a client user's code sees."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator.api_surface import diff_packages, public_surface
from generator.diff_report import ApiChange, Severity
from generator.pipeline import GeneratedPackage, generate_package

from .corpus import BASE, op, prop, schema

B, P, N = Severity.BREAKING, Severity.POTENTIALLY_BREAKING, Severity.NON_BREAKING


def _edit(spec: dict[str, Any]) -> None:
    op(spec, "/pets", "get")["parameters"].append(
        {"name": "offset", "in": "query", "schema": {"type": "integer"}})
    schema(spec, "NewPet")["properties"]["color"] = {"type": "string"}
    schema(spec, "NewPet")["required"].append("color")
    del schema(spec, "Pet")["properties"]["tag"]
    prop(spec, "Owner", "kind")["enum"].append("trust")
    prop(spec, "Pet", "born")["format"] = "date-time"
    del spec["paths"]["/pets/{petId}"]["delete"]
    op(spec, "/pets/{petId}", "get")["x-method-name"] = "fetch"


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory
             ) -> tuple[GeneratedPackage, GeneratedPackage]:
    directory = tmp_path_factory.mktemp("surface")
    new: dict[str, Any] = json.loads(json.dumps(BASE))
    _edit(new)
    results = []
    for name, spec in (("old", BASE), ("new", new)):
        path = directory / f"{name}.json"
        path.write_text(json.dumps(spec), encoding="utf-8")
        results.append(generate_package(path))
    return results[0], results[1]


@pytest.fixture(scope="module")
def changes(packages: tuple[GeneratedPackage, GeneratedPackage]) -> dict[str, ApiChange]:
    old, new = packages
    return {c.symbol: c for c in diff_packages(old.files, old.api.package, new.files,
                                               new.api.package)}


def test_surface_lists_client_resources_methods_parameters_and_model_fields(
        packages: tuple[GeneratedPackage, GeneratedPackage]) -> None:
    old, _ = packages
    surface = public_surface(old.files, old.api.package)
    assert surface["Pets"].kind == "class"
    assert surface["Pets.pets"].signature == "pets: PetsResource"
    assert surface["PetsResource.get(pet_id)"].signature == "pet_id: str"
    assert surface["PetsResource.get(pet_id)"].required
    assert surface["models.Pet.name"].required
    assert surface["models.Status.sold"].kind == "member"


def test_async_and_raw_response_twins_are_not_listed_twice(
        packages: tuple[GeneratedPackage, GeneratedPackage]) -> None:
    old, _ = packages
    names = public_surface(old.files, old.api.package)
    assert "PetsResource" in names
    for twin in ("AsyncPets", "AsyncPetsResource", "PetsResourceWithRawResponse",
                 "resources.pets.list_pets_async"):
        assert twin not in names
    assert not [n for n in names if n.startswith(("AsyncPets", "PetsResourceWithRaw"))]


def test_removed_operation_removes_its_method_once(changes: dict[str, ApiChange]) -> None:
    assert changes["PetsResource.delete"].severity is B
    assert changes["PetsResource.delete"].kind == "method-removed"
    assert "PetsResource.delete(pet_id)" not in changes  # reported with its method


def test_renamed_method_is_a_removal_and_an_addition(changes: dict[str, ApiChange]) -> None:
    assert changes["PetsResource.get"].severity is B
    assert changes["PetsResource.fetch"].kind == "method-added"


def test_new_optional_argument_is_non_breaking(changes: dict[str, ApiChange]) -> None:
    assert changes["PetsResource.list(offset)"].severity is N


def test_model_field_changes(changes: dict[str, ApiChange]) -> None:
    assert changes["models.Pet.tag"].severity is B
    assert changes["models.NewPet.color"].kind == "field-added"
    assert changes["models.NewPet.color"].severity is P
    born = changes["models.Pet.born"]
    assert born.kind == "field-changed" and "date" in born.message and "Datetime" in born.message


def test_new_enum_member_is_reported(changes: dict[str, ApiChange]) -> None:
    assert changes["models.OwnerKind.trust"].severity is N


def test_identical_packages_have_no_api_changes(
        packages: tuple[GeneratedPackage, GeneratedPackage]) -> None:
    old, _ = packages
    assert diff_packages(old.files, old.api.package, old.files, old.api.package) == []


def test_required_keyword_argument_added_is_breaking() -> None:
    old = {"p/resources/x.py": "class XResource:\n    def get(self, *, a: int) -> None: ...\n"}
    new = {"p/resources/x.py": "class XResource:\n"
                               "    def get(self, *, a: int, b: str) -> None: ...\n"}
    [change] = diff_packages(old, "p", new, "p")
    assert (change.kind, change.severity, change.symbol) == ("parameter-added", B,
                                                              "XResource.get(b)")


def test_argument_that_lost_its_default_is_breaking() -> None:
    old = {"p/resources/x.py": "class XResource:\n    def get(self, *, a: int = 1) -> None: ...\n"}
    new = {"p/resources/x.py": "class XResource:\n    def get(self, *, a: int) -> None: ...\n"}
    [change] = diff_packages(old, "p", new, "p")
    assert (change.kind, change.severity) == ("parameter-changed", B)


def test_builtins_spelling_is_not_a_change(tmp_path: Path) -> None:
    old = {"p/resources/x.py": "class XResource:\n    def get(self) -> list[int]: ...\n"}
    new = {"p/resources/x.py": "import builtins\nclass XResource:\n"
                               "    def get(self) -> builtins.list[int]: ...\n"}
    assert diff_packages(old, "p", new, "p") == []


def test_field_documentation_is_not_an_api_change() -> None:
    old = {"p/models.py": "class M(BaseModel):\n"
                          "    a: Annotated[str, Field(examples=['x'], max_length=3)]\n"}
    new = {"p/models.py": "class M(BaseModel):\n"
                          "    a: Annotated[str, Field(examples=['y'], max_length=3)]\n"}
    assert diff_packages(old, "p", new, "p") == []
    newer = {"p/models.py": new["p/models.py"].replace("max_length=3", "max_length=4")}
    [change] = diff_packages(old, "p", newer, "p")
    assert change.kind == "field-changed"
