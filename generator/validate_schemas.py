"""Validation of schemas: their keywords and types (`SchemaChecks`), and the values those
keywords hold: enums, patterns, defaults, bounds and discriminator mappings
(`SchemaValueChecks`)."""

from __future__ import annotations

import functools
import math
import re
from typing import Any, TypeGuard

from pydantic_core import SchemaValidator
from pydantic_core import core_schema as cs

from . import discriminators
from .diagnostics import Reporter
from .load import LoadedSpec
from .normalise import enum_as_strings, not_strings, scalar_text
from .openapi import SCHEMA_TYPES, SUBSCHEMA_LISTS, SUBSCHEMA_MAPS
from .pointer import join_pointer
from .validate_common import Checks, did_you_mean, type_name

_SCHEMA_KEYWORDS = {
    "$ref", "$id", "$schema", "$anchor", "$comment", "$defs", "definitions", "$dynamicAnchor",
    "$dynamicRef", "$recursiveRef", "$recursiveAnchor", "$vocabulary",
    "type", "enum", "const", "format", "title", "description", "default", "example",
    "examples", "nullable", "readOnly", "writeOnly", "deprecated", "discriminator", "xml",
    "externalDocs", "properties", "required", "additionalProperties", "patternProperties",
    "propertyNames", "minProperties", "maxProperties", "dependentRequired",
    "dependentSchemas", "unevaluatedProperties", "items", "prefixItems", "additionalItems",
    "contains", "minContains", "maxContains", "minItems", "maxItems", "uniqueItems",
    "unevaluatedItems", "minLength", "maxLength", "pattern", "minimum", "maximum",
    "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "allOf", "anyOf", "oneOf", "not",
    "if", "then", "else", "contentMediaType", "contentEncoding", "contentSchema",
}
# What people write instead of a JSON Schema type, and what they mean.
_TYPE_HINTS = {
    "int": "integer", "int32": "integer", "int64": "integer", "long": "integer",
    "float": "number", "double": "number", "decimal": "number", "bool": "boolean",
    "str": "string", "text": "string", "list": "array", "dict": "object", "map": "object",
    "date": "string", "datetime": "string", "date-time": "string", "uuid": "string",
}
# Keywords the generated models accept but do not enforce: what the model does instead.
_NOT_ENFORCED = {
    "not": "the value is not checked against `not`",
    "if": "`if`/`then`/`else` are not checked",
    "dependentRequired": "the dependent properties are not required",
    "dependentSchemas": "the dependent schemas are not checked",
    "unevaluatedProperties": "unknown properties are kept, as everywhere else",
    "unevaluatedItems": "extra items are accepted",
    "contains": "the items are not checked against `contains`",
    "prefixItems": "the items are typed by `items` (or Any), not position by position",
}
_UNSUPPORTED = {
    "$dynamicRef": "use a plain `$ref`",
    "$recursiveRef": "use a plain `$ref`",
}
_STRING_FORMATS = {"date": "date", "datetime": "date-time", "date-time": "date-time",
                   "uuid": "uuid"}
# Keywords whose value is true, false or a schema.
_BOOLEAN_OR_SCHEMA = ("additionalProperties", "unevaluatedProperties", "unevaluatedItems",
                      "additionalItems")
# Keywords whose value counts characters, items or properties.
_COUNTS = ("minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties")
# (lower, upper) bound pairs; an exclusive bound may not equal the other bound either.
_BOUNDS = (("minimum", "maximum"), ("exclusiveMinimum", "exclusiveMaximum"),
           ("exclusiveMinimum", "maximum"), ("minimum", "exclusiveMaximum"),
           ("minLength", "maxLength"), ("minItems", "maxItems"),
           ("minProperties", "maxProperties"))


