"""The models step: pydantic v2 models from the spec's schemas, by datamodel-code-generator."""

from __future__ import annotations

import ast
import warnings
from typing import Any

from datamodel_code_generator import InputFileType, PythonVersion, generate
from datamodel_code_generator.enums import DataModelType

from .diagnostics import Diagnostic, Level, SpecError

# Every option that shapes the output is pinned here, so output never depends on
# datamodel-code-generator's defaults moving under us.
_OPTIONS: dict[str, Any] = {
    "input_file_type": InputFileType.OpenAPI,
    "output_model_type": DataModelType.PydanticV2BaseModel,
    "target_python_version": PythonVersion.PY_311,
    "disable_timestamp": True,
    "use_annotated": True,
    "field_constraints": True,
    "use_union_operator": True,
    "use_schema_description": True,
    "use_field_description": True,
    "strict_nullable": True,
    "set_default_enum_member": True,
    "parent_scoped_naming": True,
    "use_standard_collections": True,
    "extra_fields": "allow",  # unknown response fields are kept, not dropped
    "allow_population_by_field_name": True,
    "formatters": [],  # black runs once over the whole package, in the format step
}


def generate_models(document: dict[str, Any], header: str, expected: tuple[str, ...]) -> str:
    """Source of the `models` module; every class in `expected` must be defined by it."""
    if not expected:
        return f"{header}\nfrom __future__ import annotations\n"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            source = generate(document, custom_file_header=header, **_OPTIONS)
        except Exception as exc:  # the library raises plain exceptions for bad schemas
            raise SpecError([Diagnostic(
                Level.ERROR,
                f"datamodel-code-generator could not build the models: {exc}",
                "/components/schemas",
                hint="the schema it names is likely invalid; `clientgen validate` lists problems",
            )]) from exc
    if not isinstance(source, str):
        raise TypeError("datamodel-code-generator returned several modules; expected one")
    _check_names(source, expected)
    return source


def _check_names(source: str, expected: tuple[str, ...]) -> None:
    defined = {
        node.name for node in ast.parse(source).body if isinstance(node, ast.ClassDef)
    } | {
        target.id
        for node in ast.parse(source).body
        if isinstance(node, ast.Assign | ast.AnnAssign)
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(target, ast.Name)
    }
    missing = [name for name in expected if name not in defined]
    if missing:
        raise SpecError([Diagnostic(
            Level.ERROR,
            "internal error: the models step did not define " + ", ".join(sorted(missing)),
            "/components/schemas",
            hint="this is a bug in clientgen: please report it together with the spec",
        )])
