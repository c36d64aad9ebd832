"""The intermediate representation: what the templates read. Plain data, and the properties
that derive what the templates print from it.

Every name here is already a valid, unique Python identifier. Every type (`annotation`,
`payload_type`, ...) is a `TypeRef`: a small model of a Python type expression, walked (not
re-parsed) by what needs to know what it names, and made source by its one `render` method,
which `str()` (what a template prints) and the templates' `scoped` filter call. It is valid in
a resource module (models are `models.X`), or for a TypedDict's field in the params module.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal


class TypeRef:
    """A Python type expression. Read it through its methods, never through its text."""

    __slots__ = ()

    def render(self, hidden: frozenset[str] = frozenset()) -> str:
        """The expression as Python source. Builtin names in `hidden` are written as
        `builtins.X` (inside a resource class, a method named `list` hides `list`)."""
        raise NotImplementedError

    def __str__(self) -> str:
        """What a template prints: `render()` at module level (see render.scoped)."""
        return self.render()

    def members(self) -> tuple[TypeRef, ...]:
        """The alternatives of the expression's top-level union (itself, if it is none)."""
        return (self,)

    def parts(self) -> tuple[TypeRef, ...]:
        """The expressions this one is made of (none for a name)."""
        return ()

    def references(self) -> Iterator[str]:
        """The classes of the models module the expression names, at any depth, in order."""
        for part in self.parts():
            yield from part.references()

    @property
    def admits_none(self) -> bool:
        """`None` is one of the alternatives of the top-level union."""
        return NONE in self.members()


@dataclass(frozen=True, slots=True)
class Primitive(TypeRef):
    """A name that is not a model: a builtin (`str`, `bytes`, `None`, ...), `Any`, a
    `datetime` type, or a runtime name such as `NotGiven`."""

    name: str

    def render(self, hidden: frozenset[str] = frozenset()) -> str:
        return f"builtins.{self.name}" if self.name in hidden else self.name


@dataclass(frozen=True, slots=True)
class Reference(TypeRef):
    """A class the package defines: a model (`models.X`), or a TypedDict of the params
    module (`params.XParam`; `XParam` inside that module, where `module` is "")."""

    name: str
    module: str = "models"

    def render(self, hidden: frozenset[str] = frozenset()) -> str:
        return f"{self.module}.{self.name}" if self.module else self.name

    def references(self) -> Iterator[str]:
        if self.module == "models":
            yield self.name


@dataclass(frozen=True, slots=True)
class ListType(TypeRef):
    item: TypeRef

    def render(self, hidden: frozenset[str] = frozenset()) -> str:
        return f"{Primitive('list').render(hidden)}[{self.item.render(hidden)}]"

    def parts(self) -> tuple[TypeRef, ...]:
        return (self.item,)


@dataclass(frozen=True, slots=True)
class MappingType(TypeRef):
    """`dict[str, value]`: a JSON object's keys are strings."""

    value: TypeRef

    def render(self, hidden: frozenset[str] = frozenset()) -> str:
        return (f"{Primitive('dict').render(hidden)}[{STR.render(hidden)}, "
                f"{self.value.render(hidden)}]")

    def parts(self) -> tuple[TypeRef, ...]:
        return (self.value,)


@dataclass(frozen=True, slots=True)
class LiteralType(TypeRef):
    values: tuple[str | int, ...]  # bool is an int: True renders as True

    def render(self, hidden: frozenset[str] = frozenset()) -> str:
        return f"Literal[{', '.join(repr(value) for value in self.values)}]"


@dataclass(frozen=True, slots=True)
class UnionType(TypeRef):
    """`A | B | ...`, its alternatives as given (see `union` for a normalised one)."""

    alternatives: tuple[TypeRef, ...]

    def render(self, hidden: frozenset[str] = frozenset()) -> str:
        return " | ".join(alternative.render(hidden) for alternative in self.alternatives)

    def members(self) -> tuple[TypeRef, ...]:
        return tuple(member for alternative in self.alternatives
                     for member in alternative.members())

    def parts(self) -> tuple[TypeRef, ...]:
        return self.alternatives


@dataclass(frozen=True, slots=True)
class OptionalType(TypeRef):
    """`X | None` (for a union X, its alternatives then None)."""

    inner: TypeRef

    def render(self, hidden: frozenset[str] = frozenset()) -> str:
        return f"{self.inner.render(hidden)} | {NONE.render(hidden)}"

    def members(self) -> tuple[TypeRef, ...]:
        return (*self.inner.members(), NONE)

    def parts(self) -> tuple[TypeRef, ...]:
        return (self.inner,)


