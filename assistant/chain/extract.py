"""Read the billing facts out of one question: codes, minutes, units, years, spend, who treated, blocks.

Payers and places are found by :mod:`assistant.chain.places`; this module handles everything numeric.

Example:
    >>> s = extract_slots("I did 24 minutes of neuro re-ed and 23 of ther ex")
    >>> s.minutes
    {'97112': 24, '97110': 23}
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from assistant.chain.lexicon import CodeMention, Lexicon, lexicon
from assistant.retrieval.codes import numeric_modifiers

_EXPLICIT_MIN = re.compile(
    r"(?<![\d$.,])(\d{1,4})\s*-?\s*(?:(?:minutes?|mins?|m)(?![a-z])\.?|['’](?!s))"
    r"(?![\s-]*(?:blocks?|units?|increments?|intervals?|codes?|rule|time blocks?|timed))",
    re.I,
)
_BARE_NUM = re.compile(
    r"(?<![\d$.,:/\w])(\d{1,3})(?![\d,.]\d|\s*(?:(?:or|to|-|–)\s*\d+\s*)?(?:units?|%|x\b|×|hours?|visits?|patients?))"
)
_EACH = re.compile(r"(?<![\d$.,])(\d{1,3})\s*-?\s*(?:minutes?|mins?|m)?\s+each\b", re.I)
_NEXT_GAP = re.compile(r"\s*(?:of|doing|on|in|with|spent on)?\s*(?:the\s+)?", re.I)
_PREV_GAP = re.compile(r"\s*(?:[=:x×@(\-–—]|for|at|was|is|of|took|lasted)?\s*(?:about|approx\.?|~)?\s*", re.I)
_TIMES = re.compile(r"\s*(?:x|×|\*|at|for)?\s*", re.I)
_UNITS = re.compile(r"(?<![\d.$])(\d{1,2})\s*units?\b", re.I)
_YEAR = re.compile(r"(?<![\d$,.])(20[1-3]\d)(?!\d|,\d)")
_MONEY = re.compile(r"\$\s?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{2}))?")
_YTD_PLAIN = re.compile(
    r"(?:YTD|year[- ]to[- ]date)\D{0,20}?(\d{1,3}(?:,\d{3})+|\d{3,6})(?:\.(\d{2}))?", re.I
)
_ASSISTANT = re.compile(
    r"\b(PTA|OTA)s?\b|\b(?:physical|occupational) therap(?:ist|y) assistant\b|\bassistant\b", re.I
)
_ASSISTANT_MIN = [
    re.compile(
        r"\b(?:PTA|OTA|assistant)\b[^.?!\d]{0,25}?(?<!\d)(\d{1,3})(?!\d)\s*(?:minutes?|mins?|m\b)?"
        r"(?:\s+of\s+(?:the\s+)?)?",
        re.I,
    ),
    re.compile(
        r"(?<![\d$.,])(\d{1,3})(?!\d)\s*(?:minutes?|mins?|m\b)?\s+(?:\w+\s+){0,3}?(?:by|from|with)\s+(?:the\s+|a\s+|our\s+)?"
        r"(?:PTA|OTA|assistant)\b",
        re.I,
    ),
]


@dataclass
class Slots:
    """Everything the router needs from a question (missing values stay empty/None)."""

    codes: list[str] = field(default_factory=list)
    minutes: dict[str, int] = field(default_factory=dict)
    total_minutes: int | None = None
    units: int | None = None
    units_by_code: dict[str, int] = field(default_factory=dict)
    modifiers: list[str] = field(default_factory=list)
    payer: str | None = None
    unknown_payer: str | None = None
    commercial: bool = False
    locality: str | None = None
    illinois: bool = False
    year: int | None = None
    method: Literal["cms", "ama"] | None = None
    facility: bool | None = None
    assistant_kind: Literal["PTA", "OTA"] | None = None
    pta_minutes: dict[str, int] = field(default_factory=dict)
    discipline: Literal["PT", "OT", "SLP"] | None = None
    same_block: bool | None = None
    ytd_spend: Decimal | None = None
    reduced: bool = False
    evaluation: bool = False
    kx_threshold: bool = False  # asks what the KX (therapy) threshold is
    intents: set[str] = field(default_factory=set)
    out_of_scope: str | None = None


def _money(whole: str, cents: str | None) -> Decimal:
    return Decimal(whole.replace(",", "") + (f".{cents}" if cents else ""))


def _assign_minutes(
    text: str, mentions: list[CodeMention], skip: list[tuple[int, int]]
) -> tuple[dict[str, int], int]:
    """Minutes per code by adjacency ("24 min of X", "X for 24", "X=24"); returns (per code, unassigned)."""
    quantities: list[tuple[int, int, int, bool]] = []
    for pattern, minutes in lexicon().durations:
        quantities += [(m.start(), m.end(), minutes, True) for m in pattern.finditer(text)]
    quantities += [(m.start(), m.end(), int(m.group(1)), True) for m in _EXPLICIT_MIN.finditer(text)]
    quantities += [(m.start(), m.end(), int(m.group(1)), False) for m in _BARE_NUM.finditer(text)]
    each = _EACH.search(text)
    if each and len(mentions) > 1:
        return {m.code: int(each.group(1)) for m in mentions}, 0
    used: list[tuple[int, int]] = [(m.start, m.end) for m in mentions] + skip
    per_code: dict[str, int] = {}
    explicit_codes: set[str] = set()
    unassigned = 0
    for start, end, value, explicit in sorted(quantities, key=lambda q: (q[0], not q[3])):
        if any(start < e and end > s for s, e in used):
            continue
        used.append((start, end))
        after = next((m for m in mentions if m.start >= end), None)
        before = next((m for m in reversed(mentions) if m.end <= start), None)
        gap_after = text[end : after.start] if after else None
        gap_before = text[before.end : start] if before else None
        fits_after = gap_after is not None and bool(_NEXT_GAP.fullmatch(gap_after))
        fits_before = gap_before is not None and bool(_PREV_GAP.fullmatch(gap_before))
        target = None
        if fits_after and (explicit or "of" in str(gap_after).lower() or not fits_before):
            target = after  # "24 min of X", "24 min X", "23 of X", "and 23 X"
        elif fits_before:
            target = before  # "X for 24", "X=24", "X 24"
        if target is not None and (explicit or target.code not in explicit_codes):
            per_code[target.code] = per_code.get(target.code, 0) + value
            if explicit:
                explicit_codes.add(target.code)
        elif explicit:
            unassigned += value
    return per_code, unassigned


def _assistant_minutes(
    text: str, lex: Lexicon, codes: list[str]
) -> tuple[dict[str, int], list[tuple[int, int]]]:
    for pattern in _ASSISTANT_MIN:
        m = pattern.search(text)
        if not m:
            continue
        tail = lex.find_codes(text[m.end() : m.end() + 40])
        code = tail[0].code if tail else (codes[0] if len(codes) == 1 else None)
        return ({code: int(m.group(1))} if code else {}), [m.span(1)]
    return {}, []


def _ytd(text: str, lex: Lexicon) -> Decimal | None:
    plain = _YTD_PLAIN.search(text)
    if plain:
        return _money(plain.group(1), plain.group(2))
    for m in _MONEY.finditer(text):
        window = text[max(0, m.start() - 40) : m.end() + 40]
        if lex.cue("ytd", window):
            return _money(m.group(1), m.group(2))
    return None


def extract_slots(text: str) -> Slots:
    """The numeric and categorical facts of ``text`` (payer/locality are filled in by the router)."""
    lex = lexicon()
    mentions = lex.find_codes(text)
    codes = list(dict.fromkeys(m.code for m in mentions))
    slots = Slots(codes=codes, modifiers=lex.modifiers(text))
    kind = _ASSISTANT.search(text)
    if kind:
        word = (kind.group(1) or kind.group(0)).upper()
        slots.assistant_kind = "OTA" if word == "OTA" or "OCCUPATIONAL" in word else "PTA"
    slots.pta_minutes, skip = _assistant_minutes(text, lex, codes) if kind else ({}, [])
    money_spans = [m.span() for m in _MONEY.finditer(text)] + [m.span() for m in _UNITS.finditer(text)]
    not_minutes = money_spans + [m.span() for m in _YEAR.finditer(text)]
    not_minutes += [(start, end) for start, end, _ in numeric_modifiers(text)]  # "put 59 on 97140"
    per_code, unassigned = _assign_minutes(text, mentions, skip + not_minutes)
    if unassigned and not per_code and len(codes) == 1:
        per_code = {codes[0]: unassigned}
    elif unassigned:
        slots.total_minutes = unassigned
    slots.minutes = per_code
    for m in _UNITS.finditer(text):
        tail = lex.find_codes(text[m.end() : m.end() + 20])
        head = [c for c in mentions if c.end <= m.start() and _TIMES.fullmatch(text[c.end : m.start()])]
        if tail and re.match(r"\s*(?:of\s+)?$", text[m.end() : m.end() + tail[0].start]):
            slots.units_by_code[tail[0].code] = int(m.group(1))  # "3 units of 97112"
        elif head:
            slots.units_by_code[head[-1].code] = int(m.group(1))  # "97112 x 3 units"
        else:
            slots.units = int(m.group(1))
    if slots.units_by_code and not _EXPLICIT_MIN.search(text):
        # "2 units of 97110 and 1 of 97140": the bare numbers are units too, not minutes.
        slots.units_by_code.update({c: n for c, n in slots.minutes.items() if c not in slots.units_by_code})
        slots.minutes = {}
    years = _YEAR.findall(text)
    slots.year = int(years[0]) if years else None
    slots.ytd_spend = _ytd(text, lex)
    if lex.cue("ama", text):
        slots.method = "ama"
    elif lex.cue("cms", text):
        slots.method = "cms"
    slots.commercial = lex.cue("commercial", text)
    if lex.cue("nonfacility", text):
        slots.facility = False
    elif lex.cue("facility", text):
        slots.facility = True
    if lex.cue("same_block", text):
        slots.same_block = True
    elif lex.cue("separate_block", text):
        slots.same_block = False
    slots.kx_threshold = lex.cue("kx_threshold", text) and not lex.cue("review_threshold", text)
    slots.reduced = lex.cue("reduced", text) or "52" in slots.modifiers
    if slots.assistant_kind == "OTA" or lex.cue("ot", text):
        slots.discipline = "OT"
    elif lex.cue("slp", text):
        slots.discipline = "SLP"
    slots.evaluation = not any(c in codes for c in ("97161", "97162", "97163")) and lex.mentions_evaluation(
        text
    )
    slots.out_of_scope = lex.out_of_scope_label(text)
    for intent in ("rate", "units", "modifier"):
        if lex.cue(intent, text):
            slots.intents.add(intent)
    return slots
