"""Between models and JSON: lenient enums for responses, validation, and the wire form of values.

The generated models derive from ``BaseModel`` and ``RootModel`` here, pydantic's with one
setting: they build their validators the first time they are used, not when the package is
imported (pydantic's ``defer_build``), so a client of a few thousand schemas imports in seconds
instead of most of a minute. Set ``DEFER_PYDANTIC_BUILD=false`` (the variable the OpenAI and
Anthropic SDKs read) to build every model at import instead, e.g. to pay that cost at a
server's start. Deferring needs pydantic 2.14 or later (before it, two threads building one
model at once could fail); with an older pydantic, models are built at import. The two
classes are defined in ``_model_bases`` and imported from there the first time they are asked
for: creating them imports most of pydantic, which importing the client does not need.

The generated models derive their enums from ``LenientStrEnum``, ``LenientIntEnum`` or
``LenientEnum``. Building a model yourself stays strict: an unknown value raises. Parsing a
response is lenient: a value the API added after this client was generated becomes a member of
the enum that is not among its listed members (``value not in list(TheEnum)``), so a new server
value never breaks an old client. That member compares equal to its value and is sent back as it
came.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import os
import re
import sys
import types
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from enum import Enum, IntEnum, StrEnum
from typing import TYPE_CHECKING, Any, ForwardRef, Literal, cast, get_args, get_origin

import pydantic
from pydantic_core import to_jsonable_python

if TYPE_CHECKING:
    from ._model_bases import BaseModel, RootModel

__all__ = [
    "DEFER_BUILD",
    "BaseModel",
    "LenientEnum",
    "LenientIntEnum",
    "LenientStrEnum",
    "RootModel",
    "build_models",
    "discriminated_by",
    "lazy_models",
    "lenient_enums",
    "resolved",
    "to_wire",
    "to_wire_with_bytes",
    "unwrap_root",
    "validate_request",
    "validate_response",
    "validation_problems",
]

_DEFER_ASKED = os.environ.get("DEFER_PYDANTIC_BUILD", "true").strip().lower() in {"true", "1", "on"}
_PYDANTIC_VERSION = tuple(int(part) for part in re.findall(r"\d+", pydantic.VERSION)[:2])
DEFER_BUILD = _DEFER_ASKED and _PYDANTIC_VERSION >= (2, 14)


def __getattr__(name: str) -> Any:
    """``BaseModel`` and ``RootModel``, imported when first asked for (PEP 562)."""
    if name in {"BaseModel", "RootModel"}:
        from . import _model_bases

        return getattr(_model_bases, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# The package the generated models are in (this module's sibling), one module per part.
_MODELS_MODULE = __name__.rpartition(".")[0] + ".models"


def _generated(module: str) -> bool:
    """Whether `module` holds generated models."""
    return module == _MODELS_MODULE or module.startswith(_MODELS_MODULE + ".")


# by models module: the classes of other modules that its fields name, and the module of each
_references: dict[str, dict[str, str]] = {}
_unbuilt: list[dict[str, Any]] = []  # modules whose models are to be built (not deferring)
_linked: set[type] = set()
_IDENTIFIER = re.compile(r"[A-Za-z_]\w*")


def _link(cls: type) -> None:
    """Put into the namespace of the module of `cls` what its fields' annotations, and its
    bases', name: pydantic looks for them there when it builds the model (a field inherited
    before it could be resolved is resolved where the subclass is). A class of another models
    module is imported then; each is linked in turn when pydantic reaches it."""
    if cls in _linked or not _generated(cls.__module__):
        return
    namespace = sys.modules[cls.__module__].__dict__
    settled = True
    for klass in cls.__mro__:
        if not _generated(klass.__module__):
            continue
        found = sys.modules[klass.__module__].__dict__
        settled = settled and klass.__module__ in _references
        references = _references.get(klass.__module__, {})
        for annotation in inspect.get_annotations(klass).values():
            for name in _forward_names(annotation):
                if name in namespace and name in found:
                    continue
                if name not in found and name in references:
                    value = (
                        None
                        if _importing()
                        else getattr(importlib.import_module(references[name]), name, None)
                    )
                    if value is None:  # a models module still runs: the last one builds
                        settled = False
                        continue
                    found[name] = value
                if name in found:
                    namespace.setdefault(name, found[name])
    # a model built while a module of its classes, or of a class they name, still runs
    # (another module being built imported it) cannot find all yet: it is linked again later
    if settled:
        _linked.add(cls)


def _forward_names(annotation: Any) -> Iterator[str]:
    """The names an annotation leaves to be resolved: all of a string one, those of the
    strings in one evaluated when its class was made (``Annotated["Owner | None", Field()]``,
    whose class comes later), not a ``Literal``'s values."""
    if isinstance(annotation, str):
        yield from _IDENTIFIER.findall(annotation)
    elif isinstance(annotation, ForwardRef):
        yield from _IDENTIFIER.findall(annotation.__forward_arg__)
    elif get_origin(annotation) is not Literal:
        for argument in get_args(annotation):
            yield from _forward_names(argument)


