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


def generate_models(document: dict[str, Any], header: str, expected: tuple[str, ...],
                    field_aliases: dict[str, str] | None = None) -> str:
    """Source of the `models` module; every class in `expected` must be defined by it."""
    if not expected:
        return f"{header}\nfrom __future__ import annotations\n"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            source = generate(document, custom_file_header=header,
                              aliases=field_aliases or None, **_OPTIONS)
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
    return lenient_enums(source)


# Each enum base -> its twin in the package runtime (templates/runtime/_models.py), which accepts
# a value the spec does not list when it parses a response; building a request stays strict.
_LENIENT_ENUMS = {"Enum": "LenientEnum", "IntEnum": "LenientIntEnum", "StrEnum": "LenientStrEnum"}


def lenient_enums(source: str) -> str:
    """`source` with every enum class deriving from the lenient twin of its base."""
    tree = ast.parse(source)
    bases = [
        base
        for node in tree.body if isinstance(node, ast.ClassDef)
        for base in node.bases if isinstance(base, ast.Name) and base.id in _LENIENT_ENUMS
    ]
    enum_imports = [node for node in tree.body
                    if isinstance(node, ast.ImportFrom) and node.module == "enum"]
    if not bases or len(enum_imports) != 1:
        return source
    # Lines as Python counts them (only \n ends one: a U+2028 inside a string does not);
    # offsets are bytes.
    lines = [line.encode() for line in source.split("\n")]
    lines = [line + b"\n" for line in lines[:-1]] + lines[-1:]
    for base in sorted(bases, key=lambda b: (b.lineno, b.col_offset), reverse=True):
        line = lines[base.lineno - 1]
        lines[base.lineno - 1] = (line[:base.col_offset] + _LENIENT_ENUMS[base.id].encode()
                                  + line[base.end_col_offset or base.col_offset:])
    rewritten = b"".join(lines).decode()
    still_used = {node.id for node in ast.walk(ast.parse(rewritten))
                  if isinstance(node, ast.Name) and node.id in _LENIENT_ENUMS}
    enum_import = enum_imports[0]
    kept = [alias.name for alias in enum_import.names if alias.asname or alias.name in still_used
            or alias.name not in _LENIENT_ENUMS]
    lenient = sorted({_LENIENT_ENUMS[base.id] for base in bases})
    replacement = (f"from enum import {', '.join(kept)}\n" if kept else "") + \
        f"from ._models import {', '.join(lenient)}\n"
    result = [line + "\n" for line in rewritten.split("\n")]
    result[-1] = result[-1][:-1]
    result[enum_import.lineno - 1:enum_import.end_lineno] = [replacement]
    return "".join(result)


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
