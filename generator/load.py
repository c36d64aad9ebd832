"""Load a spec (YAML through ruamel.yaml, or JSON), bundle relative-file `$ref`s into one
document, and remember where every node came from so diagnostics can say file:line:col."""

from __future__ import annotations

import bisect
import json
import os
import re
import stat
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, cast

from ruamel.yaml import YAML
from ruamel.yaml.comments import (
    CommentedKeyMap,
    CommentedKeySeq,
    CommentedMap,
    CommentedSeq,
    TaggedScalar,
)
from ruamel.yaml.composer import Composer
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLWarning
from ruamel.yaml.resolver import VersionedResolver

try:  # libyaml's parser, from ruamel.yaml.clib (see `_round_trip`), or ruamel's newer clibz
    from _ruamel_yaml import CParser
except ImportError:
    try:
        from _ruamel_yaml_clibz import CParser
    except ImportError:  # a Python or platform without either: ruamel's own parser alone
        CParser = None

from .diagnostics import Diagnostic, Level, Location, SpecError
from .openapi import ref_holders
from .pointer import join_pointer, resolve_pointer, split_pointer

# A spec bigger than this is refused before a byte of it is parsed: a mistyped path (a log, a
# database dump) must fail at once, not after minutes of parsing. The largest public specs
# (GitHub's, Stripe's) are around 10 MB. CLIENTGEN_MAX_SPEC_MB raises the limit.
MAX_SPEC_BYTES = 32 * 1024 * 1024
MAX_SPEC_ENV = "CLIENTGEN_MAX_SPEC_MB"
# YAML aliases can make a small file expand into a huge tree ("billion laughs"); past this many
# nodes the document is refused.
MAX_NODES = 2_000_000


class _SpecConstructor(RoundTripConstructor):
    """Keeps dates as the strings the author wrote: a spec's `example: 2024-01-01` is text."""

    def construct_yaml_str(self, node: Any) -> Any:
        """Text, tag or not: ruamel's keeps a scalar written with its tag (`!!str 12`, by the
        tag's handle, which only ruamel's own parser records) as a tagged scalar, to write it
        back so; a spec is read, never written back."""
        return self.construct_scalar(node)


for _text in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp"):
    _SpecConstructor.add_constructor(_text, _SpecConstructor.construct_yaml_str)


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Constructor = _SpecConstructor
    return yaml


class _LibyamlLoader(Composer, _SpecConstructor, VersionedResolver):
    """ruamel's round-trip composer and constructor over the events of libyaml's parser: the
    tree (line/column data included) that `_yaml()` builds, ~4x faster. ruamel's composer,
    not the C one, so a document nested too deeply raises RecursionError, where the C
    composer's recursion overflows the stack (a crash at ~100,000 levels)."""

    comment_handling = None  # what ruamel's own loaders set: comments are not kept
    max_depth = 0

    def __init__(self, text: str) -> None:
        self._parser = CParser(text)
        self._resolver = self
        Composer.__init__(self, loader=self)
        _SpecConstructor.__init__(self, loader=self)
        VersionedResolver.__init__(self, loader=self)


# Text that libyaml reads otherwise than ruamel: a directive (`%YAML 1.1` changes how scalars
# resolve, which `_LibyamlLoader` does not see; after a line break of either kind), a NEL or
# Unicode line separator (a line break to libyaml, moving every later line), a byte order
# mark after the start (a column less), a tab (libyaml accepts some that ruamel refuses), a
# tag before an anchor (`!!str &a x`: ruamel's node starts at the anchor). Found by comparing
# both on mutated specs, and by review.
_LIBYAML_DIFFERS = re.compile("(?:^|\r)%|[\t\x85\u2028\u2029\ufeff]|!\\S*[ ]+&",
                              re.MULTILINE)


def _say_again(warning: warnings.WarningMessage) -> None:
    """A warning recorded by `warnings.catch_warnings`, said as it was first said."""
    warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)


def _round_trip(text: str) -> Any:
    """ruamel's round-trip tree of YAML `text`. libyaml's parser reads what it can (a spec's
    YAML loads in a quarter of the time); anything it refuses or might read otherwise is left
    to ruamel's own parser, whose errors are the ones reported (and its warnings: those of an
    attempt that failed are dropped, not said twice)."""
    if CParser is not None and not _LIBYAML_DIFFERS.search(text):
        loader = None
        try:
            with warnings.catch_warnings(record=True) as said:
                warnings.simplefilter("always")
                loader = _LibyamlLoader(text)
                tree = loader.get_single_data()
        except Exception:  # ruamel's parser, below, says what is wrong
            pass
        else:
            for warning in said:  # a duplicate anchor, ...
                _say_again(warning)
            return tree
        finally:
            if loader is not None:  # it refers to itself: free it (and the text) now
                loader.__dict__.clear()
    return _yaml().load(text)


