"""Spec -> IR: the client's names, arguments and types (ir.TypeRef), read from the document
through openapi.py (operations, parameters, schemas, `$ref`s)."""

from __future__ import annotations

import copy
import functools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from . import discriminators, naming, params
from .diagnostics import Diagnostics, Level, Reporter
from .ir import (
    ANY,
    BYTES,
    NONE,
    STR,
    Api,
    Auth,
    Body,
    Credential,
    Directions,
    ErrorResponse,
    FieldEncoding,
    ListType,
    LiteralType,
    MappingType,
    Operation,
    OptionalType,
    Pagination,
    Parameter,
    Primitive,
    Reference,
    Resource,
    Response,
    Style,
    TypeRef,
    UnionType,
)
from .openapi import (
    HTTP_METHODS,
    PARAMETER_LOCATIONS,
    SCHEMA_REF,
    OpenApiDocument,
    OperationView,
    ParameterView,
    component_name,
    ref_holders,
    schema_component,
)
from .pointer import join_pointer, resolve_pointer, split_pointer
from .render import runtime_modules

if TYPE_CHECKING:
    from .load import LoadedSpec

_PATH_TEMPLATE = re.compile(r"\{([^{}]+)\}")
_JSON_MEDIA = re.compile(r"^application/([\w.+-]*\+)?json($|;)|^\*/\*$")
_FORM_MEDIA = re.compile(r"^(application/x-www-form-urlencoded|multipart/form-data)\s*($|;)",
                         re.IGNORECASE)
# String formats that pydantic types only with optional packages (email-validator); generated
# packages depend on httpx and pydantic alone, so these stay plain strings.
_FORMATS_NEEDING_EXTRAS = frozenset({"email", "idn-email"})
_PRIMITIVES = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
DEFAULT_RESOURCE = "default"


@dataclass
class _Context(Reporter):
    """The spec being built (its `spec` and `diagnostics` are the Reporter's) and what the
    build has decided so far."""

    # component schema name -> class name in the models module
    class_names: dict[str, str] = field(default_factory=dict)
    # schemas made into models: class name -> schema (the components plus hoisted ones)
    models: dict[str, Any] = field(default_factory=dict)
    taken: set[str] = field(default_factory=set)
    # id() of each inline schema made a model -> its class name (the dicts live as long as this)
    hoisted: dict[int, str] = field(default_factory=dict)
    # component name of a discriminated base -> the union that stands for it (discriminators.py)
    unions: dict[str, discriminators.FallbackUnion] = field(default_factory=dict)

    @property
    def document(self) -> dict[str, Any]:
        return self.spec.data

    @functools.cached_property
    def openapi(self) -> OpenApiDocument:
        """The document's operations, parameters and schemas; its `target` follows `$ref`s
        (to `{}` for one that leads nowhere: the checks in validate.py report those)."""
        return OpenApiDocument(self.spec.data)


def build_ir(spec: LoadedSpec, diagnostics: Diagnostics, package: str | None) -> Api:
    """The IR of a validated, normalised OpenAPI 3 document (pipeline.py runs those stages
    first); every problem found on the way is added to `diagnostics`."""
    context = _Context(spec, diagnostics)
    document = spec.data

    info: dict[str, Any] = document["info"] if isinstance(document.get("info"), dict) else {}
    if "info" not in document:
        context.error("`info` is missing", "", "add `info: {title: ..., version: ...}`")
    title = _text(info.get("title")) or "API"
    if isinstance(document.get("info"), dict) and not _text(info.get("title")) and not (
        "title" in info and not isinstance(info["title"], str)  # validate.py reports that
    ):
        context.error("`info.title` is missing or empty", "/info",
                      "add a title; it names the client")
    title_words = naming.words(_WHOLE_GENERIC_WORDS.sub(" ", title))
    asked = _text(info.get("x-client-name"))
    client_name = naming.client_class_name(
        asked or _name_from_title(title_words, _server_host(context))
    )
    if asked and client_name != naming.class_name(asked):  # the runtime or a resource has it
        context.warning(f"`x-client-name` {asked!r} would give the client (or its Async twin) "
                        f"the name of a class the package already has; the client is "
                        f"{client_name}", "/info/x-client-name", "choose another name")
    problem = None if package is None else naming.package_name_problem(package,
                                                                          runtime_modules())
    if package is not None and problem is not None:
        context.error(f"--package {package!r} {problem}", "",
                      "use lower-case letters, digits and underscores, e.g. `acme_client`")
        package = naming.package_name(package)
    if package is None:
        named_by = "x-client-name" if _text(info.get("x-client-name")) else "title"
        # a title of generic words alone ("OpenAPI Definition") names no package either
        package = naming.package_name(
            (_text(info.get(named_by)) or title)
            if named_by == "x-client-name" or _specific_words(title_words) else client_name)
        if naming.too_long_for_a_file(package):
            context.error(f"the package name made from `info.{named_by}` is {len(package)} "
                          f"characters long, too long for a directory name",
                          join_pointer("/info", named_by),
                          "give the client a short name with `info.x-client-name`, or pass "
                          "--package")
            package = "api_client"

    _collect_component_schemas(context)
    resources = _build_resources(context)
    auth = _build_auth(context, client_name)
    if auth is not None:
        operations = [op for resource in resources for op in resource.operations]
        auth = replace(auth, required=all(op.authenticated for op in operations))
    error_annotation = _error_model(context)

    version = _version_text(info.get("version"))
    models_document = {
        "openapi": document.get("openapi"),
        "info": {"title": title, "version": version or "0"},
        "components": {"schemas": _models_schemas(context)},
    }
    api = Api(
        package=package,
        distribution=package.replace("_", "-"),
        distribution_version=distribution_version(version),
        spec_name=_one_line(spec.root.path.name),
        title=title,
        version=version,
        description=_text(info.get("description")),
        client_name=client_name,
        env_prefix=naming.env_var_prefix(client_name),
        base_url=_base_url(context),
        default_headers=_default_headers(context),
        auth=auth,
        resources=resources,
        error_annotation=error_annotation,
        model_names=tuple(context.models),
        directions=_directions(resources, error_annotation),
        models_document=models_document,
    )
    return params.with_params(api)


def _directions(resources: tuple[Resource, ...],
                error_annotation: TypeRef | None) -> Directions:
    """The model classes the operations send and receive, from their annotations."""
    sent: set[str] = set()
    received: set[str] = set(error_annotation.references() if error_annotation else ())
    for operation in (op for resource in resources for op in resource.operations):
        for parameter in operation.parameters:
            sent.update(parameter.annotation.references())
        if operation.body is not None:
            sent.update(operation.body.annotation.references())
        received.update(operation.response.payload_type.references())
        if operation.pagination is not None:
            received.update(operation.pagination.item_type.references())
    return Directions(tuple(sorted(sent)), tuple(sorted(received)))


_PEP440 = re.compile(r"\d+(\.\d+)*((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?")


def distribution_version(version: str) -> str:
    """`info.version` as pip accepts it: `2024-01-01` or `latest` become a local version of
    0.0.0 (`0.0.0+2024.01.01`), so the generated project always installs."""
    if _PEP440.fullmatch(version):
        return version
    label = ".".join(re.findall(r"[A-Za-z0-9]+", version))
    return f"0.0.0+{label}" if label else "0.0.0"


# Words of a title that name no API: "Fivetran REST API" is the Fivetran client.
_GENERIC_TITLE_WORDS = frozenset({"api", "apis", "rest", "http", "https", "openapi", "swagger",
                                  "spec", "specification", "service", "web", "json",
                                  "definition", "definitions", "documentation", "docs",
                                  "reference", "schema"})
# Generic names that naming.words would split ("OpenAPI" -> open, api).
_WHOLE_GENERIC_WORDS = re.compile(r"(?i)open\s*api|swagger")
# Labels of a server host that name no API (`api.fivetran.com` is Fivetran).
_GENERIC_HOST_LABELS = frozenset({"api", "apis", "www", "rest", "public", "app", "com", "co",
                                  "org", "net", "io", "dev"})


