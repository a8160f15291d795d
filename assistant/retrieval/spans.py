"""Exact pieces of a chunk's text that an answer can quote: sentences, whole tables and lead-in lists.

The composer scores these spans against the question; ingest embeds them ahead of time, so the
question path only looks their vectors up. Each span's ``text`` is an exact substring of the chunk.

Example:
    >>> [s.shown for s in spans("Units follow the 8-minute rule. Eight minutes make one billable unit.")]
    ['Units follow the 8-minute rule.', 'Eight minutes make one billable unit.']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NOT_AN_END = r"(?<!\bSt\.)(?<!\bvs\.)(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\bNo\.)(?<!\bCh\.)(?<!\bPub\.)(?<!\bDr\.)"
_BOUNDARY = re.compile(
    r"\n\s*\n|\n(?=\s*(?:#|\||[-*+] |\d{1,2}\. ))"
    rf"|(?<=[.!?]){_NOT_AN_END}\s+(?=[A-Z0-9*\"'(\[$])|(?<=[.!?]\*\*)\s+"
)
_MIN_CHARS, _MAX_CHARS = 30, 420
_MARKUP_LINES = re.compile(
    r"\A(?:[ \t]*(?:#|\||---)[^\n]*(?:\n|\Z))+"
)  # a heading or table before a sentence

_LEAD_IN = r"(?:^[^\n|#\s][^\n]*\n)*?^[^\n|#\s][^\n]*:[ \t]*\n(?:[ \t]*\n)?"
_TABLE = re.compile(rf"(?m)(?:{_LEAD_IN})?(?:^[ \t]*\|[^\n]*(?:\n|$)){{3,}}")
_MARKER = r"(?:[-*+]|\d{1,2}\.)[ \t]"
# an item's next line continues it when indented, or when the item's line stops mid-sentence (a wrapped line)
_GOES_ON = rf"(?:^[ \t]+(?!{_MARKER})|(?<![.;:!?]\n)(?![ \t]*(?:{_MARKER}|[#|])))[^\n]+(?:\n|$)"
_ITEM = rf"^[ \t]*{_MARKER}[ \t]*[^\n]*(?:\n|$)(?:{_GOES_ON})*"
_LIST = re.compile(rf"(?m){_LEAD_IN}(?:{_ITEM})+")
_MAX_SHOWN = 700


@dataclass(frozen=True)
class Span:
    """An exact piece of a chunk and how it reads in an answer (tables and lists flattened)."""

    text: str
    shown: str
    kind: str = "sentence"  # or "table" (a whole table), "row" (one table row), "list" (lead-in and items)


def _cells(row: str) -> list[str]:
    return [c.strip() for c in row.strip().strip("|").split("|")]


def _table_spans(match: re.Match[str]) -> list[Span]:
    lines = match.group(0).strip().splitlines()
    lead = [" ".join(ln.strip() for ln in lines if not ln.lstrip().startswith("|") and ln.strip())]
    rows = [_cells(ln) for ln in lines if ln.lstrip().startswith("|")]
    rows = [r for r in rows if not all(re.fullmatch(r":?-+:?", c) for c in r if c)]
    if len(rows) < 2:
        return []
    header, body = rows[0], rows[1:]
    flat = ["; ".join(f"{h} {v}" for h, v in zip(header, row, strict=False) if v) for row in body]
    spans = []
    whole = " ".join([*lead, " / ".join(flat)])
    if len(whole) <= _MAX_SHOWN:
        spans.append(Span(match.group(0).strip(), whole, "table"))
    if len(header) >= 3 or len(whole) > _MAX_SHOWN:
        raw_rows = [ln for ln in lines if ln.lstrip().startswith("|")][2:]
        spans += [Span(raw.strip(), shown, "row") for raw, shown in zip(raw_rows, flat, strict=False)]
    return spans


def _list_span(match: re.Match[str]) -> list[Span]:
    text = match.group(0).strip()
    parts = re.split(r"\n[ \t]*(?:[-*+]|\d{1,2}\.)[ \t]+", text)
    lead, items = parts[0], [" ".join(p.split()).rstrip(".;") for p in parts[1:]]
    shown = f"{' '.join(lead.split())} {'; '.join(items)}."
    return [Span(match.group(0).strip(), shown, "list")] if len(shown) <= _MAX_SHOWN else []


def spans(text: str) -> list[Span]:
    """Sentences of ``text`` plus whole tables and lead-in lists (each an exact substring)."""
    found = [span for m in _TABLE.finditer(text) for span in _table_spans(m)]
    found += [span for m in _LIST.finditer(text) for span in _list_span(m)]
    return found + [Span(s, s) for s in sentences(text)]


def sentences(text: str) -> list[str]:
    """Sentence-like spans of ``text`` (exact substrings), skipping headings, tables and fragments."""
    pieces, start = [], 0
    for m in _BOUNDARY.finditer(text):
        pieces.append(text[start : m.start()])
        start = m.end()
    pieces.append(text[start:])
    out = []
    for piece in pieces:
        piece = _MARKUP_LINES.sub("", piece.strip()).strip()
        if _MIN_CHARS <= len(piece) <= _MAX_CHARS and " " in piece:
            if piece.endswith((":", ";", ",")):
                continue  # a list's lead-in or a fragment, not a statement
            out.append(piece)
    return out
