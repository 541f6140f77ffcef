"""What a "Why" link in a case tried on the workbench shows, when the draft's chapter is not the published one.

A published procedure's "Why" link opens the cited section of its published chapter. A draft's answer says
instead (``why``), for the page's dialog:

* with its chapter opened in the workbench: each section of that chapter by its anchor (``sections``), said
  to come from the opened file and to be shown as plain text, the published page showing it formatted;
* with no chapter opened and none published for it: a sentence asking the author to open the chapter to see
  its sections here;
* with no chapter opened and one published: nothing, and the dialog shows the published section.
"""

from __future__ import annotations

from typing import Any

from .sections import sections

OPENED = "From the {label} chapter opened in the workbench"
AS_TEXT = ("Shown as plain text from the opened file: the published chapter shows this section formatted, "
           "with the tables drawn from the procedure file.")
NOT_SHOWN = ("The opened chapter's section for this link cannot be shown here: check that its heading carries the anchor, "
             "or read it in the chapter's file.")
NOT_PUBLISHED = "The {label} chapter is not published yet"
OPEN_IT = "Open the chapter (its index.md, under Start) to see its sections here."


def why(label: str, chapter_text: str | None, published: bool) -> dict[str, Any] | None:
    """The words and sections a "Why" link of the draft's answer opens (see the module's docstring): ``{"chapter": the
    line naming where the section comes from, "note": what to know about how it is shown, "sections": {anchor:
    {"title", "blocks"}}, "otherwise": {"blocks"}: what a link to an anchor not in ``sections`` shows}``, or None."""
    if chapter_text is not None:
        return {"chapter": OPENED.format(label=label), "note": AS_TEXT, "sections": sections(chapter_text),
                "otherwise": {"blocks": [{"text": NOT_SHOWN}]}}
    if published:
        return None
    return {"chapter": NOT_PUBLISHED.format(label=label), "note": "", "sections": {}, "otherwise": {"blocks": [{"text": OPEN_IT}]}}