def _name_from_title(words: list[str], host: str = "") -> str:
    """The client class's name when the spec gives none: the title without generic words or
    versions (`Swagger Petstore` -> `Petstore`, `GitHub v3 REST API` -> `GitHub`); for a title
    of generic words alone ("OpenAPI Definition"), the server's host (`api.fivetran.com` ->
    `Fivetran`)."""
    kept = _specific_words(words)
    if not kept:
        parts = host.lower().split(".")
        labels = [label for label in (parts[:-1] if len(parts) > 1 else parts)
                  if label not in _GENERIC_HOST_LABELS and not re.fullmatch(r"v?\d+", label)]
        kept = naming.words(labels[-1]) if labels else []
    return "_".join(kept or words or ["api"])


def _specific_words(words: list[str]) -> list[str]:
    """The words of a title that name the API: not generic words, not versions."""
    return [w for w in words if w not in _GENERIC_TITLE_WORDS and not re.fullmatch(r"v?\d+", w)]


def _server_host(context: _Context) -> str:
    """The host of the first server URL, if it names one."""
    servers = context.document.get("servers")
    server = servers[0] if isinstance(servers, list) and servers else None
    url = _text(server.get("url")) if isinstance(server, dict) else ""
    match = re.match(r"^[a-z][a-z0-9+.-]*://([^/:?#]+)", url, flags=re.IGNORECASE)
    return match.group(1) if match else ""


def _one_line(text: str) -> str:
    """`text` safe inside a `#` comment: no line breaks of any kind, no control characters."""
    return "".join(c if c.isprintable() else "?" for c in " ".join(text.split()))


def _version_text(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | float):
        return str(value)
    return _text(value)


# -- --skip-invalid -----------------------------------------------------------------------

# The parts of a spec that can be left out on their own: an operation, or a component.
_SKIPPABLE_SECTIONS = ("schemas", "parameters", "responses", "requestBodies", "headers",
                       "pathItems")


def _unit_of(pointer: str) -> str | None:
    """The operation, path item or component that `pointer` lies in, if any."""
    tokens = split_pointer(pointer)
    if len(tokens) >= 2 and tokens[0] == "paths":
        if len(tokens) >= 3 and tokens[2] in HTTP_METHODS:
            return join_pointer("/paths", tokens[1], tokens[2])
        return join_pointer("/paths", tokens[1])
    if len(tokens) >= 3 and tokens[0] == "components" and tokens[1] in _SKIPPABLE_SECTIONS:
        return join_pointer("/components", tokens[1], tokens[2])
    return None


def units_to_skip(spec: LoadedSpec, diagnostics: Diagnostics) -> dict[str, str] | None:
    """Each unit to leave out -> why; None when some error lies outside every unit."""
    document = spec.data
    units: dict[str, list[str]] = {}  # unit -> units it refers to
    for _, item, item_pointer in OpenApiDocument(document).path_items():
        shared = {k: v for k, v in item.items() if k not in HTTP_METHODS} \
            if isinstance(item, dict) else {}
        for method in (m for m in HTTP_METHODS if isinstance(item, dict) and m in item):
            units[join_pointer(item_pointer, method)] = _refs_to_units(
                [item[method], shared])
    components = document.get("components")
    for section in _SKIPPABLE_SECTIONS:
        entries = components.get(section) if isinstance(components, dict) else None
        for name, entry in (entries.items() if isinstance(entries, dict) else []):
            units[join_pointer("/components", section, name)] = _refs_to_units([entry])

    skipped: dict[str, str] = {}
    for diagnostic in diagnostics.sorted():
        if diagnostic.level is not Level.ERROR:
            continue
        unit = _unit_of(diagnostic.pointer)
        if unit is None:
            return None
        targets = [unit] if unit in units else [u for u in units if u.startswith(unit + "/")]
        if not targets:
            return None
        for target in targets:
            skipped.setdefault(target, diagnostic.message)
    changed = True
    while changed:  # whatever uses a skipped unit is skipped too
        changed = False
        for unit, refers_to in units.items():
            if unit in skipped:
                continue
            for target in refers_to:
                if target in skipped:
                    skipped[unit] = f"it uses {describe_unit(spec, target)}, which is skipped"
                    changed = True
                    break
    return dict(sorted(skipped.items()))


def _refs_to_units(nodes: list[Any]) -> list[str]:
    found: list[str] = []
    for node in nodes:
        for _, _, holder in ref_holders(node, ""):
            ref = holder.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/"):
                unit = _unit_of(ref[1:])
                if unit is not None and unit not in found:
                    found.append(unit)
    return found


def without(spec: LoadedSpec, skipped: dict[str, str]) -> LoadedSpec:
    """A copy of `spec` without the skipped operations and components."""
    data = copy.deepcopy(spec.data)
    for unit in skipped:
        tokens = split_pointer(unit)
        parent = resolve_pointer(data, join_pointer("", *tokens[:-1]))
        parent.pop(tokens[-1], None)
        if tokens[0] == "paths" and not any(m in parent for m in HTTP_METHODS):
            data["paths"].pop(tokens[1], None)  # nothing left to call on this path
    kept = [d for d in spec.diagnostics
            if _unit_of(d.pointer) is None or _unit_of(d.pointer) not in skipped]
    return replace(spec, data=data, diagnostics=kept)


def describe_unit(spec: LoadedSpec, unit: str) -> str:
    tokens = split_pointer(unit)
    if tokens[0] == "paths" and len(tokens) == 3:
        operation = spec.data["paths"][tokens[1]][tokens[2]]
        operation_id = operation.get("operationId") if isinstance(operation, dict) else None
        named = f"operation {operation_id!r} " if isinstance(operation_id, str) else "operation "
        return f"{named}({tokens[2].upper()} {tokens[1]})"
    if tokens[0] == "paths":
        return f"path {tokens[1]!r}"
    singular = {"schemas": "schema", "parameters": "parameter", "responses": "response",
                "requestBodies": "request body", "headers": "header", "pathItems": "path item"}
    return f"{singular.get(tokens[1], tokens[1])} {tokens[2]!r}"


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


# -- models -------------------------------------------------------------------------------


def _collect_component_schemas(context: _Context) -> None:
    schemas = context.openapi.schemas  # validate.py reports one that is not a mapping
    by_class: dict[str, str] = {}
    for name in schemas:
        python_name = naming.class_name(name)
        natural = naming.pascal_case(name)
        if python_name != natural and python_name not in by_class:
            reason = ("it has no ASCII letters or digits" if not natural else
                      "a class name cannot start with a digit" if natural[0].isdigit() else
                      f"{natural!r} is a name the models module already uses")
            context.warning(f"schema {name!r} becomes the class {python_name!r}: {reason}",
                            join_pointer("/components/schemas", name),
                            "rename the schema to choose the class name yourself")
        unique_name = naming.unique(python_name, context.taken)
        if python_name in by_class:
            context.warning(
                f"schemas {by_class[python_name]!r} and {name!r} both become the class "
                f"{python_name!r}; this one is named {unique_name!r}",
                join_pointer("/components/schemas", name),
                "rename one of them to choose the names yourself",
            )
        by_class.setdefault(python_name, name)
        context.class_names[name] = unique_name
        context.models[unique_name] = schemas[name]
    _collect_unions(context)


def _collect_unions(context: _Context) -> None:
    """A union class for each discriminated base (see discriminators.py), named after it."""
    schemas = context.openapi.schemas
    for base in discriminators.bases(schemas):
        base_class = context.class_names[base.name]
        union_class = naming.unique(f"{base_class}Union", context.taken)
        union = discriminators.FallbackUnion(
            union_class, base_class, base.property,
            tuple((context.class_names[name], values) for name, values in base.subtypes))
        context.unions[base.name] = union
        members = [name for name, _ in base.subtypes] + [base.name]
        # refs by component name, like every schema here until _rewrite_refs
        schema: dict[str, Any] = {"anyOf": [{"$ref": SCHEMA_REF + name} for name in members]}
        description = _text(schemas[base.name].get("description"))
        if description:
            schema["description"] = description
        context.models[union_class] = schema


def _models_schemas(context: _Context) -> dict[str, Any]:
    """The schemas handed to the models step: refs renamed, discriminators as on the wire."""
    schemas: dict[str, Any] = _normalized_for_models(context, _rewrite_refs(context,
                                                                            context.models))
    discriminators.normalise(schemas, list(context.unions.values()))
    return schemas


def _hoist(context: _Context, schema: Any, hint: str) -> str:
    """Make an inline schema a named model; return its class name (the same one each time
    the same schema is met, e.g. through a parameter shared by a path's operations)."""
    if id(schema) in context.hoisted:
        return context.hoisted[id(schema)]
    name = naming.unique(naming.class_name(hint), context.taken)
    context.models[name] = schema
    context.hoisted[id(schema)] = name
    return name


