"""Long texts that connectors write (the "over ons" page, house rules) in a small Markdown
subset: paragraphs, line breaks, bold, italics, lists, subheadings and links.

markdown-it-py parses, with raw HTML off; nh3 then keeps only the tags and attributes below,
and links only to http(s), mailto and tel, so that no script, event handler or
`javascript:` link reaches a page however the text was written. Never filter HTML by hand.
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_parser = MarkdownIt("commonmark", {"html": False, "breaks": True}).disable(["image"])

TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "h2", "h3", "h4", "blockquote"}
ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def render_markdown(text: str | None) -> Markup:
    """`text` as safe HTML."""
    tokens = _parser.parse(text or "")
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = _heading_below_page_title(token.tag)
    html = _parser.renderer.render(tokens, _parser.options, {})
    return Markup(  # noqa: S704 - nh3 has just cleaned it
        nh3.clean(
            html,
            tags=TAGS,
            attributes=ATTRIBUTES,
            url_schemes=URL_SCHEMES,
            link_rel="nofollow noopener",
        )
    )


def _heading_below_page_title(tag: str) -> str:
    """The page has its own h1, so a text's "# heading" is an h2, "##" an h3, and so on."""
    return f"h{min(int(tag[1]) + 1, 4)}"
