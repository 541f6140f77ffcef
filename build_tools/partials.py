"""The site's HTML partials (``docs/overrides/partials/``), rendered at build time.

The build's hooks draw their HTML from Jinja templates: loaded from
``docs/overrides`` (a hook works whether or not the site's theme lists that
folder), autoescaped (text from the procedure files and the training scenarios
is escaped by Jinja, never by hand), and strict (a name the template uses but
the hook does not pass is an error, not an empty string). MkDocs' own theme
environment does not autoescape, so it is not used here.

The decision aid's form is not one of them: the browser draws it too, so its
templates and their filling are in the runtime package
(``decision_aid.page.form_html``, standard library only), which escapes each
value it puts in them.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

OVERRIDES = Path(__file__).resolve().parent.parent / "docs" / "overrides"


@cache
def environment() -> Environment:
    """One environment for the build: templates are read once."""
    return Environment(loader=FileSystemLoader(OVERRIDES), autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True)


def render(template: str, **context: Any) -> str:
    """A partial (``partials/...``) rendered with these values."""
    return environment().get_template(template).render(**context)


def macro(template: str, name: str) -> Callable[..., Markup]:
    """One macro of a partial, to render a piece of a page on its own."""
    return getattr(environment().get_template(template).module, name)
