"""TypedDicts for what a client sends: each object model a request holds gets `<Model>Param`
in the package's `params` module, so a dict passed where the model is accepted is checked by a
type checker (its keys are wire names: a dict is sent as given).

Read from the models step's document (class name -> schema, every `$ref` naming a class), so the
TypedDicts follow the models: an object model (properties or `allOf`) is `models.X | XParam`, an
enum `models.X | Literal[...]`, a union its members' types, anything else `models.X` or the plain
value the model wraps.
"""

from __future__ import annotations

import json
import keyword
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from . import naming
from .discriminators import TAGS
from .ir import (
    ANY,
    BYTES,
    NONE,
    STR,
    Api,
    Body,
    BodyField,
    BodyOverload,
    ListType,
    LiteralType,
    MappingType,
    Operation,
    Primitive,
    Reference,
    TypedDictField,
    TypedDictType,
    TypeRef,
    UnionType,
    union,
)
from .openapi import SCHEMA_REF, as_dict, as_list, component_name, schema_component

_PRIMITIVES = {"integer": "int", "number": "float", "boolean": "bool"}
_STRING_FORMATS: dict[str, TypeRef] = {
    "binary": BYTES,
    "date-time": UnionType((STR, Primitive("datetime.datetime"))),
    "date": UnionType((STR, Primitive("datetime.date"))),
}


class Params:
    """The annotations of sent values, and the TypedDicts they name (made as they are named)."""

    def __init__(self, schemas: dict[str, Any]) -> None:
        self.schemas = schemas
        self.named: list[str] = []  # object models with a TypedDict, in the order first named

    def param_name(self, class_name: str) -> str:
        if class_name not in self.named:
            self.named.append(class_name)
        return f"{class_name}Param"

    def resolve(self, schema: dict[str, Any]) -> Any:
        """The schema a `$ref` names (every one names a class here)."""
        name = schema_component(schema.get("$ref"))
        return self.schemas.get(name) if name is not None else None

    def is_object(self, class_name: str) -> bool:
        schema = self.schemas.get(class_name)
        return isinstance(schema, dict) and ("properties" in schema or "allOf" in schema)

    def annotation(self, schema: Any, module: str) -> TypeRef:
        """What a value of `schema` may be given as, where the TypedDicts are `module`.X."""
        if not isinstance(schema, dict) or not schema:
            return ANY
        ref_class = schema_component(schema.get("$ref"))
        if ref_class is not None:
            return self.class_annotation(ref_class, module)
        if "const" in schema:
            return _literal([schema["const"]]) or ANY
        types = schema.get("type")
        type_list = [t for t in (types if isinstance(types, list) else [types])
                     if isinstance(t, str)]
        nullable = schema.get("nullable") is True or "null" in type_list
        none = (NONE,) if nullable else ()
        enum = schema.get("enum")
        if isinstance(enum, list):
            values = [v for v in enum if v is not None]
            literal = _literal(values) if values else NONE
            if literal is None:
                return ANY  # values a Literal cannot hold (numbers, objects): the model checks
            return union(literal, *((NONE,) if nullable or None in enum else ()))
        branches = schema.get("oneOf") or schema.get("anyOf")
        if isinstance(branches, list):
            return union(*(self.annotation(branch, module) for branch in branches), *none)
        all_of = schema.get("allOf")
        if isinstance(all_of, list) and len(all_of) == 1 and "properties" not in schema:
            return union(self.annotation(all_of[0], module), *none)
        non_null = [t for t in type_list if t != "null"]
        base: TypeRef = ANY
        if non_null == ["array"]:
            base = ListType(self.annotation(schema.get("items"), module))
        elif non_null == ["object"] or "properties" in schema or "allOf" in schema:
            additional = schema.get("additionalProperties")
            base = MappingType(self.annotation(additional, module)
                               if isinstance(additional, dict) and "properties" not in schema
                               else ANY)
        elif non_null == ["string"]:
            base = _STRING_FORMATS.get(str(schema.get("format")), STR)
        elif len(non_null) == 1 and non_null[0] in _PRIMITIVES:
            base = Primitive(_PRIMITIVES[non_null[0]])
        return union(base, NONE) if nullable and base != ANY else base

    def class_annotation(self, class_name: str, module: str) -> TypeRef:
        schema = self.schemas.get(class_name)
        model = Reference(class_name)
        if not isinstance(schema, dict):
            return model
        if self.is_object(class_name):
            return union(model, Reference(self.param_name(class_name), module),
                         *((NONE,) if schema.get("nullable") is True else ()))
        return union(model, self.annotation(schema, module))

    def fields(self, class_name: str, module: str) -> list[TypedDictField]:
        """The properties of an object model (its `allOf` parts merged, later ones winning),
        without the read-only ones: they are never sent."""
        merged: dict[str, TypedDictField] = {}
        for schema in self._parts(class_name, set()):
            listed = schema.get("required")
            required = {r for r in listed if isinstance(r, str)} \
                if isinstance(listed, list) else set()
            properties = schema.get("properties")
            for key, prop in (properties.items() if isinstance(properties, dict) else []):
                if not isinstance(key, str) or (isinstance(prop, dict)
                                                and prop.get("readOnly") is True):
                    continue
                previous = merged.get(key)
                merged[key] = TypedDictField(
                    key=key,
                    annotation=self.annotation(prop, module),
                    required=key in required or (previous is not None and previous.required),
                    description=_description(prop),
                    deprecated=isinstance(prop, dict) and prop.get("deprecated") is True,
                    enum=_enum(prop),
                    default=_json_text(prop["default"]) if isinstance(prop, dict)
                    and "default" in prop else None,
                )
            for key in required & merged.keys():  # required by a later part than defines it
                merged[key] = replace(merged[key], required=True)
        return list(merged.values())

    def _parts(self, class_name: str, seen: set[str]) -> Iterable[dict[str, Any]]:
        schema = self.schemas.get(class_name)
        if class_name in seen or not isinstance(schema, dict):
            return
        seen.add(class_name)
        yield from self._schema_parts(schema, seen)

    def _schema_parts(self, schema: dict[str, Any], seen: set[str]) -> Iterable[dict[str, Any]]:
        for part in as_list(schema.get("allOf")):
            ref_class = component_name(part)
            if ref_class is not None:
                yield from self._parts(ref_class, seen)
            elif isinstance(part, dict):
                yield from self._schema_parts(part, seen)
        yield schema