class SchemaChecks(Checks):
    """A schema's keywords, its types and the schemas nested in it."""

    def __init__(self, spec: LoadedSpec, reporter: Reporter) -> None:
        super().__init__(spec, reporter)
        self.values = SchemaValueChecks(spec, reporter)
        # the `not`s that tagged unions enforce (discriminators.py)
        self.enforced = discriminators.enforced_exclusions(self.view.schemas)

    def check_schema(self, schema: Any, pointer: str) -> None:
        if isinstance(schema, bool):
            if not self.v31:
                self.warning("`true`/`false` schemas are OpenAPI 3.1; read as 3.1 would",
                             pointer, "in OpenAPI 3.0 write `{}` for any value")
            if schema is False:
                self.warning("a `false` schema (no value is valid) is not enforced: the model "
                             "accepts any value here", pointer)
            return
        if isinstance(schema, str) and schema in SCHEMA_TYPES:
            self.error("a schema must be a mapping, not a string", pointer,
                       f"write `{{type: {schema}}}`")
            return
        if not self.mapping(schema, pointer, "a schema"):
            return
        self.check_keywords(schema, pointer)
        types = self.check_type(schema, pointer)
        self.check_nested(schema, pointer)
        self.check_required(schema, pointer)
        self.values.check(schema, types, pointer)

    def check_keywords(self, schema: dict[str, Any], pointer: str) -> None:
        for keyword, hint in _UNSUPPORTED.items():
            if keyword in schema:
                self.error(f"`{keyword}` is not supported", join_pointer(pointer, keyword), hint)
        for keyword, effect in _NOT_ENFORCED.items():
            if keyword in schema and join_pointer(pointer, keyword) not in self.enforced:
                self.warning(f"`{keyword}` is not enforced by the generated models: {effect}",
                             join_pointer(pointer, keyword))
        for key in schema:
            if key in _SCHEMA_KEYWORDS or key.startswith("x-"):
                continue
            guess = did_you_mean(key, _SCHEMA_KEYWORDS, cutoff=0.85)
            if guess is not None:
                self.warning(f"unknown schema keyword `{key}` (ignored)",
                             join_pointer(pointer, key), f"did you mean `{guess}`?")

    def check_type(self, schema: dict[str, Any], pointer: str) -> list[str]:
        """The schema's types, after reporting any that are not JSON Schema types."""
        if "type" not in schema:
            return []
        declared = schema["type"]
        type_pointer = join_pointer(pointer, "type")
        if isinstance(declared, list):
            if not self.v31:
                self.warning("a list of types is OpenAPI 3.1; read as 3.1 would", type_pointer,
                             "in OpenAPI 3.0 write one type and `nullable: true`")
            names = declared
        elif isinstance(declared, str):
            names = [declared]
        else:
            self.error(f"`type` must be a string, not {type_name(declared)}", type_pointer,
                       "one of " + ", ".join(SCHEMA_TYPES))
            return []
        result = []
        for name in names:
            if name in SCHEMA_TYPES:
                result.append(name)
                continue
            if not isinstance(name, str):
                self.error(f"`type` entries must be strings, not {type_name(name)}",
                           type_pointer)
                continue
            self.error(f"unknown type {name!r}", type_pointer, _type_hint(name))
        strings = [n for n in names if isinstance(n, str)]
        if len(set(strings)) != len(strings):
            self.warning("`type` lists a type twice", type_pointer)
        return result

    def check_nested(self, schema: dict[str, Any], pointer: str) -> None:
        for key in SUBSCHEMA_MAPS:
            if key not in schema:
                continue
            key_pointer = join_pointer(pointer, key)
            if self.mapping(schema[key], key_pointer, f"`{key}`",
                            "map names to schemas"):
                for name, child in schema[key].items():
                    self.check_schema(child, join_pointer(key_pointer, name))
        for key in SUBSCHEMA_LISTS:
            if key not in schema:
                continue
            key_pointer = join_pointer(pointer, key)
            if not self.listing(schema[key], key_pointer, f"`{key}`", "a list of schemas"):
                continue
            if not schema[key]:
                self.error(f"`{key}` must not be empty", key_pointer)
            for index, child in enumerate(schema[key]):
                self.check_schema(child, join_pointer(key_pointer, index))
        if "items" in schema:
            items = schema["items"]
            if isinstance(items, list):
                self.error("`items` must be one schema, not a list", join_pointer(pointer, "items"),
                           "for a tuple use `prefixItems` (OpenAPI 3.1); for a list of several "
                           "kinds use `items: {oneOf: [...]}`")
            else:
                self.check_schema(items, join_pointer(pointer, "items"))
        for key in _BOOLEAN_OR_SCHEMA:
            if key in schema:
                value = schema[key]
                if isinstance(value, bool):
                    continue
                if isinstance(value, dict):
                    self.check_schema(value, join_pointer(pointer, key))
                else:
                    self.error(f"`{key}` must be true, false or a schema, not "
                               f"{type_name(value)}", join_pointer(pointer, key))
        for key in ("not", "if", "then", "else", "contains", "propertyNames"):
            if key in schema:
                self.check_schema(schema[key], join_pointer(pointer, key))

    def check_required(self, schema: dict[str, Any], pointer: str) -> None:
        if "required" not in schema:
            return
        required = schema["required"]
        required_pointer = join_pointer(pointer, "required")
        if isinstance(required, bool):
            # normalise.py removes it, so that the models step reads the schema at all
            self.warning("`required: true/false` on a property is Swagger 2.0 style and is "
                         "ignored", required_pointer,
                         "list the property's name in its object's `required` list instead")
            return
        if not isinstance(required, list) or not all(isinstance(r, str) for r in required):
            self.error("`required` must be a list of property names", required_pointer,
                       "e.g. `required: [id, name]`")
            return
        properties = schema.get("properties")
        composed = any(k in schema for k in ("allOf", "anyOf", "oneOf", "$ref",
                                             "patternProperties"))
        if not isinstance(properties, dict) or composed or isinstance(
            schema.get("additionalProperties"), dict
        ):
            return
        for index, name in enumerate(required):
            if name not in properties:
                self.warning(f"`required` lists {name!r}, which is not in `properties`; the "
                             "model does not require it", join_pointer(required_pointer, index),
                             f"add {name!r} to `properties`, or remove it from `required`")


