"""Every rule that turns a name from a spec into a Python identifier lives here."""

from __future__ import annotations

import builtins
import keyword
import re
import sys
import unicodedata
from collections.abc import Collection, Iterable

from . import runtime

# The arguments the templates give every generated function or method besides the spec's own:
# `self`, the `client` an endpoint function takes, the `body`, and the runtime's per-call
# options (`extra_headers`, `timeout`, ...). A parameter or body field must not take one.
CALL_ARGUMENTS = frozenset({"self", "client", "body", *runtime.per_call_options()})

# Names a generated model class must not take: they are imported into, or defined by, the
# modules that hold models: the runtime's `_models`, and typing, pydantic, enum, datetime.
_RESERVED_CLASS_NAMES = runtime.public_names("_models.py") | frozenset(
    {
        "Annotated", "Any", "AwareDatetime", "ConfigDict", "Decimal", "Enum",
        "Field", "IntEnum", "Literal", "NotGiven", "Optional", "SecretStr",
        "StrEnum", "Union", "UUID", "date", "datetime", "time", "timedelta",
        "Client", "AsyncClient", "TYPE_CHECKING",
        # what datamodel-code-generator may import into the models module
        "AnyUrl", "AnyHttpUrl", "HttpUrl", "EmailStr", "NameEmail", "IPv4Address",
        "IPv6Address", "IPvAnyAddress", "IPv4Network", "IPv6Network", "IPv4Interface",
        "IPv6Interface", "StringConstraints", "Json", "StrictStr", "StrictInt", "StrictBool",
        "StrictFloat", "StrictBytes", "Base64Str", "Base64Bytes", "ClassVar", "Self", "List",
        "Dict", "Set", "Tuple", "Type", "NaiveDatetime", "PastDate", "FutureDate", "Path",
        "PositiveInt", "NegativeInt", "PositiveFloat", "NegativeFloat", "TypeAlias",
        "TypeAliasType", "NotRequired", "TypedDict", "Generic", "TypeVar", "Sequence",
        "Mapping", "Callable",
    }
)

# Names the generated `_client` and package `__init__` modules import from the runtime or
# define themselves (`Client`, `AsyncClient`): neither the client class nor its `Async` twin
# may take one of them.
_RESERVED_CLIENT_NAMES = _RESERVED_CLASS_NAMES | runtime.public_names()

# Module-level names of a resource module (its imports, among them the runtime's functions):
# an endpoint function must not hide one of them, nor be hidden by an argument of the method
# that calls it. Builtins and keywords are avoided too.
_RESERVED_FUNCTION_NAMES = (
    frozenset({"annotations", "builtins", "datetime", "overload", "deprecated", "models",
               "params", "cls"})
    | runtime.public_names() | CALL_ARGUMENTS
    | set(dir(builtins))
)

# Attributes of the generated client (its runtime base class): a resource must not hide one.
CLIENT_ATTRIBUTES = frozenset(
    {
        "with_options", "with_raw_response", "with_streaming_response", "close", "request",
        "request_page", "base_url", "timeout", "max_retries", "is_closed", "models",
    }
)

# Attributes of a generated resource class: a method must not hide one.
# Names a resource method must not take: its own attributes, and the module names its
# annotations use (a method `models` would hide `models.Pet` in the methods after it).
RESOURCE_ATTRIBUTES = frozenset(
    {"with_raw_response", "with_streaming_response", "models", "builtins"}
)

# Attribute names that a pydantic model, a resource class or a generated function already
# uses; a field or argument with one of these names gets a trailing underscore.
_RESERVED_ATTRIBUTE_NAMES = frozenset(
    {
        "self", "cls", "client", "json", "body", "schema", "copy", "dict", "construct",
        "validate", "fields", "model_config", "model_fields", "model_computed_fields",
        "model_extra", "model_fields_set", "model_construct", "model_copy", "model_dump",
        "model_dump_json", "model_json_schema", "model_parametrized_name", "model_post_init",
        "model_rebuild", "model_validate", "model_validate_json", "model_validate_strings",
        "parse_obj", "parse_raw", "parse_file", "from_orm", "update_forward_refs",
        "schema_json", "options", "models", "builtins",
    }
    | CALL_ARGUMENTS
    | set(dir(builtins))
)

