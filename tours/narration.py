"""Narration: curator Markdown turned into HTML that is safe to put in a page."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_TAGS = {
    "p",
    "br",
    "em",
    "strong",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "h2",
    "h3",
    "h4",
    "code",
    "pre",
    "hr",
    "img",
}
_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}}
MEDIA_PREFIX = "/media/"


def _keep_own_images(tag: str, attribute: str, value: str) -> str | None:
    """Images may only come from the app's own media; links may go anywhere safe."""
    if tag == "img" and attribute == "src" and not value.startswith(MEDIA_PREFIX):
        return None
    return value


def render_narration(markdown: str) -> str:
    """Markdown to sanitised HTML: no scripts, no styles, no images from other hosts."""
    html = _MARKDOWN.render(markdown)
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        attribute_filter=_keep_own_images,
        link_rel="noopener noreferrer",
    )
