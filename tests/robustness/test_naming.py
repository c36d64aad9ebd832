"""Every spec name becomes a Python identifier through generator/naming.py; the rules, pinned."""

from __future__ import annotations

import pytest
from clientgen import naming


@pytest.mark.parametrize(("name", "expected"), [
    ("class", "class_"), ("match", "match_"), ("self", "self_"), ("json", "json_"),
    ("client", "client_"), ("list", "list_"), ("model_config", "model_config_"),
    ("schema", "schema_"), ("copy", "copy_"), ("timeout", "timeout_"), ("body", "body_"),
    ("petId", "pet_id"), ("1st", "param_1_st"), ("", "param"), ("日本", "param"),
])
def test_argument_names_avoid_keywords_builtins_and_reserved_names(name: str,
                                                                   expected: str) -> None:
    assert naming.argument_name(name) == expected


@pytest.mark.parametrize(("name", "expected"), [
    ("listPets", "list_pets"), ("list", "list_"), ("import", "import_"), ("self", "self_"),
    ("models", "models_"), ("builtins", "builtins_"), ("type", "type_"), ("2fa", "op_2_fa"),
    ("bodyOf", "body_of_"), ("params", "params_"), ("extraBody", "extra_body_"),
])
def test_module_level_function_names_hide_no_builtin_or_import(name: str,
                                                               expected: str) -> None:
    assert naming.function_name(name) == expected


@pytest.mark.parametrize(("name", "expected"), [
    ("list", "list"), ("type", "type"), ("import", "import_"),
    ("with_raw_response", "with_raw_response_"),
])
def test_method_names_may_be_builtins_but_not_keywords_or_resource_attributes(
    name: str, expected: str
) -> None:
    assert naming.method_name(name) == expected


@pytest.mark.parametrize(("name", "expected"), [
    ("pet", "Pet"), ("Field", "FieldModel"), ("BaseModel", "BaseModelModel"),
    ("Any", "AnyModel"), ("AnyUrl", "AnyUrlModel"), ("123", "Model123"), ("日本", "Model"),
    ("None", "NoneModel"),
])
def test_class_names_take_no_name_the_models_module_uses(name: str, expected: str) -> None:
    assert naming.class_name(name) == expected


def test_client_class_names_take_no_name_the_package_exports() -> None:
    assert naming.client_class_name("NotFoundError") == "NotFoundErrorClient"
    assert naming.client_class_name("Client") == "ClientModel"
    assert naming.client_class_name("Fivetran") == "Fivetran"
    # its `Async` twin would be the runtime's page class
    assert naming.client_class_name("CursorPage") == "CursorPageClient"


@pytest.mark.parametrize("tag", ["request", "close", "with_options", "base_url", "models"])
def test_resource_attributes_hide_no_client_attribute(tag: str) -> None:
    assert naming.resource_attribute(tag) == f"{tag}_"


def test_collisions_get_stable_suffixes_in_visiting_order() -> None:
    taken: set[str] = set()
    assert [naming.unique(n, taken) for n in ["Pet", "Pet", "Pet", "pet", "pet", "v1", "v1"]] \
        == ["Pet", "Pet2", "Pet3", "pet", "pet_2", "v1", "v1_2"]


def test_field_aliases_cover_pydantic_protected_names_and_self() -> None:
    assert naming.field_aliases(["model_dump", "model_validate_x", "self", "name", "json"]) == {
        "model_dump": "field_model_dump", "model_validate_x": "field_model_validate_x",
        "self": "self_",
    }


@pytest.mark.parametrize(("name", "valid"), [
    ("acme_client", True), ("Acme", True), ("acme-client", False), ("1acme", False),
    ("class", False), ("json", False), ("", False), ("açme", False),
])
def test_package_names_must_be_importable_and_shadow_no_stdlib_module(name: str,
                                                                      valid: bool) -> None:
    assert naming.is_package_name(name) is valid