# pydantic warns when a field name starts with one of these (its protected namespaces).
_PROTECTED_FIELD_PREFIXES = ("model_dump", "model_validate")
# Model fields datamodel-code-generator would keep as they are, that we alias anyway: `self`
# works as a pydantic field but reads as a bug in every method of the model.
_ALIASED_FIELDS = frozenset({"self", "cls"})

_WORD_BOUNDARY = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")


def words(name: str) -> list[str]:
    """Split `createDestination`, `create-destination`, `HTTPServer2` into lower-case words."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return [w.lower() for w in _WORD_BOUNDARY.findall(ascii_name)]


def snake_case(name: str) -> str:
    return "_".join(words(name))


def pascal_case(name: str) -> str:
    return "".join(w[:1].upper() + w[1:] for w in words(name))


def _safe(identifier: str, fallback: str) -> str:
    if not identifier:
        identifier = fallback
    if identifier[0].isdigit():
        identifier = f"{fallback}_{identifier}" if fallback.islower() else f"{fallback}{identifier}"
    return identifier


def class_name(name: str) -> str:
    """A PascalCase class name for a schema or resource; never a reserved or keyword name."""
    result = _safe(pascal_case(name), "Model")
    if result in _RESERVED_CLASS_NAMES or keyword.iskeyword(result):
        result = f"{result}Model"
    return result


def client_class_name(name: str) -> str:
    """The client class's name: a class name that no name of the package's `__init__` takes,
    and neither does its `Async` twin (`CursorPage` would make `AsyncCursorPage`)."""
    result = class_name(name)
    if {result, f"Async{result}"} & _RESERVED_CLIENT_NAMES or result.endswith(
            ("Resource", "ResourceWithRawResponse")):  # the names of resource classes
        result = f"{result}Client"
    return result


def _snake_identifier(name: str, fallback: str, reserved: Collection[str]) -> str:
    """snake_case `name`, with a trailing underscore when it is a keyword or in `reserved`."""
    result = _safe(snake_case(name), fallback)
    if keyword.iskeyword(result) or keyword.issoftkeyword(result) or result in reserved:
        result = f"{result}_"
    return result


def function_name(name: str) -> str:
    """A snake_case function or method name; never a keyword, a builtin or a name that a
    resource module imports."""
    return _snake_identifier(name, "op", _RESERVED_FUNCTION_NAMES)


def method_name(name: str) -> str:
    """A method name on a resource class (builtin names are fine there, unlike at module
    level; the resource's own attributes are not)."""
    return _snake_identifier(name, "op", RESOURCE_ATTRIBUTES)


def resource_attribute(tag: str) -> str:
    """`client.<attribute>` for a tag: an argument-style name no client attribute takes."""
    result = argument_name(tag)
    if result in CLIENT_ATTRIBUTES:
        result = f"{result}_"
    return result


def is_package_name(name: str) -> bool:
    """Whether `name` can be the import name of the generated package."""
    return (re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) is not None
            and not keyword.iskeyword(name) and name not in sys.stdlib_module_names)


# File systems refuse names over 255 bytes, and a module's bytecode file adds up to 20 more
# (`.cpython-313.pyc`): a package or module named longer than this could not be written.
MAX_FILE_NAME_BYTES = 200


def too_long_for_a_file(name: str) -> bool:
    return len(name.encode("utf-8")) > MAX_FILE_NAME_BYTES


def package_name_problem(name: str, runtime_modules: Collection[str]) -> str | None:
    """Why `name` cannot be the import name of the generated package, or None if it can:
    installed, a package named like a module its client imports would shadow that module."""
    if name in sys.stdlib_module_names:
        return "is a module of Python's standard library"
    if name in runtime_modules:
        return "is a module the generated client needs at run time"
    if not is_package_name(name):
        return "is not a valid Python package name"
    if too_long_for_a_file(name):
        return f"is too long for a directory name (over {MAX_FILE_NAME_BYTES} bytes)"
    return None