@dataclass
class Document:
    """One file of a spec: its parsed data and, on demand, the position of every node."""

    path: Path
    display: str  # the name used in messages: as the user gave it, never made absolute
    text: str
    data: Any
    # The text was parsed as JSON (a .json file, or JSON text whatever the suffix): its
    # positions are found by the JSON scanners, not by a YAML parse.
    is_json: bool = False
    # A YAML file's positions come from the parse that read it (walking its line/column data
    # costs ~2% of the parse; a second parse for them cost 100%); JSON's are found on demand.
    _positions: dict[str, tuple[int, int]] | None = field(default=None, repr=False)
    _lookups: int = field(default=0, repr=False)
    # What the YAML parser warned of (a duplicate anchor), located in this file.
    warnings: list[Diagnostic] = field(default_factory=list, repr=False)

    def location(self, pointer: str) -> Location:
        """The position of the node at `pointer`, or of its nearest ancestor that has one."""
        find = self._position_finder()
        tokens = split_pointer(pointer)
        while (position := find(tokens)) is None and tokens:
            tokens.pop()
        if position is None:
            return Location(self.display, pointer=pointer)
        return Location(self.display, *position, pointer)

    def _position_finder(self) -> Callable[[list[str]], tuple[int, int] | None]:
        """How this lookup finds the (line, column) of a node given its pointer's tokens."""
        if self.is_json and self._positions is None and self._lookups < _TARGETED_LOOKUPS:
            # a few diagnostics on a large spec: follow each pointer instead of mapping all
            self._lookups += 1
            return self._followed
        if self._positions is None:
            self._positions = (_json_positions if self.is_json else _positions_of)(self.text)
        positions = self._positions
        return lambda tokens: positions.get(join_pointer("", *tokens))

    def _followed(self, tokens: list[str]) -> tuple[int, int] | None:
        offset = _json_offset(self.text, tokens)
        if offset is None:
            return None
        return self.text.count("\n", 0, offset) + 1, offset - self.text.rfind("\n", 0, offset)


# Past this many lookups in one JSON file, one pass that maps every node is cheaper.
_TARGETED_LOOKUPS = 8
_JSON_SPACE = re.compile(r"[ \t\n\r]*")
# The json module's C scanner and string reader: each parses one value (or string) at an
# offset and returns where it ends, which is how values off a pointer's path are skipped.
# Neither is in typeshed, hence getattr.
_scan_value = cast(Callable[[str, int], tuple[Any, int]], getattr(json.JSONDecoder(), "scan_once"))  # noqa: B009
_scan_string = cast(Callable[[str, int], tuple[str, int]], getattr(json.decoder, "scanstring"))  # noqa: B009


def _skip_space(text: str, index: int) -> int:
    match = _JSON_SPACE.match(text, index)
    return match.end() if match else index


def _after_item(text: str, end: int) -> int:
    """From the end of a value to the start of the next item of its container."""
    index = _skip_space(text, end)
    return _skip_space(text, index + 1) if text.startswith(",", index) else index