@dataclass(frozen=True, slots=True)
class GenericType(TypeRef):
    """A generic class of the runtime applied to types, e.g. `SyncCursorPage[models.X]`."""

    name: str
    arguments: tuple[TypeRef, ...]

    def render(self, hidden: frozenset[str] = frozenset()) -> str:
        return f"{self.name}[{', '.join(a.render(hidden) for a in self.arguments)}]"

    def parts(self) -> tuple[TypeRef, ...]:
        return self.arguments


ANY = Primitive("Any")
NONE = Primitive("None")
STR = Primitive("str")
BYTES = Primitive("bytes")
NOT_GIVEN = Primitive("NotGiven")


def union(*parts: TypeRef) -> TypeRef:
    """The union of `parts`: their alternatives flattened, each once (as written), `Any` if
    one is `Any`, and `None` last, as the rest of the package writes it."""
    seen: dict[str, TypeRef] = {}
    for part in parts:
        for member in part.members():
            seen.setdefault(member.render(), member)
    if ANY in seen.values():
        return ANY
    rest = [member for member in seen.values() if member != NONE]
    if not rest:
        return NONE
    core = rest[0] if len(rest) == 1 else UnionType(tuple(rest))
    return OptionalType(core) if NONE in seen.values() else core

ParameterLocation = Literal["path", "query", "header", "cookie"]
# OpenAPI's serialization styles the runtime writes: the query ones (also for the properties of
# form and multipart bodies) and `simple` (path and header parameters)
Style = Literal["form", "spaceDelimited", "pipeDelimited", "deepObject", "simple"]


def _encoding_source(style: Style | None, explode: bool, content_type: str | None) -> str:
    """The runtime's `Encoding(...)` (of `_serialization`) for these values, as Python source."""
    arguments = [repr(style), f"explode={explode}"]
    if content_type is not None:
        arguments.append(f"content_type={content_type!r}")
    return f"Encoding({', '.join(arguments)})"


@dataclass(frozen=True)
class Parameter:
    name: str  # keyword-argument name
    wire_name: str  # name on the wire
    location: ParameterLocation
    annotation: TypeRef
    required: bool
    description: str
    deprecated: bool = False
    # how the value is written, the spec's defaults applied (path and header: simple, False)
    style: Style = "form"
    explode: bool = True
    # for the docstring: the values the schema allows and its default, as JSON text
    enum: tuple[str, ...] = ()
    default: str | None = None
    example: str = ""  # a required one's value in a README example call, as Python source

    @property
    def is_default_style(self) -> bool:
        """Written as the runtime writes a parameter it is told nothing about."""
        return self.location != "query" or (self.style, self.explode) == ("form", True)

    @property
    def encoding_source(self) -> str:
        return _encoding_source(self.style, self.explode, None)


@dataclass(frozen=True)
class FieldEncoding:
    """How one property of a form or multipart body is written: the spec's Encoding Object."""

    name: str  # the property's wire name
    style: Style | None  # None: by its content (JSON for an object, a file for bytes, text)
    explode: bool
    content_type: str | None  # the part's Content-Type the spec sets; None: by content

    @property
    def encoding_source(self) -> str:
        return _encoding_source(self.style, self.explode, self.content_type)


@dataclass(frozen=True)
class BodyField:
    """A property of an object body, taken as a keyword argument of its own."""

    name: str  # keyword-argument name
    key: str  # the property's wire name
    annotation: TypeRef  # in a resource module
    required: bool  # the argument is required (the body and the property are)
    description: str
    deprecated: bool = False
    enum: tuple[str, ...] = ()  # for the docstring: the values the schema allows, as JSON
    default: str | None = None  # as JSON
    example: str = ""  # a required one's value in a README example call, as Python source

    @property
    def optional_annotation(self) -> TypeRef:
        """The annotation of the argument when it may be left out (NOT_GIVEN)."""
        return ANY if self.annotation == ANY else UnionType((self.annotation, NOT_GIVEN))


class _Properties:
    """What keyword arguments an object body is taken as (`properties`, required first)."""

    properties: tuple[BodyField, ...]

    @property
    def required_properties(self) -> tuple[BodyField, ...]:
        return tuple(f for f in self.properties if f.required)

    @property
    def optional_properties(self) -> tuple[BodyField, ...]:
        return tuple(f for f in self.properties if not f.required)


@dataclass(frozen=True)
class BodyOverload(_Properties):
    """One member of a union body, as the keyword arguments of one `@overload`."""

    properties: tuple[BodyField, ...]  # required first
    returns: TypeRef  # the method's result for this member (narrowed by the discriminator)


