"""Command line: argument parsing and exit codes only; the work happens in the pipeline."""

from __future__ import annotations

import argparse
import gc
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import BrokenExecutor, Executor
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from . import __version__, cache, manifest
from .config import Target, configured_targets
from .diagnostics import Diagnostic, SpecError, summary
from .diff_report import COMMENT_LIMIT
from .model_worker import model_worker
from .watch import DEFAULT_INTERVAL, watch
from .write import compare_package, recover_output, write_package

if TYPE_CHECKING:
    from .pipeline import GeneratedPackage

EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="clientgen",
        description="Generate a typed Python client package from an OpenAPI 3.0/3.1 spec.",
    )
    parser.add_argument("--version", action="version", version=f"clientgen {__version__}")
    parser.add_argument("--debug", action="store_true",
                        help="show the traceback of an internal error")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    generate = commands.add_parser(
        "generate", help="generate client packages",
        description="Without SPEC, regenerate every [[tool.clientgen.packages]] entry of the "
                    "nearest pyproject.toml.",
    )
    generate.add_argument("spec", nargs="?", help="spec file (YAML or JSON)")
    generate.add_argument("--out", type=Path, help="output directory (with SPEC)")
    generate.add_argument("--package", help="import name of the package (default: from info)")
    generate.add_argument("--check", action="store_true",
                          help="write nothing; exit 1 if the output is not current")
    generate.add_argument("--diff", action="store_true", help="with --check: show a unified diff")
    generate.add_argument("--force", action="store_true",
                          help="replace --out even if it holds files clientgen did not write")
    generate.add_argument("-q", "--quiet", action="store_true", help="no progress or summary")
    generate.add_argument("--no-cache", action="store_true",
                          help="do the full work: neither read nor write the cache "
                               "(the same as an empty CLIENTGEN_CACHE_DIR)")
    generate.add_argument("--skip-invalid", action="store_true",
                          help="leave out operations and schemas with errors (each is listed "
                               "as a warning) instead of failing")
    generate.add_argument("--watch", action="store_true",
                          help="after generating, regenerate whenever the spec or a file it "
                               "$refs changes, until Ctrl-C")
    generate.add_argument("--interval", type=_positive_seconds, metavar="SECONDS",
                          help="with --watch: how often to look for changes "
                          f"(default: {DEFAULT_INTERVAL})")
    _add_ref_root(generate)
    _add_debug(generate)

    validate = commands.add_parser("validate", help="report a spec's problems; write nothing")
    validate.add_argument("spec", help="spec file (YAML or JSON)")
    validate.add_argument("-q", "--quiet", action="store_true", help="print diagnostics only")
    validate.add_argument("--skip-invalid", action="store_true",
                          help="report what `generate --skip-invalid` would leave out")
    _add_ref_root(validate)
    _add_debug(validate)

    diff = commands.add_parser(
        "diff", help="report the API changes between two specs",
        description="Compare two specs and classify each API change as breaking, potentially "
                    "breaking or non-breaking for client users; also compare the public Python "
                    "API generated from each. A spec is a file or git:REVISION:PATH.",
    )
    diff.add_argument("old", help="the spec before the change (file or git:REVISION:PATH)")
    diff.add_argument("new", help="the spec after the change (file or git:REVISION:PATH)")
    diff.add_argument("--format", choices=("text", "markdown", "json", "changelog"),
                      default="text", help="text (default), markdown for a PR comment, json, "
                      "or a changelog entry")
    diff.add_argument("--fail-on", choices=("breaking", "potentially-breaking", "any", "never"),
                      default="never", help="exit 1 when a change this severe or worse is found")
    diff.add_argument("--no-api", action="store_true",
                      help="do not generate both packages to compare their Python API (faster)")
    diff.add_argument("--max-chars", type=int, default=COMMENT_LIMIT, metavar="N",
                      help="markdown: fit the report in N characters, worst changes first "
                      f"(default: {COMMENT_LIMIT}, a GitHub comment); 0: no limit")
    diff.add_argument("--full-report", metavar="FILE",
                      help="also write the whole Markdown report, with no limit, to FILE")
    _add_ref_root(diff)
    _add_debug(diff)
    return parser


def _positive_seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds < float("inf"):
        raise argparse.ArgumentTypeError(f"expected a number of seconds above 0, not {text!r}")
    return seconds


def _add_ref_root(command: argparse.ArgumentParser) -> None:
    command.add_argument("--ref-root", type=Path, metavar="DIR",
                         help="let `$ref`s reach files under DIR too (by default only under the "
                              "spec's directory or the git work tree that holds it)")


def _add_debug(command: argparse.ArgumentParser) -> None:
    """`--debug` after the command, too (`clientgen generate --debug ...`)."""
    command.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                         help="show the traceback of an internal error")


