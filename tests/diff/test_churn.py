"""Minimal churn: a small spec edit changes only the generated lines that express it.

Each test generates the corpus base spec and an edited copy, and asserts on the unified diff of
the two generated trees: which files changed, how many lines, and that the lines name only
what the edit added or removed, so a reviewer's diff of `generated/` stays readable.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from clientgen.manifest import MANIFEST
from clientgen.pipeline import generate_package

from .corpus import BASE, op, prop, schema

Files = dict[str, str]
PACKAGE = "pets_client"
_DEFINITION = re.compile(r"^\s*(?:async def|def|class) (\w+)", re.MULTILINE)


@dataclass
class Churn:
    added: dict[str, list[str]] = field(default_factory=dict)  # file -> lines added
    removed: dict[str, list[str]] = field(default_factory=dict)
    new_names: set[str] = field(default_factory=set)  # classes and functions that appear
    gone_names: set[str] = field(default_factory=set)

    @property
    def files(self) -> set[str]:
        return {name.removeprefix(f"{PACKAGE}/") for name in self.added.keys() | self.removed}

    def lines(self, which: str) -> list[str]:
        side = self.added if which == "added" else self.removed
        return [line for lines in side.values() for line in lines]


def churn(old: Files, new: Files) -> Churn:
    """The lines that changed, but for the manifest's: it records the hash of the spec and of
    every file, so any edit changes it (tests/generator/test_manifest.py checks it)."""
    assert old[MANIFEST] != new[MANIFEST] or old == new
    result = Churn()
    for name in sorted((old.keys() | new.keys()) - {MANIFEST}):
        before, after = old.get(name, ""), new.get(name, "")
        old_lines, new_lines = before.splitlines(), after.splitlines()
        # without difflib's "popular line" heuristic, which in a long module of similar
        # methods misaligns a pure insertion as removals and additions (git diff does not)
        matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            if i2 > i1:
                result.removed.setdefault(name, []).extend(old_lines[i1:i2])
            if j2 > j1:
                result.added.setdefault(name, []).extend(new_lines[j1:j2])
        old_names, new_names = set(_DEFINITION.findall(before)), set(_DEFINITION.findall(after))
        result.new_names |= new_names - old_names
        result.gone_names |= old_names - new_names
    return result


Generate = Callable[[dict[str, Any]], Files]


@pytest.fixture(scope="module")
def generate(tmp_path_factory: pytest.TempPathFactory) -> Generate:
    directory = tmp_path_factory.mktemp("churn")

    def _generate(spec: dict[str, Any]) -> Files:
        path = directory / "spec.json"  # one name: the file header names the spec
        path.write_text(json.dumps(spec, indent=2), encoding="utf-8")
        return generate_package(path, PACKAGE).files
    return _generate


@pytest.fixture(scope="module")
def base(generate: Generate) -> Files:
    return generate(BASE)


def edited(edit: Callable[[dict[str, Any]], None], start: dict[str, Any] = BASE
           ) -> dict[str, Any]:
    spec: dict[str, Any] = json.loads(json.dumps(start))
    edit(spec)
    return spec


def test_regenerating_the_same_spec_changes_nothing(base: Files, generate: Generate) -> None:
    assert churn(base, generate(BASE)).files == set()


def test_adding_an_optional_field_changes_only_that_fields_lines(
        base: Files, generate: Generate) -> None:
    description = "What friends call the owner."

    def edit(spec: dict[str, Any]) -> None:
        schema(spec, "Owner")["properties"]["nickname"] = {"type": "string",
                                                           "description": description}

    diff = churn(base, generate(edited(edit)))
    assert diff.files == {"models/_all.py"}
    assert diff.lines("removed") == []
    added = diff.lines("added")
    assert len(added) <= 4  # the field, and its docstring
    assert all("nickname" in line or description in line or line.strip() == '"""'
               for line in added), added
    assert not diff.new_names and not diff.gone_names


def test_adding_an_enum_value_adds_one_member_line(base: Files, generate: Generate) -> None:
    diff = churn(base, generate(edited(
        lambda spec: prop(spec, "Owner", "kind")["enum"].append("trust"))))
    assert diff.files == {"models/_all.py"}
    assert diff.lines("removed") == []
    assert [line.strip() for line in diff.lines("added")] == ['trust = "trust"']


