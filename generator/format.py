"""The format step: black, in-process, on every generated Python file.

Black is the known cost of generating a large spec (a 3,000-schema models module takes it most
of a minute). These make it cheap without changing a byte of its output:
- a module is cut into chunks of top-level statements at the double blank lines black puts
  between them, and each chunk is formatted on its own, in parallel on large outputs; a long
  class is formatted a method at a time (`_methods`);
- each formatted chunk (and method) is cached by the hash of its text (and black's version and
  mode), so a regeneration after a small spec change formats only the chunks that changed;
- pieces that differ only in their names and plain strings (a vendor's per-service overloads)
  are formatted once, as their skeleton (`_skeleton`).
And one thing makes black's own work smaller: the chunks go through ruff's formatter first
(black-compatible, written in Rust, one process for all of them), so black mostly finds its
style already there and makes one pass instead of two. What is written is black's output of
ruff's, so `black --check` passes on it; in a few constructs ruff decides what black would
have left alone (it joins implicit string concatenations, drops a blank first line in a
block), none of which clientgen's templates or datamodel-code-generator write. Both are
pinned, so the output is the same everywhere; if ruff cannot format every chunk, that is an
error, not a quiet fallback to black alone (which would make output depend on the machine).
"""

from __future__ import annotations

import ast
import hashlib
import itertools
import keyword
import re
import subprocess
import tempfile
from collections.abc import Callable, Collection
from functools import cache as memoized
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

from ruff.__main__ import find_ruff_bin

from . import cache
from .diagnostics import Diagnostic, Level, SpecError
from .parallel import parallel_map

if TYPE_CHECKING:
    from black.mode import Mode

LINE_LENGTH = 100
# Below this much uncached text, starting worker processes costs more than it saves.
_PARALLEL_THRESHOLD = 400_000
_SEPARATOR = "\n\n\n"
_RUFF_ARGUMENTS = ("format", "--isolated", "--no-cache", "--no-respect-gitignore",
                   f"--line-length={LINE_LENGTH}", "--target-version=py311")
_CACHE_KIND = f"black-{version('black')}-ruff-{version('ruff')}"
# black is imported only when something is not cached: a regeneration mostly is. The key holds
# this file too: how a chunk is cut and templated is part of what makes its result.
_MODE_KEY = (f"line_length={LINE_LENGTH} target_versions=py311 {_RUFF_ARGUMENTS} "
             f"{hashlib.sha256(Path(__file__).read_bytes()).hexdigest()}").encode()


@memoized
def mode() -> Mode:
    from black.mode import Mode, TargetVersion

    return Mode(target_versions={TargetVersion.PY311}, line_length=LINE_LENGTH)


def _key(chunk: str) -> str:
    return hashlib.sha256(_MODE_KEY + chunk.encode()).hexdigest()


def _format_chunk(chunk: str) -> str:
    import black

    return black.format_str(chunk, mode=mode())


def load_black() -> None:
    """Import black now (~0.1 s; the first chunk to format would), e.g. while waiting."""
    import black  # noqa: F401


def _chunks(source: str, known: Callable[[str], bool]) -> list[str]:
    """`_cut`, except that a module docstring stays with what follows it: black puts one
    blank line after it, not the two it keeps between other statements."""
    chunks = _cut(source, known)
    if len(chunks) > 1 and _is_docstring(chunks[0]):
        chunks[:2] = [chunks[0] + _SEPARATOR + chunks[1]]
    return chunks


def _is_docstring(text: str) -> bool:
    body = module.body if (module := _module(text)) else []
    return len(body) == 1 and isinstance(body[0], ast.Expr) and isinstance(
        body[0].value, ast.Constant) and isinstance(body[0].value.value, str)


