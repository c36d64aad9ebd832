"""Property-based tests: random valid specs always give a package that compiles, imports and
round-trips data; random broken specs always give diagnostics, never a crash.

Generating a package costs about half a second, so each example batches several random
schemas and operations into one spec, and the number of examples is small.
"""

from __future__ import annotations

import compileall
import importlib
import itertools
import json
import keyword
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from clientgen.diagnostics import SpecError
from clientgen.load import load_spec
from clientgen.pipeline import build_api, generate_package
from clientgen.write import write_package
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.http_server import Reply, TestServer

# Slow: they generate and import dozens of packages (`-m "not slow"` leaves them out).
pytestmark = pytest.mark.slow

# Drawn from the run's seed (tests/conftest.py prints it; --hypothesis-seed=N reruns it), and a
# failure prints the @reproduce_failure blob of the shrunk example as well.
SETTINGS = settings(
    max_examples=15, deadline=None, database=None, derandomize=False, print_blob=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.data_too_large],
)

# Names people and vendors really use, and names that are hard for a generator.
AWKWARD_NAMES = [
    "class", "def", "self", "cls", "json", "client", "body", "timeout", "model_config",
    "model_dump", "schema", "copy", "dict", "fields", "None", "True", "id", "type", "list",
    "from", "import", "lambda", "async", "await", "match", "_", "__init__", "_private",
    "a-b", "a_b", "a.b", "a b", "1st", "日本", "ünïcödé", "🐍", "$ref", "{{x}}", '"""', "'''",
    "\\", "x\"y", "with\nnewline", "",
]
NAME_ALPHABET = st.characters(
    codec="utf-8", exclude_categories=("Cs", "Cc"), include_characters="\n\t",
)
names = st.one_of(st.sampled_from(AWKWARD_NAMES),
                  st.text(NAME_ALPHABET, min_size=1, max_size=10))
texts = st.text(NAME_ALPHABET, max_size=30)


def _primitive() -> st.SearchStrategy[dict[str, Any]]:
    string_enum = st.lists(texts, min_size=1, max_size=5, unique=True).map(
        lambda values: {"type": "string", "enum": values})
    return st.one_of(
        st.sampled_from([{"type": "string"}, {"type": "integer"}, {"type": "number"},
                         {"type": "boolean"}]),
        string_enum,
        st.builds(lambda text: {"type": "string", "description": text}, texts),
    )


