"""``python -m build_tools COMMAND``: build | serve | test | bench."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m build_tools")
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="build the complete site into site/")
    build.add_argument("--procedures", nargs="+", metavar="ID", help="build a council's own manual with only these procedures")
    build.add_argument("--site-dir", help="where to build (default: site/)")
    serve = commands.add_parser("serve", help="build the site and serve it on http://127.0.0.1:8000")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--no-build", action="store_true", help="serve site/ as it is")
    test = commands.add_parser("test", help="install what the tests need, then run every test")
    test.add_argument("pytest_args", nargs="*")
    args = parser.parse_args(argv)
    if args.command in ("build", "serve"):
        import logging

        # A strict build stops at the first warning: say what it was (a broken link, an anchor a chapter lacks...).
        logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")

    if args.command == "build":
        from pathlib import Path

        from .site import SITE_DIR, build_site

        build_site(Path(args.site_dir) if args.site_dir else SITE_DIR, procedures=tuple(args.procedures) if args.procedures else None)
        return 0
    if args.command == "serve":
        from .serve import serve

        if not args.no_build:
            from .site import build_site

            build_site()
        serve(port=args.port)
        return 0
    from .testrun import run_tests

    return run_tests(args.pytest_args)


if __name__ == "__main__":
    sys.exit(main())
