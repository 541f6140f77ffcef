"""Command line: ``python -m decision_aid evaluate FILE|-``, ``procedures``, ``caseload FILE.csv|FILE.xlsx``."""

from __future__ import annotations

import argparse
import json
import sys

from . import evaluate, to_json
from .procedures import describe


def _evaluate(path: str) -> int:
    text = sys.stdin.read() if path == "-" else open(path, encoding="utf-8").read()
    try:
        case = json.loads(text)
    except json.JSONDecodeError as error:
        result = {"errors": [{"field": "case", "message": f"The case is not valid JSON ({error.msg} at line {error.lineno}, column {error.colno})."}]}
    else:
        result = evaluate(case)
    print(to_json(result))
    return 2 if "errors" in result else 0


def _procedures() -> int:
    print(to_json(describe()))
    return 0


def _caseload(args: argparse.Namespace) -> int:
    from .caseload import evaluate_csv_file

    mapping = {}
    for pair in args.map or []:
        name, sep, header = pair.partition("=")
        if not sep:
            print(f"caseload: --map takes FIELD=HEADER, not {pair!r}", file=sys.stderr)
            return 2
        mapping[name.strip()] = header.strip() or None
    return evaluate_csv_file(args.file, args.output, procedure=args.procedure, today=args.today, mapping=mapping, sheet=args.sheet)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m decision_aid", description="Child in Need plan and review rules.")
    commands = parser.add_subparsers(dest="command", required=True)
    evaluate_cmd = commands.add_parser("evaluate", help="evaluate one case (a JSON file, or - for standard input)")
    evaluate_cmd.add_argument("file")
    commands.add_parser("procedures", help="list the procedures with their labels and sources")
    check_cmd = commands.add_parser("check-procedures", help="check procedure files whole and list every problem (all shipped files when none is named)")
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
    args = parser.parse_args(argv)
    if args.command == "evaluate":
        return _evaluate(args.file)
    if args.command == "procedures":
        return _procedures()
    if args.command == "check-procedures":
        from .language.check import run

        return run(args.files, args.docs)
    if args.command == "schema":
        from .language.json_schema import schema_text

        sys.stdout.write(schema_text())
        return 0
    return _caseload(args)


if __name__ == "__main__":
    sys.exit(main())