def _schema(refs: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    leaves = _primitive()
    if refs:
        leaves = st.one_of(leaves, st.sampled_from(refs).map(lambda ref: {"$ref": ref}))

    def extend(inner: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
        return st.one_of(
            inner.map(lambda item: {"type": "array", "items": item}),
            inner.map(lambda schema: {**schema, "type": [schema["type"], "null"]}
                      if isinstance(schema.get("type"), str) else schema),
            _object(inner),
        )

    return st.recursive(leaves, extend, max_leaves=6)


def _object(values: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        properties = draw(st.dictionaries(names, values, min_size=1, max_size=5))
        required = draw(st.lists(st.sampled_from(sorted(properties)), unique=True))
        schema: dict[str, Any] = {"type": "object", "properties": properties}
        if required:
            schema["required"] = required
        description = draw(st.one_of(st.none(), texts))
        if description:
            schema["description"] = description
        return schema

    return build()


@st.composite
def specs(draw: st.DrawFn) -> tuple[dict[str, Any], list[str]]:
    """A valid spec with a few random object schemas and one operation using the first."""
    schema_names: list[str] = []
    schemas: dict[str, Any] = {}
    for _ in range(draw(st.integers(1, 4))):
        name = draw(names.filter(lambda n: n not in schemas))
        refs = [f"#/components/schemas/{escape(n)}" for n in schema_names]
        schemas[name] = draw(_object(_schema(refs)))
        schema_names.append(name)
    parameters = draw(st.dictionaries(names, st.sampled_from(["query", "header"]), max_size=4))
    spec = {
        "openapi": "3.1.0",
        "info": {"title": draw(texts).strip() or "API", "version": "1"},  # blank: an error
        "paths": {"/things": {"get": {
            "operationId": draw(names.filter(bool)),
            "tags": [draw(names.filter(bool))],
            "summary": draw(texts),
            "parameters": [{"name": name, "in": location, "schema": {"type": "string"}}
                           for name, location in parameters.items()
                           if location == "query" or _header_safe(name)],
            "responses": {"200": {"description": "OK", "content": {"application/json": {
                "schema": {"$ref": f"#/components/schemas/{escape(schema_names[0])}"}}}}},
        }}},
        "components": {"schemas": schemas},
    }
    return spec, schema_names


def escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


def _header_safe(name: str) -> bool:
    return bool(name) and all(c.isascii() and (c.isalnum() or c in "-_") for c in name)


def instance(schema: dict[str, Any], components: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Random data valid for `schema`, in its JSON form."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1].replace("~1", "/").replace("~0", "~")
        return instance(components[name], components)
    declared = schema.get("type")
    types = declared if isinstance(declared, list) else [declared]
    if "enum" in schema:  # an enum allows its values only, even with `null` in `type`
        return st.sampled_from(schema["enum"])
    options = []
    for kind in types:
        if kind == "null":
            options.append(st.none())
        elif kind == "string":
            options.append(st.text(max_size=10))
        elif kind == "integer":
            options.append(st.integers(-(2**53), 2**53))
        elif kind == "number":
            options.append(st.floats(allow_nan=False, allow_infinity=False, width=32))
        elif kind == "boolean":
            options.append(st.booleans())
        elif kind == "array":
            options.append(st.lists(instance(schema["items"], components), max_size=3))
        elif kind == "object":
            options.append(_object_instance(schema, components))
    return st.one_of(options)


def _object_instance(schema: dict[str, Any], components: dict[str, Any]) -> st.SearchStrategy[Any]:
    required = set(schema.get("required", []))

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        result = {}
        for name, child in schema["properties"].items():
            if name in required or draw(st.booleans()):
                result[name] = draw(instance(child, components))
        return result

    return build()


_counter = itertools.count()


@pytest.fixture
def package_factory(tmp_path: Path) -> Iterator[Any]:
    """Generate a package from a spec dict and import it: (module, the IR)."""
    added: list[str] = []

    def make(spec: dict[str, Any]) -> tuple[Any, Any]:
        name = f"prop_{next(_counter)}_client"
        spec_path = tmp_path / f"{name}.json"
        spec_path.write_text(json.dumps(spec), encoding="utf-8")
        result = generate_package(spec_path, name)
        out = tmp_path / name
        write_package(result.files, out)
        assert compileall.compile_dir(str(out), quiet=1, force=True)
        sys.path.insert(0, str(out))
        added.append(name)
        importlib.invalidate_caches()
        return importlib.import_module(name), result.api

    yield make
    for name in added:
        for module in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
            del sys.modules[module]
    sys.path[:] = [p for p in sys.path if not p.startswith(str(tmp_path))]


@pytest.fixture(scope="module")
def shared_server() -> Iterator[TestServer]:
    server = TestServer().start()
    yield server
    server.stop()


@SETTINGS
@given(drawn=specs(), data=st.data())
def test_random_valid_specs_give_packages_that_round_trip_data(
    drawn: tuple[dict[str, Any], list[str]], data: st.DataObject, package_factory: Any,
    shared_server: TestServer,
) -> None:
    spec, schema_names = drawn
    package, api = package_factory(spec)
    components = spec["components"]["schemas"]
    for index, schema_name in enumerate(schema_names):
        model = getattr(package.models, api.model_names[index])
        sample = data.draw(instance(components[schema_name], components), label=schema_name)
        parsed = model.model_validate(sample)
        assert parsed.model_dump(mode="json", by_alias=True, exclude_unset=True) == sample

    # One call through the client: argument names are Python names, wire names are the spec's.
    resource = api.resources[0]
    operation = resource.operations[0]
    reply = data.draw(instance(components[schema_names[0]], components), label="reply")
    arguments = {p.name: f"v{i}" for i, p in enumerate(operation.parameters)}
    shared_server.requests.clear()
    shared_server.replies.clear()
    shared_server.reply(Reply(200, reply))
    with package.Client(base_url=shared_server.url) as client:
        method = getattr(getattr(client, resource.attribute), operation.method_name)
        result = method(**arguments)
    assert result.model_dump(mode="json", by_alias=True, exclude_unset=True) == reply
    request = shared_server.requests[-1]
    for i, parameter in enumerate(operation.parameters):
        if parameter.location == "query":
            assert request.query[parameter.wire_name] == [f"v{i}"]
        else:
            assert request.headers[parameter.wire_name.lower()] == f"v{i}"


@SETTINGS
@given(name=names)
def test_every_name_becomes_an_identifier_that_is_no_keyword(name: str) -> None:
    from clientgen import naming

    for converted in (naming.class_name(name), naming.function_name(name),
                      naming.argument_name(name), naming.method_name(name),
                      naming.resource_attribute(name), naming.client_class_name(name)):
        assert converted.isidentifier() and converted.isascii()
        assert not keyword.iskeyword(converted) and not keyword.issoftkeyword(converted)


# -- broken specs: diagnostics, never a crash ----------------------------------------------

BASE_SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Pets", "version": "1", "x-client-name": "Pets"},
    "servers": [{"url": "https://{region}.example.com", "variables": {"region": {
        "default": "eu"}}}],
    "security": [{"key": []}],
    "x-default-headers": {"Accept": "application/json"},
    "tags": [{"name": "pets", "description": "Pets"}],
    "paths": {
        "/pets/{petId}": {
            "parameters": [{"name": "petId", "in": "path", "required": True,
                            "schema": {"type": "string"}}],
            "get": {
                "operationId": "getPet", "tags": ["pets"],
                "parameters": [{"$ref": "#/components/parameters/Verbose"}],
                "responses": {
                    "200": {"description": "OK", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Envelope"}}}},
                    "404": {"$ref": "#/components/responses/Error"},
                },
            },
            "put": {
                "operationId": "updatePet", "tags": ["pets"],
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Pet"}}}},
                "responses": {"200": {"description": "OK"}},
            },
        },
        "/pets": {"get": {
            "operationId": "listPets",
            "parameters": [{"name": "cursor", "in": "query", "schema": {"type": "string"}},
                           {"name": "limit", "in": "query", "schema": {"type": "integer"}}],
            "x-pagination": {"style": "cursor", "cursor-param": "cursor",
                             "limit-param": "limit", "items": "data.items",
                             "next-cursor": "data.next_cursor"},
            "responses": {"200": {"description": "OK", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/PetPage"}}}}},
        }},
    },
    "components": {
        "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key",
                                    "x-credential-names": {"key": "api_key"}}},
        "parameters": {"Verbose": {"name": "verbose", "in": "query",
                                   "schema": {"type": "boolean"}}},
        "responses": {"Error": {"description": "Error", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Error"}}}}},
        "schemas": {
            "Pet": {"type": "object", "required": ["name"], "properties": {
                "name": {"type": "string", "pattern": "^[a-z]+$"},
                "kind": {"type": "string", "enum": ["cat", "dog"], "nullable": True},
                "tags": {"type": "array", "items": {"type": "string"}},
                "owner": {"allOf": [{"$ref": "#/components/schemas/Owner"}]},
            }},
            "Owner": {"type": "object", "properties": {"id": {"type": "integer"}},
                      "additionalProperties": {"type": "string"}},
            "Envelope": {"type": "object", "x-envelope": "data", "required": ["data"],
                         "properties": {"code": {"type": "string"},
                                        "data": {"$ref": "#/components/schemas/Pet"}}},
            "PetPage": {"type": "object", "properties": {"data": {"type": "object",
                        "properties": {"items": {"type": "array",
                                                 "items": {"$ref": "#/components/schemas/Pet"}},
                                       "next_cursor": {"type": "string"}}}}},
            "Error": {"oneOf": [{"$ref": "#/components/schemas/Owner"},
                                {"type": "object", "properties": {"message": {
                                    "type": "string"}}}],
                      "discriminator": {"propertyName": "kind"}},
        },
    },
}

junk = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
              st.text(max_size=5), st.sampled_from(["#/components/schemas/Nope", "string",
                                                      "object", "array", "{x}", "/p/{id}"])),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.sampled_from(
                                ["$ref", "type", "items", "properties", "required", "enum",
                                 "schema", "content", "name", "in", "x", "allOf", "oneOf",
                                 "anyOf", "additionalProperties", "nullable", "default",
                                 "pattern", "x-envelope", "x-pagination", "style", "get",
                                 "responses", "200", "application/json", "discriminator",
                                 "variables", "url", "requestBody", "parameters", "const"]),
                                inner, max_size=3)),
    max_leaves=6,
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*prefix, index))


@st.composite
def broken_specs(draw: st.DrawFn) -> dict[str, Any]:
    spec = json.loads(json.dumps(BASE_SPEC))
    for _ in range(draw(st.integers(1, 4))):
        targets = [p for p in _paths(spec) if p]
        path = draw(st.sampled_from(targets))
        parent = spec
        for step in path[:-1]:
            parent = parent[step]
        action = draw(st.sampled_from(["replace", "delete", "wrap"]))
        if action == "delete" and isinstance(parent, dict):
            del parent[path[-1]]
        elif action == "wrap":
            parent[path[-1]] = [parent[path[-1]]]
        else:
            parent[path[-1]] = draw(junk)
    return spec


def _write(tmp_path: Path, spec: dict[str, Any]) -> Path:
    path = tmp_path / f"broken_{next(_counter)}.json"
    path.write_text(json.dumps(spec, indent=1), encoding="utf-8")
    return path


@settings(max_examples=150, deadline=None, database=None, print_blob=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(spec=broken_specs())
# found by this test: an `allOf` part whose `properties` is not a mapping crashed the README's
# example builder (params.py)
@example(spec={
    "openapi": "3.0.3", "info": {"title": "Pets", "version": "1"},
    "paths": {"/pets": {"post": {
        "operationId": "createPet",
        "requestBody": {"content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/NewPet"}}}},
        "responses": {"200": {"description": "ok"}}}}},
    "components": {"schemas": {"NewPet": {"type": "object", "allOf": [{"properties": True}],
                                          "properties": {"name": {"type": "string"}}}}},
})
def test_broken_specs_give_diagnostics_never_a_crash(spec: dict[str, Any],
                                                      tmp_path: Path) -> None:
    path = _write(tmp_path, spec)
    try:
        build_api(load_spec(path, path.name, keep_going=True))
    except SpecError as exc:
        assert exc.diagnostics
        for diagnostic in exc.diagnostics:
            assert diagnostic.location is not None and diagnostic.location.file == path.name


@settings(max_examples=12, deadline=None, database=None, print_blob=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(spec=broken_specs())
def test_broken_specs_that_build_generate_or_fail_with_diagnostics(spec: dict[str, Any],
                                                                    tmp_path: Path) -> None:
    path = _write(tmp_path, spec)
    for skip_invalid in (False, True):
        try:
            result = generate_package(path, "broken_client", path.name, skip_invalid=skip_invalid)
        except SpecError as exc:
            assert exc.diagnostics
        else:
            for name, text in result.files.items():
                if name.endswith(".py"):
                    compile(text, name, "exec")
