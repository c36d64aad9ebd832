"""Generating models in parts must give every class the text one whole run gives it."""

from __future__ import annotations

import ast
import copy
from pathlib import Path
from typing import Any

import pytest

from generator import model_parts, models
from generator.build import build_api, model_document
from generator.diagnostics import SpecError
from generator.load import load_spec
from generator.render import file_header

ROOT = Path(__file__).parents[2]
CORPUS = ROOT / "tests" / "robustness" / "corpus"
SPECS = [*sorted((ROOT / "specs").glob("*.yaml")), *sorted(
    path for path in CORPUS.iterdir()
    if path.suffix in (".yaml", ".json") and not path.name.startswith("_")
)]


def _document(spec: Path) -> tuple[dict[str, Any], str, tuple[str, ...]] | None:
    try:
        api, _ = build_api(load_spec(spec))
    except SpecError:
        return None  # a spec that cannot be generated has no models to compare
    return model_document(api), file_header(api), api.model_names


def _classes(module: str) -> dict[str, str]:
    tree = ast.parse(module)
    return {node.name: ast.unparse(node) for node in tree.body if isinstance(node, ast.ClassDef)}


def _imports(module: str) -> set[tuple[str, str]]:
    return {(f"{'.' * node.level}{node.module}", alias.name)
            for node in ast.parse(module).body if isinstance(node, ast.ImportFrom)
            for alias in node.names}