@dataclass(frozen=True)
class Body(_Properties):
    annotation: TypeRef
    required: bool
    content_type: str
    encoding: Literal["json", "form", "multipart", "bytes"]
    description: str
    # what a body given as a dict is validated as before it is sent (None: not validated)
    payload_type: TypeRef | None = None
    fields: tuple[FieldEncoding, ...] = ()  # form and multipart: the spec's `encoding` entries
    # an object body is taken as one keyword argument per property (and `extra_body`), not
    # as `body`; the properties, required first
    keyword_fields: bool = False
    properties: tuple[BodyField, ...] = ()
    # a union of object bodies: one overload per member; `properties` are then every member's
    # (typed Any, optional), for the implementation
    overloads: tuple[BodyOverload, ...] = ()


@dataclass(frozen=True)
class Response:
    status: str  # the success status code the operation documents, e.g. "201"
    annotation: TypeRef  # what the method returns; NONE when there is no body
    payload_type: TypeRef  # what the payload is validated as (NONE: not validated)
    envelope: str | None  # property holding the payload, from `x-envelope`
    # payload_type is a union root model (or a list of them); `annotation` lists its members
    unwrap_root: bool
    description: str
    format: Literal["json", "text", "bytes", "none"] = "json"  # how the body is read


@dataclass(frozen=True)
class ErrorResponse:
    """A 4xx/5xx response (or `default`) an operation declares, for its docstring."""

    status: str  # as the spec writes it: "404", "4XX", "default"
    description: str


@dataclass(frozen=True)
class Pagination:
    style: Literal["cursor"]
    cursor_param: str  # wire names of the query parameters
    limit_param: str | None
    items_path: tuple[str, ...]  # into the whole response body
    next_cursor_path: tuple[str, ...]
    item_annotation: TypeRef  # what iterating the pages yields
    item_type: TypeRef  # what each item validates as
    unwrap_root: bool  # item_type is a union root model; item_annotation lists its members


@dataclass(frozen=True)
class Operation:
    operation_id: str
    function_name: str  # module-level function, e.g. create_destination
    method_name: str  # on the resource, e.g. create
    constant_name: str  # the module's endpoint descriptor, e.g. _CREATE_DESTINATION
    http_method: str  # upper case
    path: str
    summary: str
    description: str
    deprecated: bool
    parameters: tuple[Parameter, ...]  # path, then query, then header; required first
    body: Body | None
    response: Response
    pagination: Pagination | None
    authenticated: bool
    pointer: str  # where the operation sits in the spec
    # headers the spec gives this operation a value for that the client manages (an `Accept`
    # parameter's default): sent unless the caller's headers say otherwise
    headers: tuple[tuple[str, str], ...] = ()
    errors: tuple[ErrorResponse, ...] = ()  # in the spec's order

    @property
    def path_params(self) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.location == "path")

    @property
    def query_params(self) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.location == "query")

    @property
    def header_params(self) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.location == "header")

    @property
    def styled_query_params(self) -> tuple[Parameter, ...]:
        """Query parameters the spec gives another style than `form` with explode."""
        return tuple(p for p in self.query_params if not p.is_default_style)

    @property
    def body_fields(self) -> tuple[FieldEncoding, ...]:
        return self.body.fields if self.body else ()

    # What the templates print for the operation; derived here so they make no decisions.

    @property
    def endpoint_type(self) -> TypeRef:
        """`T` of the module's `Endpoint[T]`: a page's item type, or the method's result."""
        return self.pagination.item_annotation if self.pagination else self.response.annotation

    @property
    def sync_returns(self) -> TypeRef:
        if self.pagination:
            return GenericType("SyncCursorPage", (self.pagination.item_annotation,))
        return self.response.annotation

    @property
    def async_returns(self) -> TypeRef:
        if self.pagination:
            return GenericType("AsyncPaginator", (self.pagination.item_annotation,))
        return self.response.annotation

    @property
    def is_coroutine(self) -> bool:
        """The async twin is a coroutine, except for a paginated one: it returns a paginator
        that is both awaitable (the first page) and async-iterable (every item)."""
        return self.pagination is None

    @property
    def deprecated_arguments(self) -> tuple[str, ...]:
        """The arguments (parameters, body properties) the spec marks as deprecated."""
        properties = self.body.properties if self.body else ()
        return tuple([p.name for p in self.parameters if p.deprecated]
                     + [f.name for f in properties if f.deprecated])

    @property
    def keyword_body(self) -> bool:
        """The body is taken as keyword arguments, one per property."""
        return self.body is not None and self.body.keyword_fields

    @property
    def overloaded(self) -> bool:
        """The body is a union of objects: one `@overload` per member (never paginated)."""
        return self.body is not None and bool(self.body.overloads)

    @property
    def body_argument(self) -> bool:
        """The body is taken whole, as `body`."""
        return self.body is not None and not self.body.keyword_fields

    @property
    def deprecation_message(self) -> str:
        return f"{self.function_name} ({self.http_method} {self.path}) is deprecated by the API."

    @property
    def deprecated_argument_message(self) -> str:
        """For the runtime's warn_deprecated, which fills in `{name}`."""
        return "The argument {name!r} of " + self.function_name + " is deprecated by the API."

    @property
    def example_arguments(self) -> str:
        """The required arguments of a call, as a README example writes them."""
        arguments = [p.example for p in self.path_params]
        arguments += [f"{p.name}={p.example}" for p in self.parameters
                      if p.required and p.location != "path"]
        if self.body_argument and self.body and self.body.required:
            arguments.append("body=...")
        if self.keyword_body and self.body:
            # a union body: as its first member's overload takes it
            shape = self.body.overloads[0] if self.body.overloads else self.body
            arguments += [f"{f.name}={f.example}" for f in shape.required_properties]
        return ", ".join(arguments)

    @property
    def request_method(self) -> str:
        return "request_page" if self.pagination else "request"