def _display(path: Path) -> str:
    """A path as the user would write it: relative to the working directory when inside it."""
    try:
        return Path(os.path.relpath(path)).as_posix() if path.is_absolute() else path.as_posix()
    except ValueError:
        return path.as_posix()


def _print_diagnostics(diagnostics: Sequence[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        print(diagnostic.format(), file=sys.stderr)


def _print_failure(spec: Path, diagnostics: Sequence[Diagnostic], consequence: str) -> None:
    """Every diagnostic of a failed run, then one line that counts them."""
    _print_diagnostics(diagnostics)
    print(f"{_display(spec)}: {summary(list(diagnostics))}; {consequence}", file=sys.stderr)


def _summary(result: GeneratedPackage, out: Path) -> str:
    api = result.api
    return (f"{api.spec_name} -> {_display(out)}: {len(api.operations)} operations, "
            f"{result.model_count} models, {len(result.files)} files in {result.seconds:.2f}s")


def _targets(args: argparse.Namespace) -> list[Target]:
    if args.diff and not args.check:
        raise _UsageError("--diff goes with --check (it shows what --check finds stale)")
    if args.watch and args.check:
        raise _UsageError("--watch regenerates, --check writes nothing: use one of them")
    if args.interval is not None and not args.watch:
        raise _UsageError("--interval goes with --watch (it sets how often to look)")
    if args.spec is None:
        if args.out is not None or args.package is not None:
            raise _UsageError("--out and --package need a SPEC")
        targets = configured_targets(Path.cwd())
    elif args.out is None:
        raise _UsageError("generating from a SPEC needs --out DIR")
    else:
        targets = [Target(Path(args.spec), args.out, args.package)]
    return targets


def _check_package_name(target: Target, from_cli: bool) -> None:
    """Refuse a package name that cannot be a package or would shadow a module the client
    needs (checked before the full work only: the run-time modules take a while to list)."""
    from .naming import package_name_problem
    from .render import runtime_modules

    problem = None if target.package is None else package_name_problem(target.package,
                                                                       runtime_modules())
    if problem is not None:
        given = "--package" if from_cli else "the package of a [[tool.clientgen.packages]] entry,"
        raise _UsageError(f"{given} {target.package!r} {problem}; choose another name, "
                          "e.g. acme_client")


class _UsageError(Exception):
    pass


def _generate(args: argparse.Namespace) -> int:
    targets = _targets(args)
    if args.no_cache:
        os.environ[cache.CACHE_ENV] = ""  # for the worker processes too
    failed = False
    with ExitStack() as work:
        started: list[Executor] = []

        def worker() -> Executor:
            """The models' worker process, started when a target first needs it: before the
            pipeline is imported, so that it loads datamodel-code-generator meanwhile."""
            if not started:
                started.append(work.enter_context(model_worker()))
            return started[0]

        if args.watch:  # the worker is kept: a regeneration then imports nothing
            def regenerate(target: Target) -> None:
                """A run of the watch: whatever goes wrong is said, and the watch goes on (but
                for running out of memory, which ends it as it ends `generate`)."""
                for attempt in (1, 2):
                    try:
                        _generate_target(args, target, worker)
                        return
                    except BrokenExecutor as exc:  # the worker was killed: start another one
                        started.clear()
                        if attempt == 2:
                            _report_internal_error(exc, args)
                    except (MemoryError, _UsageError):
                        raise
                    except Exception as exc:
                        _report_internal_error(exc, args)
                        return

            watch(targets, regenerate, _display, args.interval or DEFAULT_INTERVAL, args.quiet)
            return EXIT_OK
        for target in targets:
            failed = not _generate_target(args, target, worker) or failed
    return EXIT_FAILURE if failed else EXIT_OK


def _generate_target(args: argparse.Namespace, target: Target,
                     worker: Callable[[], Executor]) -> bool:
    """Generate (or with --check, compare) one target; whether that succeeded."""
    if not args.check:
        recover_output(target.out)  # first, so that a spec with errors still gets it back
    display = _display(target.spec)
    # inputs as the manifest records them, files as it hashes them: nothing to do (a
    # --ref-root run always does the work: the manifest does not record the root)
    warnings = None if args.ref_root else manifest.unchanged(
        target.spec, target.out, target.package, args.skip_invalid, display)
    if warnings is not None:
        if not args.quiet:
            for warning in warnings:
                print(warning, file=sys.stderr)
            print(f"{_display(target.out)} is current (its manifest matches the inputs)",
                  file=sys.stderr)
        return True
    models_worker = worker()  # first: it loads its library while the rest is done here
    _check_package_name(target, from_cli=args.spec is not None)
    from .pipeline import generate_package  # the full work; not needed above

    try:
        result = generate_package(target.spec, target.package, display,
                                  skip_invalid=args.skip_invalid, ref_root=args.ref_root,
                                  worker=models_worker)
    except SpecError as exc:
        _print_failure(target.spec, exc.diagnostics,
                       f"nothing was written to {_display(target.out)}")
        return False
    warnings = [d.format() for d in result.diagnostics.sorted()]
    if not args.quiet:
        _print_diagnostics(result.diagnostics.sorted())
    if args.check:
        report = compare_package(result.files, target.out, with_diff=args.diff)
        if report:
            print(f"{_display(target.out)} is stale: regenerate with `clientgen generate`",
                  file=sys.stderr)
            print("\n".join(report), file=sys.stderr)
            return False
        manifest.remember(result.files[manifest.MANIFEST], display, warnings)
        if not args.quiet:
            print(f"{_display(target.out)} is current", file=sys.stderr)
        return True
    try:
        write_package(result.files, target.out, force=args.force, spec=target.spec)
    except SpecError as exc:
        _print_diagnostics(exc.diagnostics)
        return False
    manifest.remember(result.files[manifest.MANIFEST], display, warnings)
    if not args.quiet:
        print(_summary(result, target.out), file=sys.stderr)
    return True


def _validate(args: argparse.Namespace) -> int:
    from .pipeline import generate_package

    spec = Path(args.spec)
    try:
        result = generate_package(spec, None, _display(spec), skip_invalid=args.skip_invalid,
                                  formatted=False, ref_root=args.ref_root)
    except SpecError as exc:
        _print_failure(spec, exc.diagnostics, "not valid")
        return EXIT_FAILURE
    _print_diagnostics(result.diagnostics.sorted())
    if not args.quiet:
        operations = len(result.api.operations)
        print(f"{_display(spec)}: valid ({operations} operation{'s' if operations != 1 else ''}, "
              f"{summary(result.diagnostics.items)})", file=sys.stderr)
    return EXIT_OK


def _diff(args: argparse.Namespace) -> int:
    from . import diff, diff_report  # only this command needs them

    report = diff.compare(args.old, args.new, with_api=not args.no_api, ref_root=args.ref_root)
    if args.format == "text":
        color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        sys.stdout.write(diff_report.render_text(report, color=color))
    elif args.format == "markdown":
        sys.stdout.write(diff_report.render_markdown(report, args.max_chars or None))
    else:
        sys.stdout.write(diff_report.RENDERERS[args.format](report))
    if args.full_report:
        Path(args.full_report).write_text(diff_report.render_markdown(report, None),
                                          encoding="utf-8")
    return EXIT_FAILURE if diff.fails(report, args.fail_on) else EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    handlers = {"generate": _generate, "validate": _validate, "diff": _diff}
    try:
        return handlers[args.command](args)
    except _UsageError as exc:
        parser.error(str(exc))  # exits with EXIT_USAGE
    except SpecError as exc:
        _print_diagnostics(exc.diagnostics)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        print("clientgen: interrupted; the output directory being written was left as it was",
              file=sys.stderr)
        return 130
    except MemoryError:
        print("clientgen: out of memory; is the spec what you meant to pass?", file=sys.stderr)
        return EXIT_FAILURE
    except Exception as exc:
        _report_internal_error(exc, args)
        return EXIT_INTERNAL
    return EXIT_OK


def _report_internal_error(exc: Exception, args: argparse.Namespace) -> None:
    if getattr(args, "debug", False):
        traceback.print_exception(exc)
    problem = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
    print(f"clientgen: internal error ({problem}). This is a bug in clientgen, not in your "
          "spec: please report it with the spec and the output of the same command run "
          "with --debug.", file=sys.stderr)


def run() -> NoReturn:
    """The `clientgen` command: `main`, then an exit that skips the interpreter's teardown
    (freeing every object and module of a run: ~0.05-0.1 s, a tenth of a regeneration), as
    mypy's command does. Nothing is left to it: the output is written and the worker processes
    have ended. The usual exit when a tracer or profiler is on (coverage, cProfile: they write
    their results at exit) or when flushing the output fails (Python then reports it and exits
    with 120).

    The cyclic garbage collector's youngest generation is collected after 200,000 new
    objects, not 700 (mypy's command sets the same): the run makes millions of short-lived
    objects (syntax trees, datamodel-code-generator's and black's), which it walked again and
    again. A cold generation of the vendor-shaped spec took ~6% less time, with the same peak
    memory; the worker processes, forks of this one, inherit the setting. `main` leaves it
    alone: it may run in a program of its own."""
    gc.set_threshold(200_000, 30, 30)
    code = main()
    if _observed():
        raise SystemExit(code)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a full disk, a closed pipe or stream
        raise SystemExit(code) from None
    os._exit(code)


def _observed() -> bool:
    """Whether a tracer or profiler watches this process (on Python 3.12 and later, cProfile
    and coverage may use `sys.monitoring`, which `sys.getprofile` does not show)."""
    monitoring = getattr(sys, "monitoring", None)
    return (sys.gettrace() is not None or sys.getprofile() is not None or (
        monitoring is not None and any(monitoring.get_tool(tool) is not None
                                       for tool in range(6))))
