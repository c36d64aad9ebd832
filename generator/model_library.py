"""Fixes to datamodel-code-generator (the models library) that change no byte of its output.

`apply()` runs where the library is imported (`models.py`), in every process that uses it."""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from typing import cast

from datamodel_code_generator.reference import EnumFieldNameResolver, FieldNameResolver


class _AlsoExcluding(AbstractSet[str]):
    """`names | {extra}`, without copying `names`."""

    def __init__(self, names: AbstractSet[str], extra: str) -> None:
        self.names, self.extra = names, extra

    def __contains__(self, name: object) -> bool:
        return name == self.extra or name in self.names

    def __iter__(self) -> Iterator[str]:
        yield from self.names
        if self.extra not in self.names:
            yield self.extra

    def __len__(self) -> int:
        return len(self.names) + (self.extra not in self.names)


def _enum_member_name(self: EnumFieldNameResolver, name: str,
                      excludes: set[str] | None = None,
                      ignore_snake_case_field: bool = False, upper_camel: bool = False) -> str:
    """`EnumFieldNameResolver.get_valid_name`, which copies `excludes` (every member named so
    far) to add "mro" on each call: quadratic in an enum's size (most of the 11 s of CPU
    `validate` took for 20,000 values)."""
    return FieldNameResolver.get_valid_name(
        self, "mro_" if name == "mro" else name,
        excludes=cast(set[str], _AlsoExcluding(excludes or set(), "mro")),
        ignore_snake_case_field=ignore_snake_case_field, upper_camel=upper_camel,
    )


# The library's own, before `apply`: what `_enum_member_name` must agree with.
library_enum_member_name = EnumFieldNameResolver.get_valid_name


def apply() -> None:
    setattr(EnumFieldNameResolver, "get_valid_name", _enum_member_name)  # noqa: B010 (mypy: no method assignment)