@dataclass(frozen=True)
class Resource:
    attribute: str  # client.<attribute>
    module: str  # resources/<module>.py
    class_name: str  # sync resource class; the async twin is Async<class_name>
    tag: str
    description: str
    operations: tuple[Operation, ...]

    @property
    def uses_deprecation(self) -> bool:
        """Some operation, or some argument of one, is deprecated."""
        return any(op.deprecated or op.deprecated_arguments for op in self.operations)

    @property
    def uses_encodings(self) -> bool:
        """Some operation tells the runtime how to write a parameter or a body property."""
        return any(op.styled_query_params or op.body_fields for op in self.operations)


@dataclass(frozen=True)
class Credential:
    argument: str  # constructor argument, e.g. api_key
    env_var: str  # e.g. FIVETRAN_API_KEY
    description: str


@dataclass(frozen=True)
class Auth:
    kind: Literal["basic", "bearer", "api_key"]
    scheme_name: str
    credentials: tuple[Credential, ...]
    # for api_key: where the key goes and under which name
    key_location: Literal["header", "query", "cookie"] | None = None
    key_name: str | None = None
    # False when some operations need no credentials: the client may then be built without
    # them, and only the operations that need them fail (before sending anything).
    required: bool = True

    @property
    def runtime_class(self) -> str:
        """The class of the package runtime's `_auth` module that sends these credentials."""
        return {"basic": "BasicAuth", "bearer": "BearerAuth", "api_key": "APIKeyAuth"}[self.kind]

    @property
    def call_arguments(self) -> str:
        """Arguments of the `runtime_class(...)` call, as Python source."""
        names = ", ".join(credential.argument for credential in self.credentials)
        if self.kind == "api_key":
            return f"{names}, location={self.key_location!r}, name={self.key_name!r}"
        return names


@dataclass(frozen=True)
class TypedDictField:
    key: str  # the wire name: a dict is sent as given
    annotation: TypeRef  # in the params module (its TypedDicts unqualified)
    required: bool
    description: str
    deprecated: bool = False
    enum: tuple[str, ...] = ()  # for the docstring: the values the schema allows, as JSON
    default: str | None = None  # as JSON


@dataclass(frozen=True)
class TypedDictType:
    """`<Model>Param` of the params module: the dict form of a model that is sent."""

    name: str
    model: str  # the model's class name
    description: str
    fields: tuple[TypedDictField, ...]
    class_syntax: bool  # every key is an identifier; otherwise TypedDict("Name", {...})


@dataclass(frozen=True)
class Directions:
    """The model classes that operations send (bodies, parameters) and receive (responses,
    errors). What they name is sent or received too; the models step follows that."""

    sent: tuple[str, ...] = ()
    received: tuple[str, ...] = ()


@dataclass(frozen=True)
class Api:
    package: str  # import name, e.g. fivetran_client
    distribution: str  # pip name, e.g. fivetran-client
    distribution_version: str  # info.version made a valid Python package version
    spec_name: str  # the spec's file name, for the generated-file header
    title: str
    version: str
    description: str
    client_name: str  # e.g. Fivetran (the async twin is Async<client_name>)
    env_prefix: str  # e.g. FIVETRAN
    base_url: str
    default_headers: tuple[tuple[str, str], ...]
    auth: Auth | None
    resources: tuple[Resource, ...]
    error_annotation: TypeRef | None  # model of the API's error body, when the spec declares one
    model_names: tuple[str, ...]  # every class the models module must define
    directions: Directions
    models_document: dict[str, Any] = field(repr=False, compare=False)  # input of the models step
    params: tuple[TypedDictType, ...] = ()  # the params module: dict forms of sent models

    @property
    def operations(self) -> tuple[Operation, ...]:
        return tuple(op for resource in self.resources for op in resource.operations)

    @property
    def credentials(self) -> tuple[Credential, ...]:
        return self.auth.credentials if self.auth else ()