# A README example's value of a schema that gives none (by type; formats a server checks)
_TYPE_EXAMPLES: dict[str, Any] = {"string": "string", "integer": 0, "number": 0, "boolean": True}
_FORMAT_EXAMPLES = {"date-time": "2024-01-01T00:00:00Z", "date": "2024-01-01",
                    "email": "user@example.com", "uri": "https://example.com", "uuid":
                    "00000000-0000-0000-0000-000000000000"}
_EXAMPLE_DEPTH = 6  # a required property of a required property of ...: enough for a README


def example_source(schema: Any, resolve: Callable[[Any], Any], given: Any = None) -> str:
    """A value of `schema` as Python source, for a README's example call: `given` (the
    parameter's own example), else the schema's `example`/`examples`, `const`, first enum
    value or default, else one by type; an object holds its required properties (wire names,
    as its TypedDict takes them). `resolve` follows a `$ref`."""
    return _source(given if given is not None else _example(schema, resolve, 0))


def _source(value: Any) -> str:
    """A JSON value as Python source, strings in double quotes as the README writes them."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # its escapes are Python's too
    if isinstance(value, list):
        return f"[{', '.join(_source(v) for v in value)}]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_source(str(k))}: {_source(v)}" for k, v in value.items()) + "}"
    return repr(value)  # numbers, True, False, None


def _example(schema: Any, resolve: Callable[[Any], Any], depth: int) -> Any:
    schema = _resolved(schema, resolve)
    if not isinstance(schema, dict) or depth > _EXAMPLE_DEPTH:
        return None
    for key in ("example", "examples", "const", "enum", "default"):
        values = schema.get(key) if key in ("examples", "enum") else [schema.get(key)]
        if key in schema and isinstance(values, list) and values and values[0] is not None:
            return values[0]
    branches = schema.get("oneOf") or schema.get("anyOf")
    if isinstance(branches, list) and branches:
        return _example(branches[0], resolve, depth + 1)
    required: list[str] = []
    properties: dict[str, Any] = {}
    for part in _all_of(schema, resolve, depth):  # later parts win, as in the models
        listed = part.get("required")
        required += [r for r in listed if isinstance(r, str)] if isinstance(listed, list) else []
        properties.update(as_dict(part.get("properties")))
    types = schema.get("type")
    kind = next((t for t in (types if isinstance(types, list) else [types])
                 if isinstance(t, str) and t != "null"), "object" if properties else None)
    if kind == "object":
        sent = {key: _resolved(properties[key], resolve) for key in dict.fromkeys(required)
                if key in properties}  # a read-only property is never sent
        return {key: _example(prop, resolve, depth + 1) for key, prop in sent.items()
                if not (isinstance(prop, dict) and prop.get("readOnly") is True)}
    if kind == "array":
        return [_example(schema.get("items"), resolve, depth + 1)]
    if kind == "string" and schema.get("format") in _FORMAT_EXAMPLES:
        return _FORMAT_EXAMPLES[schema["format"]]
    if kind in ("integer", "number") and isinstance(schema.get("minimum"), int | float):
        return schema["minimum"]
    return _TYPE_EXAMPLES.get(str(kind))


def _resolved(schema: Any, resolve: Callable[[Any], Any]) -> Any:
    return resolve(schema) if isinstance(schema, dict) and "$ref" in schema else schema


def _all_of(schema: dict[str, Any], resolve: Callable[[Any], Any],
            depth: int) -> Iterable[dict[str, Any]]:
    """The schema and its `allOf` parts (theirs too), the schema itself last."""
    for part in as_list(schema.get("allOf")):
        part = _resolved(part, resolve)
        if isinstance(part, dict) and depth < _EXAMPLE_DEPTH:
            yield from _all_of(part, resolve, depth + 1)
    yield schema


def _literal(values: list[Any]) -> TypeRef | None:
    """`Literal[...]` of the values, when a type checker accepts them all in one."""
    if not all(isinstance(v, str | int) for v in values):  # bool is an int
        return None
    return LiteralType(tuple(values))


def _description(schema: Any) -> str:
    text = schema.get("description") if isinstance(schema, dict) else None
    return " ".join(text.split()) if isinstance(text, str) else ""


def _enum(schema: Any) -> tuple[str, ...]:
    values = schema.get("enum") if isinstance(schema, dict) else None
    return tuple(_json_text(v) for v in values) if isinstance(values, list) else ()


def _json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def typed_dicts(models_document: dict[str, Any], sent: Iterable[str]) -> tuple[TypedDictType, ...]:
    """A TypedDict for each object model that is sent, or held by one that is, in name order."""
    schemas = models_document.get("components", {}).get("schemas", {})
    params = Params(schemas)
    for class_name in sorted(sent):
        params.class_annotation(class_name, "")
    made: dict[str, TypedDictType] = {}
    while len(made) < len(params.named):  # making one may name others
        for class_name in list(params.named):
            if class_name not in made:
                fields = tuple(params.fields(class_name, ""))
                made[class_name] = TypedDictType(
                    name=params.param_name(class_name),
                    model=class_name,
                    description=_description(schemas.get(class_name)),
                    fields=fields,
                    class_syntax=all(f.key.isidentifier() and not keyword.iskeyword(f.key)
                                     for f in fields),
                )
    return tuple(made[name] for name in sorted(made))


def with_params(api: Api) -> Api:
    """`api` with its params module, and its JSON bodies typed to take the dict forms too."""
    schemas = api.models_document.get("components", {}).get("schemas", {})
    params = Params(schemas)
    resources = []
    for resource in api.resources:
        operations = []
        for op in resource.operations:
            if op.body is not None and op.body.encoding == "json":
                members = op.body.annotation.members()
                typed = [Reference(params.param_name(name), "params") for name in
                         map(_model_name, members) if name and params.is_object(name)]
                body = replace(op.body, annotation=union(*members, *typed))
                if len(members) == 1 and typed:
                    body = replace(body, keyword_fields=True, properties=_body_fields(
                        params, _model_name(members[0]), op, body.required))
                elif op.pagination is None:
                    body = _overloaded(params, op, body)
                op = replace(op, body=body)
            operations.append(op)
        resources.append(replace(resource, operations=tuple(operations)))
    sent = sorted({*api.directions.sent, *params.named})
    return replace(api, resources=tuple(resources),
                   params=typed_dicts(api.models_document, sent))


def _body_fields(params: Params, class_name: str, op: Operation,
                 body_required: bool) -> tuple[BodyField, ...]:
    """The keyword arguments of an object body: one per property, required ones first."""
    taken = {*naming.CALL_ARGUMENTS, op.function_name, f"{op.function_name}_async",
             *(p.name for p in op.parameters)}
    # the body's example holds a value for each required property
    examples = _example({"$ref": SCHEMA_REF + class_name}, params.resolve, 0) or {}
    fields = [
        BodyField(
            name=naming.unique(naming.argument_name(f.key), taken),
            key=f.key,
            annotation=f.annotation,
            required=body_required and f.required,
            description=f.description,
            deprecated=f.deprecated,
            enum=f.enum,
            default=f.default,
            example=_source(examples[f.key]) if f.key in examples else "",
        )
        for f in params.fields(class_name, "params")
    ]
    return tuple(sorted(fields, key=lambda f: not f.required))


def _overloaded(params: Params, op: Operation, body: Body) -> Body:
    """A union of object bodies (the members the annotation lists after the union itself) as
    one overload per member. Where the union and the response are tagged unions on the same
    property, a member's overload returns the response member of its values."""
    union_name = _model_name(body.payload_type)
    members = [name for name in map(_model_name, body.annotation.members())
               if name and name != union_name]
    if not members or not all(params.is_object(m) for m in members):
        return body
    tags = _tags(params.schemas.get(union_name))
    response_tags = _tags(params.schemas.get(_model_name(op.response.payload_type)))
    by_value: dict[str, str] = {}
    if response_tags.get("property") == tags.get("property"):
        by_value = {value: member for member, values in response_tags.get("members", [])
                    for value in values}
    fallback = tags.get("fallback")
    members.sort(key=lambda m: m == fallback)  # the catch-all last, or it hides the others
    overloads = []
    for member in members:
        values = [v for m, vs in tags.get("members", []) if m == member for v in vs]
        returned = {by_value.get(v) for v in values}
        returns = op.response.annotation
        if len(returned) == 1 and None not in returned:
            returns = Reference(str(returned.pop()))
        overloads.append(BodyOverload(_body_fields(params, member, op, body.required), returns))
    every: dict[str, BodyField] = {}
    for overload in overloads:
        for field in overload.properties:
            every.setdefault(field.key, replace(field, annotation=ANY, required=False))
    if len({f.name for f in every.values()}) != len(every):
        return body  # one wire name, two argument names: no common implementation
    return replace(body, keyword_fields=True, properties=tuple(every.values()),
                   overloads=tuple(overloads))


def _model_name(annotation: TypeRef | None) -> str:
    """The class of the models module `annotation` is, else ""."""
    if isinstance(annotation, Reference) and annotation.module == "models":
        return annotation.name
    return ""


def _tags(schema: Any) -> dict[str, Any]:
    """The tagged-union mark (discriminators.TAGS) of a model's schema; {} for none."""
    tags = schema.get(TAGS) if isinstance(schema, dict) else None
    return tags if isinstance(tags, dict) else {}
