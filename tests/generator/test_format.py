"""Chunked, cached formatting gives exactly what black gives on the whole file."""

from __future__ import annotations

from pathlib import Path

import black
import pytest
from clientgen import cache as result_cache
from clientgen import format as formatting
from clientgen.diagnostics import SpecError
from clientgen.ir import ListType, LiteralType, Primitive, Reference, TypeRef, UnionType
from clientgen.load import load_spec
from clientgen.pipeline import unformatted_package
from clientgen.render import (
    HEADER,
    RUNTIME_FILES,
    _templates_dir,
    or_not_given,
    parameter,
    runtime_paths,
)

AWKWARD = '''
import re
PATTERN = '"""'


class A:
    doc = """first


x = 1  # still inside the string
"""
    other = '\\'\\'\\''


# a comment between statements


def f(
    a,


    b): return {'k':1}
class B( A ): pass
'''


@pytest.fixture(params=["cached", "uncached"])
def cache(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(result_cache.CACHE_ENV, str(tmp_path) if request.param == "cached" else "")


def test_chunked_output_equals_black_on_the_whole_file(cache: None) -> None:
    expected = black.format_str(AWKWARD, mode=formatting.mode())
    assert formatting.format_python({"m.py": AWKWARD})["m.py"] == expected
    assert formatting.format_python({"m.py": AWKWARD})["m.py"] == expected  # warm cache


def test_cuts_never_fall_inside_a_statement() -> None:
    chunks = formatting._chunks(AWKWARD, lambda chunk: False)
    assert len(chunks) > 1
    assert "".join(chunks).replace("\n", "") == AWKWARD.replace("\n", "")
    assert all('"""first' not in chunk or 'x = 1' in chunk for chunk in chunks)


def test_non_python_files_pass_through_unchanged() -> None:
    assert formatting.format_python({"README.md": "x  =1\n"}) == {"README.md": "x  =1\n"}


@pytest.mark.parametrize("name", RUNTIME_FILES)
def test_runtime_files_need_no_formatting(name: str) -> None:
    """They are copied without black (format_python's `black_clean`), so black must have
    nothing to change in them, with the generated-file header line in front."""
    text = f"{HEADER.format(spec='x.yaml')}\n" + (_templates_dir() / "runtime" / name).read_text()
    assert black.format_str(text, mode=formatting.mode()) == text


def test_files_named_black_clean_are_left_as_they_are() -> None:
    files = {"a.py": AWKWARD, "b.py": AWKWARD}
    result = formatting.format_python(files, black_clean={"b.py"})
    assert result["b.py"] == AWKWARD and result["a.py"] != AWKWARD


def test_pieces_that_are_modules_on_their_own_are_cut_without_parsing_the_whole() -> None:
    source = "x = 1\n\n\nclass A:\n    pass\n\n\ny = 2\n"
    assert formatting._chunks(source, lambda chunk: False) == source.split("\n\n\n")
    # a piece known from the cache counts as a module even if it would not parse here
    assert formatting._chunks("a = (\n\n\nb)\n", lambda chunk: True) == ["a = (", "b)\n"]
    assert formatting._chunks("a = (\n\n\nb)\n", lambda chunk: False) == ["a = (\n\n\nb)\n"]


def test_when_ruff_cannot_run_formatting_fails_instead_of_changing_output(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(result_cache.CACHE_ENV, "")
    monkeypatch.setattr(formatting, "find_ruff_bin", lambda: "/nonexistent/ruff")
    with pytest.raises(SpecError, match="ruff could not run"):
        formatting.format_python({"m.py": AWKWARD})


@pytest.mark.parametrize("source", [
    "@decorator\n\n\ndef f():\n    pass\n",
    "x = 1\n\n\n\n\n\n\ny = 2\n",
    '"""Module docstring."""\n\n\nimport os\n',
    "# only a comment\n\n\nx = 1\n",
])
def test_awkward_layouts_come_out_as_black_formats_the_whole_file(
        source: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(result_cache.CACHE_ENV, "")
    expected = black.format_str(source, mode=formatting.mode())
    assert formatting.format_python({"m.py": source})["m.py"] == expected


GENERATED = sorted((Path(__file__).parents[2] / "generated").rglob("*.py"))


@pytest.mark.parametrize("path", GENERATED, ids=[p.name for p in GENERATED])
def test_committed_generated_files_are_as_black_formats_them(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert black.format_str(text, mode=formatting.mode()) == text


def test_generated_code_that_does_not_parse_is_reported_as_such(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(result_cache.CACHE_ENV, "")
    with pytest.raises(SpecError, match="generated code is not valid Python"):
        formatting.format_python({"m.py": "def (:\n"})


FREQUENCY = Reference("SyncFrequency")
LONG_NAMES = (Reference("SyncFrequency"), Reference("ScheduleType"),
              Reference("NetworkingMethod"), Primitive("int"))


@pytest.mark.parametrize(("annotation", "parenthesized"), [
    (or_not_given(UnionType((FREQUENCY, LiteralType((1, 5, 15, 30, 60, 120, 180, 360, 480)))))
     , True),
    (or_not_given(ListType(UnionType(LONG_NAMES))), True),  # at its top, `list[...] | NotGiven`
    (ListType(UnionType(LONG_NAMES)), False),  # a union inside brackets only
    (LiteralType(("a | b", "a very long value that makes the line too long for one line")),
     False),
    (or_not_given(Primitive("str")), False),  # fits
])
def test_a_parameter_annotation_is_parenthesized_where_black_would(
        annotation: TypeRef, parenthesized: bool) -> None:
    line = parameter("networking_method", annotation, None, 8, "NOT_GIVEN")
    assert line.startswith("networking_method: (") is parenthesized
    module = f"def f(\n    self,\n    *,\n    {line}\n) -> None: ...\n"
    preformatted = formatting._preformatted([module])[0]
    assert black.format_str(preformatted, mode=formatting.mode()) == preformatted


@pytest.mark.parametrize("spec", ["fivetran.yaml", "stitch.yaml"])
def test_ruff_leaves_the_generated_code_in_blacks_layout(spec: str) -> None:
    """black formats a text twice when its first pass changes it. The templates write what
    ruff's formatter turns into black's own layout (long parameter annotations in parentheses:
    render.parameter), so black's first pass changes nothing and it makes one."""
    loaded = load_spec(Path(__file__).parents[2] / "specs" / spec)
    api, files = unformatted_package(loaded)
    chunks = sorted({chunk for path, text in files.items()
                     if path.endswith(".py") and path not in runtime_paths(api)
                     for chunk in formatting._chunks(text, lambda chunk: False)})
    changed = [chunk for chunk in formatting._preformatted(chunks)
               if black.format_str(chunk, mode=formatting.mode()) != chunk]
    assert not changed, changed[0]


# Members of a long class in layouts black treats differently at a method's start: comments
# before and between, decorators, stubs next to each other, a docstring holding what looks
# like a method, blank lines missing or doubled, nested classes, statements between methods.
CLASS_MEMBERS = [
    '''    @overload
    def create(self, *, service: Literal["{n}"], config: models.Config{n} | params.Config{n}Param | NotGiven = NOT_GIVEN, timeout: Timeout | NotGiven = NOT_GIVEN) -> models.Response{n}: ...
''',
    '''    @overload
    def create(self, *, service: str) -> Any: ...
    @overload
    def create(self, *, service: int) -> Any: ...
''',
    '''    # a comment before a method
    def commented_{n}(self) -> None:
        pass
''',
    '''    def documented_{n}(self) -> str:
        """Text with code in it:


    def not_a_method(self):
        pass
        """
        return 'single'
''',
    '''

    async def far_{n}(self,
        a: int,


        b: int) -> None:
        x = [1,
            2]
''',
    '''    class Nested{n}:
        value = 1
    attribute_{n}: int = 1
''',
    '''    @property
    def prop_{n}(self) -> int:  # trailing comment
        return 1
    # a comment after a method, before a blank line

''',
]


def test_a_long_class_formatted_a_method_at_a_time_is_as_black_formats_it_whole(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(result_cache.CACHE_ENV, "")
    members = "\n".join(member.format(n=n) for n in range(40) for member in CLASS_MEMBERS)
    source = f'class Resource(Base):\n    """The class."""\n\n{members}\n\nx = 1\n'
    assert len(source) > formatting._METHODS_FROM
    assert len(formatting._methods(formatting._preformatted([source.split("\n\nx = 1")[0]])[0])) > 100
    expected = black.format_str(source, mode=formatting.mode())
    assert formatting.format_python({"m.py": source})["m.py"] == expected


@pytest.mark.parametrize("prefix", ["", "noqa; "])
def test_a_long_class_where_black_is_turned_off_is_formatted_whole(
        prefix: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A `# fmt: off` region may span methods (and a spec's description can become a
    comment), and what black leaves alone is left as written, names included. black also
    reads the directive after a `;` in another comment."""
    monkeypatch.setenv(result_cache.CACHE_ENV, "")
    members = "\n".join(member.format(n=n) for n in range(40) for member in CLASS_MEMBERS)
    odd = (f"    # {prefix}fmt: off\n    def odd(self):  return [1,\n      2]\n\n"
           f"    def odder( self ):  return {{'a':1}}\n    # {prefix}fmt: on\n\n"
           "    def skipped(self, a:int,b:int)->int:  return a  # fmt: skip\n")
    source = f"class Resource(Base):\n{odd}\n{members}\n"
    expected = black.format_str(source, mode=formatting.mode())
    assert formatting.format_python({"m.py": source})["m.py"] == expected
    assert "def odd(self):  return [1," in expected


def test_a_change_to_one_method_of_a_long_class_reformats_that_method(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(result_cache.CACHE_ENV, str(tmp_path))
    members = "\n".join(member.format(n=n) for n in range(40) for member in CLASS_MEMBERS)
    source = f'class Resource(Base):\n    """The class."""\n\n{members}\n'
    formatting.format_python({"m.py": source})
    formatted: list[str] = []
    real = formatting._format_chunk
    monkeypatch.setattr(formatting, "_format_chunk",
                        lambda chunk: formatted.append(chunk) or real(chunk))
    changed = source.replace("def commented_7(self)", "def commented_7(self, extra: int)")
    result = formatting.format_python({"m.py": changed})["m.py"]
    assert result == black.format_str(changed, mode=formatting.mode())
    assert len(formatted) == 1  # the changed method's skeleton


# Pieces whose names and plain strings differ (in width too), and what the skeleton must not
# touch: keywords, soft keywords, dunder names, docstrings, prefixed and single-quoted strings,
# strings that start a line or hold spaces at an end, comments, numbers.
SKELETON_PIECES = [
    f"""@overload
def create_{name}(
    client: SyncAPIClient,
    *,
    service: Literal["{name}"],
    config: models.{name.title()}Config | params.{name.title()}ConfigParam | NotGiven = NOT_GIVEN,
    timeout: Timeout | NotGiven = NOT_GIVEN,
) -> models.{name.title()}Response: ...
""" for name in ["a", "shaxrim", "drundce", "a_service_name_long_enough_to_wrap_the_line"]
] + [
    'match = {"case": 1, "type": 2}\nprint(match, type, _)\n',
    'from __future__ import annotations\n\nx = [\n    "starts a line",\n    " spaced ",\n]\n',
    "y = f'{x}' + rb'raw' + 'single' + \"it's\"  # a comment with \"quotes\" and names\n",
    "z = 1e-5 + 0x1F + 1_000j + x1.real\n",
    'class A:\n    "docstring"\n    attribute: int = 1\n',
]


def test_pieces_formatted_as_skeletons_come_out_as_black_formats_them(
        monkeypatch: pytest.MonkeyPatch) -> None:
    formatted: list[str] = []
    real = formatting._format_chunk
    monkeypatch.setattr(formatting, "_format_chunk",
                        lambda chunk: formatted.append(chunk) or real(chunk))
    pieces = formatting._preformatted(SKELETON_PIECES)
    expected = [black.format_str(piece, mode=formatting.mode()) for piece in pieces]
    assert formatting._formatted(pieces * 2) == expected * 2
    # the overloads whose names have the same widths ("shaxrim", "drundce") are formatted as
    # one skeleton; a piece met twice is formatted once
    assert len(formatted) == len(pieces) - 1


@pytest.mark.parametrize("spec", ["fivetran.yaml", "stitch.yaml"])
def test_every_piece_of_a_package_comes_out_of_its_skeleton_as_black_formats_it(
        spec: str) -> None:
    """Real generated code, each top-level statement (and each method of a long class)
    formatted as its skeleton and filled in, against black on the piece itself."""
    api, files = unformatted_package(load_spec(Path(__file__).parents[2] / "specs" / spec))
    chunks = sorted({chunk for path, text in files.items()
                     if path.endswith(".py") and path not in runtime_paths(api)
                     for chunk in formatting._chunks(text, lambda chunk: False)})
    pieces = sorted({piece for chunk in formatting._preformatted(chunks)
                     for piece in formatting._methods(chunk)})
    assert sum(formatting._skeleton(piece) is not None for piece in pieces) >= 10
    assert formatting._formatted(pieces) == [black.format_str(piece, mode=formatting.mode())
                                             for piece in pieces]