def _rewrite_refs(context: _Context, node: Any) -> Any:
    """A copy of `node` whose `#/components/schemas/X` refs name the renamed classes, and whose
    discriminators map every wire value to the class it selects."""
    if isinstance(node, dict):
        result: dict[str, Any] = {}
        for key, value in node.items():
            if key == "discriminator" and isinstance(value, dict) and any(
                isinstance(node.get(union), list) for union in ("oneOf", "anyOf")
            ):
                result[key] = discriminators.explicit(node, lambda name: (
                    SCHEMA_REF + context.class_names[name] if name in context.class_names
                    else None))
                continue
            target = schema_component(value) if key == "$ref" else None
            if target is not None and target in context.class_names:
                result[key] = SCHEMA_REF + context.class_names[target]
                continue
            if key == "format" and value in _FORMATS_NEEDING_EXTRAS:
                continue
            result[key] = _rewrite_refs(context, value)
        return result
    if isinstance(node, list):
        return [_rewrite_refs(context, item) for item in node]
    return node


# -- the models document: spec slips and shapes datamodel-code-generator mistypes or misnames ---
# Each rewrite works on the models document (a copy), never on the loaded spec.

# Keys of a property schema that describe the field, not its type: they stay on the property
# when its inline schema becomes a model of its own.
_FIELD_KEYS = ("description", "nullable", "default", "readOnly", "writeOnly", "deprecated",
               "example", "examples", "title")


def _normalized_for_models(context: _Context, schemas: dict[str, Any]) -> dict[str, Any]:
    """`schemas` (class name -> schema, already a copy) as datamodel-code-generator should
    see them: the slips below rewritten, overrides it would make mypy reject dropped, and
    inline schemas it would number or name twice given names from their path."""
    for schema in schemas.values():
        for node in _schema_nodes(schema):
            _retype_object_enum(node)
            if node.get("nullable") is False:
                del node["nullable"]  # the default; the library types it `str = None`
            _unset_branches_as_literals(node)
    _drop_incompatible_overrides(context, schemas)
    _name_inline_models_from_path(schemas)
    return schemas


def _schema_nodes(schema: Any) -> Iterator[dict[str, Any]]:
    """Every schema in `schema` (itself included): through properties, items, the
    combinators and the other keywords that hold schemas, never through a name map's keys."""
    stack = [schema]
    while stack:
        node = stack.pop()
        if not isinstance(node, dict):
            continue
        yield node
        for key in ("properties", "patternProperties", "$defs", "definitions"):
            if isinstance(node.get(key), dict):
                stack.extend(node[key].values())
        for key in ("allOf", "anyOf", "oneOf", "prefixItems"):
            if isinstance(node.get(key), list):
                stack.extend(node[key])
        for key in ("items", "additionalProperties", "not", "if", "then", "else", "contains"):
            stack.append(node.get(key))


def _is_object_string_enum(schema: dict[str, Any]) -> bool:
    """`type: object` with string `enum` values: a spec slip for a string enum (validate.py
    warns where it is)."""
    values = schema.get("enum")
    return schema.get("type") == "object" and isinstance(values, list) and any(
        isinstance(v, str) for v in values) and all(v is None or isinstance(v, str)
                                                    for v in values)


def _retype_object_enum(schema: dict[str, Any]) -> None:
    if _is_object_string_enum(schema):
        schema["type"] = "string"


def _unset_branches_as_literals(schema: dict[str, Any]) -> None:
    """`anyOf: [X, {enum: [""]}]` (the "unset" idiom): the `""` branch as `const: ""`, which
    the library types `Literal[""]`, not as an enum class of one member named `field_`."""
    for key in ("anyOf", "oneOf"):
        branches = schema.get(key)
        for branch in branches if isinstance(branches, list) else []:
            if isinstance(branch, dict) and branch.get("enum") == [""] and \
                    branch.get("type", "string") == "string":
                del branch["enum"]
                branch["const"] = ""


def _drop_incompatible_overrides(context: _Context, schemas: dict[str, Any]) -> None:
    """An `allOf` member that redefines a property of a `$ref`'d base with a type that is not
    a subtype of the base's gives a subclass mypy rejects. Such a redefinition is reported and
    left out, so the model keeps the base's type: by `allOf`, every valid value satisfies the
    base's schema too, so the base's type never rejects one (only the narrowing is lost)."""
    component_names = {class_name: name for name, class_name in context.class_names.items()}
    for class_name, schema in schemas.items():
        members = schema.get("allOf") if isinstance(schema, dict) else None
        if class_name not in component_names or not isinstance(members, list):
            continue
        inherited: dict[str, tuple[dict[str, Any], Any, bool, str]] = {}
        for base in members:
            base_class = component_name(base)
            if base_class is not None:
                for name, found in _inherited_properties(schemas, base_class, component_names,
                                                         set()).items():
                    inherited.setdefault(name, found)
        pointer = join_pointer("/components/schemas", component_names[class_name], "allOf")
        for index, member in enumerate(members):
            properties = member.get("properties") if isinstance(member, dict) else None
            if not isinstance(properties, dict):
                continue
            for name in list(properties):
                if name not in inherited:
                    continue
                _, base_schema, required, base_pointer = inherited[name]
                if _override_compatible(schemas, properties[name], base_schema, required):
                    continue
                location = context.spec.locate(base_pointer)
                context.warning(
                    f"property {name!r} redefines the one of its `allOf` base "
                    f"({location or base_pointer}) with an incompatible type; the model keeps "
                    "the base's type", join_pointer(pointer, index, "properties", name),
                    "give both the same type (a `$ref` to one schema), a narrower primitive "
                    "here (integer for number, a string enum for string), or declare the "
                    "property only in the subtypes")
                del properties[name]


def _inherited_properties(schemas: dict[str, Any], class_name: str,
                          component_names: dict[str, str], seen: set[str]
                          ) -> dict[str, tuple[dict[str, Any], Any, bool, str]]:
    """Property name -> (its properties map, its schema, whether required, its pointer), for
    the model `class_name` and its `allOf` bases."""
    schema = schemas.get(class_name)
    if class_name in seen or not isinstance(schema, dict) or class_name not in component_names:
        return {}
    seen.add(class_name)
    pointer = join_pointer("/components/schemas", component_names[class_name])
    found: dict[str, tuple[dict[str, Any], Any, bool, str]] = {}
    parts = [(schema, pointer)] + [
        (member, join_pointer(pointer, "allOf", index))
        for index, member in enumerate(schema.get("allOf") or []) if isinstance(member, dict)
    ]
    for part, part_pointer in parts:
        base_class = component_name(part)
        if base_class is not None:
            for name, entry in _inherited_properties(schemas, base_class, component_names,
                                                     seen).items():
                found.setdefault(name, entry)
            continue
        properties = part.get("properties")
        required = part.get("required")
        if not isinstance(properties, dict):
            continue
        required = required if isinstance(required, list) else []
        for name, value in properties.items():
            found.setdefault(name, (properties, value, name in required,
                                    join_pointer(part_pointer, "properties", name)))
    return found


def _override_compatible(schemas: dict[str, Any], child: Any, base: Any,
                         base_required: bool) -> bool:
    """Whether the annotation the library gives `child` is a subtype of the one it gives
    `base` (what mypy requires of a field redefined in a subclass). Unknown shapes count as
    compatible: only a sure conflict is reported."""
    if not isinstance(child, dict) or not isinstance(base, dict):
        return True
    if child.get("nullable") is True and base_required and base.get("nullable") is not True:
        return False  # `X | None` cannot replace a required `X`
    child_kind, base_kind = _type_kind(schemas, child), _type_kind(schemas, base)
    return _kind_compatible(schemas, child_kind, base_kind, invariant=False)


