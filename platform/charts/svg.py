"""Charts drawn on the server as accessible SVG (issue 23 item 14): no JavaScript bundle.

matplotlib (the Agg-free SVG canvas, figure objects only, never pyplot's global state) draws;
each chart carries a <title> and a <desc> and is labelled by them (role="img"), and the page
puts the numbers in a table beside it. Drawings are cached under a key and a stamp of what
they show: the same numbers are drawn once.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

CHART_SECONDS = 24 * 3600  # a chart whose numbers change is drawn again under its new stamp anyway
INK, MUTED, ACCENT, OK, WARN = "#1d2330", "#5b6474", "#3b5bdb", "#2b8a3e", "#e67700"


@dataclass(frozen=True)
class Chart:
    """A drawn chart: inline SVG (safe to put in a page) and its words."""

    svg: SafeString
    title: str
    desc: str


def figure(width: float = 6.4, height: float = 2.6):
    """A matplotlib Figure on the SVG canvas, styled like the site (text stays text in the SVG)."""
    import matplotlib

    matplotlib.use("Agg", force=False)  # never a GUI backend in a server process
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasSVG(fig)
    return fig


def style(ax) -> None:
    ax.spines[["top", "right"]].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(MUTED)
    ax.tick_params(colors=MUTED, labelsize=8)
    ax.yaxis.label.set_color(INK)
    ax.xaxis.label.set_color(INK)


def to_svg(fig, *, key: str, title: str, desc: str) -> SafeString:
    """The figure as inline SVG labelled by its title and description (ids unique per chart key)."""
    import matplotlib

    slug = hashlib.blake2b(key.encode(), digest_size=5).hexdigest()
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": slug, "font.size": 8}):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    text = text[text.index("<svg") :]  # no XML declaration or DOCTYPE inside HTML
    text = re.sub(r"<metadata>.*?</metadata>", "", text, flags=re.S)
    title_id, desc_id = f"chart-{slug}-title", f"chart-{slug}-desc"
    opening_end = text.index(">") + 1
    opening = text[: opening_end - 1] + f' role="img" aria-labelledby="{title_id} {desc_id}" class="chart">'
    words = f'<title id="{title_id}">{escape(title)}</title><desc id="{desc_id}">{escape(desc)}</desc>'
    return mark_safe(opening + words + text[opening_end:])  # noqa: S308 (matplotlib's own markup, words escaped)


def cached_chart(key: str, stamp: object, draw: Callable[[], Chart]) -> Chart:
    """The chart from the cache when it was drawn under this stamp, else drawn and kept (one entry per key)."""
    digest = hashlib.blake2b(repr(stamp).encode(), digest_size=16).hexdigest()
    kept = cache.get(f"charts:{key}")
    if kept is not None and kept[0] == digest:
        return kept[1]
    chart = draw()
    cache.set(f"charts:{key}", (digest, chart), CHART_SECONDS)
    return chart
