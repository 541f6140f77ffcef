"""Command line: ``python -m decision_aid evaluate FILE|-``, ``procedures``, ``check-procedures``, ``schema``, ``caseload FILE.csv|FILE.xlsx``.

Whatever goes wrong outside the rules is reported in one line on standard error
with exit status 2, never as a traceback: a file that is missing, a directory,
not UTF-8 or too large, and output that cannot be written (a full disk, or text
that is not UTF-8). Output to a reader that stops early (``| head``) ends
quietly. Results are written as UTF-8 whatever the terminal's encoding; a
case file may start with a UTF-8 byte-order mark.
"""

from __future__ import annotations

import argparse
import os
import sys

from . import CaseError, evaluate, to_json
from .limits import MAX_INPUT_BYTES, check_size, load_case_json
from .procedures import describe


class CommandError(Exception):
    """A problem outside the rules (a file, the output): one line for standard error."""


def _read_bytes(path: str) -> bytes:
    """At most one byte more than the input limit, from the file or standard input."""
    name = "standard input" if path == "-" else path
    try:
        if path == "-":
            return sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        with open(path, "rb") as file:
            return file.read(MAX_INPUT_BYTES + 1)
    except FileNotFoundError:
        raise CommandError(f"{name}: no such file. Check the name and the folder.") from None
    except IsADirectoryError:
        raise CommandError(f"{name} is a folder, not a case file. Give the path of a .json file.") from None
    except PermissionError:
        raise CommandError(f"{name}: permission to read it was refused.") from None
    except OSError as error:
        raise CommandError(f"{name} cannot be read: {error.strerror or error}.") from None


def _read_case_text(path: str) -> str:
    """The case file's text: UTF-8, with or without a byte-order mark."""
    data = _read_bytes(path)
    check_size(len(data))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        name = "standard input" if path == "-" else path
        raise CommandError(f"{name} is not UTF-8 text (byte {error.start + 1} is 0x{data[error.start]:02x}). Save it as UTF-8 and try again.") from None


def _write(text: str) -> None:
    """The text and a newline on standard output, as UTF-8."""
    data = (text + "\n").encode("utf-8")
    sys.stdout.flush()
    target = getattr(sys.stdout, "buffer", None)
    if target is None:  # standard output replaced by a text stream (as in tests)
        sys.stdout.write(text + "\n")
    else:
        target.write(data)
        target.flush()


def _evaluate(args: argparse.Namespace) -> int:
    try:
        result = evaluate(load_case_json(_read_case_text(args.file)))
    except CaseError as error:
        result = {"errors": error.errors}
    _write(to_json(result))
    return 2 if "errors" in result else 0


def _procedures(args: argparse.Namespace) -> int:
    _write(to_json(describe()))
    return 0


def _check_procedures(args: argparse.Namespace) -> int:
    from .language.check import run

    return run(args.files, args.docs)


def _schema(args: argparse.Namespace) -> int:
    from .language.json_schema import schema_text

    sys.stdout.write(schema_text())
    return 0


def _caseload(args: argparse.Namespace) -> int:
    from .caseload.command_line import evaluate_csv_file

    mapping = {}
    for pair in args.map or []:
        name, sep, header = pair.partition("=")
        if not sep:
            raise CommandError(f"--map takes FIELD=HEADER, not {pair!r}")
        mapping[name.strip()] = header.strip() or None
    if os.path.isdir(args.file):
        raise CommandError(f"{args.file} is a folder, not a caseload file. Give the path of a .csv or .xlsx file.")
    return evaluate_csv_file(args.file, args.output, procedure=args.procedure, today=args.today, mapping=mapping, sheet=args.sheet)


COMMANDS = {"evaluate": _evaluate, "procedures": _procedures, "check-procedures": _check_procedures, "schema": _schema, "caseload": _caseload}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m decision_aid", description="Child in Need plan and review rules.")
    commands = parser.add_subparsers(dest="command", required=True)
    evaluate_cmd = commands.add_parser("evaluate", help="evaluate one case (a JSON file, or - for standard input)")
    evaluate_cmd.add_argument("file")
    commands.add_parser("procedures", help="list the procedures with their labels and sources")
    check_cmd = commands.add_parser("check-procedures", help="check procedure files whole, list every problem, and answer their worked examples (all shipped files when none is named)")
    check_cmd.add_argument("files", nargs="*")
    check_cmd.add_argument("--docs", help="the manual's docs folder, for the chapters' anchors (default: ./docs)")
    commands.add_parser("schema", help="print the JSON Schema of the procedure file, for editors")
    caseload_cmd = commands.add_parser("caseload", help="evaluate a caseload (CSV or .xlsx) and write the result (CSV or .xlsx)")
    caseload_cmd.add_argument("file", help="the caseload export: CSV, or .xlsx (needs openpyxl: pip install \"decision_aid[excel]\")")
    caseload_cmd.add_argument("-o", "--output", help="where to write the result: a .xlsx name writes a workbook, any other a CSV (default: CSV on standard output)")
    caseload_cmd.add_argument("--sheet", help="the sheet of an .xlsx file to read (default: the first)")
    caseload_cmd.add_argument("--procedure", help="the procedure for every row (overrides any procedure column)")
    caseload_cmd.add_argument("--today", help="evaluate as of this date (YYYY-MM-DD or DD/MM/YYYY; default: today)")
    caseload_cmd.add_argument(
        "--map", action="append", metavar="FIELD=HEADER",
        help="read a case field from a differently named column (repeatable; FIELD= ignores a column)",
    )
    return parser


def _silence_stdout() -> None:
    """Point standard output at the null device, so the interpreter's last flush cannot fail again."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass  # not a real file (as in tests): nothing is flushed at exit


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    command = args.command
    try:
        code = COMMANDS[command](args)
        sys.stdout.flush()  # here, so that a write that fails at the end is reported like any other
        return code
    except CommandError as error:
        print(f"{command}: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        _silence_stdout()  # the reader stopped reading (| head): nothing is wrong
        return 0
    except UnicodeEncodeError as error:
        _silence_stdout()
        print(f"{command}: the result holds text that cannot be written as UTF-8 ({error.reason}); check the input's text fields.", file=sys.stderr)
        return 2
    except OSError as error:
        _silence_stdout()
        print(f"{command}: the result could not be written: {error.strerror or error}.", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
