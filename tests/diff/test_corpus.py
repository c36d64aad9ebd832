"""Each spec pair of the corpus yields exactly the classified changes it lists."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from clientgen.diff import _Comparer, diff_specs
from clientgen.diff_report import Change, Severity
from clientgen.load import load_spec

from .corpus import BASE, CASES, Case, with_destinations

B, P, N = Severity.BREAKING, Severity.POTENTIALLY_BREAKING, Severity.NON_BREAKING


def diff(directory: Path, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = {}
    for side, spec in (("old", old), ("new", new)):
        paths[side] = directory / f"{side}.json"
        paths[side].write_text(json.dumps(spec, indent=2), encoding="utf-8")
    return diff_specs(load_spec(paths["old"], "old.json"), load_spec(paths["new"], "new.json"))


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Change]]:
    """Every case diffed once; the tests below read these."""
    root = tmp_path_factory.mktemp("corpus")
    return {case.name: diff(root / str(index), *case.specs())
            for index, case in enumerate(CASES)}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_corpus_case_reports_exactly_the_expected_changes(
        case: Case, results: dict[str, list[Change]]) -> None:
    changes = results[case.name]
    found = sorted((c.kind, c.severity) for c in changes)
    assert found == sorted(case.expected), [f"{c.kind}: {c.message}" for c in changes]


def test_corpus_covers_at_least_thirty_kinds_of_change() -> None:
    kinds = {kind for c in CASES for kind, _ in c.expected}
    assert len(kinds) >= 30, sorted(kinds)
    assert len({c.name for c in CASES}) == len(CASES)


def test_every_change_has_a_pointer_and_a_line_in_the_side_that_has_it(
        results: dict[str, list[Change]]) -> None:
    for changes in results.values():
        for change in changes:
            assert change.pointer.startswith("/"), change
            assert change.location is not None and change.location.line is not None, change
            assert change.location.file == f"{change.side}.json", change


def test_removals_point_into_old_and_additions_into_new(
        results: dict[str, list[Change]]) -> None:
    for changes in results.values():
        for change in changes:
            if change.kind.endswith("-removed") and change.kind not in (
                    "deprecation-removed", "enum-removed", "nullable-removed",
                    "security-removed"):
                assert change.side == "old", change
            if change.kind.endswith("-added"):
                assert change.side == "new", change


def test_a_schema_used_on_both_sides_is_reported_once_with_both_usages(
        results: dict[str, list[Change]]) -> None:
    [change] = results["enum value added to a schema used in requests and responses"]
    assert change.usage == ("request", "response")
    assert change.pointer == "/components/schemas/Status/enum/2"


def test_a_change_to_a_recursive_schema_is_reported_once(
        results: dict[str, list[Change]]) -> None:
    [change] = results["optional field added to a recursive response schema"]
    assert change.message == "optional property `Pet.nickname` added"


def test_mutually_recursive_schemas_terminate(tmp_path: Path) -> None:
    old: dict[str, Any] = json.loads(json.dumps(BASE))
    schemas = old["components"]["schemas"]
    schemas["Owner"]["properties"]["pets"] = {"type": "array",
                                              "items": {"$ref": "#/components/schemas/Pet"}}
    new: dict[str, Any] = json.loads(json.dumps(old))
    new["components"]["schemas"]["Owner"]["properties"]["pets"]["items"] = {
        "$ref": "#/components/schemas/Pet", "deprecated": True}
    kinds = [c.kind for c in diff(tmp_path, old, new)]
    assert kinds == ["schema-deprecated"]


def test_the_source_line_of_a_yaml_change_is_the_line_of_the_node(tmp_path: Path) -> None:
    old = tmp_path / "old.yaml"
    new = tmp_path / "new.yaml"
    old.write_text(_YAML, encoding="utf-8")
    new.write_text(_YAML.replace("          tag: {type: string}\n", "")
                   .replace("        - available\n", "        - available\n        - held\n"),
                   encoding="utf-8")
    changes = {c.kind: c for c in diff_specs(load_spec(old, "old.yaml"),
                                             load_spec(new, "new.yaml"))}
    assert changes["property-removed"].where == "old.yaml:21:11"
    assert changes["property-removed"].pointer == "/components/schemas/Pet/properties/tag"
    assert changes["enum-value-added"].where == "new.yaml:26:11"


_YAML = """\
openapi: 3.1.0
info: {title: Pets, version: '1'}
paths:
  /pets:
    get:
      operationId: listPets
      parameters:
        - {name: status, in: query, schema: {$ref: '#/components/schemas/Status'}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
components:
  schemas:
    Pet:
      type: object
      properties:
          id: {type: string}
          tag: {type: string}
          status: {$ref: '#/components/schemas/Status'}
    Status:
      type: string
      enum:
        - available
        - sold
"""


def test_a_subtype_reached_through_a_mapping_is_used_where_its_base_is(
        results: dict[str, list[Change]]) -> None:
    [change] = results["property removed from a subtype reached only through an explicit mapping"]
    assert change.usage == ("request", "response")
    assert change.pointer == "/components/schemas/SnowflakeConfig/allOf/1/properties/account"


def test_a_change_in_an_allof_parent_names_the_parent_and_only_its_use(
        results: dict[str, list[Change]]) -> None:
    [change] = results["integer to number on a request field that lives in an allOf parent"]
    assert change.message == ("type of `DestinationCommon.batch_size` widened from integer to "
                              "number")
    assert change.usage == ("request",)


def test_a_placeholder_becoming_a_map_of_a_component_is_a_change_where_it_happened(
        results: dict[str, list[Change]]) -> None:
    changes = {c.kind: c for c in
               results["placeholder response property becomes a map of a component"]}
    narrowed = changes["type-narrowed"]
    assert narrowed.message.startswith("type of `Destination.labels[*]` narrowed")
    assert narrowed.pointer == \
        "/components/schemas/Destination/properties/labels/additionalProperties"
    # Label is the same in both files: nothing is said to have happened to it
    assert changes["required-property-added"].message == \
        "required property `Destination.labels[*].enabled` added"
    assert all("`Label" not in c.message for c in changes.values())


def test_a_renamed_path_variable_is_one_rename(results: dict[str, list[Change]]) -> None:
    [change] = results["path template variable renamed: same URL, new keyword argument"]
    assert change.message == ("path parameter `petId` of `/pets/{id}` renamed to `id`: the same "
                              "URL, but the generated method's keyword argument is renamed")
    assert change.pointer == "/paths/~1pets~1{id}/parameters/0"


def test_unchanged_components_are_skipped_but_not_what_reaches_a_changed_subtype(
        tmp_path: Path) -> None:
    old: dict[str, Any] = json.loads(json.dumps(BASE))
    with_destinations(old)
    new: dict[str, Any] = json.loads(json.dumps(old))
    del new["components"]["schemas"]["SnowflakeConfig"]["allOf"][1]["properties"]["account"]
    paths = {}
    for side, spec in (("old", old), ("new", new)):
        paths[side] = tmp_path / f"{side}.json"
        paths[side].write_text(json.dumps(spec), encoding="utf-8")
    comparer = _Comparer(load_spec(paths["old"], "old.json"), load_spec(paths["new"], "new.json"))
    # the siblings and the base itself compare as the same; what names the base does not
    assert {"PostgresConfig", "BigQueryConfig", "DestinationConfig", "Pet"} <= comparer.unchanged
    assert not {"SnowflakeConfig", "NewDestination", "Destination"} & comparer.unchanged
    comparer.run()
    [change] = comparer.changes()
    assert (change.kind, change.severity, change.usage) == ("property-removed", B,
                                                           ("request", "response"))
