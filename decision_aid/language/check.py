"""``python -m decision_aid check-procedures [FILE ...]``: read procedure files whole and list every problem.

With no file named, every shipped procedure is checked. A file's chapter
(``docs/<chapter>/index.md``, under ``--docs``) is read too, so every citation
must point at an anchor the chapter has. Exit status: 0 when every file is
sound, 2 when any has a problem.
"""

from __future__ import annotations

import os
import tomllib

from . import read_procedure
from .spec import Problem

_PACKAGE = os.path.dirname(os.path.dirname(__file__))


def default_docs_dir() -> str:
    """``docs/`` of the current directory if it has one, else of the checkout the package sits in."""
    here = os.path.join(os.getcwd(), "docs")
    return here if os.path.isdir(here) else os.path.join(os.path.dirname(_PACKAGE), "docs")


def _read_text(path: str) -> tuple[str | None, Problem | None]:
    name = os.path.basename(path)
    try:
        with open(path, encoding="utf-8") as file:
            return file.read(), None
    except FileNotFoundError:
        return None, Problem(name, "", f"There is no file {path}. Check the path.")
    except IsADirectoryError:
        return None, Problem(name, "", f"{path} is a folder, not a procedure file.")
    except UnicodeDecodeError:
        return None, Problem(name, "", "The file is not UTF-8 text. Save it as UTF-8 and check again.")
    except OSError as error:
        return None, Problem(name, "", f"The file cannot be read ({error.strerror}).")


def check_file(path: str, docs_dir: str | None = None) -> list[Problem]:
    """Every problem in one procedure file, its chapter's anchors included when the chapter can be found."""
    name = os.path.basename(path)
    text, problem = _read_text(path)
    if problem:
        return [problem]
    try:
        chapter = tomllib.loads(text).get("chapter")
    except tomllib.TOMLDecodeError:
        chapter = None
    chapter_text = None
    if isinstance(chapter, str) and chapter:
        chapter_path = os.path.join(docs_dir or default_docs_dir(), chapter, "index.md")
        chapter_text, chapter_problem = _read_text(chapter_path)
        if chapter_problem:
            return read_procedure(text, name)[1] + [Problem(name, "chapter", f"The chapter {chapter_path} cannot be read, so the citations cannot be checked: {chapter_problem.message}")]
    return read_procedure(text, name, chapter_text)[1]


def run(paths: list[str], docs_dir: str | None = None) -> int:
    """Check the files (every shipped one when none is given), print the problems, and return the exit status."""
    from ..procedures import procedure_ids, procedure_path

    paths = paths or [procedure_path(pid) for pid in procedure_ids()]
    problems = [problem for path in paths for problem in check_file(path, docs_dir)]
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {len({p.file for p in problems})} of {len(paths)} file{'s' if len(paths) != 1 else ''}.")
        return 2
    print(f"{len(paths)} procedure file{'s' if len(paths) != 1 else ''} checked: no problems.")
    return 0