def build_models(
    namespace: dict[str, Any], references: Mapping[str, tuple[str, ...]] | None = None
) -> None:
    """Called at the end of a models module with its ``globals()``, once its classes exist.

    ``references`` names the classes of sibling modules that its fields name (by module:
    ``{"_part07": ("Owner",)}``). They are not imported with the module: a model imports those
    its fields name when it is built (``_link``), so importing a model imports only the models
    that must exist when its class is created (its bases, its defaults).

    Gives the module a ``__dir__`` that lists its own classes only (not the imports, nor the
    ``RootModel[...]`` entries pydantic adds for each parametrized generic), and unless
    ``DEFER_BUILD``, builds each model not built yet (those whose fields name a class that
    comes later, or is in another module) once no models module is still being imported."""
    module = namespace["__name__"]

    def module_dir() -> list[str]:
        return sorted(
            name
            for name, value in namespace.items()
            if name.startswith("__")
            or (name.isidentifier() and isinstance(value, type) and value.__module__ == module)
        )

    namespace["__dir__"] = module_dir
    _references[module] = {
        name: f"{_MODELS_MODULE}.{sibling}"
        for sibling, names in (references or {}).items()
        for name in names
    }
    if DEFER_BUILD:
        return
    _unbuilt.append(namespace)
    if _building.get() or _importing():
        # building imports the modules fields name; one of them could need, as its classes are
        # created, a class of a module still being imported: the last module builds them all.
        # A module imported by a build is built by that build's loop, not in it (a chain of
        # modules, each building the next, ran out of stack on a 420-schema client)
        return
    building = _building.set(True)
    try:
        _build_waiting()
    finally:
        _building.reset(building)


_building: ContextVar[bool] = ContextVar("_building", default=False)


def _importing() -> bool:
    """Whether, not deferring, a models module is being imported (its ``build_models`` not
    reached): a model built meanwhile (a root model, as its class is made) imports no other
    models module, which could import the one under way before its classes exist."""
    return not DEFER_BUILD and any(
        name.startswith(_MODELS_MODULE + ".") and name not in _references
        for name in list(sys.modules)
    )


def _build_waiting() -> None:
    """Build the models of every module in ``_unbuilt``, those its builds import included."""
    while True:
        try:  # one pop, not a test and a pop: another thread may drain the list meanwhile
            built = _unbuilt.pop(0)
        except IndexError:
            break
        for value in list(built.values()):
            if (
                isinstance(value, type)
                and issubclass(value, pydantic.BaseModel)
                and value.__module__ == built["__name__"]
            ):
                value.model_rebuild()  # returns at once for a model already built


