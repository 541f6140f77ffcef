"""``python -m decision_aid check-procedures [FILE ...]``: read procedure files whole and list every problem.

With no file named, every shipped procedure is checked. A file's chapter
(``docs/<chapter>/index.md``, under ``--docs``) is read too, so every citation
must point at an anchor the chapter has. Each cell of the file's caseload
example is read as the caseload check reads it and checked as the rules check
its field. The worked examples beside the file (``<id>.examples.toml``, see
``decision_aid.examples``) are read whole and, when the file is sound, answered
by the rules: each example they answer otherwise is named, with what it expects
and what the rules gave. Exit status: 0 when every file is sound and every
example agrees, 2 otherwise.
"""

from __future__ import annotations

import os
import tomllib
from typing import Any

from . import read_procedure
from .spec import Problem, Record
from .words import plural

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


def _caseload_example_problems(procedure: Record, file_name: str) -> list[Problem]:
    """Each cell of the caseload example, read as the caseload check reads its column and checked as the rules check its field."""
    from ..case import value_problems
    from ..caseload.columns import Unreadable

    found = []
    for name, cell in procedure.caseload_example.items():
        if not cell.strip():
            continue
        spec = procedure.field_specs[name]
        value = _cell_reader(name, procedure)(cell.strip())
        messages = [str(value)] if isinstance(value, Unreadable) else [error["message"] for error in value_problems(name, spec, value)]
        found += [Problem(file_name, f"caseload_example.{name}", message) for message in messages]
    return found


def _cell_reader(name: str, procedure: Record):
    """How the caseload check reads a cell of this field, among the fields this procedure reads."""
    from ..caseload import columns
    from ..caseload.fields import fields_of_procedures

    return columns.reader_for(name, fields_of_procedures((procedure,)))


def _examples_beside(path: str) -> tuple[str | None, Problem | None]:
    """The text of ``<id>.examples.toml`` beside the file (None when there is no such file), or why it cannot be read."""
    from ..procedures import examples_path

    beside = examples_path(path)
    if not os.path.exists(beside):
        return None, None
    return _read_text(beside)


def check_text(text: str, name: str, chapter_text: str | None = None, examples_text: str | None = None) -> tuple[Record | None, list[Any], list[Problem]]:
    """A procedure file's text checked whole (as ``name``): the procedure (None when it cannot be used), its worked
    examples (read from ``examples_text``, not run) and every problem in either. ``chapter_text`` given, every
    citation's anchor must be in it; ``examples_text`` None: the procedure has no worked examples."""
    from ..examples import read_examples
    from ..procedures import examples_path

    procedure, problems = read_procedure(text, name, chapter_text)
    if procedure is None:
        return None, [], problems
    examples, example_problems = [], []
    if examples_text is not None:
        examples, example_problems = read_examples(examples_text, examples_path(name), procedure)
    return procedure, examples, _caseload_example_problems(procedure, name) + example_problems


def _check(path: str, docs_dir: str | None) -> tuple[Record | None, list[Any], list[Problem]]:
    """The procedure (None when it cannot be used), its worked examples, and every problem in either."""
    name = os.path.basename(path)
    text, problem = _read_text(path)
    if problem:
        return None, [], [problem]
    try:
        chapter = tomllib.loads(text).get("chapter")
    except (tomllib.TOMLDecodeError, RecursionError):
        chapter = None
    chapter_text = None
    if isinstance(chapter, str) and chapter:
        chapter_path = os.path.join(docs_dir or default_docs_dir(), chapter, "index.md")
        chapter_text, chapter_problem = _read_text(chapter_path)
        if chapter_problem:
            return None, [], read_procedure(text, name)[1] + [Problem(name, "chapter", f"The chapter {chapter_path} cannot be read, so the citations cannot be checked: {chapter_problem.message}")]
    examples_text, examples_problem = _examples_beside(path)
    if examples_problem:
        procedure, examples, problems = check_text(text, name, chapter_text)
        return procedure, examples, problems + ([examples_problem] if procedure is not None else [])
    return check_text(text, name, chapter_text, examples_text)


def check_file(path: str, docs_dir: str | None = None) -> list[Problem]:
    """Every problem in one procedure file, its chapter's anchors included when the chapter can be found, and in its worked examples (read, not run)."""
    return _check(path, docs_dir)[2]


def _disagreements(path: str, procedure: Record, examples: list[Any]) -> list[Problem]:
    """The worked examples the rules answer otherwise, the rules reading the file where it is."""
    from ..examples import disagreements
    from ..procedures import reading_from

    with reading_from(os.path.dirname(os.path.abspath(path)), [procedure.id]):
        return disagreements(examples)


def run(paths: list[str], docs_dir: str | None = None) -> int:
    """Check the files (every shipped one when none is given) and run their worked examples, print the problems, and return the exit status."""
    from ..procedures import EXAMPLES_SUFFIX, procedure_ids, procedure_path

    paths = paths or [procedure_path(pid) for pid in procedure_ids()]
    problems: list[Problem] = []
    answered = 0
    for path in paths:
        procedure, examples, found = _check(path, docs_dir)
        if procedure is not None and not found:
            found = _disagreements(path, procedure, examples)
            answered += len(examples)
        problems += found
    for problem in problems:
        print(problem)
    if problems:
        print(f"{plural(len(problems), 'problem')} in {len({p.file.removesuffix(EXAMPLES_SUFFIX).removesuffix('.toml') for p in problems})} of {plural(len(paths), 'file')}.")
        return 2
    examples_run = f", {plural(answered, 'worked example')} answered as expected" if answered else ""
    print(f"{plural(len(paths), 'procedure file')} checked{examples_run}: no problems.")
    return 0
