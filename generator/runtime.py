"""What the runtime (templates/runtime/, copied into every generated package) defines, read
from its source with `ast`, never imported: the names a generated package cannot give its own
classes and arguments, and the defaults its README and docstrings state. Read, not copied, so
the generator cannot drift from the runtime it ships."""

from __future__ import annotations

import ast
import functools
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

RUNTIME_FILES = ("_auth.py", "_base_client.py", "_exceptions.py", "_model_bases.py",
                 "_models.py", "_pagination.py", "_response.py", "_serialization.py", "_types.py")


def templates_dir() -> Path:
    # Installed: the `templates/` folder ships as `clientgen.templates` (see pyproject.toml).
    return Path(str(resources.files("clientgen.templates")))


@functools.cache
def _module(name: str) -> ast.Module:
    path = templates_dir() / "runtime" / name
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _assigned(name: str, module: str) -> ast.expr:
    """The expression the runtime module assigns to its top-level `name`."""
    for node in _module(module).body:
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            return value
    raise LookupError(f"templates/runtime/{module} assigns no {name}")


def _literal(name: str, module: str = "_base_client.py") -> object:
    """A constant of the runtime: a literal, or `frozenset(<literal>)`."""
    value = _assigned(name, module)
    if (isinstance(value, ast.Call) and isinstance(value.func, ast.Name)
            and value.func.id == "frozenset" and len(value.args) == 1):
        return frozenset(ast.literal_eval(value.args[0]))
    return ast.literal_eval(value)


def _unexpected(what: object) -> TypeError:
    """The runtime's source is clientgen's own: a constant of another form is a bug in it (an
    exception, not an assert, which `python -O` would drop)."""
    return TypeError(f"templates/runtime: unexpected form of {what!r}")


def _strings(name: str, module: str) -> tuple[str, ...]:
    value = _literal(name, module)
    if not (isinstance(value, list | tuple) and all(isinstance(v, str) for v in value)):
        raise _unexpected(name)
    return tuple(value)


@functools.cache
def public_names(*modules: str) -> frozenset[str]:
    """The names the runtime `modules` (all of them when none is given) export in `__all__`:
    the generated modules import them from there, so nothing the generator names may hide one."""
    return frozenset(name for module in modules or RUNTIME_FILES
                     for name in _strings("__all__", module))


@functools.cache
def per_call_options() -> tuple[str, ...]:
    """The keyword arguments every generated method takes besides the spec's own
    (`extra_headers`, `timeout`, ...): no parameter or body field may take one."""
    return _strings("PER_CALL_OPTIONS", "_base_client.py")


def _seconds(value: object) -> str:
    """`60.0` -> `60 s`, `0.5` -> `0.5 s`."""
    if not isinstance(value, int | float):
        raise _unexpected(value)
    return f"{value:g} s"


def _listed(values: object, last: str) -> str:
    """`{503, 429}` -> `429 or 503` (`last`: the word before the last item)."""
    if not isinstance(values, frozenset | set | tuple | list):
        raise _unexpected(values)
    items = [str(v) for v in sorted(values)]
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {last} {items[-1]}"


@dataclass(frozen=True)
class Defaults:
    """The runtime's retry and timeout defaults, as the README and docstrings state them."""

    timeout: str  # `60 s (5 s to connect)`
    max_retries: str  # `2`
    backoff: str  # `0.5 s, 1 s, 2 s, ... at most 8 s`
    max_retry_after: str  # `60 s`
    retry_statuses: str  # `408, 429, 500, 502, 503 and 504`
    not_acted_on_statuses: str  # `429 or 503`


@functools.cache
def defaults() -> Defaults:
    """Read from `_base_client.py`'s constants (`DEFAULT_TIMEOUT = httpx.Timeout(60.0,
    connect=5.0)`, `DEFAULT_MAX_RETRIES = 2`, ...)."""
    timeout = _assigned("DEFAULT_TIMEOUT", "_base_client.py")
    if not (isinstance(timeout, ast.Call) and len(timeout.args) == 1):
        raise _unexpected("DEFAULT_TIMEOUT")
    connect = {k.arg: ast.literal_eval(k.value) for k in timeout.keywords}["connect"]
    initial = _literal("INITIAL_RETRY_DELAY")
    if not isinstance(initial, int | float):
        raise _unexpected(initial)
    return Defaults(
        timeout=f"{_seconds(ast.literal_eval(timeout.args[0]))} ({_seconds(connect)} to connect)",
        max_retries=str(_literal("DEFAULT_MAX_RETRIES")),
        backoff=(f"{', '.join(_seconds(initial * 2**n) for n in range(3))}, ... "
                 f"at most {_seconds(_literal('MAX_RETRY_DELAY'))}"),
        max_retry_after=_seconds(_literal("MAX_RETRY_AFTER")),
        retry_statuses=_listed(_literal("RETRY_STATUSES"), "and"),
        not_acted_on_statuses=_listed(_literal("NOT_ACTED_ON_STATUSES"), "or"),
    )