def lazy_models(
    package: str, modules: Mapping[str, tuple[str, ...]]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` of the ``models`` package (PEP 562): a class is imported
    from its module (``modules``: module -> the classes it defines) the first time it is asked
    for, so importing the client imports no model, and a model imports what it needs."""
    module_of = {name: module for module, names in modules.items() for name in names}
    namespace = sys.modules[package].__dict__

    def getattr_(name: str) -> Any:
        module = module_of.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        namespace[name] = value  # found directly from now on
        return value

    def dir_() -> list[str]:
        return sorted({*(name for name in namespace if name.startswith("__")), *module_of})

    return getattr_, dir_


def discriminated_by(
    wire_name: str, attribute: str, tags: dict[str, str], fallback: str
) -> pydantic.Discriminator:
    """The discriminator of a union whose members are tagged with their class names: a value of
    the property that ``tags`` lists selects its class, any other value (or none) ``fallback``.

    So a value the spec lists is validated as its own model only; an error there names the
    field instead of the data passing, untyped, as the fallback.
    """

    def tag(value: Any) -> str:
        if isinstance(value, dict):
            found = value.get(wire_name, value.get(attribute))
        else:
            found = getattr(value, attribute, None)
        if isinstance(found, Enum):
            found = found.value
        return tags.get(found, fallback) if isinstance(found, str) else fallback

    return pydantic.Discriminator(tag)


_lenient: ContextVar[bool] = ContextVar("lenient_enums", default=False)
_unknown_members: dict[tuple[type[Enum], object], Enum] = {}


@contextmanager
def lenient_enums() -> Iterator[None]:
    """Within this block, enums accept values they do not list (used to parse responses)."""
    token = _lenient.set(True)
    try:
        yield
    finally:
        _lenient.reset(token)


def _unknown_member(cls: type[Enum], value: object) -> Enum | None:
    if not _lenient.get() or value is None:
        return None
    member_type: Any = cls._member_type_  # type: ignore[attr-defined]
    if member_type is not object and not isinstance(value, member_type):
        return None  # a wrong type is an error, not a new value
    key = (cls, value)
    try:
        known = _unknown_members.get(key)
    except TypeError:  # unhashable: not an enum value
        return None
    if known is not None:
        return known
    member: Any = object.__new__(cls) if member_type is object else member_type.__new__(cls, value)
    member._name_ = "_unknown_"  # a sunder name is never the name of a listed member
    member._value_ = value
    _unknown_members[key] = member
    return cast(Enum, member)


class LenientStrEnum(StrEnum):
    """A ``StrEnum`` that accepts unlisted values in responses."""

    @classmethod
    def _missing_(cls, value: object) -> Any:
        return _unknown_member(cls, value)


class LenientIntEnum(IntEnum):
    """An ``IntEnum`` that accepts unlisted values in responses."""

    @classmethod
    def _missing_(cls, value: object) -> Any:
        return _unknown_member(cls, value)


class LenientEnum(Enum):
    """An ``Enum`` that accepts unlisted values in responses."""

    @classmethod
    def _missing_(cls, value: object) -> Any:
        return _unknown_member(cls, value)


def resolved(tp: Any) -> Any:
    """The type an endpoint names: the generated modules name model types by a function
    (``lambda: models.Pet``), so that importing them imports no model."""
    return tp() if isinstance(tp, types.FunctionType) else tp


@functools.cache
def _adapter(tp: Any) -> pydantic.TypeAdapter[Any]:
    return pydantic.TypeAdapter(resolved(tp))


def validate_response(tp: Any, data: object) -> Any:
    """`data` (parsed JSON) as `tp`, with lenient enums. Raises pydantic.ValidationError."""
    with lenient_enums():
        return _adapter(tp).validate_python(data)


def validate_request(tp: Any, data: object) -> None:
    """Check a request body given as plain data (a dict) as building its model would: a field
    the spec does not declare, a wrong type or an unlisted enum value raises
    pydantic.ValidationError before anything is sent. The data is sent as given."""
    _adapter(tp).validate_python(data)


def validation_problems(exc: pydantic.ValidationError) -> str:
    """A validation error's locations and messages, without the input values (they may hold
    secrets)."""
    return "; ".join(
        f"{'.'.join(str(part) for part in error['loc']) or '(body)'}: {error['msg']}"
        for error in exc.errors(include_url=False, include_input=False)
    )


def unwrap_root(value: Any) -> Any:
    """The member inside a union root model (nested ones too), also for each item of a list."""
    if isinstance(value, list):
        return [unwrap_root(item) for item in value]
    while isinstance(value, pydantic.RootModel):
        value = value.root
    return value


def _reveal(value: Any) -> Any:
    """Secrets are masked when models dump themselves; the wire needs their value."""
    if isinstance(value, pydantic.SecretStr | pydantic.SecretBytes):
        return value.get_secret_value()
    if isinstance(value, dict):
        return {k: _reveal(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_reveal(v) for v in value]
    return value


def _dump(value: Any) -> Any:
    """Models (also inside lists and dicts) as dicts of the fields that were set, by wire name."""
    if isinstance(value, pydantic.BaseModel):
        return value.model_dump(mode="python", by_alias=True, exclude_unset=True)
    if isinstance(value, list | tuple):
        return [_dump(v) for v in value]
    if isinstance(value, dict):
        return {k: _dump(v) for k, v in value.items()}
    return value


def to_wire(value: Any) -> Any:
    """A request body or parameter as JSON-compatible data; unset model fields are left out."""
    return to_jsonable_python(_reveal(_dump(value)))


def to_wire_with_bytes(value: Any) -> Any:
    """Like to_wire, but bytes stay bytes: a multipart body sends them as file parts."""
    return _jsonable_except_bytes(_reveal(_dump(value)))


def _jsonable_except_bytes(value: Any) -> Any:
    if isinstance(value, bytes):
        return value
    if isinstance(value, dict):
        return {k: _jsonable_except_bytes(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable_except_bytes(v) for v in value]
    return to_jsonable_python(value)
