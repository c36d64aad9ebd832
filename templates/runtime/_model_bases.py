"""The bases of the generated models, ``BaseModel`` and ``RootModel``: pydantic's with one
setting (see ``_models``, which hands them out).

A module apart because creating the first subclass of ``pydantic.BaseModel`` imports most of
pydantic (``pydantic.main``, ``fields``, ``json_schema``, ...), which ``import pydantic`` does
not: ``_models`` imports this module when a model is first asked for, so importing the client
and making one imports none of it.
"""

from __future__ import annotations

import inspect
import itertools
import operator
from typing import Any, Generic, TypeVar, cast

import pydantic
from pydantic import ConfigDict
from pydantic.fields import FieldInfo
from pydantic_core import CoreSchema

from ._models import _PYDANTIC_VERSION, DEFER_BUILD, _generated, _link

__all__ = ["BaseModel", "RootModel"]


class _SignatureOnFirstUse:
    """``__signature__`` of a model not built yet: building it first (as its first use would),
    so that ``inspect.signature`` and ``help()`` list its fields, not ``**data``. Once built, a
    model has pydantic's own ``__signature__``, found before this one."""

    def __get__(
        self, instance: object, owner: type[pydantic.BaseModel]
    ) -> inspect.Signature | None:
        if instance is not None:
            raise AttributeError("'__signature__' attribute is class-only")
        if not owner.__pydantic_complete__:
            owner.model_rebuild(raise_errors=False)  # errors surface where pydantic's would
        built = vars(owner).get("__signature__")
        # None, when the model cannot be built yet: inspect then reads __init__
        return None if built is None else cast(inspect.Signature, built.__get__(None, owner))


class BaseModel(pydantic.BaseModel):
    """The base of the generated models: pydantic's, built when first used (``DEFER_BUILD``)."""

    model_config = ConfigDict(defer_build=DEFER_BUILD)
    __signature__ = _SignatureOnFirstUse()  # type: ignore[assignment]

    @classmethod
    def model_rebuild(
        cls,
        *,
        force: bool = False,
        raise_errors: bool = True,
        _parent_namespace_depth: int = 2,
        _types_namespace: Any = None,
    ) -> bool | None:
        """pydantic's, once the classes of other modules that the fields name are imported."""
        _link(cls)
        return super().model_rebuild(
            force=force,
            raise_errors=raise_errors,
            _parent_namespace_depth=_parent_namespace_depth + 1,  # this frame is one more
            _types_namespace=_types_namespace,
        )

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[pydantic.BaseModel], handler: pydantic.GetCoreSchemaHandler, /
    ) -> CoreSchema:
        """pydantic's, once the classes of other modules that the fields name are imported
        (when another model, or a ``TypeAdapter``, names this one)."""
        _link(cls)
        return handler(source)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Before a class in another module derives from a generated model whose fields are
        not resolved yet, build that model.

        A subclass copies its parents' fields. A generated model whose field names a class
        that comes later in its module resolves that name when it is built; a subclass made
        before then, in a module that cannot see the name, would never be complete. (This runs
        as the class is created, before pydantic collects its fields.)
        """
        super().__init_subclass__(**kwargs)
        if _generated(cls.__module__):
            return
        for base in cls.__mro__[1:]:
            if (
                issubclass(base, pydantic.BaseModel)
                and _generated(base.__module__)
                and not getattr(base, "__pydantic_fields_complete__", True)
            ):
                base.model_rebuild(raise_errors=False)  # errors surface where pydantic's would

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        """Once pydantic has made a generated model, its fields inherited unchanged are its
        base's (``_share_inherited_fields``)."""
        super().__pydantic_init_subclass__(**kwargs)
        if _SHARING and _generated(cls.__module__):
            _share_inherited_fields(cls)


# Every attribute of a FieldInfo (its classes' __slots__), to tell a copy from its original.
_FIELD_INFO_ATTRIBUTES = operator.attrgetter(
    *dict.fromkeys(slot for klass in FieldInfo.__mro__ for slot in vars(klass).get("__slots__", ()))
)
_COPIED = frozenset({list, dict, set})  # the types of the attributes FieldInfo._copy() copies
# pydantic before 2.11 changed a field in place as it built its model (forward references,
# alias generators); checked with 2.14, as deferring is.
_SHARING = _PYDANTIC_VERSION >= (2, 14)


def _share_inherited_fields(cls: type[pydantic.BaseModel]) -> None:
    """Give a generated model its base's ``FieldInfo`` for each field it inherits unchanged.

    pydantic gives every subclass a copy of each field it inherits, ~700 bytes with its
    collections: in a client of a large vendor's spec, where hundreds of services derive from a
    few bases, such copies were 27,000 of 51,000 fields and 20 MB of the 172 MB that importing
    every model took. A copy equal to its original in every attribute is interchangeable with
    it: pydantic does not change a field once its class is made (a rebuild makes new ones),
    except where V1-style validators set ``validate_default``, hence not with those. (Changing
    a ``FieldInfo`` of ``model_fields`` in place, which pydantic does not support, changes it
    for the base and the base's other subclasses too.)"""
    if cls.__pydantic_decorators__.validators:
        return
    # pydantic copies a field from the first base that has it
    bases = [
        inherited for base in cls.__bases__ if (inherited := vars(base).get("__pydantic_fields__"))
    ]
    if not bases:  # most models: they derive from BaseModel alone
        return
    own = inspect.get_annotations(cls)  # fields declared again: made anew, not compared
    fields = cls.__pydantic_fields__
    for name, field in fields.items():
        if name in own:
            continue
        for found in bases:
            original = found.get(name)
            if original is not None:
                if _same_field(field, original):
                    fields[name] = original
                break


def _same_field(copy: FieldInfo, original: FieldInfo) -> bool:
    """Whether `copy` holds what `original` holds: the same objects, or, for the lists, dicts
    and sets that pydantic copies too, equal ones."""
    if type(copy) is not FieldInfo or type(original) is not FieldInfo:
        return False  # a subclass of FieldInfo may hold more than its slots
    try:
        mine, theirs = _FIELD_INFO_ATTRIBUTES(copy), _FIELD_INFO_ATTRIBUTES(original)
    except AttributeError:  # an attribute not set
        return False
    differing = itertools.compress(zip(mine, theirs), map(operator.is_not, mine, theirs))
    return all(type(a) in _COPIED and type(b) is type(a) and a == b for a, b in differing)


RootType = TypeVar("RootType")


class RootModel(pydantic.RootModel[RootType], Generic[RootType]):
    """The base of the generated root models: pydantic's, built when first used. (Their fields
    are always resolved: the classes in ``RootModel[...]`` must come first in the module.)"""

    model_config = ConfigDict(defer_build=DEFER_BUILD)
    __signature__ = _SignatureOnFirstUse()  # type: ignore[assignment]

    @classmethod
    def model_rebuild(
        cls,
        *,
        force: bool = False,
        raise_errors: bool = True,
        _parent_namespace_depth: int = 2,
        _types_namespace: Any = None,
    ) -> bool | None:
        """pydantic's, once the classes of other modules that the root names are imported."""
        _link(cls)
        return super().model_rebuild(
            force=force,
            raise_errors=raise_errors,
            _parent_namespace_depth=_parent_namespace_depth + 1,  # this frame is one more
            _types_namespace=_types_namespace,
        )

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[pydantic.BaseModel], handler: pydantic.GetCoreSchemaHandler, /
    ) -> CoreSchema:
        """pydantic's, once the classes of other modules that the root names are imported."""
        _link(cls)
        return handler(source)
