"""The bases of the generated models, ``BaseModel`` and ``RootModel``: pydantic's with one
setting (see ``_models``, which hands them out).

A module apart because creating the first subclass of ``pydantic.BaseModel`` imports most of
pydantic (``pydantic.main``, ``fields``, ``json_schema``, ...), which ``import pydantic`` does
not: ``_models`` imports this module when a model is first asked for, so importing the client
and making one imports none of it.
"""

from __future__ import annotations

import inspect
from typing import Any, Generic, TypeVar, cast

import pydantic
from pydantic import ConfigDict
from pydantic_core import CoreSchema

from ._models import DEFER_BUILD, _generated, _link

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