def _type_kind(schemas: dict[str, Any], schema: Any) -> tuple[Any, ...]:
    """What the library makes of `schema`, coarsely: ("any",), ("ref", class),
    ("class", id) for an inline model or enum (a class of its own), ("enum", primitive),
    ("literal", primitive), ("primitive", name), ("list", kind), ("dict", kind)."""
    if not isinstance(schema, dict) or not schema:
        return ("any",)
    ref_class = component_name(schema)
    if ref_class is not None:
        return ("ref", ref_class)
    if "$ref" in schema:
        return ("any",)
    types = schema.get("type")
    type_list = [t for t in (types if isinstance(types, list) else [types]) if t != "null"]
    kind = type_list[0] if len(type_list) == 1 and isinstance(type_list[0], str) else None
    if "const" in schema:
        return ("literal", _PRIMITIVES.get(kind or "", type(schema["const"]).__name__))
    if any(k in schema for k in ("oneOf", "anyOf", "allOf")) or schema.get("properties"):
        return ("class", id(schema))
    if isinstance(schema.get("enum"), list):
        return ("enum", _PRIMITIVES.get(kind or "", ""), id(schema))
    if kind == "array":
        return ("list", _type_kind(schemas, schema.get("items")))
    if kind == "object":
        additional = schema.get("additionalProperties")
        return ("dict", _type_kind(schemas, additional if isinstance(additional, dict) else {}))
    if kind in _PRIMITIVES:
        return ("primitive", _PRIMITIVES[kind])
    return ("any",)


# int is accepted where float is, bool where int is (PEP 484's numeric tower, bool < int)
_NARROWER_PRIMITIVES = {("int", "float"), ("bool", "int"), ("bool", "float")}


def _kind_compatible(schemas: dict[str, Any], child: tuple[Any, ...], base: tuple[Any, ...],
                     invariant: bool) -> bool:
    if child == ("any",) or base == ("any",) or child == base:
        return True
    if invariant:  # inside list[...] / dict[...]: mypy wants the same type
        return False
    if child[0] == "ref" and base[0] == "ref":
        return base[1] in _allof_ancestors(schemas, child[1])
    if child[0] == "ref":  # an enum component derives from its primitive
        target = schemas.get(child[1])
        if isinstance(target, dict) and isinstance(target.get("enum"), list):
            child = ("enum", _type_kind(schemas, {**target, "enum": None})[-1], None)
        else:
            return False
    if child[0] in ("enum", "literal") and base[0] == "primitive":
        child = ("primitive", child[1])
    if child[0] == "primitive" and base[0] == "primitive":
        return child[1] == base[1] or (child[1], base[1]) in _NARROWER_PRIMITIVES
    if child[0] == base[0] and child[0] in ("list", "dict"):
        return _kind_compatible(schemas, child[1], base[1], invariant=True)
    return False


def _allof_ancestors(schemas: dict[str, Any], class_name: str) -> set[str]:
    """The class itself and every class it derives from through `allOf` `$ref`s."""
    found: set[str] = set()
    stack = [class_name]
    while stack:
        name = stack.pop()
        if name in found:
            continue
        found.add(name)
        schema = schemas.get(name)
        members = schema.get("allOf") if isinstance(schema, dict) else None
        stack.extend(c for c in map(component_name, members if isinstance(members, list)
                                    else []) if c is not None)
    return found


def _makes_model(schema: Any) -> bool:
    """Whether the library makes a class of this inline schema by itself (an object with
    properties, or an enum)."""
    return isinstance(schema, dict) and "$ref" not in schema and (
        bool(schema.get("properties")) or isinstance(schema.get("enum"), list))


def _name_inline_models_from_path(schemas: dict[str, Any]) -> None:
    """Give a name from its path to each inline schema the library would name on its own
    without its parent, so numbering (`Config`, `Config1`, ... `Config835`) or a doubled
    prefix (`GetCustomersCreatedGetCustomersCreated`) stays the exception: it names the
    properties of an `allOf` member after the property alone, and the inline members of a
    top-level `anyOf`/`oneOf` after the parent twice. Such a schema becomes a model of the
    document, named `<Parent><Property>` (`<Parent><Property>Item` for an array's items) or
    `<Parent><title or Object/Enum>`; what describes the field stays on the property."""
    taken = set(schemas)
    hoisted: dict[str, Any] = {}

    def hoist(holder: dict[str, Any] | list[Any], key: Any, name: str,
              field_keys: tuple[str, ...]) -> None:
        schema = holder[key]
        model_name = naming.unique(naming.class_name(name), taken)
        hoisted[model_name] = {k: v for k, v in schema.items()
                               if k not in ("nullable", "default", "readOnly", "writeOnly")}
        holder[key] = {"$ref": SCHEMA_REF + model_name,
                       **{k: schema[k] for k in field_keys if k in schema}}

    for class_name, schema in list(schemas.items()):
        if not isinstance(schema, dict):
            continue
        for member in schema.get("allOf") or []:
            properties = member.get("properties") if isinstance(member, dict) else None
            if not isinstance(properties, dict):
                continue
            for name, value in properties.items():
                if _makes_model(value):
                    hoist(properties, name, f"{class_name} {name}", _FIELD_KEYS)
                elif isinstance(value, dict) and _makes_model(value.get("items")):
                    hoist(value, "items", f"{class_name} {name} item", ())
        for key in ("anyOf", "oneOf"):
            branches = schema.get(key)
            if not isinstance(branches, list):
                continue
            for index, branch in enumerate(branches):
                if _makes_model(branch):
                    title = branch.get("title")
                    kind = "object" if branch.get("properties") else "enum"
                    label = title if isinstance(title, str) and naming.words(title) else kind
                    hoist(branches, index, f"{class_name} {label}", ())
    schemas.update(hoisted)


def _schema_ref_class(context: _Context, schema: Any) -> str | None:
    """The class a `$ref` to a component stands for: a discriminated base's union."""
    name = component_name(schema)
    if name in context.unions:
        return context.unions[name].class_name
    return context.class_names.get(name) if name is not None else None


def python_type(context: _Context, schema: Any, pointer: str, hint: str) -> TypeRef:
    """The annotation for `schema` in a resource module; complex inline schemas become models."""
    if schema is None or schema is True or schema == {}:
        return ANY
    if not isinstance(schema, dict):
        return ANY  # validate.py reports it
    class_name = _schema_ref_class(context, schema)
    if class_name is not None:
        return Reference(class_name)
    if "$ref" in schema:
        target, target_pointer = context.openapi.target(schema, pointer)
        if not target or target is schema:  # a broken ref: validate.py reports it
            return ANY
        return python_type(context, target, target_pointer, hint)

    types = schema.get("type")
    type_list = [t for t in (types if isinstance(types, list) else [types])
                 if isinstance(t, str)]
    nullable = schema.get("nullable") is True or "null" in type_list
    non_null = [t for t in type_list if t != "null"]
    if _is_object_string_enum(schema):
        non_null = ["string"]  # a spec slip validate.py reports: typed as the enum it lists
    enum = schema.get("enum")
    string_enum = isinstance(enum, list) and all(v is None or isinstance(v, str) for v in enum)
    if any(k in schema for k in ("oneOf", "anyOf", "allOf", "properties", "const")) or (
        "enum" in schema and (non_null != ["string"] or not string_enum)
    ) or len(non_null) > 1:
        return Reference(_hoist(context, schema, hint))
    base: TypeRef
    if isinstance(enum, list):
        values = tuple(v for v in enum if v is not None)
        base = LiteralType(values) if values else NONE
        nullable = nullable or None in enum
    elif non_null == ["array"]:
        base = ListType(python_type(context, schema.get("items"),
                                    join_pointer(pointer, "items"), f"{hint}Item"))
    elif non_null == ["object"]:
        additional = schema.get("additionalProperties")
        base = MappingType(
            python_type(context, additional, join_pointer(pointer, "additionalProperties"),
                        f"{hint}Value")
            if isinstance(additional, dict)
            else ANY
        )
    elif non_null and non_null[0] in _PRIMITIVES:
        base = BYTES if schema.get("format") == "binary" else Primitive(_PRIMITIVES[non_null[0]])
    else:
        base = ANY  # no type, or one validate.py reports as unknown
    return OptionalType(base) if nullable and base not in (ANY, NONE) else base


# -- operations ---------------------------------------------------------------------------


def _check_paths(context: _Context) -> None:
    """What is wrong with the `paths` entries themselves (validate.py checks their insides)."""
    for path, item, item_pointer in context.openapi.path_items():
        if not path.startswith("/"):
            context.error(f"path {path!r} must start with '/'", item_pointer,
                          f"write '/{path.lstrip('/')}'")
        # a broken `$ref` leads to {} here; validate.py reports it, and a non-mapping item
        if isinstance(item, dict) and "$ref" in item and \
                not isinstance(context.openapi.target(item, item_pointer)[0], dict):
            context.error("the `$ref` of this path item leads to something that is not "
                          "a path item", item_pointer)