def _type_hint(name: str) -> str:
    """What to write instead of the unknown type `name`."""
    meant = _TYPE_HINTS.get(name.lower())
    if name == "file":
        return "`type: file` is Swagger 2.0: write `type: string, format: binary`"
    if name.lower() in _STRING_FORMATS:
        return f"write `type: string, format: {_STRING_FORMATS[name.lower()]}`"
    if meant is not None:
        return f"did you mean `{meant}`?"
    guess = did_you_mean(name, SCHEMA_TYPES)
    return f"did you mean `{guess}`?" if guess else "use one of " + ", ".join(SCHEMA_TYPES)


class SchemaValueChecks(Checks):
    """The values a schema's keywords hold."""

    def check(self, schema: dict[str, Any], types: list[str], pointer: str) -> None:
        if "enum" in schema:
            self.check_enum(schema, types, pointer)
        if "pattern" in schema:
            self.check_pattern(schema["pattern"], join_pointer(pointer, "pattern"))
        if "default" in schema:
            self.check_default(schema["default"], types, join_pointer(pointer, "default"))
        if "nullable" in schema and not isinstance(schema["nullable"], bool):
            self.error("`nullable` must be true or false", join_pointer(pointer, "nullable"))
        self.check_property_patterns(schema, pointer)
        self.check_constraints(schema, pointer)
        if isinstance(schema.get("discriminator"), dict):
            self.check_discriminator_mapping(schema["discriminator"],
                                             join_pointer(pointer, "discriminator"))

    def check_enum(self, schema: dict[str, Any], types: list[str], pointer: str) -> None:
        enum_pointer = join_pointer(pointer, "enum")
        values = schema["enum"]
        if not isinstance(values, list) or not values:
            self.error("`enum` must be a non-empty list of values", enum_pointer)
            return
        non_null = [t for t in types if t != "null"]
        if non_null == ["object"] and any(isinstance(v, str) for v in values) and all(
                v is None or isinstance(v, str) for v in values):
            self.warning("`type: object` with string `enum` values: typed as a string enum",
                         join_pointer(pointer, "type"),
                         "write `type: string`; as written, no listed value is valid")
        if non_null == ["string"]:
            converted = not_strings(values)
            if any(isinstance(v, dict | list) for v in converted):
                self.error("a `type: string` enum holds a mapping or a list", enum_pointer,
                           "list the allowed strings")
                return
            strings = enum_as_strings(values)
            if strings is not None:  # normalise.py makes them strings
                shown = ", ".join(scalar_text(v) for v in converted)
                self.warning(f"enum values {shown} of a `type: string` schema are not strings; "
                             "they are read as strings", enum_pointer,
                             "quote them in the spec, e.g. `enum: ['1', '2']`")
                values = strings
        self.check_repeats(values, enum_pointer)

    def check_repeats(self, values: list[Any], pointer: str) -> None:
        # a set, so that a 20,000-value enum is checked in linear time; 1 and 1.0 (and True)
        # are equal but not repeats of each other, hence the type in the key
        seen: set[tuple[type, Any]] = set()
        unhashable: list[Any] = []  # mappings and lists, rare in an enum
        for index, value in enumerate(values):
            try:
                key = (type(value), value)
                repeated = key in seen
                seen.add(key)
            except TypeError:
                repeated = any(type(s) is type(value) and s == value for s in unhashable)
                unhashable.append(value)
            if repeated:
                self.warning(f"enum value {value!r} is listed twice",
                             join_pointer(pointer, index), "remove the repeated value")

    def check_pattern(self, pattern: Any, pointer: str) -> None:
        if not isinstance(pattern, str):
            self.error(f"`pattern` must be a string, not {type_name(pattern)}", pointer)
            return
        if not _regex_engines(pattern):
            try:
                re.compile(pattern)
                reason = "pydantic cannot compile it"
            except re.error as exc:
                reason = str(exc)
            self.error(f"`pattern` is not a valid regular expression: {reason}", pointer,
                       "the generated model would fail to import; fix or remove the pattern")

    def check_property_patterns(self, schema: dict[str, Any], pointer: str) -> None:
        """One model uses one regex engine: patterns that need different ones cannot mix."""
        properties = schema.get("properties")
        if not isinstance(properties, dict):
            return
        needs: dict[str, str] = {}
        for name, child in properties.items():
            if isinstance(child, dict) and isinstance(child.get("pattern"), str):
                engines = _regex_engines(child["pattern"])
                if len(engines) == 1:
                    needs[name] = next(iter(engines))
        if len(set(needs.values())) > 1:
            python_only = sorted(n for n, e in needs.items() if e == "python-re")
            rust_only = sorted(n for n, e in needs.items() if e == "rust-regex")
            self.error(f"the patterns of {', '.join(python_only)} need Python's regex engine "
                       f"and those of {', '.join(rust_only)} need pydantic's default engine; "
                       "one model cannot use both", join_pointer(pointer, "properties"),
                       "rewrite one of the patterns (e.g. without look-around or \\p{...})")

    def check_default(self, default: Any, types: list[str], pointer: str) -> None:
        non_null = [t for t in types if t != "null"]
        if default is None or len(non_null) != 1:
            return
        expected = non_null[0]
        matches = {
            "string": isinstance(default, str),
            "integer": isinstance(default, int) and not isinstance(default, bool),
            "number": isinstance(default, int | float) and not isinstance(default, bool),
            "boolean": isinstance(default, bool),
            "array": isinstance(default, list),
            "object": isinstance(default, dict),
        }.get(expected, True)
        if not matches:
            self.warning(f"`default: {scalar_text(default)}` is not of type {expected}; the "
                         "model uses it as written", pointer, "fix the default or the type")

    def check_constraints(self, schema: dict[str, Any], pointer: str) -> None:
        """Bounds the models could not build (pydantic refuses `multiple_of=0` or a negative
        length when the model is first used) or that no value can meet."""
        if "multipleOf" in schema:
            value = schema["multipleOf"]
            if not _is_number(value) or value <= 0:
                self.error(f"`multipleOf` must be a number above 0, not {scalar_text(value)}",
                           join_pointer(pointer, "multipleOf"), "e.g. `multipleOf: 0.01`")
        for keyword in _COUNTS:
            value = schema.get(keyword)
            if keyword in schema and (not _is_number(value) or value < 0 or value != int(value)):
                self.error(f"`{keyword}` must be a whole number of 0 or more, not "
                           f"{scalar_text(value)}", join_pointer(pointer, keyword))
        for low, high in _BOUNDS:
            lower, upper = schema.get(low), schema.get(high)
            if low in _COUNTS and not (_is_number(lower) and _is_number(upper)
                                       and lower >= 0 and upper >= 0):
                continue  # a bad count is reported above
            if _is_number(lower) and _is_number(upper) and (
                    lower > upper or lower == upper and "exclusive" in low + high):
                self.error(f"`{low}` ({scalar_text(lower)}) is not below `{high}` "
                           f"({scalar_text(upper)}): no value is valid",
                           join_pointer(pointer, low), f"check the two bounds; `{low}` is the "
                           "lower one")

    def check_discriminator_mapping(self, discriminator: dict[str, Any], pointer: str) -> None:
        """Each mapping value must name a schema: a value whose schema is missing would
        otherwise be dropped, and the union would read that variant as another one."""
        mapping = discriminator.get("mapping")
        if not isinstance(mapping, dict):
            return
        schemas = self.view.schemas
        for value, target in mapping.items():
            name = discriminators.mapped_component(target)
            if name is None or name in schemas:
                continue  # not a component's name (another file's ref: bundled or reported)
            guess = did_you_mean(name, schemas)
            self.error(f"the discriminator maps {value!r} to schema {name!r}, which does not "
                       "exist", join_pointer(pointer, "mapping", value),
                       f"did you mean `{guess}`?" if guess else
                       "map it to a schema in `components.schemas`")


def _is_number(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool) \
        and not math.isnan(value)


@functools.lru_cache(maxsize=1024)
def _regex_engines(pattern: str) -> frozenset[str]:
    """The regex engines the generated models may use that accept `pattern`."""
    engines = set()
    for engine in ("rust-regex", "python-re"):
        try:
            SchemaValidator(cs.str_schema(pattern=pattern),
                            config=cs.CoreConfig(regex_engine=engine))
        except Exception:
            continue
        engines.add(engine)
    return frozenset(engines)
