"""Narration and hotspot texts: curator Markdown turned into HTML that is safe to put in a page.

Images come only from the app's own media. A text shows one of its tour's images with
``![](image:REF)``: it becomes a responsive ``<img>`` (WebP copies by width in ``srcset``)
with the alternative text in the visitor's language; an unknown reference shows nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

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
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "srcset", "sizes", "width", "height", "loading"},
}
MEDIA_PREFIX = "/media/"
IMAGE_SCHEME = "image:"
# Texts are at most about 40em wide on the tourist's pages.
IMAGE_SIZES = "(max-width: 700px) 100vw, 640px"


@dataclass(frozen=True)
class ShownImage:
    """An image as a text shows it: copies as (URL, real width), size and alternative text."""

    copies: Sequence[tuple[str, int]]
    width: int
    height: int
    alt: str

    def html(self) -> str:
        """The ``<img>`` element: the copy nearest 640 pixels as ``src``, all in ``srcset``."""
        src = min(self.copies, key=lambda copy: abs(copy[1] - 640))[0]
        srcset = ", ".join(f"{url} {width}w" for url, width in self.copies)
        return (
            f'<img src="{escape(src)}" srcset="{escape(srcset)}" sizes="{IMAGE_SIZES}" '
            f'width="{self.width}" height="{self.height}" alt="{escape(self.alt)}" '
            'loading="lazy">'
        )


def _image_rule(
    renderer: Any, tokens: list[Token], idx: int, options: Any, env: dict[str, Any]
) -> str:
    src = str(tokens[idx].attrGet("src") or "")
    if src.startswith(IMAGE_SCHEME):
        shown = (env.get("images") or {}).get(src.removeprefix(IMAGE_SCHEME))
        return shown.html() if shown is not None else ""
    html: str = renderer.image(tokens, idx, options, env)
    return html


def _markdown() -> MarkdownIt:
    markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    # Let "image:REF" through link validation; the rule above replaces it.
    default_validate = markdown.validateLink
    markdown.validateLink = lambda url: url.startswith(IMAGE_SCHEME) or default_validate(url)  # type: ignore[method-assign]
    markdown.add_render_rule("image", _image_rule)
    return markdown


_MARKDOWN = _markdown()


def _own_media(value: str) -> bool:
    return value.startswith(MEDIA_PREFIX) and ".." not in value


def _keep_own_images(tag: str, attribute: str, value: str) -> str | None:
    """Images may only come from the app's own media; links may go anywhere safe."""
    if tag == "img" and attribute == "src" and not _own_media(value):
        return None
    if tag == "img" and attribute == "srcset":
        urls = [part.strip().split(" ")[0] for part in value.split(",")]
        return value if all(_own_media(url) for url in urls) else None
    return value


def render_narration(markdown: str, images: Mapping[str, ShownImage] | None = None) -> str:
    """Markdown to sanitised HTML: no scripts, no styles, no images from other hosts."""
    html = _MARKDOWN.render(markdown, {"images": images or {}})
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        attribute_filter=_keep_own_images,
        link_rel="noopener noreferrer",
    )
