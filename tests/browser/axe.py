"""Run axe-core in a Playwright page, from the copy npm installed (never a CDN).

The script is evaluated through the DevTools protocol (``page.evaluate``), which
the page's Content Security Policy does not govern, so the policy stays in force
for the page itself: an inline ``<script>`` tag would be refused by it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")


@cache
def _axe_source() -> str:
    if not AXE_SCRIPT.exists():
        raise FileNotFoundError(f"{AXE_SCRIPT} is missing: run `npm ci` (python -m build_tools test does it for you).")
    return AXE_SCRIPT.read_text(encoding="utf-8")


def run_axe(page, tags: tuple[str, ...] = WCAG_TAGS, context: str | None = None) -> list[dict]:
    """The axe violations on the page as it is now (an empty list means none).

    ``context`` is an optional CSS selector limiting the check to part of the page.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    _let_transitions_finish(page)
    return page.evaluate(
        """async ([tags, context]) => {
            const results = await window.axe.run(context || document, {
                runOnly: {type: "tag", values: tags},
                resultTypes: ["violations"],
            });
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target, html: n.html, summary: n.failureSummary})),
            }));
        }""",
        [list(tags), context],
    )


def _let_transitions_finish(page, limit_ms: int = 3000) -> None:
    """Wait until every finite CSS transition and animation has ended (a spinner's runs on).

    A control fading in (the theme's "Back to top" button, say) has a colour part-way to
    its own while it fades, and axe would measure that passing colour.
    """
    page.evaluate(
        """async (limit) => {
            const finite = document.getAnimations().filter(
                a => a.effect && a.effect.getComputedTiming().iterations !== Infinity);
            const ended = Promise.all(finite.map(a => a.finished.catch(() => null)));
            await Promise.race([ended, new Promise(r => setTimeout(r, limit))]);
        }""",
        limit_ms,
    )


def describe_violations(violations: list[dict]) -> str:
    """A readable list of violations for an assertion message."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {node['target']}: {node['summary']}")
    return "\n".join(lines)
