"""The instructor's dashboard: its grid cells, one tag per learner row, and its rendering kept.

A cohort of 200 learners and 20 exercises is 4,000 cells: through the template engine (a loop,
conditions and filters per cell) they took about three seconds a page; written here, each
distinct cell once per page, they take milliseconds. The markup is what the template wrote.
"""

from __future__ import annotations

from django import template
from django.core.cache import cache
from django.template.defaultfilters import floatformat, pluralize
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def grid_cells(context, cells) -> SafeString:
    """The <td> of each cell: its class (none, part, full), best score, counting attempts and hints opened."""
    seen = context.render_context.setdefault("cohort_grid_cells", {})  # per page: most cells repeat
    out = []
    for cell in cells:
        key = (cell.score, cell.solved, cell.attempts, cell.hints)
        html = seen.get(key)
        if html is None:
            html = seen[key] = _cell(*key)
        out.append(html)
    return mark_safe("".join(out))


def _cell(score: float | None, solved: bool, attempts: int, hints: int) -> str:
    # Only numbers go in here: nothing a learner wrote, so nothing to escape.
    css = "none" if score is None else "full" if solved else "part"
    shown = "·" if score is None else floatformat(score, 1)
    times = f" ×{attempts}" if attempts else ""
    used = f'<span class="hints-used" title="hints opened">{hints} hint{pluralize(hints)}</span>' if hints else ""
    return (
        f'<td class="{css}" title="{attempts} counting attempt{pluralize(attempts)}">{shown}<small>{times}</small>'
        f"{used}</td>"
    )


KEPT_SECONDS = 3600  # an idle page's rendering leaves the cache; a changed one is replaced, not added


@register.tag("kept")
def do_kept(parser, token) -> KeptNode:
    """{% kept key stamp %}...{% endkept %}: the block rendered once per stamp, one cache entry per key.

    Unlike {% cache %}, which adds an entry for every stamp, a new stamp replaces the key's entry:
    a page that changes all day (a grade book) keeps one rendering, not one per change.
    """
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    bits = token.split_contents()
    if len(bits) != 3:
        raise template.TemplateSyntaxError("{% kept %} takes a key and a stamp")
    return KeptNode(nodelist, parser.compile_filter(bits[1]), parser.compile_filter(bits[2]))


class KeptNode(template.Node):
    def __init__(self, nodelist, key, stamp):
        self.nodelist, self.key, self.stamp = nodelist, key, stamp

    def render(self, context) -> str:
        key, stamp = self.key.resolve(context), self.stamp.resolve(context)
        kept = cache.get(key)
        if kept is not None and kept[0] == stamp:
            return kept[1]
        html = self.nodelist.render(context)
        cache.set(key, (stamp, html), KEPT_SECONDS)
        return html
