"""The normalise stage: the changes made to the document after validation (which only reads
it) and before the IR build.

`normalise` makes these changes to every schema written in the document
(`openapi.schema_nodes`), in a copy of the document; the spec it is given is left as it was.

- `required: true` or `required: false` on a schema (Swagger 2.0's way of marking a property
  required) is removed: `required` is a list of property names, and the models step cannot
  read a schema whose `required` is a boolean. The property is not made required.
- The `enum` values of a schema whose one type (besides `null`) is `string` that are numbers
  or booleans (`enum: [1, 2]` written unquoted) become strings in JSON's spelling (`'1'`,
  `'true'`), so the model's enum matches what the type says. An enum that holds a mapping
  or a list is left as it is (validation reports it as an error).

Validation (validate.py) warns about both wherever it checks a schema, and its warnings say
what this stage does; the schemas of webhooks, callbacks and `components.pathItems`, which
validation does not check one by one, are changed without a warning. Nothing else in the
document changes.
"""

from __future__ import annotations

import copy
from dataclasses import replace
from typing import Any

from .load import LoadedSpec
from .openapi import SCHEMA_TYPES, schema_nodes


def normalise(spec: LoadedSpec) -> LoadedSpec:
    """`spec` with the changes listed in this module's docstring made, in a copy of its
    document; `spec` itself when there is nothing to change."""
    changes = {id(located.node): located.node for located in schema_nodes(spec.data)
               if _normalised(located.node) is not None}
    if not changes:
        return spec
    memo: dict[int, Any] = {}
    data = copy.deepcopy(spec.data, memo)
    for key in changes:
        schema = memo[key]  # the copy of the schema to change
        replacement = _normalised(schema)
        assert replacement is not None
        schema.clear()
        schema.update(replacement)
    return replace(spec, data=data)


def _normalised(schema: dict[str, Any]) -> dict[str, Any] | None:
    """What `schema` becomes (its keys in their order), or None when it stays as it is."""
    values = schema.get("enum")
    strings = enum_as_strings(values) if isinstance(values, list) and is_string_typed(schema) \
        else None
    if strings is None and not isinstance(schema.get("required"), bool):
        return None
    changed = {key: value for key, value in schema.items()
               if not (key == "required" and isinstance(value, bool))}
    if strings is not None:
        changed["enum"] = strings
    return changed


def is_string_typed(schema: dict[str, Any]) -> bool:
    """True when `string` is the schema's one JSON Schema type besides `null`."""
    declared = schema.get("type")
    names = declared if isinstance(declared, list) else [declared]
    return [n for n in names if n in SCHEMA_TYPES and n != "null"] == ["string"]


def enum_as_strings(values: list[Any]) -> list[Any] | None:
    """`values` with its numbers and booleans as strings; None when none needs it, or when one
    is a mapping or a list (no string stands for those)."""
    converted = not_strings(values)
    if not converted or any(isinstance(v, dict | list) for v in converted):
        return None
    return [v if v is None or isinstance(v, str) else scalar_text(v) for v in values]


def not_strings(values: list[Any]) -> list[Any]:
    """The values of an enum that are neither strings nor null."""
    return [v for v in values if v is not None and not isinstance(v, str)]


def scalar_text(value: Any) -> str:
    """How a non-string value reads as a string: JSON's spelling (true, 1.5, null)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    return str(value)