def _json_offset(text: str, tokens: list[str]) -> int | None:
    """Where the node at `tokens` starts in JSON text that already parsed (for a member, where
    its key starts, as `_json_positions` has it); None when there is no such node. Only the
    containers on the path are read item by item; everything else is skipped at C speed."""
    index = start = _skip_space(text, 0)  # index: where the current node's value starts
    for token in tokens:
        opening = text[index : index + 1]
        index = _skip_space(text, index + 1)
        if opening == "{":
            while text.startswith('"', index):
                start = index
                key, index = _scan_string(text, index + 1)
                index = _skip_space(text, _skip_space(text, index) + 1)  # past the ':'
                if key == token:
                    break
                index = _after_item(text, _scan_value(text, index)[1])
            else:
                return None
        elif opening == "[" and token.isdigit():
            for _ in range(int(token)):
                if text.startswith("]", index):
                    return None
                index = _after_item(text, _scan_value(text, index)[1])
            if text.startswith("]", index):
                return None
            start = index
        else:
            return None
    return start


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\],:]|[^\s{}\[\],:"]+')


def _json_positions(text: str) -> dict[str, tuple[int, int]]:
    """Pointer -> (line, column), 1-based, for JSON text that already parsed.

    A single regex pass over the tokens instead of a YAML round-trip parse, which takes most
    of a minute on a 3 MB spec. Keys are the positions of mapping keys and list items.
    """
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(line_starts, offset)
        return line, offset - line_starts[line - 1] + 1

    positions: dict[str, tuple[int, int]] = {"": (1, 1)}
    # One frame per open container: [pointer, is_object, next list index, pending key]
    stack: list[list[Any]] = []
    expecting_value = True  # a value may start here (after ':' or ',' in a list, or '[')
    for match in _JSON_TOKEN.finditer(text):
        token, offset = match.group(), match.start()
        frame = stack[-1] if stack else None
        if token == ":":
            expecting_value = True
            continue
        if token == ",":
            expecting_value = bool(frame and not frame[1])
            continue
        if token in "}]":
            stack.pop()
            expecting_value = False
            continue
        if frame is not None and frame[1] and not expecting_value:
            # a string in key position; most have no escapes to decode
            key = token[1:-1] if "\\" not in token else json.loads(token)
            frame[3] = join_pointer(frame[0], key)
            positions.setdefault(frame[3], position(offset))
            continue
        # a value: find its pointer
        if frame is None:
            pointer = ""
        elif frame[1]:
            pointer = frame[3]
        else:
            pointer = join_pointer(frame[0], frame[2])
            positions.setdefault(pointer, position(offset))
            frame[2] += 1
        if token in "{[":
            stack.append([pointer, token == "{", 0, ""])
            expecting_value = token == "["
        else:
            expecting_value = False
    return positions


def _positions_of(text: str) -> dict[str, tuple[int, int]]:
    """Pointer -> (line, column), 1-based, from a round-trip parse (JSON is YAML here)."""
    try:
        tree = _round_trip(text)
    except Exception:  # the text was already parsed once; positions are best effort
        return {}
    return _tree_positions(tree)


def _tree_positions(tree: Any) -> dict[str, tuple[int, int]]:
    """Pointer -> (line, column), 1-based, of every node of ruamel's round-trip `tree`: a walk
    of the line/column data the parse recorded, a fraction of the parse's own cost."""
    positions: dict[str, tuple[int, int]] = {"": (1, 1)}
    stack: list[tuple[str, Any]] = [("", tree)]
    seen: set[int] = set()  # a node shared through a YAML alias is walked once
    while stack:
        pointer, node = stack.pop()
        if isinstance(node, CommentedMap | CommentedSeq):
            if id(node) in seen:
                continue
            seen.add(id(node))
        if isinstance(node, CommentedMap):
            for key in node:
                child = join_pointer(pointer, str(key))
                try:
                    line, column = node.lc.key(key)
                except (KeyError, TypeError):  # a key merged in with `<<: *anchor`
                    continue
                positions.setdefault(child, (line + 1, column + 1))
                stack.append((child, node[key]))
        elif isinstance(node, CommentedSeq):
            for index, item in enumerate(node):
                child = join_pointer(pointer, index)
                try:
                    line, column = node.lc.item(index)
                except (KeyError, TypeError):
                    continue
                positions.setdefault(child, (line + 1, column + 1))
                stack.append((child, item))
    return positions


class _Plain:
    """ruamel's round-trip tree -> plain dicts, lists and scalars (keys as strings), with a
    located error for each value a spec cannot hold (custom tags, binary data)."""

    def __init__(self) -> None:
        self.nodes = 0
        self.problems: list[tuple[str, str, str]] = []  # (pointer, message, hint)

    def convert(self, node: Any, pointer: str) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _TooBig()
        if isinstance(node, TaggedScalar):
            self.problems.append((pointer, f"the YAML tag {node.tag.value!r} is not supported",
                                  "a spec holds plain YAML values; remove the tag"))
            return str(node.value)
        if isinstance(node, dict):
            result: dict[str, Any] = {}
            for key, value in node.items():
                if isinstance(key, CommentedKeyMap | CommentedKeySeq):  # `? [a, b]: ...`
                    kind = "mapping" if isinstance(key, CommentedKeyMap) else "sequence"
                    self.problems.append((pointer, f"a key of this mapping is a YAML {kind}",
                                          "each key of a spec's mapping is a string"))
                child = join_pointer(pointer, str(key))
                if _SURROGATE.search(str(key)):
                    self.problems.append((child, "the key holds a lone surrogate (an invalid "
                                          "Unicode character)", "remove it"))
                if str(key) in result:  # e.g. `200:` and `"200":` in one mapping
                    self.problems.append((child, f"duplicate key {str(key)!r}",
                                          "each key may appear once in a mapping; remove or "
                                          "merge the repeated one"))
                result[str(key)] = self.convert(value, child)
            return result
        if isinstance(node, list):
            return [self.convert(v, join_pointer(pointer, i)) for i, v in enumerate(node)]
        if isinstance(node, str):
            if _SURROGATE.search(node):
                self.problems.append((pointer, "the text holds a lone surrogate (an invalid "
                                      "Unicode character, e.g. from a JSON escape \\ud800)",
                                      "remove it, or write the character it was meant to be"))
                return _SURROGATE.sub("\ufffd", node)
            return str(node)  # drop ruamel's scalar-string subclasses
        if node is None or isinstance(node, bool | int | float):
            return node
        if isinstance(node, bytes):
            self.problems.append((pointer, "binary data (`!!binary`) cannot appear in a spec",
                                  "write the value as a string"))
            return ""
        self.problems.append((pointer, f"a YAML {type(node).__name__} cannot appear in a spec",
                              "write plain mappings, lists and scalars"))
        return None


_SURROGATE = re.compile("[\ud800-\udfff]")


class _TooBig(Exception):
    pass


def _error(display: str, message: str, hint: str = "", line: int | None = None,
           column: int | None = None) -> SpecError:
    return SpecError(
        [Diagnostic(Level.ERROR, message, "", Location(display, line, column), hint)]
    )


def _reject_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def max_spec_bytes() -> int:
    """The size limit: MAX_SPEC_BYTES, or CLIENTGEN_MAX_SPEC_MB megabytes when that is set."""
    configured = os.environ.get(MAX_SPEC_ENV, "").strip()
    if configured:
        try:
            return int(float(configured) * 1024 * 1024)
        except ValueError:
            pass
    return MAX_SPEC_BYTES


def _too_big(display: str, size: float, limit: int) -> SpecError:
    return _error(
        display,
        f"the file is {size / (1024 * 1024):.1f} MiB; specs over "
        f"{limit / (1024 * 1024):.0f} MiB are refused",
        f"check that this is the spec you meant; to allow bigger specs, set "
        f"{MAX_SPEC_ENV} (in MiB)",
    )


def _read_regular_file(path: Path, display: str) -> bytes:
    """The bytes of `path`, which must be a regular file no bigger than the size limit.

    A device (`/dev/zero`, `/dev/urandom`) or a FIFO is refused at once: reading one would
    never end or would block for ever. The file is opened without blocking and checked
    through its open descriptor, so it cannot be swapped for something else in between, and
    at most limit + 1 bytes are read whatever `st_size` claims."""
    try:
        if path.is_dir():
            raise _error(display, "this is a directory, not a spec file",
                         "pass the .yaml or .json file")
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
                             | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise _error(display, "file not found", "check the path") from None
    except OSError as exc:
        raise _error(display, f"cannot read the file: {exc.strerror}") from None
    with os.fdopen(descriptor, "rb", buffering=0) as handle:
        try:
            status = os.fstat(descriptor)
            if not stat.S_ISREG(status.st_mode):
                raise _error(display, f"this is {_file_kind(status.st_mode)}, not a spec file",
                             "pass a regular .yaml or .json file")
            limit = max_spec_bytes()
            if status.st_size > limit:  # checked before reading, so a huge file costs nothing
                raise _too_big(display, status.st_size, limit)
            raw = handle.read(limit + 1)
        except OSError as exc:
            raise _error(display, f"cannot read the file: {exc.strerror}") from None
    if len(raw) > limit:  # a file that grew, or one whose size the file system misreports
        raise _too_big(display, len(raw), limit)
    return raw


def _file_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


# The first bytes of files people pass by mistake.
_SIGNATURES = (
    (b"\x1f\x8b", "a gzip archive", "decompress it first"),
    (b"PK\x03\x04", "a zip archive", "extract the spec from it first"),
    (b"%PDF", "a PDF document", "pass the spec itself, not its printed form"),
    (b"\x89PNG", "a PNG image", "pass the spec file"),
    (b"\xff\xfe", "UTF-16 text", "save the spec as UTF-8"),
    (b"\xfe\xff", "UTF-16 text", "save the spec as UTF-8"),
)


# The callbacks of the `reads_seen` blocks being run.
_read_watchers: list[Callable[[Path], object]] = []


@contextmanager
def reads_seen(seen: Callable[[Path], object]) -> Iterator[None]:
    """Call `seen` with each file `read_document` is asked to read inside the block, before it
    reads it (read or not): `generate --watch` watches those files from that moment."""
    _read_watchers.append(seen)
    try:
        yield
    finally:
        _read_watchers.remove(seen)


def read_document(path: Path, display: str) -> Document:
    """Parse one file. Every failure is a SpecError naming the file and, where known, the line."""
    for seen in _read_watchers:
        seen(path)
    raw = _read_regular_file(path, display)
    if not raw.strip():
        raise _error(display, "the file is empty",
                     "an OpenAPI document starts with `openapi: 3.1.0`, `info` and `paths`")
    for signature, kind, hint in _SIGNATURES:
        if raw.startswith(signature):
            raise _error(display, f"this is {kind}, not a YAML or JSON spec", hint)
    if b"\x00" in raw:
        raise _error(display, "this is a binary file (it holds NUL bytes), not a YAML or JSON "
                     "spec", "pass the .yaml or .json file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise _error(display, f"the file is not UTF-8 text (byte {exc.start} is "
                     f"0x{raw[exc.start]:02x})", "save the spec as UTF-8", line) from None
    positions: dict[str, tuple[int, int]] | None = None
    said: list[Diagnostic] = []
    is_json = True
    try:
        if path.suffix.lower() == ".json":
            data = _parse_json(text, display)
        elif (parsed := _json_text(text)) is not _NOT_JSON:
            data = _checked(_Plain(), parsed, display, text, is_json=True)
        else:
            data, positions, said = _parse_yaml(text, display)
            is_json = False
    except RecursionError:
        raise _error(display, "the document is nested too deeply to read",
                     "a spec nests a few dozen levels at most; check for a runaway structure"
                     ) from None
    return Document(path=path, display=display, text=text, data=data, is_json=is_json,
                    _positions=positions, warnings=said)


_NOT_JSON = object()


def _reject_constant(name: str) -> Any:
    raise ValueError(name)  # NaN and Infinity are not JSON (and are strings in YAML)


def _json_text(text: str) -> Any:
    """The data of YAML-named text that is JSON, parsed by the json module (the YAML loader is
    pure Python and ~100x slower); `_NOT_JSON` when it is not JSON. JSON text means the same
    as YAML 1.2; anything the json module refuses (a duplicate key included) is left to the
    YAML parser, which accepts it or reports it as it always has."""
    start = _JSON_SPACE.match(text)
    if not text.startswith(("{", "["), start.end() if start else 0):
        return _NOT_JSON
    try:
        return json.loads(text, object_pairs_hook=_reject_duplicate_keys,
                          parse_constant=_reject_constant)
    except (ValueError, _DuplicateKey, RecursionError):
        return _NOT_JSON


def _parse_json(text: str, display: str) -> Any:
    try:
        data = json.loads(text, object_pairs_hook=_reject_duplicate_keys)
    except json.JSONDecodeError as exc:
        before = text[:exc.pos].rstrip()
        if exc.pos == 0 and not text.lstrip().startswith(("{", "[")):
            hint = "this looks like YAML: name the file .yaml"
        elif before.endswith(",") and text[exc.pos:exc.pos + 1] in "}]":
            hint = "JSON allows no comma after the last item of an object or list"
        else:
            hint = "check the commas, quotes and brackets around this position"
        raise _error(display, f"invalid JSON: {exc.msg}", hint, exc.lineno, exc.colno) from None
    except _DuplicateKey as exc:
        # JSON is YAML: the YAML parser knows where the repeated key is.
        try:
            _round_trip(text)
        except MarkedYAMLError as yaml_exc:
            raise _yaml_error(display, yaml_exc) from None
        except Exception:
            pass
        raise _error(display, f"duplicate key {exc.key!r}",
                     "each key may appear once in an object; remove or merge the repeated one",
                     _first_duplicate_line(text, exc.key)) from None
    return _checked(_Plain(), data, display, text, is_json=True)


def _first_duplicate_line(text: str, key: str) -> int | None:
    needle = json.dumps(key) + ":"
    seen = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line.replace('" :', '":'):
            seen += 1
            if seen == 2:
                return number
    return None


_DUPLICATE = re.compile(r'found duplicate key "(.*)" with value')


def _yaml_error(display: str, exc: MarkedYAMLError) -> SpecError:
    """A YAML syntax error as a located message a person can act on."""
    mark = exc.problem_mark or exc.context_mark
    problem = (exc.problem or exc.context or "invalid YAML").strip()
    context = (exc.context or "").strip() if exc.problem else ""
    duplicate = _DUPLICATE.search(problem)
    if duplicate:
        first = exc.context_mark.line + 1 if exc.context_mark else None
        message = f"duplicate key {duplicate.group(1)!r}" + (
            f" in the mapping that starts on line {first}" if first else "")
        hint = "each key may appear once in a mapping; remove or merge the repeated one"
    elif "'\\t'" in problem:
        message = "invalid YAML: a tab character where indentation or a value is expected"
        hint = "YAML indentation must use spaces, not tabs"
    elif "another document" in problem:
        message = "invalid YAML: the file holds more than one YAML document"
        hint = "a spec is one document: remove the second `---` or split the file"
    else:
        message = f"invalid YAML: {problem}"
        if context and exc.context_mark and exc.context_mark is not mark:
            message += f" ({context} on line {exc.context_mark.line + 1})"
        elif context:
            message += f" ({context})"
        hint = "check the indentation, quotes and brackets around this line"
    return _error(display, message, hint,
                  mark.line + 1 if mark else None, mark.column + 1 if mark else None)


def _parse_yaml(text: str, display: str
                ) -> tuple[Any, dict[str, tuple[int, int]], list[Diagnostic]]:
    """The data of YAML text, the position of every node, both from one parse, and what the
    parser warned of, as diagnostics located in the file (not as Python warnings). (Python
    before 3.14 keeps the warnings filters process-wide: specs read in several threads at once
    could see each other's warnings; clientgen reads them in one.)"""
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        try:
            tree = _round_trip(text)
        except MarkedYAMLError as exc:
            raise _yaml_error(display, exc) from None
        except RecursionError:
            raise
        except Exception as exc:  # ruamel raises a few unmarked errors (e.g. bad encodings)
            raise _error(display, f"invalid YAML: {exc}") from None
    positions = _tree_positions(tree)
    found = []
    for warning in said:
        if issubclass(warning.category, YAMLWarning):
            found.append(_yaml_warning(display, str(warning.message), positions))
        else:  # not the parser's: not for the spec's author
            _say_again(warning)
    return _checked(_Plain(), tree, display, text, is_json=False), positions, found


# ruamel's text of a duplicate anchor: "found duplicate anchor 'a'\nfirst occurrence in
# "<unicode string>", line 6, column 8\nsecond occurrence in ..., line 7, column 8" (1-based;
# its own parser adds the line's text after each)
_DUPLICATE_ANCHOR = re.compile(r"found duplicate anchor '(?P<anchor>[^']*)'\s+first occurrence"
                               r".*?line (?P<line>\d+), column (?P<column>\d+)"
                               r".*?second occurrence.*?line (?P<again>\d+), column (?P<at>\d+)",
                               re.DOTALL)


def _yaml_warning(display: str, message: str, positions: dict[str, tuple[int, int]]
                  ) -> Diagnostic:
    """A warning of ruamel's parser as a located diagnostic."""
    found = _DUPLICATE_ANCHOR.search(message)
    if found is None:
        return Diagnostic(Level.WARNING, f"YAML: {' '.join(message.split())}",
                          location=Location(display))
    line, column = int(found["again"]), int(found["at"])
    # the node the anchor marks: a mapping's value is placed at its key, the last before the
    # anchor on its line; any other node (an item of a list) at the anchor or after it
    on_line = sorted((at[1], pointer) for pointer, at in positions.items() if at[0] == line)
    before = [pointer for at, pointer in on_line if at <= column]
    after = [pointer for at, pointer in on_line if at > column]
    pointer = before[-1] if before else after[0] if after else ""
    return Diagnostic(
        Level.WARNING,
        f"the YAML anchor &{found['anchor']} is defined again (first at line {found['line']}, "
        f"column {found['column']}); an alias *{found['anchor']} after this means this node",
        pointer, Location(display, line, column, pointer),
        "give each anchor its own name")


def _checked(converter: _Plain, tree: Any, display: str, text: str, is_json: bool) -> Any:
    """`tree` as plain data; a SpecError for whatever a spec cannot hold. `tree` is ruamel's
    round-trip tree, or, when `is_json`, what the json module parsed."""
    try:
        data = converter.convert(tree, "")
    except _TooBig:
        raise _error(display, f"the document expands to more than {MAX_NODES:,} values",
                     "YAML aliases (`*name`) repeat a node wherever they appear; a spec this "
                     "big is likely a mistake or an attack") from None
    except RecursionError:
        raise _error(display, "the document refers to itself through a YAML alias, or is "
                     "nested too deeply", "an alias (`*name`) may not appear inside the node "
                     "its anchor (`&name`) marks") from None
    if converter.problems:
        document = Document(Path(display), display, text, None, is_json,
                            None if is_json else _tree_positions(tree))
        raise SpecError([
            Diagnostic(Level.ERROR, message, pointer, document.location(pointer), hint)
            for pointer, message, hint in converter.problems
        ])
    return data


@dataclass
class LoadedSpec:
    """The bundled document plus where each part of it was read from."""

    data: dict[str, Any]
    root: Document
    # Pointer of a node bundled in from another file -> (that file, pointer inside it).
    origins: dict[str, tuple[Document, str]] = field(default_factory=dict)
    # Problems found while bundling (only with `load_spec(..., keep_going=True)`); a `$ref`
    # that could not be bundled is left as it was written.
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def display(self) -> str:
        return self.root.display

    def locate(self, pointer: str) -> Location:
        for prefix, (document, inner) in self.origins.items():
            if pointer == prefix or pointer.startswith(prefix + "/"):
                return document.location(inner + pointer[len(prefix):])
        return self.root.location(pointer)


_NOT_A_MAPPING_HINT = "an OpenAPI document is a mapping that starts with `openapi: 3.1.0`, " \
    "`info` and `paths`"


def load_spec(path: Path | str, display: str | None = None,
              keep_going: bool = False, ref_root: Path | None = None) -> LoadedSpec:
    """Read a spec and bundle every relative-file `$ref` into it, as `#/components/...`.

    A file that cannot be read or parsed raises SpecError. So do `$ref`s that cannot be
    bundled, unless `keep_going`: then they are in `LoadedSpec.diagnostics`, so the caller
    can report them together with the other problems of the document.

    A `$ref` may only reach files under the spec's directory or, when the spec is in a git
    work tree, under that tree's root; `ref_root` adds a directory (see `ref_roots`).
    """
    path = Path(path)
    root = read_document(path, display if display is not None else path.as_posix())
    if not isinstance(root.data, dict):
        if root.data is None:
            message = "the spec holds no data (only comments, blank lines or `null`)"
        elif isinstance(root.data, list):
            message = "the spec is a list, not a mapping"
        else:
            message = f"the spec is a single value ({type(root.data).__name__}), not a mapping"
        raise _error(root.display, message, _NOT_A_MAPPING_HINT, 1, 1)
    bundler = _Bundler(root, ref_roots(path, ref_root))
    bundler.run()
    if bundler.diagnostics and not keep_going:
        raise SpecError(bundler.diagnostics)
    # a diagnostic's pointer is into the bundled spec; one of another file's node is in its
    # location only (as the bundler's own diagnostics have it)
    said = [warning if document is root else replace(warning, pointer="")
            for document in bundler.documents.values() for warning in document.warnings]
    return LoadedSpec(data=root.data, root=root, origins=bundler.origins,
                      diagnostics=[*said, *bundler.diagnostics])


# Where a `$ref` sits decides which components section an external target goes into.
_SECTION_BY_PARENT_KEY = {
    "parameters": "parameters",
    "responses": "responses",
    "requestBody": "requestBodies",
    "headers": "headers",
    "examples": "examples",
    "securitySchemes": "securitySchemes",
    "$pathItem": "pathItems",
}


def ref_roots(spec: Path, ref_root: Path | None = None) -> tuple[Path, ...]:
    """The directories a spec's `$ref`s may reach files in: the spec's own directory, the root
    of the git work tree that holds it (if any), and `ref_root` (`--ref-root`), resolved.

    A spec is untrusted input (CI runs `generate --check` and `diff` on pull requests), and a
    bundled `$ref` copies the target's content into the generated package: without this bound
    `$ref: /etc/passwd` or `../../secrets.json` would publish files from outside the project."""
    directory = spec.absolute().parent.resolve()
    roots = [directory]
    for candidate in (directory, *directory.parents):
        if (candidate / ".git").exists():  # a directory, or a file in a linked work tree
            roots.append(candidate)
            break
    if ref_root is not None:
        roots.append(ref_root.resolve())
    return tuple(roots)


class _Bundler:
    def __init__(self, root: Document, allowed: tuple[Path, ...]) -> None:
        self.root = root
        self.allowed = allowed
        self.documents: dict[Path, Document] = {root.path.resolve(): root}
        self.hoisted: dict[tuple[Path, str], str] = {}  # (file, pointer) -> local ref
        self.origins: dict[str, tuple[Document, str]] = {}
        self.diagnostics: list[Diagnostic] = []

    def run(self) -> None:
        self._walk(self.root, self.root.data, "")

    def _walk(self, document: Document, node: Any, pointer: str, bundled: str = "") -> None:
        """Rewrite external refs under `node`, which sits at `pointer` in `document` and at
        `bundled` in the bundled document (when it is a copy from another file)."""
        for child_pointer, parent_key, holder in ref_holders(node, pointer):
            here = bundled + child_pointer[len(pointer):] if bundled else child_pointer
            ref = holder["$ref"]
            if not isinstance(ref, str):
                if document is not self.root:  # in the root, the checks report it
                    self._fail(document, child_pointer, "`$ref` must be a string",
                               "write `$ref: '#/components/schemas/Name'`", here)
                continue
            target_file, _, fragment = ref.partition("#")
            if not target_file:
                if document is not self.root:
                    holder["$ref"] = self._hoist(document, fragment, parent_key, child_pointer,
                                                 here=here)
                continue
            # `components: {schemas: {Pet: {$ref: pet.yaml}}}` bundles the file as `Pet` itself.
            tokens = split_pointer(child_pointer)
            if document is self.root and len(tokens) == 2 and tokens[0] == "paths":
                parent_key = "$pathItem"  # `paths: {/pets: {$ref: pets.yaml}}`
            slot = child_pointer if (document is self.root and len(tokens) == 3
                                     and tokens[0] == "components" and set(holder) == {"$ref"}
                                     ) else None
            local = self._external(document, target_file, fragment, parent_key, child_pointer,
                                   slot, here)
            if local != "#" + child_pointer:
                holder["$ref"] = local

    def _external(self, document: Document, target_file: str, fragment: str, parent_key: str,
                  pointer: str, slot: str | None, here: str) -> str:
        original = target_file + "#" + fragment if fragment else target_file
        if "://" in target_file:
            self._fail(document, pointer, f"remote $ref {target_file!r} is not supported",
                       "download the file and refer to it by a relative path", here)
            return original
        path = (document.path.parent / target_file).resolve()
        if not any(path == root or root in path.parents for root in self.allowed):
            # the same words whether or not the file exists: nothing to learn about the outside
            self._fail(document, pointer, f"$ref {target_file!r} is outside the directories "
                       "a spec's `$ref`s may reach", "by default, files under the spec's "
                       "directory or the git work tree that holds it; pass --ref-root DIR to "
                       "allow another", here)
            return original
        target = self.documents.get(path)
        if target is None:
            try:
                target = read_document(path, _display_join(document.display, target_file))
            except SpecError as exc:
                for diagnostic in exc.diagnostics:
                    self.diagnostics.append(Diagnostic(
                        diagnostic.level,
                        f"$ref {target_file!r}: {diagnostic.message}",
                        here, document.location(pointer), diagnostic.hint,
                    ))
                return original
            self.documents[path] = target
        if target is self.root:  # a reference back into the root document is a local one
            return "#" + fragment
        return self._hoist(target, fragment, parent_key, pointer, source=document, slot=slot,
                           here=here)

    def _hoist(self, document: Document, fragment: str, parent_key: str, pointer: str,
               source: Document | None = None, slot: str | None = None, here: str = "") -> str:
        """Copy the target into the root's components (at `slot`, if given, in place of the
        `$ref` there) and return the local ref to it."""
        key = (document.path.resolve(), fragment)
        if key in self.hoisted:
            return self.hoisted[key]
        try:
            target = resolve_pointer(document.data, fragment)
        except KeyError:
            where = source or document
            self._fail(where, pointer, f"$ref target {document.display}#{fragment} does not exist",
                       "check the file name and the JSON pointer after '#'", here)
            return f"{document.display}#{fragment}"  # not local: the checks skip it
        if slot is not None:
            section, name = split_pointer(slot)[1:]
            copied = json.loads(json.dumps(target))
            self.root.data["components"][section][name] = copied
            self.hoisted[key] = "#" + slot
            self.origins[slot] = (document, fragment)
            self._walk(document, copied, fragment, slot)
            return "#" + slot
        tokens = split_pointer(fragment)
        if len(tokens) == 3 and tokens[0] == "components":
            section, name = tokens[1], tokens[2]
        else:
            section = _SECTION_BY_PARENT_KEY.get(parent_key, "schemas")
            name = tokens[-1] if tokens else document.path.stem
        components = self.root.data.setdefault("components", {})
        existing = components.setdefault(section, {}) if isinstance(components, dict) else None
        if not isinstance(existing, dict):
            self._fail(self.root, join_pointer("/components", section),
                       f"cannot bundle {document.display}#{fragment}: `components.{section}` "
                       "is not a mapping", "make it a mapping of names to objects")
            return f"{document.display}#{fragment}"
        unique_name, n = name, 1
        while unique_name in existing:
            n += 1
            unique_name = f"{name}{n}"
        local = join_pointer("/components", section, unique_name)
        self.hoisted[key] = "#" + local
        copied = json.loads(json.dumps(target))  # never share nodes between two places
        existing[unique_name] = copied
        self.origins[local] = (document, fragment)
        self._walk(document, copied, fragment, local)
        return "#" + local

    def _fail(self, document: Document, pointer: str, message: str, hint: str,
              here: str = "") -> None:
        """An error at `pointer` in `document`, which is `here` in the bundled document."""
        self.diagnostics.append(Diagnostic(Level.ERROR, message, here or pointer,
                                           document.location(pointer), hint))


def _display_join(base_display: str, relative: str) -> str:
    return Path(os.path.normpath(Path(base_display).parent / relative)).as_posix()