def _cut(source: str, known: Callable[[str], bool]) -> list[str]:
    """Top-level statements grouped at the blank-line pairs that black keeps between them.

    A cut is made only where no top-level statement continues, so a string or bracket that
    holds blank lines is never split. When each piece between those pairs is a module on its
    own (`known`: black formatted it alone before; or it parses alone), none can end inside
    a string, a bracket or a statement, so every cut is safe and the whole text need not be
    parsed: a regeneration parses only its new pieces. Otherwise the parser of the whole text
    says where each statement ends.
    """
    pieces = source.split(_SEPARATOR)
    if all(known(piece) or _module(piece) for piece in pieces):
        return pieces
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return [source]  # black reports it, on the whole text
    interior: set[int] = set()
    for node in tree.body:
        first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
        interior.update(range(first + 1, (node.end_lineno or node.lineno) + 1))
    chunks: list[str] = []
    line = 1  # line number of the current piece's first line
    for piece in pieces:
        if chunks and line not in interior:
            chunks.append(piece)
        elif chunks:
            chunks[-1] += _SEPARATOR + piece
        else:
            chunks.append(piece)
        line += piece.count("\n") + _SEPARATOR.count("\n")
    return chunks


def _module(text: str) -> ast.Module | None:
    """The text parsed, or None when it is not Python."""
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError):  # ValueError: a NUL character
        return None


def _invalid_python(exc: Exception) -> SpecError:
    return SpecError([Diagnostic(
        Level.ERROR,
        f"internal error: generated code is not valid Python ({exc})",
        hint="this is a bug in clientgen: please report it together with the spec",
    )])


def check_python(files: dict[str, str]) -> None:
    """What formatting would find wrong, without formatting: each `.py` file must parse."""
    for path, text in files.items():
        if path.endswith(".py"):
            try:
                ast.parse(text, filename=path)
            except (SyntaxError, ValueError) as exc:  # ValueError: a NUL character
                raise _invalid_python(exc) from exc


def format_python(files: dict[str, str], black_clean: Collection[str] = ()) -> dict[str, str]:
    """Format the `.py` files of `files`; other files, and those named in `black_clean`
    (copied from sources kept in black's style), pass through unchanged."""
    formatted: dict[str, str] = {}  # chunk -> black's output, from the cache at first
    uncached: set[str] = set()

    def known(chunk: str) -> bool:
        if chunk not in formatted and chunk not in uncached:
            cached = cache.read(_CACHE_KIND, _key(chunk))
            if cached is None:
                uncached.add(chunk)
            else:
                formatted[chunk] = cached
        return chunk in formatted

    chunked = {path: _chunks(text, known) for path, text in files.items()
               if path.endswith(".py") and path not in black_clean}
    missing = sorted({c for chunks in chunked.values() for c in chunks if not known(c)})
    results: list[str] = []
    if missing:
        from black.parsing import InvalidInput

        try:
            results = _format_all(missing)
        except InvalidInput as exc:
            raise _invalid_python(exc) from exc
    for chunk, result in zip(missing, results, strict=True):
        formatted[chunk] = result
        cache.write(_CACHE_KIND, _key(chunk), result)
    output = dict(files)
    for path, chunks in chunked.items():
        # a chunk black empties (blank lines only) must not leave its own blank lines behind
        output[path] = "\n\n".join(formatted[c].rstrip("\n") + "\n" for c in chunks
                                   if formatted[c].strip())
    return output


def _format_all(chunks: list[str]) -> list[str]:
    """black's output for each chunk (after ruff's pass); a long class a method at a time,
    each method cached on its own, so a change to one method reformats that method."""
    # ruff misses some comments that turn black off (a `fmt: off` after a `;`): black alone,
    # and on the whole chunk
    plain = [chunk for chunk in chunks if not _UNFORMATTED.search(chunk)]
    ruffed = dict(zip(plain, _preformatted(plain), strict=True))
    pieces = [_methods(ruffed[chunk]) if chunk in ruffed else [chunk] for chunk in chunks]
    cut = {piece for split in pieces if len(split) > 1 for piece in split}
    texts = {piece: text for piece in cut
             if (text := cache.read(_CACHE_KIND, _piece_key(piece))) is not None}
    missing = [piece for piece in dict.fromkeys(p for split in pieces for p in split)
               if piece not in texts]
    for piece, result in zip(missing, _formatted(missing), strict=True):
        texts[piece] = result
        if piece in cut:
            cache.write(_CACHE_KIND, _piece_key(piece), result)
    return [_joined([texts[piece] for piece in split]) for split in pieces]


