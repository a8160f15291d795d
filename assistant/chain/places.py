"""Payers and Medicare localities named in a question, resolved with the rate tool's own matchers.

Payer names go through :func:`assistant.tools.payers.match_payer` (exact alias, then rapidfuzz), places
through :func:`assistant.tools.pfs.find_locality`; nothing here keeps its own list of payers or places.

Example:
    >>> find_payer("what does UHC pay for 97112?", data_dir)          # doctest: +SKIP
    ('UnitedHealthcare', None)
    >>> find_payer("what does Cigna pay for 97112?", data_dir)        # doctest: +SKIP
    (None, 'Cigna')
"""

from __future__ import annotations

import re
from pathlib import Path

from assistant.errors import ToolInputError
from assistant.tools.payers import match_payer, payers_on_file
from assistant.tools.pfs import find_locality, pfs_years

_TAIL = r"[\w&'.\-]*"
_WORD = rf"[A-Za-z]{_TAIL}"
_CAP = rf"[A-Z]{_TAIL}"
_PAYER_CANDIDATES = [
    re.compile(
        rf"\b(?:does|do|will|would|did|should|can)\s+({_WORD}(?:\s+{_WORD}){{0,2}}?)\s+"
        r"(?:pay|reimburse|allow|cover|require|need|want|accept|use|follow)\b",
        re.I,
    ),
    re.compile(
        rf"\b({_CAP}(?:\s+{_CAP}){{0,2}}?)\s+"
        r"(?:patients?|plans?|members?|polic(?:y|ies)|rates?|fee schedule|pays|reimburses?|insurance|payer"
        r"|claims?)\b"
    ),
    re.compile(rf"\b({_CAP})['’]s\s+(?:fee|rate|payment|allowed|allowable|reimbursement|policy|rules?)\b"),
    re.compile(rf"\b(?:from|under|by|with|for|at|through)\s+({_CAP}(?:\s+{_CAP}){{0,2}})\s*(?:[?.!,]|$)"),
]
_NOT_PAYER_WORDS = (
    "i we my our the a an it that this they you he she medicare cms pt ot slp pta ota cpt ama ncci mac kx "
    "gp go gn cq co xu how what does is can do if which when why who commercial each every most all any "
    "some payer payers insurance plan patient units unit code modifier therapy physical occupational "
    "speech private per group one two billing claims same time session clinic office facility hospital "
    "practice rate rates"
)
_NOT_PAYERS = frozenset(_NOT_PAYER_WORDS.split())
_PLACE = re.compile(
    r"(?:^|\b(?:in|for|at|near|from|around|locality)\s+)(?=((?:(?:rest of|suburban|east)\s+)?"
    r"[A-Za-z][\w.'\-]*(?:(?:\s+|,\s*)[A-Za-z][\w.'\-]*){0,3}))",
    re.I,
)
_CAPITALISED = re.compile(r"\b[A-Z][a-z][\w.'\-]*(?:(?:\s+|,\s*)[A-Z][\w.'\-]*){0,3}")
_MAC_LOCALITY = re.compile(r"\b(\d{5}\s*/\s*\d{1,2})\b|\blocality\s+(\d{1,2})\b", re.I)
_ILLINOIS_CODES = re.compile(r"\b(?:IL|NGS|J6)\b")
_ILLINOIS_WORDS = re.compile(r"\b(?:illinois|chicago|noridian)\b", re.I)


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def find_payer(text: str, data_dir: Path) -> tuple[str | None, str | None]:
    """(payer on file, unknown payer name) named in ``text``; both None when no payer is named."""
    norm = f" {_norm(text)} "
    hits: list[tuple[int, str]] = []
    for payer in payers_on_file(data_dir):
        for alias in payer.aliases:
            pos = norm.find(f" {_norm(alias)} ")
            if pos >= 0 and _norm(alias) != "cms":
                hits.append((pos, payer.name))
    if hits:
        return min(hits)[1], None
    for pattern in _PAYER_CANDIDATES:
        for m in pattern.finditer(text):
            name = m.group(1).strip(" .,'")
            words = [w for w in _norm(name).split() if w not in _NOT_PAYERS]
            if not words or any(ch.isdigit() for ch in name) or _norm(name).split()[0] in _NOT_PAYERS:
                continue
            if find_place(name, data_dir) is not None:
                continue
            try:
                return match_payer(name, data_dir).name, None
            except ToolInputError:
                return None, name
    return None, None


def _resolves(candidate: str, data_dir: Path, year: int) -> bool:
    try:
        find_locality(candidate, data_dir, year)
    except ToolInputError as err:
        return str(err).startswith(f"'{candidate}' matches")  # a state with several localities
    return True


def find_place(text: str, data_dir: Path) -> str | None:
    """The locality text to hand the rate tool ("Chicago, IL", "06102/16", "Illinois"), if one is named."""
    years = pfs_years(data_dir)
    if not years:
        return None
    mac = _MAC_LOCALITY.search(text)
    if mac:
        return mac.group(1) or mac.group(2)
    starts = [m.group(1) for m in _PLACE.finditer(text)] + [m.group(0) for m in _CAPITALISED.finditer(text)]
    for start in starts:
        words = re.split(r"(?<=,)\s*|\s+", start.strip(" ?.!"))
        for size in range(min(len(words), 4), 0, -1):
            candidate = " ".join(words[:size]).strip(" ,")
            bare = _norm(candidate)
            if not bare or bare in _NOT_PAYERS or (len(bare) <= 2 and not candidate.isupper()):
                continue
            if _resolves(candidate, data_dir, years[-1]):
                return candidate
    return None


def mentions_illinois(text: str, place: str | None, data_dir: Path) -> bool:
    """Whether the question concerns Illinois (where the user's source names the wrong contractor)."""
    if _ILLINOIS_CODES.search(text) or _ILLINOIS_WORDS.search(text):
        return True
    if not place or not pfs_years(data_dir):
        return False
    try:
        return find_locality(place, data_dir, pfs_years(data_dir)[-1]).state == "IL"
    except ToolInputError:
        return False
