"""Generating models in parts must give every class the text one whole run gives it."""

from __future__ import annotations

import ast
import copy
from pathlib import Path
from typing import Any

import pytest
from clientgen import model_parts, models
from clientgen.build import model_document
from clientgen.diagnostics import SpecError
from clientgen.load import load_spec
from clientgen.pipeline import build_api
from clientgen.render import file_header

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


@pytest.fixture(params=[model_parts.WIDE_BASE, 1], ids=["bases tied", "bases whole stand-ins"])
def small_parts(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                request: pytest.FixtureRequest) -> None:
    """Split even a small spec into parts, and cache them in a fresh directory; with every
    `allOf` base that ties nothing given whole to its subtypes' parts, or not."""
    monkeypatch.setattr(model_parts, "SPLIT_AT", 1)
    monkeypatch.setattr(model_parts, "BUCKETS", 3)
    monkeypatch.setattr(model_parts, "WIDE_BASE", request.param)
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", str(tmp_path))


@pytest.mark.usefixtures("small_parts")
def test_parts_merge_into_the_module_of_a_whole_run() -> None:
    merged_specs = []
    for spec in SPECS:
        found = _document(spec)
        if found is None or not found[2]:
            continue
        document, header, _ = found
        schemas = document["components"]["schemas"]
        parts = model_parts.plan(schemas)
        merged = models._generate_in_parts(copy.deepcopy(document), header, parts)
        if merged is None:
            continue  # the caller then makes one whole run: nothing to compare
        whole = models.stable_order(models._post_processed(
            models._run(copy.deepcopy(document), header), document))
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
    # the shape discriminators.py leaves of a base with a mapping: subtypes pin their value
    "plain allOf bases of many subtypes": ("3.0.3", {
        "Stamp": {"type": "object", "properties": {"at": {"type": "string"},
                                                   "meta": OBJECT}},
        "Base": {"allOf": [{"$ref": R + "Stamp"}, {"type": "object", "required": ["kind"],
                 "properties": {"kind": {"type": "string"}, "color": {"$ref": R + "Color"},
                                "extra": {"type": "object", "properties": {
                                    "note": {"type": "string"}}}}}]},
        "Auth": {"type": "object", "properties": {"auth": {"type": "object", "properties": {
            "key": {"type": "string", "description": "A long description."}}}}},
        **{f"Sub{i}": {"allOf": [{"$ref": R + "Base"}, {"$ref": R + "Auth"}, {
            "type": "object", "required": ["kind"],
            "properties": {"kind": {"type": "string", "const": f"k{i}"},
                           f"own{i}": {"type": "object",
                                       "properties": {"n": {"type": "integer"}}}}}
        ]} for i in range(3)},
        "Color": COLOR,
        "Union": {"anyOf": [{"$ref": R + f"Sub{i}"} for i in range(3)] + [{"$ref": R + "Base"}]},
        "Owner": {"type": "object", "properties": {"thing": {"$ref": R + "Union"}}}}),
    "a subtype that requires a field of its base": ("3.0.3", {
        "Base": {"type": "object", "properties": {"name": {"type": "string"},
                                                  "cfg": OBJECT, "color": {"$ref": R + "Color"}}},
        "Sub": {"allOf": [{"$ref": R + "Base"}, {"required": ["name", "color"]}]},
        "Color": COLOR}),
}

# where a whole run names an inline schema after a neighbour, the parts cannot agree
DECLINED = {"inline names that collide across parts", "inline name equal to a component"}