@pytest.fixture
def small_parts(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Split even a small spec into parts, and cache them in a fresh directory."""
    monkeypatch.setattr(model_parts, "SPLIT_AT", 1)
    monkeypatch.setattr(model_parts, "BUCKETS", 3)
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", str(tmp_path))


@pytest.mark.usefixtures("small_parts")
def test_parts_merge_into_the_module_of_a_whole_run() -> None:
    merged_specs = []
    for spec in SPECS:
        found = _document(spec)
        if found is None or not found[2]:
            continue
        document, header, expected = found
        schemas = document["components"]["schemas"]
        parts = model_parts.plan(schemas)
        merged = models._generate_in_parts(copy.deepcopy(document), header, parts)
        if merged is None:
            continue  # the caller then makes one whole run: nothing to compare
        whole = models.stable_order(models._post_processed(
            models._run(copy.deepcopy(document), header), schemas))
        assert _classes(merged[0]) == _classes(whole), spec.name
        assert _imports(merged[0]) == _imports(whole), spec.name
        merged_specs.append(spec.name)
    # the bundled specs have discriminated bases, allOf children and shared enums
    assert {"fivetran.yaml", "stitch.yaml"} <= set(merged_specs)
    assert len(merged_specs) >= 10, merged_specs


R = "#/components/schemas/"
OBJECT = {"type": "object", "properties": {"a": {"type": "integer"}}}
COLOR = {"type": "string", "enum": ["red", "blue"]}
# Small schema sets, each generated one schema per part (as far as `plan` allows) and as one
# whole run; the merged module must be byte-identical, or the merge must decline (fallback).
CASES: dict[str, tuple[str, dict[str, Any]]] = {
    "3.0 nullable target": ("3.0.3", {
        "Owner": {"type": "object", "required": ["c"], "properties": {"c": {"$ref": R + "Cfg"}}},
        "Cfg": {**OBJECT, "nullable": True}}),
    "3.1 nullable target (type list)": ("3.1.0", {
        "Owner": {"type": "object", "required": ["c"], "properties": {
            "c": {"$ref": R + "Cfg"}, "items": {"type": "array", "items": {"$ref": R + "Cfg"}}}},
        "Cfg": {**OBJECT, "type": ["object", "null"]}}),
    "3.1 nullable target (anyOf null)": ("3.1.0", {
        "Owner": {"type": "object", "required": ["c"], "properties": {"c": {"$ref": R + "Cfg"}}},
        "Cfg": {"anyOf": [OBJECT, {"type": "null"}]}}),
    "3.1 nullable array target": ("3.1.0", {
        "Owner": {"type": "object", "required": ["c"], "properties": {"c": {"$ref": R + "Tags"}}},
        "Tags": {"type": ["array", "null"], "items": {"type": "string"}}}),
    "enum default, direct": ("3.0.3", {
        "Owner": {"type": "object", "properties": {"c": {"$ref": R + "Color", "default": "red"}}},
        "Color": COLOR}),
    "enum default through an alias": ("3.0.3", {
        "Owner": {"type": "object",
                  "properties": {"c": {"$ref": R + "ColorAlias", "default": "red"}}},
        "ColorAlias": {"$ref": R + "Color"}, "Color": COLOR}),
    "enum default through allOf": ("3.0.3", {
        "Owner": {"type": "object", "properties": {
            "c": {"allOf": [{"$ref": R + "Color"}], "default": "blue", "description": "d"}}},
        "Color": {**COLOR, "x-enum-varnames": ["RED", "BLUE"]}}),
    "allOf wrapper of an enum": ("3.0.3", {
        "Owner": {"type": "object", "properties": {"c": {"$ref": R + "Shade"}}},
        "Shade": {"allOf": [{"$ref": R + "Color"}], "description": "A shade"},
        "Color": COLOR}),
    "roots with defaults": ("3.0.3", {
        "Owner": {"type": "object", "properties": {
            "tags": {"$ref": R + "Tags", "default": ["a"]},
            "map": {"$ref": R + "Map", "default": {"k": "v"}},
            "u": {"$ref": R + "U", "default": "x"}}},
        "Tags": {"type": "array", "items": {"type": "string"}},
        "Map": {"type": "object", "additionalProperties": {"type": "string"}},
        "U": {"oneOf": [{"type": "string"}, {"type": "integer"}]}}),
    "target with default, description, deprecated": ("3.0.3", {
        "Owner": {"type": "object", "properties": {"c": {"$ref": R + "Cfg"}}},
        "Cfg": {**OBJECT, "default": {"a": 1}, "description": "cfg", "deprecated": True}}),
    "discriminated base": ("3.0.3", {
        "Pet": {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}},
                "discriminator": {"propertyName": "kind", "mapping": {"cat": R + "Cat"}}},
        "Cat": {"allOf": [{"$ref": R + "Pet"}, {"properties": {"toy": {"$ref": R + "Toy"}}}]},
        "Dog": {"allOf": [{"$ref": R + "Pet"}]},
        "Owner": {"type": "object", "properties": {"pet": {"$ref": R + "Pet"}}},
        "Toy": OBJECT}),
    "inline names that collide across parts": ("3.0.3", {
        "Pet": {"type": "object", "properties": {"owner_info": OBJECT}},
        "PetOwner": {"type": "object", "properties": {"info": OBJECT}}}),
    "inline name equal to a component": ("3.0.3", {
        "Pet": {"type": "object", "properties": {"owner": OBJECT}},
        "PetOwner": {"type": "object", "properties": {"v": {"type": "string"}}}}),
    "a field named like a class of another part": ("3.0.3", {
        "Owner": {"type": "object", "properties": {"Toy": {"type": "string"}}}, "Toy": OBJECT}),
}

# where a whole run names an inline schema after a neighbour, the parts cannot agree
DECLINED = {"inline names that collide across parts", "inline name equal to a component"}


@pytest.mark.parametrize("case", sorted(CASES))
def test_one_schema_per_part_gives_the_bytes_of_a_whole_run(
        case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", "")
    monkeypatch.setattr(model_parts, "SPLIT_AT", 1)
    monkeypatch.setattr(model_parts, "BUCKETS", 10_000)
    version, schemas = CASES[case]
    document = {"openapi": version, "info": {"title": "t", "version": "1"}, "paths": {},
                "components": {"schemas": schemas}}
    parts = model_parts.plan(schemas)
    merged = models._generate_in_parts(copy.deepcopy(document), "# header", parts)
    whole = models.sort_imports(models.stable_order(models._post_processed(
        models._run(copy.deepcopy(document), "# header"), schemas)))
    assert (merged is None) == (case in DECLINED), "merged" if merged else "declined"
    if merged is not None:
        assert models.sort_imports(merged[0]) == whole


def test_what_shapes_a_class_keeps_schemas_in_one_part(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(model_parts, "SPLIT_AT", 1)
    monkeypatch.setattr(model_parts, "BUCKETS", 10_000)
    ref = "#/components/schemas/"
    schemas = {
        "Pet": {"type": "object", "discriminator": {"propertyName": "kind",
                                                     "mapping": {"cat": f"{ref}Cat"}},
                "properties": {"kind": {"type": "string"}}},
        "Cat": {"allOf": [{"$ref": f"{ref}Pet"}, {"properties": {"toy": {"$ref": f"{ref}Toy"}}}]},
        "Dog": {"allOf": [{"$ref": f"{ref}Pet"}]},
        "Owner": {"properties": {"pet": {"$ref": f"{ref}Pet"}}},  # becomes Cat | Dog
        "Toy": {"properties": {"name": {"type": "string"}}},
        "Color": {"type": "string", "enum": ["red"]},
        "Shop": {"properties": {"toy": {"$ref": f"{ref}Toy"}, "color": {"$ref": f"{ref}Color"}}},
    }
    parts = model_parts.plan(schemas)
    together = next(part for part in parts if "Pet" in part)
    assert sorted(together) == ["Cat", "Dog", "Owner", "Pet"]
    assert ["Toy"] in parts and ["Color"] in parts and ["Shop"] in parts
    document, stand_ins = model_parts.part_document({"components": {"schemas": schemas}}, ["Shop"])
    assert stand_ins == {"Toy", "Color"}
    assert document["components"]["schemas"]["Toy"] == {"type": "object"}
    assert document["components"]["schemas"]["Color"] == schemas["Color"]  # defaults need it


@pytest.mark.usefixtures("small_parts")
def test_a_changed_schema_regenerates_only_its_part(tmp_path: Path) -> None:
    found = _document(ROOT / "specs" / "fivetran.yaml")
    assert found is not None
    document, header, expected = found
    parts = model_parts.plan(document["components"]["schemas"])
    assert len(parts) > 1
    first = models.generate_models(copy.deepcopy(document), header, expected)
    entries = set((tmp_path / "models").iterdir())
    assert len(entries) == len(parts)
    changed = copy.deepcopy(document)
    name = next(n for n, s in changed["components"]["schemas"].items()
                if isinstance(s.get("properties"), dict))
    changed["components"]["schemas"][name]["properties"]["added_field"] = {"type": "integer"}
    second = models.generate_models(changed, header, expected)
    assert len(set((tmp_path / "models").iterdir()) - entries) == 1
    assert "added_field: int | None = None" in second and "added_field" not in first
    # a cached part gives the same module as the run that made it
    assert models.generate_models(copy.deepcopy(document), header, expected) == first
