"""Curator Markdown becomes safe HTML."""

from __future__ import annotations

import pytest

from tours.narration import render_narration


@pytest.mark.parametrize(
    ("markdown", "html"),
    [
        ("Built in **1833**.", "<p>Built in <strong>1833</strong>.</p>\n"),
        ("- one\n- two", "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n"),
        ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"),
        ("[x](javascript:alert(1))", "<p>[x](javascript:alert(1))</p>\n"),
        ("![a](https://evil.example/t.png)", '<p><img alt="a"></p>\n'),
        ("![a](/media/posters/abc.webp)", '<p><img src="/media/posters/abc.webp" alt="a"></p>\n'),
        (
            "[site](https://example.org/a)",
            '<p><a href="https://example.org/a" rel="noopener noreferrer">site</a></p>\n',
        ),
    ],
)
def test_render_narration(markdown: str, html: str) -> None:
    assert render_narration(markdown) == html
