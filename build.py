#!/usr/bin/env python3
"""Alternativa Film Labs site generator: the command line.

  python build.py                 build the site into output_dir (same as 'build')
  python build.py check           load and validate everything; write nothing
  python build.py serve           preview with live reload
  python build.py i18n …          translators' commands (extract, update, status, mark)
  python build.py server-config nginx   print the web server configuration of the built site
  python build.py new KIND NAME   write the files of a new lab, edition, person, partner, news, page or faq
  python build.py schemas         regenerate schemas/, .vscode/settings.json and the fields in docs/content.md
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import traceback
from pathlib import Path
from typing import TextIO

try:
    from labsite.build.run import BuildResult, Options, StateNotSaved, WriteFailed, build_site
    from labsite.load.workers import default_jobs
    from labsite.model.dates import FIRST_YEAR, LAST_YEAR
    from labsite.model.problems import BuildFailed, Problem
    from labsite.outputs.writer import reason
except ModuleNotFoundError as missing:  # run by a Python without the project's packages, not by the one make sets up
    if (missing.name or "").partition(".")[0] == "labsite":
        raise
    sys.exit(f"error: the Python package '{missing.name}' is not installed for {sys.executable}. Run `make site` "
             "once, then run the generator as .venv/bin/python build.py … (README.md: Set-up on a fresh machine).")

HERE = Path(__file__).resolve().parent
COMMANDS = ("build", "check", "serve", "i18n", "server-config", "new", "schemas")
I18N_ACTIONS = """actions:
  extract   templates and code -> locales/messages.pot
  update    merge messages.pot into each language's messages.po
  status    what is missing, fuzzy or stale, per language (--format json for tools)
  mark FILE record that a translated .md file matches its source text"""


def parse_now(text: str | None, tz_name: str) -> dt.datetime:
    """The build's moment: --now, else SOURCE_DATE_EPOCH, else the clock."""
    from labsite.model.timezones import ZoneInfoNotFoundError, zone

    try:
        tz = zone(tz_name)
    except ZoneInfoNotFoundError:
        tz = zone("UTC")  # the build itself reports the unknown time zone, with its line
    if text:
        try:
            value = dt.datetime.fromisoformat(text)
        except ValueError:
            raise SystemExit(f"error: --now {text!r} is not YYYY-MM-DD or YYYY-MM-DDTHH:MM") from None
        moment, source = value if value.tzinfo else value.replace(tzinfo=tz), f"--now {text}"
    elif os.environ.get("SOURCE_DATE_EPOCH"):
        epoch = os.environ["SOURCE_DATE_EPOCH"]
        try:
            moment, source = dt.datetime.fromtimestamp(int(epoch), dt.UTC), f"SOURCE_DATE_EPOCH={epoch}"
        except (ValueError, OverflowError, OSError):
            raise SystemExit(f"error: SOURCE_DATE_EPOCH={epoch!r} is not a whole number of seconds") from None
    else:
        moment, source = dt.datetime.now(tz), "the clock"
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise SystemExit(f"error: {source} is outside the years {FIRST_YEAR} to {LAST_YEAR} the site can show")
    return moment


