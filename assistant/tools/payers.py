"""The payer table (payer_rates.csv) and payer names as people write them ("BCBS", "UHC", "United").

Example:
    >>> from pathlib import Path
    >>> # match_payer("Blue Cross", Path("knowledge_base/data")).payer_id  -> 'bcbs'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

from assistant.errors import ToolInputError
from assistant.tools.tables import Table, parsed

PAYER_FILE = "payer_rates.csv"
PAYER_COLUMNS = (
    "payer_id", "payer_name", "aliases", "code", "year", "setting", "rate_low", "rate_high", "note",
    "source", "confidence",
)  # fmt: skip
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


@dataclass(frozen=True)
class _PayerTable:
    """payer_rates.csv parsed: payers in file order, their spellings, and the rows of each payer."""

    payers: tuple[Payer, ...]
    spellings: Mapping[str, Payer]  # normalized id/name/alias → payer
    rates: Mapping[str, tuple[PayerRate, ...]]


def _payer_table(table: Table) -> _PayerTable:
    table.require(PAYER_COLUMNS)
    seen: dict[str, Payer] = {}
    rates: dict[str, list[PayerRate]] = {}
    for r in table.rows:
        if r["payer_id"] not in seen:
            aliases = tuple(a.strip() for a in r["aliases"].split("|") if a.strip())
            seen[r["payer_id"]] = Payer(r["payer_id"], r["payer_name"], (r["payer_name"], *aliases))
        rates.setdefault(r["payer_id"], []).append(
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
        )
    spellings: dict[str, Payer] = {}
    for payer in seen.values():
        for alias in (payer.payer_id, *payer.aliases):
            spellings[_norm(alias)] = payer
    return _PayerTable(
        payers=tuple(seen.values()),
        spellings=MappingProxyType(spellings),
        rates=MappingProxyType({k: tuple(v) for k, v in rates.items()}),
    )


def payers_on_file(data_dir: Path) -> tuple[Payer, ...]:
    """Every payer in the table, in file order (one entry per payer)."""
    return parsed(data_dir / PAYER_FILE, _payer_table).payers


def match_payer(name: str, data_dir: Path) -> Payer:
    """The payer a name refers to: exact alias first, then fuzzy (rapidfuzz); else ToolInputError."""
    from rapidfuzz import fuzz, process

    on_file = parsed(data_dir / PAYER_FILE, _payer_table)
    wanted = _norm(name)
    choices = on_file.spellings
    if wanted in choices:
        return choices[wanted]
    listed = ", ".join(f"{p.name} ({', '.join(p.aliases[1:])})" for p in on_file.payers)
    if "advantage" in wanted.split():
        raise ToolInputError(
            f"'{name}': Medicare Advantage plans are not on file (the Medicare rows are traditional "
            f"Medicare's fee schedule). Payers on file: {listed}."
        )
    best = process.extractOne(wanted, list(choices), scorer=fuzz.WRatio, score_cutoff=FUZZY_CUTOFF)
    if best is None:
        raise ToolInputError(f"Payer '{name}' is not on file. Payers on file: {listed}.")
    return choices[best[0]]


def payer_rates(data_dir: Path, payer_id: str) -> tuple[PayerRate, ...]:
    """All table rows of one payer, in file order."""
    return parsed(data_dir / PAYER_FILE, _payer_table).rates.get(payer_id, ())
