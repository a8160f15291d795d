"""Medicare PFS tables (RVUs, GPCIs, localities) and finding a locality from what a person types.

A locality can be given as a MAC/locality number ("06102/16", "IL 16", "16"), a locality or city
name with or without state ("Chicago, IL", "Rest of Illinois"), a county ("Cook County, IL") or a
state ("AL", "Alabama") when that state has a single locality.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from types import MappingProxyType

from assistant.errors import ToolInputError
from assistant.tools.tables import Table, parsed, years_on_file

RVU_PREFIX = "pfs_rvu_therapy"
GPCI_PREFIX = "gpci"
LOCALITY_PREFIX = "medicare_localities"
SMALL_WORDS = {"Of", "And", "The"}
RVU_COLUMNS = (
    "code", "status", "work_rvu", "pe_rvu_nonfacility", "pe_rvu_facility", "mp_rvu", "mppr_indicator",
    "conversion_factor", "release",
)  # fmt: skip
GPCI_COLUMNS = (
    "mac", "state", "locality_number", "locality_name", "work_gpci", "pe_gpci", "mp_gpci", "floor_note",
    "release",
)  # fmt: skip
COUNTY_COLUMNS = ("mac", "locality_number", "state", "state_name", "counties")


@dataclass(frozen=True)
class Rvu:
    """One code's RVUs for one year (pfs_rvu_therapy_<year>.csv)."""

    code: str
    year: int
    status: str
    work: Decimal
    pe_nonfacility: Decimal
    pe_facility: Decimal
    mp: Decimal
    mppr_indicator: str
    conversion_factor: Decimal
    release: str
    file: str


@dataclass(frozen=True)
class Locality:
    """One Medicare payment locality with its GPCIs for one year (gpci_<year>.csv)."""

    mac: str
    state: str
    number: str
    name: str
    work: Decimal
    pe: Decimal
    mp: Decimal
    floor_note: str
    release: str
    file: str

    @cached_property
    def label(self) -> str:
        words = self.name.title().split(" ")
        name = " ".join(w.lower() if i and w in SMALL_WORDS else w for i, w in enumerate(words))
        return f"{name}, {self.state} (MAC {self.mac}, locality {self.number})"

    @cached_property
    def norm_name(self) -> str:
        """The name upper-cased with punctuation as single spaces, as typed names are compared."""
        return _norm(self.name)


def pfs_years(data_dir: Path) -> list[int]:
    """Years with both an RVU and a GPCI table on file."""
    return sorted(set(years_on_file(data_dir, RVU_PREFIX)) & set(years_on_file(data_dir, GPCI_PREFIX)))


def _rvus(table: Table) -> Mapping[str, Rvu]:
    table.require(RVU_COLUMNS)
    year = int(table.path.stem.rsplit("_", 1)[1])
    return MappingProxyType(
        {
            r["code"]: Rvu(
                code=r["code"],
                year=year,
                status=r["status"],
                work=Decimal(r["work_rvu"]),
                pe_nonfacility=Decimal(r["pe_rvu_nonfacility"]),
                pe_facility=Decimal(r["pe_rvu_facility"]),
                mp=Decimal(r["mp_rvu"]),
                mppr_indicator=r["mppr_indicator"],
                conversion_factor=Decimal(r["conversion_factor"]),
                release=r["release"],
                file=table.label,
            )
            for r in table.rows
        }
    )


def rvu_table(data_dir: Path, year: int) -> Mapping[str, Rvu]:
    """The year's RVUs keyed by code (shared, read-only)."""
    return parsed(data_dir / f"{RVU_PREFIX}_{year}.csv", _rvus)


def _localities(table: Table) -> tuple[Locality, ...]:
    table.require(GPCI_COLUMNS)
    return tuple(
        Locality(
            mac=r["mac"],
            state=r["state"],
            number=r["locality_number"],
            name=r["locality_name"],
            work=Decimal(r["work_gpci"]),
            pe=Decimal(r["pe_gpci"]),
            mp=Decimal(r["mp_gpci"]),
            floor_note=r["floor_note"],
            release=r["release"],
            file=table.label,
        )
        for r in table.rows
    )


def localities(data_dir: Path, year: int) -> tuple[Locality, ...]:
    """The year's localities in file order (shared)."""
    return parsed(data_dir / f"{GPCI_PREFIX}_{year}.csv", _localities)


def _norm(text: str) -> str:
    return re.sub(r"[^A-Z0-9]+", " ", text.upper()).strip()


