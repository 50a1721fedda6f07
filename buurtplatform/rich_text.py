"""Long texts that connectors write (the "over ons" page, house rules) in a small Markdown
subset: paragraphs, line breaks, bold, italics, lists, subheadings and links.

markdown-it-py parses, with raw HTML off; nh3 then keeps only the tags and attributes below,
and links only to http(s), mailto and tel, so that no script, event handler or
`javascript:` link reaches a page however the text was written. Never filter HTML by hand.
Every link gets rel="nofollow ugc": search engines are told that the site does not vouch for
what its users link to, so that spam links gain nothing.
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
    headings = [token for token in tokens if token.type in ("heading_open", "heading_close")]
    if headings:
        # The page has its own h1: the text's largest heading becomes an h2, whether it was
        # written with "#" or "##", and the others follow it.
        shift = 2 - min(int(token.tag[1]) for token in headings)
        for token in headings:
            token.tag = f"h{min(int(token.tag[1]) + shift, 4)}"
    html = _parser.renderer.render(tokens, _parser.options, {})
    return Markup(  # noqa: S704 - nh3 has just cleaned it
        nh3.clean(
            html,
            tags=TAGS,
            attributes=ATTRIBUTES,
            url_schemes=URL_SCHEMES,
            link_rel="nofollow ugc",
        )
    )