def is_stable_identifier_text(text: str) -> bool:
    """Whether Python reads `text`, used as (part of) an identifier, as written: it applies
    NFKC to identifiers, so `ﬁle` would silently become `file`."""
    return unicodedata.normalize("NFKC", text) == text


def escaped_identifier(text: str, prefix: str, readable: bool = False) -> str:
    """An ASCII identifier that no other text gives: letters, digits and `_` stay, every other
    character becomes `_uXXXX_` (`readable`: ASCII punctuation becomes `_`, which may give two
    texts the same name); never empty, never with a leading digit or underscore."""
    body = "".join(c if c.isascii() and (c.isalnum() or c == "_") else
                   "_" if readable and c.isascii() else f"_u{ord(c):04x}_" for c in text)
    return f"{prefix}_{body}" if not body or not body[0].isalpha() else body


def enum_member_names(values: Iterable[object]) -> list[str]:
    """Member names for an enum whose values Python would not read back as written (see
    is_stable_identifier_text): escaped, unique, in the order of the values."""
    taken: set[str] = set()
    names = []
    for value in values:
        name = escaped_identifier(str(value), "value", readable=True)
        if keyword.iskeyword(name) or keyword.issoftkeyword(name):
            name = f"{name}_"
        names.append(unique(name, taken))
    return names


def field_aliases(wire_names: Iterable[str]) -> dict[str, str]:
    """Python names for model fields that datamodel-code-generator would not rename itself
    (it already renames keywords and pydantic's own attributes, e.g. `json_`): a field named
    `model_dump` (or `model_validate_x`, ...) becomes `field_model_dump`, `self` becomes
    `self_`. The wire name stays the field's alias."""
    aliases: dict[str, str] = {}
    for wire in sorted(set(wire_names)):
        natural = re.sub(r"\W", "_", wire)
        if natural.startswith(_PROTECTED_FIELD_PREFIXES):
            aliases[wire] = f"field_{natural}"
        elif natural in _ALIASED_FIELDS:
            aliases[wire] = f"{natural}_"
        elif not is_stable_identifier_text(wire):
            aliases[wire] = escaped_identifier(wire, "field")
    return aliases


def argument_name(name: str) -> str:
    """A keyword-argument or field name; the wire name is kept separately by the caller."""
    return _snake_identifier(name, "param", _RESERVED_ATTRIBUTE_NAMES)


def constant_name(name: str) -> str:
    return function_name(name).upper().strip("_") or "VALUE"


def env_var_prefix(api_name: str) -> str:
    return "_".join(words(api_name)).upper()


def package_name(title: str) -> str:
    """`Fivetran REST API` -> `fivetran_rest_api_client`."""
    base = snake_case(title) or "api"
    if base[0].isdigit():
        base = f"api_{base}"
    return base if base.endswith("client") else f"{base}_client"


def unique(name: str, taken: set[str]) -> str:
    """Return `name`, or `name2`, `name3`, ... : the first not in `taken`, which it joins.

    Callers visit names in a sorted, spec-derived order, so the suffixes are stable.
    """
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        separator = "_" if name[-1:].isdigit() or name.islower() else ""
        candidate = f"{name}{separator}{n}"
    taken.add(candidate)
    return candidate


def strip_words(name: str, remove: Iterable[str]) -> str:
    """`create_destination` without the words of resource `destinations` -> `create`."""
    removable = set(remove)
    kept = [w for w in words(name) if w not in removable]
    return "_".join(kept)


def singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 3:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def resource_words(tag: str) -> set[str]:
    """Words of a tag in singular and plural form, so `Destinations` strips `destination` too."""
    result: set[str] = set()
    for word in words(tag):
        result.update({word, singular(word)})
    return result