@dataclass(frozen=True)
class _Counties:
    """What the county list (medicare_localities_<year>.csv) says about places."""

    state_names: Mapping[str, str]  # full state name (and each part of "HAWAII/GUAM") → two-letter code
    keys: Mapping[tuple[str, str], tuple[str, str]]  # (state, COUNTY) → (mac, locality number)


def _counties(table: Table) -> _Counties:
    table.require(COUNTY_COLUMNS)
    names: dict[str, str] = {}
    keys: dict[tuple[str, str], tuple[str, str]] = {}
    for r in table.rows:
        for part in r["state_name"].split("/"):
            names[_norm(part)] = r["state"]
        for county in re.split(r",| AND ", r["counties"]):
            keys[(r["state"], _norm(county))] = (r["mac"], r["locality_number"])
    return _Counties(MappingProxyType(names), MappingProxyType(keys))


def _county_data(data_dir: Path) -> _Counties:
    """The latest county list on file (empty when there is none)."""
    years = years_on_file(data_dir, LOCALITY_PREFIX)
    if not years:
        return _Counties(MappingProxyType({}), MappingProxyType({}))
    return parsed(data_dir / f"{LOCALITY_PREFIX}_{years[-1]}.csv", _counties)


def _split_state(text: str, state_names: Mapping[str, str], states: set[str]) -> tuple[str, str | None]:
    """Separate a trailing/leading state ("Chicago, IL", "IL 16", "Rest of Illinois") from the rest."""
    norm = _norm(text)
    if norm in states or norm in state_names:
        return "", state_names.get(norm, norm)
    words = norm.split()
    for size in (3, 2, 1):
        for head, tail in ((words[:-size], words[-size:]), (words[size:], words[:size])):
            cand = " ".join(tail)
            if head and (cand in states or cand in state_names):
                return " ".join(head), state_names.get(cand, cand)
    return norm, None


def find_locality(text: str, data_dir: Path, year: int) -> Locality:
    """The one locality ``text`` names; ambiguous or unknown text raises ToolInputError with choices."""
    from rapidfuzz import fuzz, process

    all_locs = localities(data_dir, year)
    mac_loc = re.fullmatch(r"\s*(\d{5})\s*[-/ ]\s*(\d{1,2})\s*", text)
    if mac_loc:
        mac, number = mac_loc.group(1), mac_loc.group(2).zfill(2)
        found = [loc for loc in all_locs if loc.mac == mac and loc.number == number]
        return _one(found, text, all_locs)
    typed = _norm(text)
    whole = [loc for loc in all_locs if loc.norm_name == typed]
    if whole:
        return _one(whole, text, all_locs)
    counties = _county_data(data_dir)
    rest, state = _split_state(text, counties.state_names, {loc.state for loc in all_locs})
    pool = [loc for loc in all_locs if state is None or loc.state == state]
    if not rest:
        return _one(pool, text, pool)
    if rest.isdigit():
        return _one([loc for loc in pool if loc.number == rest.zfill(2)], text, pool)
    rest = re.sub(r"\s+(COUNTY|CNTY|CITY)$", "", rest)
    exact = [loc for loc in pool if loc.norm_name == rest]
    if exact:
        return _one(exact, text, pool)
    word = re.compile(rf"\b{re.escape(rest)}\b")
    within = [loc for loc in pool if word.search(loc.norm_name)]
    if within:
        return _one(within, text, pool)
    by_county = [loc for loc in pool if counties.keys.get((loc.state, rest)) == (loc.mac, loc.number)]
    if by_county:
        return _one(by_county, text, pool)
    names = {f"{loc.norm_name} {loc.state}": loc for loc in pool}
    query = f"{rest} {state}" if state else rest
    best = process.extractOne(query, list(names), scorer=fuzz.token_sort_ratio, score_cutoff=85)
    return _one([names[best[0]]] if best else [], text, pool)


def _one(found: Sequence[Locality], text: str, pool: Sequence[Locality]) -> Locality:
    if len(found) == 1:
        return found[0]
    choices = found or pool
    listed = "; ".join(loc.label for loc in choices[:12]) + ("; …" if len(choices) > 12 else "")
    if found:
        raise ToolInputError(f"'{text}' matches {len(found)} Medicare localities: {listed}. Say which one.")
    raise ToolInputError(
        f"No Medicare locality matches '{text}'. Give a state with its locality name, a MAC/locality "
        f"number (e.g. 06102/16) or a county. Localities to choose from: {listed}."
    )