def in_ci() -> bool:
    """Whether this runs in continuous integration (``CI`` set, as CI services and ``.ci/run`` do)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def site_timezone(root: Path) -> str:
    """The configured time zone, read leniently (errors are reported by the build itself)."""
    from labsite.load.config import load_config
    from labsite.model.problems import Problems

    return load_config(root, Problems()).timezone


def make_parser() -> argparse.ArgumentParser:
    """The command line's arguments."""
    from labsite import __version__

    parser = argparse.ArgumentParser(prog="build.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"%(prog)s (labsite) {__version__}")
    shared = argparse.ArgumentParser(add_help=False)
    shared.add_argument("--root", type=Path, default=HERE, help="the project folder (default: beside build.py)")
    shared.add_argument("--now", metavar="YYYY-MM-DD[THH:MM]",
                        help="build as if it were this moment (default: SOURCE_DATE_EPOCH, else the clock)")
    shared.add_argument("--drafts", action="store_true", help="include drafts and future-dated items, marked as drafts")
    shared.add_argument("--strict", action="store_true", help="treat warnings as errors (for CI)")
    shared.add_argument("--jobs", type=int, default=default_jobs(), metavar="N",
                        help="processes that convert Markdown and render pages (default: the number of cores; "
                             "1: all in one process)")
    shared.add_argument("--no-cache", dest="cache", action="store_false",
                        help="neither read nor fill the build cache in .cache/ (the output is the same)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("build", parents=[shared], help="build the site into output_dir (the default)")
    commands.add_parser("check", parents=[shared], help="load and validate everything without writing the site")
    serve = commands.add_parser("serve", parents=[shared], help="build, serve on 127.0.0.1 and rebuild on changes")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1 only)")
    i18n = commands.add_parser("i18n", parents=[shared], help="translators' commands",
                               description=I18N_ACTIONS, formatter_class=argparse.RawDescriptionHelpFormatter)
    i18n.add_argument("action", nargs="?", choices=["extract", "update", "status", "mark"], metavar="ACTION",
                      help="extract, update, status or mark (see above)")
    i18n.add_argument("paths", nargs="*", metavar="FILE", help="for 'mark': the translated .md files to mark as up to date")
    i18n.add_argument("--format", choices=["text", "json"], default="text", help="for 'status': text or json")
    server = commands.add_parser("server-config", help="print a web server configuration for the built site")
    server.add_argument("server", choices=["nginx"], help="the web server")
    server.add_argument("--listen", default="80", metavar="[ADDRESS:]PORT",
                        help="where the server listens (default: 80; e.g. 127.0.0.1:8080)")
    server.add_argument("--root", type=Path, metavar="DIR",
                        help="the built site the server serves (default: the project's output_dir)")
    server.add_argument("--project", type=Path, default=HERE, metavar="DIR",
                        help="the project folder whose site_config.yaml is read (default: beside build.py)")
    add_new_and_schemas(commands)
    return parser


def add_new_and_schemas(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The editors' scaffold and the schema generator."""
    new = commands.add_parser("new", help="write the files of a new item, ready to fill in",
                              description="KIND is lab, edition, person, partner, news, page or faq. "
                                          "An edition takes its lab and year: new edition impact-lab 2027.")
    new.add_argument("kind", help="lab, edition, person, partner, news, page or faq")
    new.add_argument("name", nargs="?", help="the id (file name), e.g. teen-lab; for an edition, its lab")
    new.add_argument("year", nargs="?", help="for an edition: its year")
    new.add_argument("--root", type=Path, default=HERE, help="the project folder (default: beside build.py)")
    new.add_argument("--now", metavar="YYYY-MM-DD[THH:MM]", help="today, for dates (default: the clock)")
    schemas = commands.add_parser("schemas", help="regenerate the JSON Schemas, editor settings and docs' field table")
    schemas.add_argument("--check", action="store_true", help="only report what is out of date (exit 1)")
    schemas.add_argument("--root", type=Path, default=HERE, help="the project folder (default: beside build.py)")


def report(problems: list[Problem], out: TextIO | None = None) -> None:
    """Print problems, errors first."""
    for problem in sorted(problems, key=lambda p: (not p.is_error, p.path, p.line)):
        print(problem, file=out or sys.stderr)


def cmd_build(args: argparse.Namespace, write: bool) -> int:
    """Build (or check) the site and print a summary."""
    if args.jobs < 1:
        print(f"error: --jobs {args.jobs}: give 1 or more processes", file=sys.stderr)
        return 1
    options = Options(parse_now(args.now, site_timezone(args.root)), args.drafts, args.strict,
                      record_state=not in_ci(), jobs=args.jobs, cache=args.cache)
    try:
        result = build_site(args.root, options, write=write)
    except BuildFailed as failed:
        report(failed.problems)
        errors = sum(p.is_error for p in failed.problems)
        warnings = len(failed.problems) - errors
        kind = f"{errors} error(s)" if errors else ""
        if args.strict and warnings:
            kind += f"{' and ' if errors else ''}{warnings} warning(s) in --strict mode"
        tail = "" if not write else " The previously built site is unchanged."
        print(f"\nFailed: {kind}.{tail}", file=sys.stderr)
        return 1
    except StateNotSaved as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except WriteFailed as exc:
        if not write:
            print(f"error: the site could not be checked: its pages could not be put in a temporary folder: {exc}.",
                  file=sys.stderr)
            return 1
        print(f"error: the site could not be written to {result_target(args.root)}: {exc}.\n\n"
              "Failed. The previously built site is unchanged.", file=sys.stderr)
        return 1
    report(result.problems)
    for warning in result.cache_warnings:
        print(f"warning: {warning}", file=sys.stderr)
    per_lang = ", ".join(f"{lang} {count}" for lang, count in result.counts.items())
    warnings = len(result.problems.warnings)
    verb = "Built" if write else "Checked"
    where = f" → {result_target(args.root)}" if write else ""
    change = f"; next open-call status change {result.next_change}" if result.next_change else ""
    ics, atom = result.feeds
    kept = " (nothing changed since the last build: its files kept, status.json made for this moment)" if result.kept else ""
    print(f"{verb} {sum(result.counts.values())} pages ({per_lang}), {ics} iCal and {atom} Atom file(s), "
          f"{warnings} warning(s) in {result.seconds:.2f} s{where}{compression_summary(result)}{change}{kept}")
    return 0


def compression_summary(result: BuildResult) -> str:
    """The bytes the precompressed copies save, for the summary: ``; precompressed 12 files: 80 KB → 15 KB br, …``."""
    if not result.compressed or not result.compressed["br"][0]:
        return ""
    count, before, _ = result.compressed["br"]
    sizes = ", ".join(f"{after / 1024:.0f} KB {name}" for name, (_, _, after) in result.compressed.items())
    return f"; precompressed {count} text file(s): {before / 1024:.0f} KB → {sizes}"


def cmd_i18n(args: argparse.Namespace) -> int:
    """The translators' commands: extract, update, status, mark."""
    if args.action is None:
        print(f"error: 'i18n' needs an action.\n{I18N_ACTIONS}", file=sys.stderr)
        return 2
    from labsite.commands import i18n as i18n_status
    from labsite.model.problems import Problems

    problems = Problems()
    root = args.root
    if args.action == "extract":
        output = i18n_status.run_extract(root)
    elif args.action == "update":
        output = i18n_status.run_update(root, problems)
    elif args.action == "mark":
        output = i18n_status.run_mark(root, [Path(p) for p in args.paths], problems)
    else:
        statuses, problems = i18n_status.collect(root)
        if args.format == "json":
            output = i18n_status.as_json(statuses, problems)
            problems = Problems(problems.errors)
        else:
            output = i18n_status.as_text(statuses)
            problems = Problems(p for p in problems if p.is_error)
    if output:
        print(output)
    report(problems)
    return 1 if problems.errors else 0


def cmd_server_config(args: argparse.Namespace) -> int:
    """Print the web server configuration for the built site."""
    from labsite.load.config import load_config
    from labsite.model.problems import Problems
    from labsite.outputs.nginx import ConfigError, check_root, closed_folder, nginx_config

    problems = Problems()
    config = load_config(args.project, problems)
    if problems.errors:
        report(problems)
        return 1
    try:
        served = args.root or config.output_path
        print(nginx_config(config, args.listen, served), end="")
        closed = closed_folder(check_root(served))  # the folder as nginx is given it
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    if closed is not None:
        print(f"warning: {closed} lets no other user through (mode {closed.stat().st_mode & 0o777:o}), so nginx's "
              "workers, which run as 'nobody' when nginx is started as root, would answer 403 for every page. "
              "Keep the project in a folder every user may pass through, such as /srv/alternativa, or add a "
              "'user' line for the folder's owner to the configuration.", file=sys.stderr)
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    """Write the files of a new item and say what to fill in."""
    from labsite.commands import new as scaffold
    from labsite.load.config import load_config
    from labsite.model.problems import Problems

    problems = Problems()
    config = load_config(args.root, problems)
    plan = None
    if not problems.errors:
        today = parse_now(args.now, config.timezone).astimezone(config.tz).date()
        plan = scaffold.plan(config, args.kind, args.name, args.year, today, problems)
    if plan is None or not scaffold.write(args.root, plan, problems):
        report(problems)
        return 1
    print(scaffold.summary(config, plan))
    return 0


def cmd_schemas(args: argparse.Namespace) -> int:
    """Regenerate (or, with --check, compare) the files made from labsite/model/schema.py."""
    from labsite.load.config import load_config
    from labsite.model.problems import Problems
    from labsite.outputs import schema_files

    problems = Problems()
    config = load_config(args.root, problems)
    files = schema_files.generated(args.root, config.languages, problems)
    if problems.errors:
        report(problems)
        return 1
    if args.check:
        for rel in schema_files.stale(args.root, files):
            problems.error(rel, 0, "differs from the field definitions in labsite/model/schema.py",
                           "Run 'python build.py schemas' and commit the result.")
        report(problems)
        return 1 if problems else 0
    changed = schema_files.write(args.root, files)
    print("\n".join(f"wrote {rel}" for rel in changed) or "everything generated from labsite/model/schema.py is up to date")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Preview with live reload until interrupted."""
    from labsite.commands.serve import serve

    if not 1 <= args.port <= 65535:
        print(f"error: --port {args.port} is not a port number: use one from 1 to 65535, such as 8000", file=sys.stderr)
        return 1
    tz_name = site_timezone(args.root)
    return serve(args.root, lambda: Options(parse_now(args.now, tz_name), args.drafts, args.strict,
                                            jobs=max(args.jobs, 1), cache=args.cache), args.host, args.port)


def result_target(root: Path) -> str:
    """The output folder, for the summary."""
    from labsite.load.config import load_config
    from labsite.model.problems import Problems

    return str(load_config(root, Problems()).output_path)


def main(argv: list[str] | None = None) -> int:
    """Run one command; every failure ends in a message and an exit status, never in a traceback."""
    try:
        return run(argv)
    except KeyboardInterrupt:
        print("\nInterrupted. The output folder holds the previous site or the new one, never a mix.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        raise
    except SystemExit as exc:  # a usage error with its message (argparse, --now)
        if isinstance(exc.code, str):
            print(exc.code, file=sys.stderr)
            return 1
        return exc.code if isinstance(exc.code, int) else 0
    except MemoryError:
        print("error: the build ran out of memory; look for a very large or repetitive file in content/",
              file=sys.stderr)
        return 1
    except RecursionError:
        print("error: the input is nested too deeply for the generator; look for the file changed last",
              file=sys.stderr)
        return 1
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"error: {reason(exc)}{where}", file=sys.stderr)
        return 1
    except Exception as exc:  # a bug: say where in one line rather than hide every other message behind a traceback
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        source = Path(frame.filename)
        source = source.relative_to(HERE) if source.is_relative_to(HERE) else Path(source.name)
        print(f"error: internal error in the generator at {source.as_posix()}:{frame.lineno} "
              f"({type(exc).__name__}: {exc}); please report it with the file you changed last", file=sys.stderr)
        return 1


def run(argv: list[str] | None = None) -> int:
    """Parse the arguments and run the command."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in COMMANDS + ("-h", "--help", "--version"):
        argv.insert(0, "build")
    parser = make_parser()
    args, extra = parser.parse_known_args(argv)
    if extra and args.command == "i18n" and not any(word.startswith("-") for word in extra):
        args.paths = [*args.paths, *extra]  # files named after an option: i18n mark --root DIR FILE…
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    if args.command in ("build", "check"):
        return cmd_build(args, write=args.command == "build")
    if args.command == "i18n":
        return cmd_i18n(args)
    if args.command == "server-config":
        return cmd_server_config(args)
    if args.command == "new":
        return cmd_new(args)
    if args.command == "schemas":
        return cmd_schemas(args)
    return cmd_serve(args)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:
        # The reader went away (python build.py i18n status | head): stop quietly, as other tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
