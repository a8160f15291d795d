"""Visible text of an HTML page as markdown-style text (headings kept as ``#`` lines).

Scripts, styles, comments and hidden elements (``hidden``, ``aria-hidden="true"``, ``display:none``,
``visibility:hidden``, class ``hidden``/``d-none``, hidden inputs) are dropped, so text a reader
cannot see is never indexed.

Example:
    >>> html_to_markdown(b"<h1>KX</h1><p>Shown</p><p style='display:none'>Secret</p>")
    (None, '# KX\\n\\nShown')
"""

from __future__ import annotations

import re
from typing import Any

_DROP_TAGS = ("script", "style", "noscript", "template", "head", "iframe", "svg", "object", "embed")
_HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_HIDDEN_CLASSES = frozenset({"hidden", "d-none", "is-hidden", "invisible"})
_BLOCK_TAGS = (
    "p", "div", "section", "article", "header", "footer", "main", "aside", "nav", "ul", "ol", "dl",
    "table", "tr", "blockquote", "pre", "figure", "figcaption", "dt", "dd", "address", "form",
)  # fmt: skip


def _is_hidden(tag: Any) -> bool:
    attrs = tag.attrs or {}
    if "hidden" in attrs or str(attrs.get("aria-hidden", "")).lower() == "true":
        return True
    if _HIDDEN_STYLE_RE.search(str(attrs.get("style", ""))):
        return True
    if tag.name == "input" and str(attrs.get("type", "")).lower() == "hidden":
        return True
    classes = attrs.get("class") or []
    return bool(_HIDDEN_CLASSES.intersection(classes if isinstance(classes, list) else str(classes).split()))


def _clean_lines(text: str) -> str:
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def html_to_markdown(data: bytes | str) -> tuple[str | None, str]:
    """(page ``<title>`` or None, visible text with headings as ``#``/``##`` lines)."""
    from bs4 import BeautifulSoup, Comment

    soup = BeautifulSoup(data, "html.parser")
    title_tag = soup.find("title")
    title = title_tag.get_text(" ", strip=True) if title_tag else None
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(_is_hidden):
        if not tag.decomposed:
            tag.decompose()
    for level in range(1, 7):
        for tag in soup.find_all(f"h{level}"):
            tag.replace_with(f"\n\n{'#' * level} {tag.get_text(' ', strip=True)}\n\n")
    for tag in soup.find_all("br"):
        tag.replace_with("\n")
    for tag in soup.find_all("li"):
        tag.insert(0, "\n- ")
    for tag in soup.find_all(["td", "th"]):
        tag.append(" | ")
    for tag in soup.find_all(_BLOCK_TAGS):
        tag.insert(0, "\n")
        tag.append("\n")
    return title or None, _clean_lines(soup.get_text())
