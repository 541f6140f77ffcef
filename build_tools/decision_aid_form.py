"""The decision aid's form for the site's build: drawn by the runtime package (``decision_aid.page.form_html``).

The questions (``decision_aid.page.form``) and their HTML (the templates in
``decision_aid/page/templates/``) live in the package the browser loads, so a
page can draw the form again for the procedures it carries. Here a field
declaration the form cannot ask stops the build.
"""

from __future__ import annotations

from mkdocs.exceptions import PluginError

from decision_aid.page.form import FormError
from decision_aid.page.form_html import form_html


def render_form() -> str:
    """The form's HTML."""
    try:
        return form_html()
    except FormError as error:
        raise PluginError(str(error)) from error