def test_adding_an_optional_query_parameter_adds_only_lines_naming_it(
        base: Files, generate: Generate) -> None:
    diff = churn(base, generate(edited(lambda spec: op(spec, "/pets", "get")["parameters"].append(
        {"name": "offset", "in": "query", "description": "Skip this many.",
         "schema": {"type": "integer"}}))))
    assert diff.files == {"resources/pets.py"}
    assert diff.lines("removed") == []
    added = diff.lines("added")
    assert all("offset" in line for line in added), added
    # at least the argument, its docstring line and its use, in the function and the method,
    # sync and async
    assert len(added) >= 12


_REPLACE_PET = {
    "operationId": "replacePet",
    "tags": ["Pets"],
    "summary": "Replace a pet",
    "requestBody": {"required": True, "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/NewPet"}}}},
    "responses": {"200": {"description": "ok", "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/Pet"}}}}},
}


def test_adding_an_operation_only_adds_lines(base: Files, generate: Generate) -> None:
    def edit(spec: dict[str, Any]) -> None:
        spec["paths"]["/pets/{petId}"]["put"] = _REPLACE_PET

    diff = churn(base, generate(edited(edit)))
    assert diff.files == {"README.md", "resources/pets.py"}
    assert diff.lines("removed") == []
    assert diff.new_names == {"replace_pet", "replace_pet_async", "replace"}
    assert not diff.gone_names
    [readme_line] = diff.added["README.md"]
    assert "PUT /pets/{petId}" in readme_line


def test_removing_an_operation_only_removes_its_lines(base: Files, generate: Generate) -> None:
    diff = churn(base, generate(edited(
        lambda spec: spec["paths"]["/pets/{petId}"].pop("delete"))))
    assert diff.files == {"README.md", "resources/pets.py"}
    assert diff.lines("added") == []
    assert diff.gone_names == {"delete_pet", "delete_pet_async", "delete"}
    assert not diff.new_names


def test_adding_a_tag_adds_a_resource_without_rewriting_others(
        base: Files, generate: Generate) -> None:
    def edit(spec: dict[str, Any]) -> None:
        spec["paths"]["/toys"] = {"get": {"operationId": "listToys", "tags": ["Toys"],
                                          "responses": {"200": {"description": "ok"}}}}

    diff = churn(base, generate(edited(edit)))
    assert diff.files == {"README.md", "_client.py", "resources/__init__.py",
                          "resources/toys.py"}
    assert diff.lines("removed") == []
    for name in (f"{PACKAGE}/_client.py", f"{PACKAGE}/resources/__init__.py"):
        # ")" closes an import block: the diff aligns the new block's paren with the old one
        assert all("toys" in line.lower() or line == ")" for line in diff.added[name])


def test_adding_an_optional_field_that_refers_to_another_schema_changes_only_that_field(
        base: Files, generate: Generate) -> None:
    diff = churn(base, generate(edited(lambda spec: schema(spec, "Owner")["properties"].update(
        favourite={"$ref": "#/components/schemas/Status"}))))
    assert diff.files == {"models/_all.py"}
    assert diff.lines("removed") == []
    assert [line.strip() for line in diff.lines("added")] == [
        'favourite: "Status | None" = None']  # a string: Status comes after Owner


def test_adding_a_list_method_leaves_other_methods_alone(generate: Generate) -> None:
    def with_replace_all(spec: dict[str, Any]) -> None:
        strings = {"type": "array", "items": {"type": "string"}}
        spec["paths"]["/shapes"]["put"] = {
            "operationId": "replaceShapes", "tags": ["Shapes"],
            "requestBody": {"content": {"application/json": {"schema": strings}}},
            "responses": {"200": {"description": "ok",
                                  "content": {"application/json": {"schema": strings}}}}}

    start = edited(with_replace_all)
    before = generate(start)
    after = generate(edited(lambda spec: spec["paths"]["/shapes"].update(get={
        "operationId": "listShapes", "tags": ["Shapes"],
        "responses": {"200": {"description": "ok"}}}), start))
    assert churn(before, after).lines("removed") == []
