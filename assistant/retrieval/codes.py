"""Find CPT/HCPCS codes and billing modifiers mentioned in text (chunk metadata and code boost).

Example:
    >>> extract_codes("Bill 97140-59 with 97530 GP; G0283 for unattended e-stim; modifier 52")
    ['97140', '97530', 'G0283', '59', 'GP', '52']
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Modifiers the assistant knows about. Letter modifiers are matched as upper-case words; the numeric
# ones (59, 52) only next to a code, the word "modifier", or an X-modifier list, so "59 minutes" is not one.
LETTER_MODIFIERS = ("XE", "XS", "XP", "XU", "GP", "GO", "GN", "KX", "CQ", "CO")
NUMERIC_MODIFIERS = ("59", "52")
MODIFIERS = frozenset(LETTER_MODIFIERS + NUMERIC_MODIFIERS)

_CPT = r"9\d{4}"  # 97112, 97110, 99213 ...
_HCPCS = r"[A-V]\d{4}"  # G0283, ...
_CODE_RE = re.compile(rf"(?<![\w$.,])({_CPT}|{_HCPCS})(?![\w])")
_LETTER_MOD_RE = re.compile(rf"(?<![A-Za-z0-9])({'|'.join(LETTER_MODIFIERS)})(?![A-Za-z0-9])")
_LETTER_MOD_CI_RE = re.compile(
    rf"\bmodifiers?\s*-?\s*({'|'.join(LETTER_MODIFIERS)})\b|\b({'|'.join(LETTER_MODIFIERS)})\s*modifiers?\b",
    re.IGNORECASE,
)
_NUM = "|".join(NUMERIC_MODIFIERS)
_PUT = (  # verbs that put a modifier on a code: "put 59 on 97140", "added 52 to 97112"
    r"put(?:ting)?|add(?:ed|ing)?|append(?:ed|ing)?|attach(?:ed|ing)?|appl(?:y|ied|ying)|used?|using"
    r"|support(?:ed|ing)?|need|needs|require[sd]?|bill(?:ing|ed)?"
)
_NUM_MOD_RE = re.compile(
    rf"(?:(?<=\d)-|(?<![\w.])-|\bmodifiers?\s*-?\s*)({_NUM})\b"  # 97140-59, -59, modifier 59
    rf"|\b({_NUM})\s*(?:modifiers?\b|/\s*X|or\s+X[ESPU]\b|,\s*X[ESPU]\b)"  # 59 modifier, 59/X, 59 or XU
    rf"|\b(?:{_PUT})\s+(?:an?\s+|the\s+)?({_NUM})\s+(?:on|to)\b",
    re.IGNORECASE,
)
_MODIFIER_LIST_RE = re.compile(
    r"\bmodifiers?\b[\s:(]*((?:(?:-?[A-Z0-9]{2})(?:\s*(?:,|/|\band\b|\bor\b|&)\s*|\s+))+)", re.IGNORECASE
)


def _ordered(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def numeric_modifiers(text: str) -> list[tuple[int, int, str]]:
    """(start, end, value) of each 59/52 used as a modifier ("97140-59", "modifier 59", "put 59 on X"),
    so the number is not also read as minutes."""
    found = []
    for m in _NUM_MOD_RE.finditer(text):
        group = next(g for g in (1, 2, 3) if m.group(g))
        found.append((m.start(group), m.end(group), m.group(group)))
    return found


def extract_codes(text: str) -> list[str]:
    """Codes first (in order of appearance), then modifiers; each listed once, upper-case."""
    codes = [m.group(1).upper() for m in _CODE_RE.finditer(text)]
    mods: list[tuple[int, str]] = []
    mods += [(m.start(1), m.group(1)) for m in _LETTER_MOD_RE.finditer(text)]
    for m in _LETTER_MOD_CI_RE.finditer(text):
        group = 1 if m.group(1) else 2
        mods.append((m.start(group), m.group(group).upper()))
    mods += [(start, value) for start, _, value in numeric_modifiers(text)]
    for m in _MODIFIER_LIST_RE.finditer(text):
        for token in re.finditer(r"[A-Za-z0-9]{2}", m.group(1)):
            value = token.group(0).upper()
            if value in MODIFIERS:
                mods.append((m.start(1) + token.start(), value))
    return _ordered(codes + [value for _, value in sorted(mods)])


def normalize_codes(values: Iterable[object]) -> list[str]:
    """Front-matter style code lists ("97112", 97112, "-59", "gp") → canonical upper-case strings."""
    out: list[str] = []
    for value in values:
        token = str(value).strip().lstrip("-").upper()
        if token:
            out.append(token)
    return _ordered(out)


def join_codes(codes: Iterable[str]) -> str:
    """The comma-joined form stored in chunk metadata ("97112,97110,59,GP")."""
    return ",".join(_ordered(codes))


def split_codes(joined: str | None) -> tuple[str, ...]:
    """Inverse of :func:`join_codes`."""
    return tuple(c for c in (joined or "").split(",") if c)