def _build_resources(context: _Context) -> tuple[Resource, ...]:
    by_tag: dict[str, list[Operation]] = {}
    function_names: dict[str, str] = {}
    operation_ids: dict[str, str] = {}
    taken_functions: set[str] = set()  # each function and its `_async` twin
    _check_paths(context)
    for view in context.openapi.operations():
        spec_op, pointer = view.node, view.pointer
        operation_id = _text(spec_op.get("operationId"))
        explicit = bool(operation_id)
        if not operation_id:
            operation_id = naming.function_name(f"{view.method} {view.path}")
            if not spec_op.get("operationId"):  # a non-string one is reported by validate.py
                context.warning("operation has no operationId", pointer,
                                f"named it {operation_id!r}; add `operationId` to choose "
                                "the name")
        # a name made from method and path that meets a real operationId is not the author's
        # mistake: it gets a suffix below, like any other function name that collides
        if explicit and operation_id in operation_ids:
            context.error(
                f"duplicate operationId {operation_id!r} (also at {operation_ids[operation_id]})",
                join_pointer(pointer, "operationId"),
                "operationIds must be unique: rename one of them",
            )
            continue
        if explicit:
            operation_ids[operation_id] = pointer
        natural = naming.function_name(operation_id)
        function_name, n = natural, 1
        while function_name in taken_functions or f"{function_name}_async" in taken_functions:
            n += 1
            function_name = f"{natural}_{n}"
        if function_name != natural:
            first = function_names.get(natural, "another operation")
            context.warning(
                f"operationIds {first!r} and {operation_id!r} both become the function "
                f"{natural!r}; this one is named {function_name!r}",
                join_pointer(pointer, "operationId"), "rename one of them to choose the names",
            )
        taken_functions.update({function_name, f"{function_name}_async"})
        function_names[function_name] = operation_id
        tags = spec_op.get("tags")
        tag = tags[0] if isinstance(tags, list) and tags and isinstance(tags[0], str) \
            else DEFAULT_RESOURCE
        if naming.too_long_for_a_file(naming.resource_attribute(tag)):
            context.error(f"the tag {_short(tag)!r} is too long to name a module file (over "
                          f"{naming.MAX_FILE_NAME_BYTES} bytes)", join_pointer(pointer, "tags", 0),
                          "a tag names the operation's resource module: shorten it")
            continue
        operation = _build_operation(context, view, operation_id, function_name, tag)
        if operation is not None:
            by_tag.setdefault(tag, []).append(operation)

    resources = []
    attributes: set[str] = set(naming.CLIENT_ATTRIBUTES)
    class_names: set[str] = set()
    for tag, operations in by_tag.items():
        attribute = naming.unique(naming.resource_attribute(tag), attributes)
        resources.append(Resource(
            attribute=attribute,
            module=attribute,
            class_name=naming.unique(naming.class_name(tag) + "Resource", class_names),
            tag=tag,
            description=_tag_description(context, tag),
            operations=_name_methods(tag, operations),
        ))
    return tuple(resources)


def _short(text: str) -> str:
    """`text`, shortened for a message."""
    return text if len(text) <= 40 else text[:37] + "..."


def _tag_description(context: _Context, tag: str) -> str:
    tags = context.document.get("tags")
    for entry in (tags if isinstance(tags, list) else []):
        if isinstance(entry, dict) and entry.get("name") == tag:
            return _text(entry.get("description"))
    return ""


def _name_methods(tag: str, operations: list[Operation]) -> tuple[Operation, ...]:
    """Short method names (`create`), unless two would collide; then the full function name."""
    short: dict[str, str] = {}
    for op in operations:
        explicit = op.method_name
        short[op.function_name] = explicit or naming.strip_words(
            op.function_name, naming.resource_words(tag)
        )
    counts: dict[str, int] = {}
    for name in short.values():
        counts[name] = counts.get(name, 0) + 1
    result = []
    taken: set[str] = set()
    for op in operations:
        name = short[op.function_name]
        usable = name and counts[name] == 1 and naming.method_name(name) == name
        chosen = naming.unique(name if usable else naming.method_name(op.function_name), taken)
        result.append(replace(op, method_name=chosen))
    return tuple(result)


def _build_operation(context: _Context, view: OperationView, operation_id: str,
                     function_name: str, tag: str) -> Operation | None:
    spec_op, pointer = view.node, view.pointer
    hint = naming.class_name(operation_id)
    parameters = _build_parameters(context, view, hint, function_name)
    body = _build_body(context, spec_op, pointer, hint, parameters)
    response = _build_response(context, spec_op, pointer, hint)
    if response is None:
        return None
    explicit_method = spec_op.get("x-method-name")
    security = spec_op.get("security", context.document.get("security"))
    return Operation(
        operation_id=operation_id,
        function_name=function_name,
        method_name=naming.method_name(explicit_method) if isinstance(explicit_method, str)
        else "",
        constant_name="_" + naming.constant_name(function_name),
        http_method=view.method.upper(),
        path=view.path,
        summary=_text(spec_op.get("summary")),
        description=_text(spec_op.get("description")),
        deprecated=spec_op.get("deprecated") is True,
        parameters=parameters,
        body=body,
        response=response,
        pagination=_build_pagination(context, spec_op, pointer, parameters, response),
        authenticated=bool(security),
        pointer=pointer,
        headers=_managed_headers(context, view),
        errors=_error_responses(context, spec_op),
    )


def _error_responses(context: _Context, spec_op: dict[str, Any]) -> tuple[ErrorResponse, ...]:
    responses = spec_op.get("responses")
    if not isinstance(responses, dict):
        return ()
    errors = []
    for status, response in responses.items():
        if str(status)[:1] in ("4", "5") or str(status) == "default":
            resolved, _ = context.openapi.target(response, "")
            description = resolved.get("description") if isinstance(resolved, dict) else None
            errors.append(ErrorResponse(str(status), _text(description)))
    return tuple(errors)


def _documented_values(context: _Context, schema: Any,
                       pointer: str) -> tuple[tuple[str, ...], str | None]:
    """The values a parameter's schema allows (its items' for an array) and its default, as
    JSON text for the docstring."""
    resolved, resolved_pointer = context.openapi.target(schema, pointer)
    if not isinstance(resolved, dict):
        return (), None
    default = _json_text(resolved["default"]) if "default" in resolved else None
    values = resolved.get("enum")
    if values is None and resolved.get("type") == "array":
        items, _ = context.openapi.target(resolved.get("items"), resolved_pointer)
        values = items.get("enum") if isinstance(items, dict) else None
    enum = tuple(_json_text(v) for v in values) if isinstance(values, list) else ()
    return enum, default


def _json_text(value: Any) -> str:
    # YAML gives dates too: they are written as their text
    return json.dumps(value, ensure_ascii=False, default=str)


def _build_parameters(context: _Context, view: OperationView, hint: str,
                      function_name: str = "") -> tuple[Parameter, ...]:
    path, pointer = view.path, view.pointer
    for entry, entry_pointer in context.openapi.parameter_entries(view):
        resolved, _ = context.openapi.target(entry, entry_pointer)
        if isinstance(resolved, dict) and resolved and not (
            isinstance(resolved.get("name"), str) and resolved.get("in") in PARAMETER_LOCATIONS
        ):  # left out of the operation's parameters below
            context.error("a parameter needs a string `name` and `in` of path, query, "
                          "header or cookie", entry_pointer)
    merged = context.openapi.parameters(view)

    template_names = _PATH_TEMPLATE.findall(path)
    for name in template_names:
        if ("path", name) not in merged:
            context.error(f"path parameter {name!r} is in the path but not declared", pointer,
                          f"add a parameter with `name: {name}`, `in: path`, `required: true`")
    # An argument must not hide the endpoint function its method calls.
    taken = {*naming.CALL_ARGUMENTS, function_name, f"{function_name}_async"}
    parameters = []
    order = {"path": 0, "query": 1, "header": 2, "cookie": 3}
    # path parameters in the path's order: they are positional (`get(group_id, user_id)`)
    place = {name: index for index, name in reversed(list(enumerate(template_names)))}
    for parameter in sorted(merged.values(), key=lambda p: (
            order[p.location], not p.node.get("required"),
            place.get(p.name, 0) if p.location == "path" else 0)):
        location, wire_name = parameter.location, parameter.name
        if location == "path" and wire_name not in template_names:
            context.error(f"path parameter {wire_name!r} is declared but not in the path {path!r}",
                          parameter.entry_pointer,
                          "add it to the path as {" + wire_name + "} or remove it")
            continue
        if location == "cookie":
            continue  # validate.py warns that the client does not send cookie parameters
        if location == "header" and wire_name.lower() in _MANAGED_HEADERS:
            if _managed_header_value(context, parameter.node) is None:
                context.warning(f"header parameter {wire_name!r} is managed by the client",
                                parameter.entry_pointer, "it is not an argument; use "
                                "default_headers or extra_headers to change it")
            continue
        parameters.append(_build_parameter(context, parameter, hint, taken))
    return tuple(parameters)


