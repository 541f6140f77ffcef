"""What a check's result says about itself: the procedure and date it was checked under, and columns of names.

Both are worded here once, for the page's heading and printed list, the command line and the downloads,
so every surface says the same. Sentences with dates are runs (``decision_aid.page.words``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ..language.words import join_words
from ..page.words import Run, as_text, date_run
from .decoding import MAX_ROWS
from .fields import procedures_in_use
from .reading import Table

# A name's word: letters, with the apostrophes, hyphens and full stops names have ("O'Neill", "Smith-Jones", "St.").
_NAME_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['\u2019.-])*")
# Most words a person's name has ("Mary Anne de Souza Smith" is five words with the particle).
NAME_WORDS = (2, 5)
# Rows a file's columns are judged on for names: the most the page reads.
NAME_ROWS = MAX_ROWS
# The longest particle a name has in lower case between its words ("de", "van", "bin").
PARTICLE_LETTERS = 3


def checked_under(procedures: list[str], today: str, today_column: str | None = None) -> list[Run]:
    """The procedure (or each row's own) and the date the check was made as at, as a sentence:
    "Checked under the <its label> procedure as at Mon 7 Dec 2026". ``procedures`` are the ids the rows follow;
    with a report date column (``today_column``), rows are checked as at its dates, the others as at ``today``."""
    names = dict((procedure.id, procedure.label) for procedure in procedures_in_use())
    labels = [names.get(procedure, procedure) for procedure in procedures]
    if len(labels) == 1:
        under = f"Checked under the {labels[0]} procedure"
    elif labels:
        under = f"Checked under each row's own procedure ({join_words(labels, 'and')})"
    else:
        under = "Checked"
    if today_column:
        return [f'{under} as at the dates in the column "{today_column}" (rows without one as at ', *date_run(today), ")"]
    return [f"{under} as at ", *date_run(today)]


def checked_under_text(procedures: list[str], today: str, today_column: str | None = None) -> str:
    """``checked_under`` as plain text, for a file or the command line."""
    return as_text(checked_under(procedures, today, today_column))


def looks_like_a_name(value: str) -> bool:
    """Two to five words of letters, the first and last capitalised ("Ava Smith", "Zoë O'Neill", "Ana de Souza", "Ava SMITH"),
    not a reference ("C-1042") or digits. A word between may be a particle in lower case ("de", "van")."""
    words = value.split()
    if not NAME_WORDS[0] <= len(words) <= NAME_WORDS[1] or not all(_NAME_WORD.fullmatch(word) for word in words):
        return False
    return all(
        _capitalised(word) or (0 < place < len(words) - 1 and word.islower() and len(word) <= PARTICLE_LETTERS)
        for place, word in enumerate(words)
    )


def _capitalised(word: str) -> bool:
    """ "Smith" or, as some case systems write a surname, "SMITH"."""
    return word[0].isupper() and (any(letter.islower() for letter in word) or len(word) > 1)


def name_columns(table: Table, read: set[str]) -> list[str]:
    """The file's columns that look like people's names, each with a warning naming it (see ``NameColumns``)."""
    return NameColumns(table.header, read).add(table.rows).warnings()


class NameColumns:
    """The file's columns that look like people's names, each with a warning naming it: nothing is changed or dropped.

    A column looks like names when more than half its non-empty cells look like a name (``looks_like_a_name``)
    and either its header says "name" or those cells are mostly different from each other (a child's name is
    on one row; a team's or a worker's repeats down the column). The columns the check read (``read``) are
    its facts, never names. Rows are added a part at a time; the first ``NAME_ROWS`` rows are judged (the most
    the page reads), so a file of any length is judged in bounded memory.
    """

    def __init__(self, header: list[str], read: set[str]):
        self.header = header
        self.columns = [index for index, title in enumerate(header) if title and title not in read]
        self.filled = dict.fromkeys(self.columns, 0)
        self.named: dict[int, list[str]] = {index: [] for index in self.columns}
        self.rows = 0

    def add(self, rows: Iterable[tuple[int, list[str]]]) -> NameColumns:
        for _line, cells in rows:
            if self.rows >= NAME_ROWS:
                break
            self.rows += 1
            for index in self.columns:
                cell = cells[index].strip() if index < len(cells) else ""
                if cell:
                    self.filled[index] += 1
                    if looks_like_a_name(cell):
                        self.named[index].append(cell)
        return self

    def warnings(self) -> list[str]:
        warnings = []
        for index in self.columns:
            named, title = self.named[index], self.header[index]
            if not self.filled[index] or len(named) * 2 <= self.filled[index]:
                continue
            if "name" in title.lower() or len(set(named)) * 2 > len(named):
                warnings.append(f"Column '{title}' looks like names: the check needs only a reference; remove names before sharing the result.")
        return warnings


def name_warnings(answer: dict[str, Any], table: Table) -> list[str]:
    """``name_columns`` for a checked file (``rows.evaluate_caseload``'s answer): the columns it read are left out."""
    return name_columns(table, set(answer["mapping"].values()))