def _formatted(pieces: list[str]) -> list[str]:
    """black's output for each piece; pieces that differ only in their names and plain strings
    (see `_skeleton`) are formatted once, as their shared skeleton."""
    skeletons = {piece: _skeleton(piece) for piece in pieces}
    jobs = sorted({piece if skeleton is None else skeleton[0]
                   for piece, skeleton in skeletons.items()}, key=len, reverse=True)
    done = dict(zip(jobs, _black(jobs), strict=True))
    results: dict[str, str] = {}
    for piece, skeleton in skeletons.items():
        result = done[piece] if skeleton is None else _filled(done[skeleton[0]], skeleton[1])
        if result is not None:
            results[piece] = result
    unfilled = [piece for piece in pieces if piece not in results]
    results.update(zip(unfilled, _black(unfilled), strict=True))
    return [results[piece] for piece in pieces]


def _black(pieces: list[str]) -> list[str]:
    return parallel_map(_format_chunk, pieces, chunksize=16,
                        parallel=sum(map(len, pieces)) >= _PARALLEL_THRESHOLD)


# black lays out a line by its tokens' kinds and widths; what a name or a plain string says
# matters only to its grammar (keywords, soft keywords), to dunder names (`__future__`), to
# docstrings and to string quotes. So a piece is formatted as its skeleton, each other name
# and each plain double-quoted string that does not start a line replaced by `x`s of its
# width, and the originals are put back in black's output, where they keep their order.
_TOKENS = re.compile(r"""
    (?P<string>(?<!\w)[A-Za-z]{0,2}(?:"[^"\n]*"|'[^'\n]*'))
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | \#[^\n]*
  | \d(?:[\w.]|(?<=[eE])[+-])*
""", re.VERBOSE)
_KEPT_NAMES = frozenset([*keyword.kwlist, *keyword.softkwlist, "print", "exec"])


def _skeleton(piece: str) -> tuple[str, list[str | None]] | None:
    """The piece with its replaceable names and strings as `x`s, and for each name or string
    of it in order, the original where replaced (None where kept); None when the piece has
    what the token pattern does not follow (a triple-quoted string, a backslash, non-ASCII
    text), a comment that turns black off, or nothing to replace."""
    if not piece.isascii() or '"""' in piece or "'''" in piece or "\\" in piece \
            or _UNFORMATTED.search(piece):
        return None
    originals: list[str | None] = []

    def replaced(match: re.Match[str]) -> str:
        text, kind = match.group(), match.lastgroup
        if kind is None:
            return text
        if kind == "name" and text not in _KEPT_NAMES and not text.startswith("__"):
            originals.append(text)
            return "x" * len(text)
        if kind == "string" and text[0] == '"' and text[1:-1].strip() == text[1:-1] \
                and "'" not in text and _after_code(piece, match.start()):
            originals.append(text)
            return f'"{"x" * (len(text) - 2)}"'
        originals.append(None)
        return text

    skeleton = _TOKENS.sub(replaced, piece)
    return (skeleton, originals) if any(originals) else None


def _after_code(text: str, position: int) -> bool:
    """Whether something other than indentation comes before `position` on its line."""
    return bool(text[text.rfind("\n", 0, position) + 1:position].strip())


def _filled(formatted: str, originals: list[str | None]) -> str | None:
    """black's output for a skeleton with the piece's names and strings put back; None when
    its names and strings do not line up with the piece's."""
    found = [match for match in _TOKENS.finditer(formatted) if match.lastgroup]
    if len(found) != len(originals):
        return None
    parts: list[str] = []
    position = 0
    for match, original in zip(found, originals, strict=True):
        if original is None:
            continue
        if match.group().strip('"x') or len(match.group()) != len(original):
            return None
        parts += [formatted[position:match.start()], original]
        position = match.end()
    return "".join([*parts, formatted[position:]])


def _piece_key(piece: str) -> str:
    return _key(f"piece of a class\n{piece}")