def _build_parameter(context: _Context, parameter: ParameterView, hint: str,
                     taken: set[str]) -> Parameter:
    """The argument for a parameter the client sends (an argument name not in `taken`)."""
    param, param_pointer = parameter.node, parameter.entry_pointer
    location, wire_name = parameter.location, parameter.name
    schema = param.get("schema")
    if schema is None:
        media = _media(param.get("content"))
        schema = media[1].get("schema") if media else None
    annotation = python_type(context, schema, join_pointer(param_pointer, "schema"),
                             f"{hint}{naming.class_name(wire_name)}")
    style, explode = _parameter_style(context, param, location, parameter.pointer)
    enum, default = _documented_values(context, schema, join_pointer(param_pointer, "schema"))
    required = location == "path" or param.get("required") is True
    return Parameter(
        name=naming.unique(naming.argument_name(wire_name), taken),
        wire_name=wire_name,
        location=location,  # type: ignore[arg-type]  # one of path, query, header
        annotation=annotation,
        required=required,
        description=_text(param.get("description")),
        deprecated=param.get("deprecated") is True,
        style=style,
        explode=explode,
        enum=enum,
        default=default,
        example=params.example_source(
            schema, lambda node: context.openapi.target(node, param_pointer)[0],
            _parameter_example(context, param, param_pointer)) if required else "",
    )


def _parameter_example(context: _Context, param: dict[str, Any], pointer: str) -> Any:
    """The value of a parameter's own `example`, or of the first of its `examples`."""
    if param.get("example") is not None:
        return param["example"]
    examples = param.get("examples")
    first = next(iter(examples.values()), None) if isinstance(examples, dict) else None
    resolved, _ = context.openapi.target(first, pointer)
    return resolved.get("value") if isinstance(resolved, dict) else None


_QUERY_STYLES: tuple[Style, ...] = ("form", "spaceDelimited", "pipeDelimited", "deepObject")


def _query_style(context: _Context, declared: dict[str, Any], pointer: str,
                 what: str) -> tuple[Style, bool]:
    """The style and explode the runtime writes a query parameter (or a form body property,
    which follows the same rules) with: the spec's, its defaults applied (form; explode for
    form only), or what the runtime does instead, with a warning that says so."""
    style, explode = declared.get("style", "form"), declared.get("explode")
    if style not in _QUERY_STYLES:
        context.warning(f"`style: {style}` is not a style for {what}: the client sends it as "
                        f"style: form, explode: {'false' if explode is False else 'true'}",
                        join_pointer(pointer, "style"),
                        "use form, spaceDelimited, pipeDelimited or deepObject")
        style = "form"
    if not isinstance(explode, bool):
        explode = style == "form"
    if style == "deepObject":
        explode = True  # its only defined form; `explode: false` is undefined, and ignored
    elif explode and style != "form":
        context.warning(f"`style: {style}, explode: true` is undefined in OpenAPI: the client "
                        f"sends {what} as style: form, explode: true (name=a&name=b)",
                        pointer, "remove `explode: true` to send one delimited value")
    if declared.get("allowReserved") is True:
        context.warning(f"`allowReserved: true` is not supported: the client percent-encodes "
                        f"reserved characters in {what}", join_pointer(pointer, "allowReserved"),
                        "pass the value yourself with extra_query if the API needs them as is")
    return style, explode


def _parameter_style(context: _Context, param: dict[str, Any], location: str,
                     pointer: str) -> tuple[Style, bool]:
    name = param.get("name")
    if location == "query":
        return _query_style(context, param, pointer, f"query parameter {name!r}")
    # path and header: `simple` is the only style the runtime writes there
    style, explode = param.get("style"), param.get("explode")
    if (style is not None and style != "simple") or explode is True:
        what = f"style: {style}" if style not in (None, "simple") else "explode: true"
        context.warning(f"`{what}` is not supported for {location} parameter {name!r}: the "
                        "client sends it as style: simple, explode: false (a,b,c)", pointer,
                        "pass the header yourself with extra_headers if the API needs this "
                        "style" if location == "header" else "use `style: simple`; the client "
                        "percent-encodes the value as one path segment")
    return "simple", False


def _field_encodings(context: _Context, media_object: dict[str, Any], schema_pointer: str,
                     media_pointer: str) -> tuple[FieldEncoding, ...]:
    """The Encoding Objects of a form or multipart body. One with `style`, `explode` or
    `allowReserved` writes its property in that style (as a query parameter); one without
    writes it by its content type, as does a property with no Encoding Object."""
    declared = media_object.get("encoding")
    if declared is None:
        return ()
    pointer = join_pointer(media_pointer, "encoding")
    if not isinstance(declared, dict):
        context.warning("`encoding` must map property names to Encoding Objects; it is "
                        "ignored", pointer)
        return ()
    fields = []
    for name, encoding in declared.items():
        field_pointer = join_pointer(pointer, name)
        if not isinstance(encoding, dict):
            context.warning(f"the encoding of {name!r} is not an object; it is ignored",
                            field_pointer)
            continue
        if _property_schema(context, media_object.get("schema"), schema_pointer,
                            str(name)) is None:
            context.warning(f"`encoding` names {name!r}, which is not a property of the body",
                            field_pointer, "the encoding of a property must use its name")
            continue
        style: Style | None = None
        explode = False
        if any(key in encoding for key in ("style", "explode", "allowReserved")):
            style, explode = _query_style(context, encoding, field_pointer,
                                          f"body property {name!r}")
        fields.append(FieldEncoding(str(name), style, explode,
                                    _part_content_type(encoding.get("contentType"))))
    return tuple(fields)


def _part_content_type(declared: Any) -> str | None:
    """The Content-Type to send for a part, from an Encoding Object's `contentType`: its first
    concrete media type (it may list several, or ranges such as `image/*`)."""
    if not isinstance(declared, str):
        return None
    for candidate in declared.split(","):
        media = candidate.strip()
        if media and "*" not in media and _HEADER_VALUE.match(media):
            return media
    return None


_MANAGED_HEADERS = ("accept", "content-type", "authorization")


def _managed_header_value(context: _Context, param: dict[str, Any]) -> str | None:
    """The value the client sends for a managed `Accept` parameter: its schema's default
    (OpenAPI ignores such parameters, but real specs pin API versions this way)."""
    if str(param.get("name", "")).lower() != "accept":
        return None
    schema, _ = context.openapi.target(param.get("schema"), "")
    default = schema.get("default") if isinstance(schema, dict) else None
    return default if isinstance(default, str) and _HEADER_VALUE.match(default) else None


def _managed_headers(context: _Context, view: OperationView) -> tuple[tuple[str, str], ...]:
    """(name, value) of each managed header the operation gives a value (see above)."""
    found: dict[str, tuple[str, str]] = {}
    for parameter in context.openapi.parameters(view).values():
        value = _managed_header_value(context, parameter.node) \
            if parameter.location == "header" else None
        if value is not None:
            found[parameter.name.lower()] = (parameter.name, value)
    return tuple(found.values())


def _media(content: Any) -> tuple[str, dict[str, Any]] | None:
    """The media type the client speaks for a content map: JSON first, then the first."""
    if not isinstance(content, dict) or not content:
        return None
    for media_type in content:
        if _JSON_MEDIA.match(media_type):
            value = content[media_type]
            return media_type, value if isinstance(value, dict) else {}
    media_type = next(iter(content))
    value = content[media_type]
    return media_type, value if isinstance(value, dict) else {}


