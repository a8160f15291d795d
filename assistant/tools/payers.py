"""The payer table (payer_rates.csv) and payer names as people write them ("BCBS", "UHC", "United").

Example:
    >>> from pathlib import Path
    >>> # match_payer("Blue Cross", Path("knowledge_base/data")).payer_id  -> 'bcbs'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from assistant.errors import ToolInputError
from assistant.tools.tables import read_rows

PAYER_FILE = "payer_rates.csv"
FUZZY_CUTOFF = 80.0


@dataclass(frozen=True)
class PayerRate:
    """One row of the payer table: a representative rate (or a low–high range) for one code and year."""

    payer_id: str
    payer_name: str
    code: str
    year: int
    setting: str
    rate_low: Decimal
    rate_high: Decimal
    note: str
    source: str
    confidence: str


@dataclass(frozen=True)
class Payer:
    """A payer on file with the spellings it is known by."""

    payer_id: str
    name: str
    aliases: tuple[str, ...]


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def payers_on_file(data_dir: Path) -> list[Payer]:
    """Every payer in the table, in file order (one entry per payer)."""
    seen: dict[str, Payer] = {}
    for r in read_rows(data_dir / PAYER_FILE):
        if r["payer_id"] not in seen:
            aliases = tuple(a.strip() for a in r["aliases"].split("|") if a.strip())
            seen[r["payer_id"]] = Payer(r["payer_id"], r["payer_name"], (r["payer_name"], *aliases))
    return list(seen.values())


def match_payer(name: str, data_dir: Path) -> Payer:
    """The payer a name refers to: exact alias first, then fuzzy (rapidfuzz); else ToolInputError."""
    from rapidfuzz import fuzz, process

    payers = payers_on_file(data_dir)
    wanted = _norm(name)
    choices: dict[str, Payer] = {}
    for payer in payers:
        for alias in (payer.payer_id, *payer.aliases):
            choices[_norm(alias)] = payer
    if wanted in choices:
        return choices[wanted]
    listed = ", ".join(f"{p.name} ({', '.join(p.aliases[1:])})" for p in payers)
    if "advantage" in wanted.split():
        raise ToolInputError(
            f"'{name}': Medicare Advantage plans are not on file (the Medicare rows are traditional "
            f"Medicare's fee schedule). Payers on file: {listed}."
        )
    best = process.extractOne(wanted, list(choices), scorer=fuzz.WRatio, score_cutoff=FUZZY_CUTOFF)
    if best is None:
        raise ToolInputError(f"Payer '{name}' is not on file. Payers on file: {listed}.")
    return choices[best[0]]


def payer_rates(data_dir: Path, payer_id: str) -> list[PayerRate]:
    """All table rows of one payer."""
    return [
        PayerRate(
            payer_id=r["payer_id"],
            payer_name=r["payer_name"],
            code=r["code"],
            year=int(r["year"]),
            setting=r["setting"],
            rate_low=Decimal(r["rate_low"]),
            rate_high=Decimal(r["rate_high"]),
            note=r["note"],
            source=r["source"],
            confidence=r["confidence"],
        )
        for r in read_rows(data_dir / PAYER_FILE)
        if r["payer_id"] == payer_id
    ]
