"""The generated public Python API of two specs, compared: what a client user's code sees."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from clientgen import diff, pipeline
from clientgen.api_surface import decode_surface, diff_packages, encode_surface, public_surface
from clientgen.config import Target, configured_targets
from clientgen.diff_report import ApiChange, Severity
from clientgen.load import load_spec
from clientgen.pipeline import GeneratedPackage, generate_package, unformatted_package
from clientgen.write import files_on_disk

from tests.conftest import ROOT

from .corpus import BASE, insert_service, op, prop, schema, with_destinations

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
    old = _field("a: Annotated[str, Field(examples=['x'], max_length=3)]")
    new = _field("a: Annotated[str, Field(examples=['y'], max_length=3)]")
    assert diff_packages(old, "p", new, "p") == []
    newer = _field("a: Annotated[str, Field(examples=['y'], max_length=4)]")
    [change] = diff_packages(old, "p", newer, "p")
    assert change.kind == "field-changed"


def test_a_field_type_written_as_a_string_is_the_same_type() -> None:
    """A models module writes a field's type as a string where the class it names comes later
    (models._evaluable): another class can change that without changing the type."""
    plain = _field("a: Annotated[N | None, Field(examples=['x'])] = None", "b: list[N]")
    quoted = _field("a: Annotated['N | None', Field(examples=['y'])] = None", "b: 'list[N]'")
    assert diff_packages(plain, "p", quoted, "p") == []
    wider = _field("a: Annotated['N | None', Field(examples=['y'])] = None", "b: 'list[N | O]'")
    [change] = diff_packages(plain, "p", wider, "p")
    assert (change.kind, change.symbol) == ("field-changed", "models.M.b")


def _method(signature: str, returns: str = "None") -> dict[str, str]:
    return {"p/resources/x.py": f"class XResource:\n    def get(self, *, {signature}) -> "
                                f"{returns}: ...\n"}


def _field(*lines: str) -> dict[str, str]:
    return {"p/models/_all.py": "class M(BaseModel):\n" + "".join(f"    {line}\n"
                                                                for line in lines)}


@pytest.mark.parametrize(("old", "new", "severity"), [
    # mypy rejects an old call passing an int
    ("a: int | NotGiven = NOT_GIVEN", "a: str | NotGiven = NOT_GIVEN", B),
    ("a: int", "a: str", B),
    # an optional argument that became required: calls leaving it out fail
    ("a: X | None = None", "a: X", B),
    ("a: Literal['x', 'y'] | NotGiven = NOT_GIVEN", "a: Literal['x'] | NotGiven = NOT_GIVEN", B),
    # every old call still type-checks
    ("a: int", "a: float", N),
    ("a: int", "a: int | str", N),
    ("a: Optional[int] = None", "a: int | None | NotGiven = NOT_GIVEN", P),  # another default
    ("a: Literal['x'] | NotGiven = NOT_GIVEN", "a: Literal['x', 'y'] | NotGiven = NOT_GIVEN",
     N),
    ("a: int", "a: int = 1", N),
])
def test_a_changed_argument_is_rated_by_whether_old_calls_still_type_check(
        old: str, new: str, severity: Severity) -> None:
    [change] = diff_packages(_method(old), "p", _method(new), "p")
    assert (change.kind, change.severity) == ("parameter-changed", severity), change.message


@pytest.mark.parametrize(("old", "new", "severity"), [
    ("models.Pet", "None", B),  # old code reads a value that is gone
    ("models.Pet", "models.Owner", B),
    ("models.Pet | None", "models.Pet | models.Owner", B),
    ("models.Pet | None", "models.Pet", N),  # a subset of what it returned
])
def test_a_changed_return_type_is_rated_by_what_old_code_reading_it_meets(
        old: str, new: str, severity: Severity) -> None:
    [change] = diff_packages(_method("a: int", old), "p", _method("a: int", new), "p")
    assert (change.kind, change.severity) == ("method-changed", severity), change.message


@pytest.mark.parametrize(("old", "new", "severity"), [
    ("a: int", "a: str", B),  # neither reading nor constructing type-checks as before
    ("a: int | None = None", "a: int", P),  # constructing it now needs it
    ("a: int", "a: int | str", P),  # readers may meet a str
    ("a: int | str", "a: int", P),  # constructing with a str fails
])
def test_a_changed_model_field_is_rated_by_reading_and_constructing(
        old: str, new: str, severity: Severity) -> None:
    [change] = diff_packages(_field(old), "p", _field(new), "p")
    assert (change.kind, change.severity) == ("field-changed", severity), change.message


def test_a_service_inserted_in_the_middle_of_a_mapping_renames_no_other_class(
        tmp_path: Path) -> None:
    """Inline schemas are named from their path, so no class shifts its number."""
    old: dict[str, Any] = json.loads(json.dumps(BASE))
    with_destinations(old)
    new: dict[str, Any] = json.loads(json.dumps(old))
    insert_service(new)
    packages = []
    for name, spec in (("old", old), ("new", new)):
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(spec), encoding="utf-8")
        packages.append(generate_package(path))
    changes = diff_packages(packages[0].files, packages[0].api.package, packages[1].files,
                            packages[1].api.package)
    assert sorted((c.kind, c.symbol, c.severity) for c in changes) == [
        ("class-added", "models.RedshiftConfig", N),
        ("class-added", "models.RedshiftConfigAuth", N),
        # stated once: the union's class line, not again as its `root` field
        ("class-changed", "models.DestinationConfigUnion", P),
        # the create method takes the body's fields: its `config` accepts one more class
        ("parameter-changed", "DestinationsResource.create(config)", N),
    ], [c.message for c in changes]


@pytest.mark.parametrize("target", configured_targets(ROOT), ids=lambda t: t.out.name)
def test_an_unformatted_package_has_the_api_of_the_committed_formatted_one(
        target: Target) -> None:
    """`clientgen diff` reads the API of unformatted packages: black and ruff change no
    symbol."""
    formatted = {name: path.read_text(encoding="utf-8")
                 for name, path in files_on_disk(target.out).items()}
    api, unformatted = unformatted_package(load_spec(target.spec), target.package)
    models = f"{api.package}/models/_all.py"
    assert unformatted[models] != formatted[models]
    surface = public_surface(unformatted, api.package)
    assert len(surface) > 500
    assert surface == public_surface(formatted, api.package)


def test_an_unformatted_package_has_the_api_of_the_formatted_one_after_edits(
        packages: tuple[GeneratedPackage, GeneratedPackage], tmp_path: Path) -> None:
    new: dict[str, Any] = json.loads(json.dumps(BASE))
    _edit(new)
    for spec, package in zip((BASE, new), packages, strict=True):
        path = tmp_path / "spec.json"
        path.write_text(json.dumps(spec), encoding="utf-8")
        api, files = unformatted_package(load_spec(path))
        assert public_surface(files, api.package) == public_surface(package.files,
                                                                    package.api.package)


def test_a_surface_survives_its_cache_encoding(
        packages: tuple[GeneratedPackage, GeneratedPackage]) -> None:
    for package in packages:
        surface = public_surface(package.files, package.api.package)
        assert decode_surface(encode_surface(surface)) == surface
    assert decode_surface("not json") is None
    assert decode_surface("[[1, 2]]") is None


def _pair(directory: Path, edit: Callable[[dict[str, Any]], None]) -> tuple[str, str]:
    """BASE and an edit of it, written to `directory` (the same file name in both, as a spec
    and its next version have)."""
    new: dict[str, Any] = json.loads(json.dumps(BASE))
    edit(new)
    paths = []
    for name, spec in (("old", BASE), ("new", new)):
        path = directory / name / "pets.json"
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps(spec), encoding="utf-8")
        paths.append(str(path))
    return paths[0], paths[1]


def test_a_spec_compared_before_is_not_generated_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", str(tmp_path / "cache"))
    old, new = _pair(tmp_path, _edit)
    first = diff.compare(old, new)
    assert first.api_changes and len(first.api_changes) > 5
    generate = pipeline.unformatted_package

    def no_generation(*args: object, **kwargs: object) -> None:
        raise AssertionError("generated again")

    monkeypatch.setattr(pipeline, "unformatted_package", no_generation)
    assert diff.compare(old, new) == first
    # the cache holds each spec's API, not the pair's: a third spec generates only itself
    made: list[str] = []
    monkeypatch.setattr(pipeline, "unformatted_package",
                        lambda loaded, **kw: made.append(loaded.display) or generate(loaded, **kw))
    other = tmp_path / "other" / "pets.json"
    other.parent.mkdir()
    other.write_text(json.dumps(BASE).replace("the pets", "all the pets"), encoding="utf-8")
    assert diff.compare(old, str(other)).api_changes == ()
    assert made == [str(other)]


def test_a_damaged_or_foreign_cache_entry_is_made_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", str(tmp_path / "cache"))
    old, new = _pair(tmp_path, _edit)
    first = diff.compare(old, new)
    entries = sorted((tmp_path / "cache" / "api-surface").iterdir())
    assert len(entries) == 2
    entries[0].write_text("pets\n[[1,", encoding="utf-8")
    entries[1].write_text("\n[]", encoding="utf-8")
    assert diff.compare(old, new) == first


def test_a_change_of_paths_only_makes_the_models_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", "")

    def rename(spec: dict[str, Any]) -> None:
        op(spec, "/pets/{petId}", "get")["x-method-name"] = "fetch"

    made: list[int] = []
    model_modules = pipeline._model_modules
    monkeypatch.setattr(pipeline, "_model_modules",
                        lambda *args: made.append(1) or model_modules(*args))
    report = diff.compare(*_pair(tmp_path, rename))
    assert len(made) == 1
    assert report.api_changes is not None
    assert sorted(c.kind for c in report.api_changes) == ["method-added", "method-removed"]


def test_a_class_read_on_one_side_is_reused_only_for_the_same_text() -> None:
    """Both sides' classes are read once per text (`Seen`): a class that moved keeps its
    symbols, one whose text changed is read again, also after a docstring with a raw `\\r`
    (a line end to Python, so line numbers must count it)."""
    pet = "class Pet(BaseModel):\n    name: str\n"
    old = {"p/models/_all.py": f'class A(BaseModel):\n    """x\ry"""\n    a: int\n\n\n{pet}'
                          "\n\nclass B(BaseModel):\n    b: int\n"}
    new = {"p/models/_all.py": f'class A(BaseModel):\n    """x\ry"""\n    a: int\n\n\n'
                          f"class New(BaseModel):\n    n: int\n\n\n{pet}"
                          "\n\nclass B(Pet):\n    b: int\n"}
    changes = diff_packages(old, "p", new, "p")
    assert sorted((c.kind, c.symbol) for c in changes) == [
        ("class-added", "models.New"), ("class-changed", "models.B")]
