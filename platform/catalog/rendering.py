"""Exercise statements: Markdown with LaTeX maths to safe HTML.

Maths is left as \\( \\) and \\[ \\] spans (pymdownx.arithmatex, generic mode)
for KaTeX to typeset in the browser; the HTML is sanitised with nh3 even
though instructors are trusted, so a careless paste cannot inject script.
"""

from __future__ import annotations

import re

import markdown
import nh3

ALLOWED_TAGS = {
    "a",
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "code",
    "pre",
    "em",
    "strong",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "span",
    "div",
    "br",
    "hr",
    "sup",
    "sub",
}
ALLOWED_ATTRIBUTES = {
    "span": {"class"},
    "div": {"class"},
    "code": {"class"},
    "a": {"href", "title"},
    "th": {"align"},
    "td": {"align"},
}


# A Markdown table written without a header (an empty first row) renders an empty <thead>.
EMPTY_THEAD = re.compile(r"<thead>\s*<tr>\s*(?:<th[^>]*>\s*</th>\s*)+</tr>\s*</thead>\s*")


def render_statement(text: str) -> str:
    """Markdown (statements, hints, explanations, lesson pages) to sanitised HTML."""
    html = markdown.markdown(
        text,
        extensions=["fenced_code", "tables", "pymdownx.arithmatex"],
        extension_configs={"pymdownx.arithmatex": {"generic": True}},
    )
    html = EMPTY_THEAD.sub("", html)
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, link_rel="noopener noreferrer")


HEADING = re.compile(r"<(/?)h([1-5])\b")


def shift_headings(html: str, by: int = 1) -> str:
    """Demote headings (h2 -> h3 ...) for Markdown shown under a page's own heading."""
    return HEADING.sub(lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + by, 6)}", html)