def _build_body(context: _Context, spec_op: dict[str, Any], pointer: str, hint: str,
                parameters: tuple[Parameter, ...]) -> Body | None:
    if "requestBody" not in spec_op:
        return None
    body_pointer = join_pointer(pointer, "requestBody")
    request_body, body_pointer = context.openapi.target(spec_op["requestBody"], body_pointer)
    content = request_body.get("content") if isinstance(request_body, dict) else None
    media = _media(content)
    if media is None:
        if not isinstance(request_body, dict) or not isinstance(content, dict | None):
            return None  # validate.py reports what is wrong with it
        context.error("`requestBody` has no `content`", body_pointer,
                      "add `content: {application/json: {schema: ...}}`")
        return None
    media_type, media_object = media
    if isinstance(content, dict) and len(content) > 1:
        others = ", ".join(str(m) for m in content if m != media_type)
        context.warning(f"the request body can be sent as {media_type} or {others}; the client "
                        f"sends {media_type}", join_pointer(body_pointer, "content"),
                        "to send another media type, pass the encoded body with "
                        "extra_headers={'Content-Type': ...}")
    schema_pointer = join_pointer(body_pointer, "content", media_type, "schema")
    fields: tuple[FieldEncoding, ...] = ()
    annotation: TypeRef
    if _JSON_MEDIA.match(media_type):
        encoding = "json"
        annotation = python_type(context, media_object.get("schema"), schema_pointer,
                                 f"{hint}Request")
    elif _FORM_MEDIA.match(media_type):
        encoding = "multipart" if media_type.lower().startswith("multipart/") else "form"
        annotation = python_type(context, media_object.get("schema"), schema_pointer,
                                 f"{hint}Request")
        fields = _field_encodings(context, media_object, schema_pointer,
                                  join_pointer(body_pointer, "content", media_type))
    else:
        encoding = "bytes"
        annotation = BYTES
        if not media_type.startswith("application/octet-stream"):
            context.warning(f"request body {media_type!r} is sent as raw bytes",
                            join_pointer(body_pointer, "content", media_type),
                            "the client takes `body: bytes` and sends it with this Content-Type")
    payload_type = annotation if encoding == "json" else None
    members = _union_members(context, annotation)
    if members:
        annotation = UnionType((annotation, *members))
    return Body(
        annotation=annotation,
        required=request_body.get("required") is True,
        content_type=media_type,
        encoding=encoding,  # type: ignore[arg-type]
        description=_text(request_body.get("description")),
        payload_type=payload_type,
        fields=fields,
    )


def _has_content(context: _Context, response: Any) -> bool:
    resolved, _ = context.openapi.target(response, "")
    return isinstance(resolved, dict) and bool(resolved.get("content"))


def _success_status(responses: dict[str, Any]) -> str | None:
    statuses = sorted(str(s) for s in responses if str(s).startswith("2"))
    if statuses:
        return statuses[0]
    return "default" if "default" in responses else None


def _union_members(context: _Context, annotation: TypeRef) -> list[Reference] | None:
    """For a model that is a union (`oneOf`/`anyOf` of `$ref`s, nested too), its member
    classes; None for any other annotation."""
    if not (isinstance(annotation, Reference) and annotation.module == "models"):
        return None
    schema = context.models.get(annotation.name)
    if not isinstance(schema, dict) or "properties" in schema or "allOf" in schema:
        return None
    branches = schema.get("oneOf") or schema.get("anyOf")
    if not isinstance(branches, list) or not branches:
        return None
    members: list[Reference] = []
    for branch in branches:
        component = component_name(branch)
        class_name = context.class_names.get(component) if component is not None else None
        if class_name is None:
            return None
        nested = _union_members(context, Reference(class_name))
        for member in nested or [Reference(class_name)]:
            if member not in members:
                members.append(member)
    return members


def _build_response(context: _Context, spec_op: dict[str, Any], pointer: str,
                    hint: str) -> Response | None:
    responses = spec_op.get("responses")
    responses_pointer = join_pointer(pointer, "responses")
    if responses is None and str(context.document.get("openapi")).startswith("3.1"):
        # OpenAPI 3.1 makes `responses` optional; validate.py warns about it.
        return Response("200", ANY, ANY, None, False, "")
    if responses is not None and not isinstance(responses, dict):
        return None  # validate.py reports it
    if not responses:
        context.error("operation has no `responses`", pointer,
                      "add at least one response, e.g. `responses: {'200': {description: OK}}`")
        return None
    status = _success_status(responses)
    if status is None:
        context.warning("operation documents no success (2xx) response", responses_pointer,
                        "the method returns None")
        return Response("200", NONE, NONE, None, False, "", "none")
    other_bodies = [s for s in responses if str(s).startswith("2") and str(s) != status
                    and _has_content(context, responses[s])]
    if other_bodies and _has_content(context, responses[status]):
        context.warning(f"operation documents several success responses with a body ({status}, "
                        f"{', '.join(str(s) for s in other_bodies)}); the method is typed by "
                        f"{status}", responses_pointer,
                        "use with_raw_response to read a response of another status as it is")
    response_pointer = join_pointer(responses_pointer, status)
    response, response_pointer = context.openapi.target(responses[status], response_pointer)
    description = _text(response.get("description")) if isinstance(response, dict) else ""
    media = _media(response.get("content") if isinstance(response, dict) else None)
    if media is None:
        return Response(status, NONE, NONE, None, False, description, "none")
    media_type, media_object = media
    schema = media_object.get("schema")
    schema_pointer = join_pointer(response_pointer, "content", media_type, "schema")
    if not _JSON_MEDIA.match(media_type):
        text = media_type.startswith("text/")
        return Response(status, STR if text else BYTES, NONE, None, False, description,
                        "text" if text else "bytes")
    envelope = None
    resolved, resolved_pointer = context.openapi.target(schema, schema_pointer)
    if not (isinstance(resolved, dict) and "x-envelope" in resolved):
        payload = python_type(context, schema, schema_pointer, f"{hint}Response")
    else:
        envelope = resolved["x-envelope"]
        properties = resolved.get("properties")
        properties = properties if isinstance(properties, dict) else {}
        if not isinstance(envelope, str) or envelope not in properties:
            context.error(f"`x-envelope: {envelope}` names no property of this schema",
                          join_pointer(resolved_pointer, "x-envelope"),
                          "set it to the property that holds the payload, e.g. `data`")
            envelope = None
            payload = python_type(context, schema, schema_pointer, f"{hint}Response")
        else:
            payload = python_type(context, properties[envelope],
                                  join_pointer(resolved_pointer, "properties", envelope),
                                  f"{hint}{naming.class_name(envelope)}")
            required = resolved.get("required")
            if not (isinstance(required, list) and envelope in required) and \
                    not payload.admits_none:
                payload = OptionalType(payload)
    annotation, unwrap = _unwrapped(context, payload)
    return Response(status, annotation, payload, envelope, unwrap, description)


def _unwrapped(context: _Context, annotation: TypeRef) -> tuple[TypeRef, bool]:
    """What a value of `annotation` is once union root models are unwrapped (a list of them,
    too), and whether that differs from `annotation`."""
    inner = annotation.item if isinstance(annotation, ListType) else annotation
    members = _union_members(context, inner)
    if not members:
        return annotation, False
    unwrapped = UnionType(tuple(members))
    return (ListType(unwrapped) if inner != annotation else unwrapped), True


def _property_schema(context: _Context, schema: Any, pointer: str,
                     name: str) -> tuple[Any, str] | None:
    """The schema of property `name`, looking through `$ref` and `allOf`."""
    schema, pointer = context.openapi.target(schema, pointer)
    if not isinstance(schema, dict):
        return None
    properties = schema.get("properties")
    if isinstance(properties, dict) and name in properties:
        return properties[name], join_pointer(pointer, "properties", name)
    parts = schema.get("allOf")
    for index, part in enumerate(parts if isinstance(parts, list) else []):
        found = _property_schema(context, part, join_pointer(pointer, "allOf", index), name)
        if found is not None:
            return found
    return None