# Comments that turn black off for a region (or a line): a region may span methods, and what
# black leaves alone it leaves as written, skeleton or not. Such text is formatted whole.
# (black also reads one after a `;` in another comment, hence no `#` in the pattern)
_UNFORMATTED = re.compile(r"\b(?:fmt|yapf)\s*:")


# A method of a long class is formatted alone, inside a class of this line: black lays out
# every line of it as it would in the whole class.
_WRAPPER = "class _:\n"
# Below this length, a class is formatted whole: more calls would cost more than they save.
_METHODS_FROM = 20_000


def _methods(chunk: str) -> list[str]:
    """The chunk as pieces black formats alike alone and in the chunk: a class longer than
    `_METHODS_FROM` is cut before each method that follows the statement before it after
    exactly one blank line (no comment between), the methods inside `_WRAPPER`; anything
    else is one piece. black keeps that one blank line between methods at that depth (it
    only ever removes or adds blank lines there after a decorator or a comment, or before
    the first statement of a block), and lays out each line by its own text and depth.
    (A chunk with a comment that turns black off is not given here: `_format_all`.)
    """
    module = _module(chunk) if len(chunk) >= _METHODS_FROM else None
    if module is None or len(module.body) != 1 or not isinstance(module.body[0], ast.ClassDef):
        return [chunk]
    lines = chunk.split("\n")
    cuts: list[int] = []  # 0-based index of each method's first line
    body = module.body[0].body
    for previous, node in itertools.pairwise(body):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        first = min([node.lineno, *(d.lineno for d in node.decorator_list)]) - 1
        if (previous.end_lineno == first - 1 and lines[first - 1] == ""
                and lines[first].startswith("    ") and lines[first][4] != " "):
            cuts.append(first)
    if not cuts:
        return [chunk]
    bounds = [0, *cuts, len(lines)]
    pieces = ["\n".join(lines[start:end]).rstrip("\n") + "\n"
              for start, end in itertools.pairwise(bounds)]
    return [pieces[0], *(_WRAPPER + piece for piece in pieces[1:])]


def _joined(formatted: list[str]) -> str:
    """The formatted pieces of a chunk (see `_methods`) as its text: one blank line between."""
    first, *methods = formatted
    return "\n".join([first.strip("\n") + "\n", *(
        method.removeprefix(_WRAPPER).strip("\n") + "\n" for method in methods)])


def _preformatted(chunks: list[str]) -> list[str]:
    """The chunks through `ruff format` with black's settings, in one process."""
    if not chunks:
        return chunks
    with tempfile.TemporaryDirectory(prefix="clientgen-format-") as folder:
        paths = [Path(folder) / f"{index}.py" for index in range(len(chunks))]
        for path, chunk in zip(paths, chunks, strict=True):
            path.write_bytes(chunk.encode())
        try:
            done = subprocess.run([find_ruff_bin(), *_RUFF_ARGUMENTS, folder],
                                  stdin=subprocess.DEVNULL, capture_output=True, text=True,
                                  errors="replace", check=False, timeout=600)
        except (OSError, subprocess.SubprocessError) as exc:
            raise _formatter_failed(f"ruff could not run: {exc}") from exc
        # it says how many files it saw: every chunk, or something skipped one
        seen = sum(int(n) for n in re.findall(r"(\d+) files? (?:reformatted|left unchanged)",
                                              done.stdout))
        if done.returncode != 0 or seen != len(chunks):
            # code that does not parse is clientgen's bug, not ruff's
            check_python({path.name: chunk for path, chunk in zip(paths, chunks, strict=True)})
            problem = (done.stderr.strip().splitlines() or [f"it formatted {seen} of "
                                                         f"{len(chunks)} chunks"])[-1]
            raise _formatter_failed(f"ruff format failed: {problem}")
        return [path.read_bytes().decode() for path in paths]


def _formatter_failed(problem: str) -> SpecError:
    return SpecError([Diagnostic(
        Level.ERROR, f"internal error: {problem}",
        hint="reinstall clientgen (ruff is one of its dependencies); if that does not help, "
             "this is a bug in clientgen: please report it together with the spec",
    )])