@pytest.mark.parametrize("wide_base", [model_parts.WIDE_BASE, 1])
@pytest.mark.parametrize("case", sorted(CASES))
def test_one_schema_per_part_gives_the_bytes_of_a_whole_run(
        case: str, wide_base: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", "")
    monkeypatch.setattr(model_parts, "SPLIT_AT", 1)
    monkeypatch.setattr(model_parts, "BUCKETS", 10_000)
    monkeypatch.setattr(model_parts, "WIDE_BASE", wide_base)
    version, schemas = CASES[case]
    document = {"openapi": version, "info": {"title": "t", "version": "1"}, "paths": {},
                "components": {"schemas": schemas}}
    parts = model_parts.plan(schemas)
    merged = models._generate_in_parts(copy.deepcopy(document), "# header", parts)
    whole = models.sort_imports(models.stable_order(models._post_processed(
        models._run(copy.deepcopy(document), "# header"), document)))
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


def test_a_wide_base_is_a_whole_stand_in_not_a_tie(monkeypatch: pytest.MonkeyPatch) -> None:
    """The vendor shape: services' subtypes `allOf: [Base, <service>Config]`; each service's
    schemas share a part, the base (and its base) go whole into every part that needs them."""
    monkeypatch.setattr(model_parts, "SPLIT_AT", 1)
    monkeypatch.setattr(model_parts, "BUCKETS", 10_000)
    schemas: dict[str, Any] = {
        "Stamp": OBJECT,
        "Base": {"allOf": [{"$ref": R + "Stamp"}, {"properties": {"c": {"$ref": R + "Color"}}}]},
        "Color": COLOR,
    }
    services = [f"S{i}" for i in range(model_parts.WIDE_BASE // 2)]  # two subtypes each
    for service in services:
        schemas[f"{service}Config"] = OBJECT
        for kind in ("New", "Read"):
            schemas[f"{service}{kind}"] = {"allOf": [{"$ref": R + "Base"},
                                                     {"$ref": R + f"{service}Config"}]}
    parts = model_parts.plan(schemas)
    for service in services:
        assert sorted(f"{service}{kind}" for kind in ("Config", "New", "Read")) in parts
    assert ["Stamp", "Base"] in parts  # Stamp is a narrow base: Base alone derives from it
    document, stand_ins = model_parts.part_document({"components": {"schemas": schemas}},
                                                    ["S0Config", "S0New", "S0Read"])
    assert stand_ins == {"Base", "Stamp", "Color"}
    given = document["components"]["schemas"]
    assert given["Base"] == schemas["Base"] and given["Stamp"] == schemas["Stamp"]
    # one fewer subtype: the base is narrow, and ties them all into one part again
    del schemas["S0New"], schemas["S0Read"]
    assert max(len(part) for part in model_parts.plan(schemas)) > 3


@pytest.mark.usefixtures("small_parts")
def test_a_changed_schema_regenerates_only_its_part(tmp_path: Path) -> None:
    found = _document(ROOT / "specs" / "fivetran.yaml")
    assert found is not None
    document, header, expected = found
    parts = model_parts.plan(document["components"]["schemas"])
    assert len(parts) > 1
    first = models.generate_model_modules(copy.deepcopy(document), header, expected)
    entries = set((tmp_path / "models").iterdir())
    assert len(entries) == len(parts)
    changed = copy.deepcopy(document)
    name = next(n for n, s in changed["components"]["schemas"].items()
                if isinstance(s.get("properties"), dict))
    changed["components"]["schemas"][name]["properties"]["added_field"] = {"type": "integer"}
    second = models.generate_model_modules(changed, header, expected)
    assert len(set((tmp_path / "models").iterdir()) - entries) == 1
    assert "added_field: int | None = None" in "".join(second.values())
    assert "added_field" not in "".join(first.values())
    # a cached part gives the same module as the run that made it
    assert models.generate_model_modules(copy.deepcopy(document), header, expected) == first


@pytest.mark.parametrize("spec", sorted((ROOT / "specs").glob("*.yaml")), ids=lambda p: p.name)
def test_a_small_spec_is_one_module_of_cached_parts_equal_to_a_whole_run(
        spec: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    found = _document(spec)
    assert found is not None
    document, header, expected = found
    schemas = document["components"]["schemas"]
    assert len(schemas) < model_parts.SPLIT_AT
    parts = model_parts.keyed_plan(schemas, model_parts.CACHED_BUCKETS)
    assert 1 < len(parts) <= model_parts.CACHED_BUCKETS
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", "")
    whole = models.generate_model_modules(copy.deepcopy(document), header, expected)
    assert whole == models.split_modules(
        models.whole_run(copy.deepcopy(document), header, expected), {}, header)
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", str(tmp_path))
    assert models.generate_model_modules(copy.deepcopy(document), header, expected) == whole
    assert len(list((tmp_path / "models").iterdir())) == len(parts)
    assert sorted(whole) == ["__init__.py", "_all.py"]
    # one new field: one part is made again, and the module is a whole run's
    changed = copy.deepcopy(document)
    name = next(n for n, s in changed["components"]["schemas"].items()
                if isinstance(s.get("properties"), dict))
    changed["components"]["schemas"][name]["properties"]["added_field"] = {"type": "integer"}
    entries = set((tmp_path / "models").iterdir())
    cached = models.generate_model_modules(copy.deepcopy(changed), header, expected)
    assert len(set((tmp_path / "models").iterdir()) - entries) == 1
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", "")
    assert cached == models.generate_model_modules(copy.deepcopy(changed), header, expected)
    assert cached == models.split_modules(models.whole_run(changed, header, expected), {}, header)
    assert "added_field: int | None = None" in cached["_all.py"]