def _build_pagination(context: _Context, spec_op: dict[str, Any], pointer: str,
                      parameters: tuple[Parameter, ...], response: Response) -> Pagination | None:
    declared = spec_op.get("x-pagination")
    if declared is None:
        return None
    declared_pointer = join_pointer(pointer, "x-pagination")
    if not isinstance(declared, dict) or declared.get("style") != "cursor":
        context.error("`x-pagination` supports `style: cursor` only", declared_pointer,
                      "see docs/spec-extensions.md")
        return None
    query = {p.wire_name for p in parameters if p.location == "query"}
    cursor_param = declared.get("cursor-param")
    limit_param = declared.get("limit-param")
    items = declared.get("items")
    next_cursor = declared.get("next-cursor")
    for key, value in (("cursor-param", cursor_param), ("limit-param", limit_param)):
        if value is not None and (not isinstance(value, str) or value not in query):
            context.error(f"`{key}: {value}` is not a query parameter of this operation",
                          join_pointer(declared_pointer, key))
            return None
    if not isinstance(items, str) or not isinstance(next_cursor, str) or not cursor_param:
        context.error("`x-pagination` needs `cursor-param`, `items` and `next-cursor`",
                      declared_pointer)
        return None
    schema = _response_schema(context, spec_op, response.status)
    found: tuple[Any, str] | None = (schema, join_pointer(pointer, "responses", response.status))
    for part in items.split("."):
        found = _property_schema(context, found[0], found[1], part) if found else None
    array, array_pointer = context.openapi.target(*found) if found else ({}, "")
    if not isinstance(array, dict) or array.get("type") != "array":
        context.error(f"`items: {items}` does not name an array in the success response",
                      join_pointer(declared_pointer, "items"))
        return None
    item = python_type(context, array.get("items"), join_pointer(array_pointer, "items"),
                       naming.class_name(str(spec_op.get("operationId", ""))) + "Item")
    item_annotation, unwrap = _unwrapped(context, item)
    return Pagination(
        style="cursor",
        cursor_param=cursor_param,
        limit_param=limit_param,
        items_path=tuple(items.split(".")),
        next_cursor_path=tuple(next_cursor.split(".")),
        item_annotation=item_annotation,
        item_type=item,
        unwrap_root=unwrap,
    )


def _response_schema(context: _Context, spec_op: dict[str, Any], status: str) -> Any:
    responses = spec_op.get("responses")
    if not isinstance(responses, dict):
        return None
    response, _ = context.openapi.target(responses.get(status), "")
    media = _media(response.get("content") if isinstance(response, dict) else None)
    return media[1].get("schema") if media else None


# -- client-level facts -------------------------------------------------------------------


def _base_url(context: _Context) -> str:
    servers = context.document.get("servers")
    url = ""
    if isinstance(servers, list) and servers and isinstance(servers[0], dict):
        server = servers[0]
        url = _text(server.get("url"))
        variables = server.get("variables")
        for name, variable in (variables.items() if isinstance(variables, dict) else []):
            if isinstance(variable, dict) and "default" in variable:
                url = url.replace("{" + name + "}", str(variable["default"]))
    if not re.match(r"^https?://", url):
        context.warning(
            "the spec names no absolute server URL" + (f" ({url!r})" if url else ""),
            "/servers" if isinstance(servers, list) else "",
            "the client has no default base URL: pass base_url=... (or set the environment "
            "variable the package README names); add `servers: [{url: https://...}]` to "
            "give it one",
        )
        return ""
    return url.rstrip("/")


_HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
_HEADER_VALUE = re.compile(r"^[\t\x20-\x7e\x80-\xff]*$")


def _default_headers(context: _Context) -> tuple[tuple[str, str], ...]:
    headers = context.document.get("x-default-headers") or {}
    if not isinstance(headers, dict):
        context.error("`x-default-headers` must map header names to strings",
                      "/x-default-headers")
        return ()
    result = []
    for name, value in headers.items():
        pointer = join_pointer("/x-default-headers", name)
        if not _HEADER_NAME.match(name):
            context.error(f"{name!r} is not a valid HTTP header name", pointer,
                          "header names are letters, digits and -, with no spaces or quotes")
        elif not isinstance(value, str | int | float) or isinstance(value, bool) or \
                not _HEADER_VALUE.match(str(value)):
            context.error(f"the value of header {name!r} must be one line of text", pointer,
                          "HTTP forbids line breaks and control characters in header values")
        else:
            result.append((name, str(value)))
    return tuple(result)


def _build_auth(context: _Context, client_name: str) -> Auth | None:
    requirements = context.document.get("security")
    if requirements is None:
        # no API-wide requirement: the client sends what the operations ask for
        requirements = [
            requirement
            for view in context.openapi.operations()
            if isinstance(view.node.get("security"), list)
            for requirement in view.node["security"]
        ]
    components = context.document.get("components")
    schemes = components.get("securitySchemes") if isinstance(components, dict) else None
    if not isinstance(requirements, list) or not isinstance(schemes, dict):
        return None  # validate.py reports what is wrong with them, if anything
    for requirement in requirements:
        if not isinstance(requirement, dict):
            continue
        for scheme_name in requirement:
            pointer = join_pointer("/components/securitySchemes", scheme_name)
            scheme, pointer = context.openapi.target(schemes.get(scheme_name), pointer)
            if not isinstance(scheme, dict) or not scheme:
                return None  # validate.py reports the undeclared scheme
            auth = _auth_for(context, scheme_name, scheme, pointer, client_name)
            if auth is not None:
                others = sorted({str(name) for r in requirements if isinstance(r, dict)
                                 for name in r} - {scheme_name})
                if others:
                    context.warning(f"the client authenticates with {scheme_name!r} only, not "
                                    f"with {', '.join(repr(o) for o in others)}", "/security",
                                    "pass other credentials with default_headers")
                return auth
    return None


def _auth_for(context: _Context, scheme_name: str, scheme: dict[str, Any], pointer: str,
              client_name: str) -> Auth | None:
    names = scheme.get("x-credential-names")
    if not isinstance(names, dict):
        if names is not None:
            context.error("`x-credential-names` must map roles to argument names",
                          join_pointer(pointer, "x-credential-names"),
                          "e.g. `x-credential-names: {token: api_token}`")
        names = {}
    prefix = naming.env_var_prefix(client_name)

    def credential(role: str, default: str, description: str) -> Credential:
        argument = naming.argument_name(str(names.get(role, default)))
        return Credential(argument, f"{prefix}_{argument.strip('_').upper()}", description)

    kind, http_scheme = scheme.get("type"), str(scheme.get("scheme", "")).lower()
    if kind == "http" and http_scheme == "basic":
        return Auth("basic", scheme_name, (
            credential("username", "username", "user name for HTTP basic authentication"),
            credential("password", "password", "password for HTTP basic authentication"),
        ))
    if kind == "http" and http_scheme == "bearer" or kind == "oauth2":
        return Auth("bearer", scheme_name,
                    (credential("token", "token", "bearer token"),))
    if kind == "apiKey" and scheme.get("in") in ("header", "query", "cookie"):
        return Auth("api_key", scheme_name, (credential("key", "api_key", "API key"),),
                    key_location=scheme["in"], key_name=str(scheme.get("name", "")))
    context.warning(f"security scheme {scheme_name!r} ({kind} {http_scheme}) is not supported",
                    pointer, "the client sends no credentials for it; pass headers yourself "
                    "with default_headers")
    return None


def _error_model(context: _Context) -> TypeRef | None:
    """The schema the API's 4xx/5xx responses share, when there is one."""
    seen: list[str] = []
    for view in context.openapi.operations():
        responses, pointer = view.node.get("responses"), view.pointer
        for status, response in (responses.items() if isinstance(responses, dict) else []):
            if not (str(status)[:1] in ("4", "5") or status == "default"):
                continue
            response, _ = context.openapi.target(response, pointer)
            media = _media(response.get("content") if isinstance(response, dict) else None)
            if media is None:
                continue
            class_name = _schema_ref_class(context, media[1].get("schema"))
            if class_name is not None and class_name not in seen:
                seen.append(class_name)
    return Reference(seen[0]) if len(seen) == 1 else None


def model_document(api: Api) -> dict[str, Any]:
    """The document handed to the models step (a deep copy: that step may mutate it), with
    member names chosen by naming.py for the enums whose values Python would not read back
    as names (NFKC: `Ĳ` and `IJ` would both be `IJ`)."""
    document = copy.deepcopy(api.models_document)
    stack: list[Any] = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            values = node.get("enum")
            if isinstance(values, list) and "x-enum-varnames" not in node and any(
                isinstance(v, str) and not naming.is_stable_identifier_text(v) for v in values
            ):
                node["x-enum-varnames"] = naming.enum_member_names(values)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return document
