"""Derive the tools' Medicare PFS tables from the CMS extracts (``coding-assistant data derive``).

Reads ``pfs_rvu_<year>.csv``, ``gpci_<year>.csv`` and ``locality_counties_<year>.csv`` from a source
folder (the team's copy of the CMS files) and writes the project's own layout into the data folder,
with a release/source column on every row. Run once by a maintainer; the assistant reads only the
output, never the source folder.

Example:
    >>> from pathlib import Path
    >>> # derive_tables(Path("/work/shared/data"), Path("knowledge_base/data"))
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from assistant.errors import ToolInputError
from assistant.tools.tables import write_rows, years_on_file

RVU_RELEASES = {
    2025: "CMS PFS Relative Value File 2025, October release RVU25D (released 09/11/2025)",
    2026: "CMS PFS Relative Value File 2026, July release RVU26C, non-QP (released 06/30/2026)",
}
GPCI_RELEASES = {
    2025: "CMS Addendum E, Final CY 2025 GPCIs (RVU25D bundle)",
    2026: "CMS Addendum E, Final CY 2026 GPCIs (RVU26C zip)",
}
COUNTY_RELEASES = {2025: "CMS 25LOCCO, counties included in 2025 localities (RVU25D bundle)"}

PFS_COLUMNS = [
    "code", "year", "status", "work_rvu", "pe_rvu_nonfacility", "pe_rvu_facility", "mp_rvu",
    "mppr_indicator", "conversion_factor", "release", "confidence",
]  # fmt: skip
GPCI_COLUMNS = [
    "year", "mac", "state", "locality_number", "locality_name", "floor_note",
    "work_gpci", "pe_gpci", "mp_gpci", "release", "confidence",
]  # fmt: skip
LOCALITY_COLUMNS = [
    "mac", "locality_number", "state", "state_name", "fee_schedule_area", "counties", "release",
]  # fmt: skip
FLOOR_NOTES = {"*": "work GPCI 1.5 floor (Alaska, MIPPA)", "**": "PE GPCI 1.0 floor (frontier state, ACA)"}


def _read(path: Path, required: Iterable[str]) -> list[dict[str, str]]:
    if not path.is_file():
        raise ToolInputError(f"Source file not found: {path}.")
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
    missing = set(required) - set(reader.fieldnames or ())
    if missing:
        raise ToolInputError(f"{path.name} lacks the columns {', '.join(sorted(missing))}.")
    return rows


def derive_pfs(src: Path, out: Path, year: int) -> Path:
    """One year's RVUs: code, status, the three RVUs, MPPR indicator and conversion factor."""
    need = ("hcpcs", "status", "work_rvu", "pe_rvu_nonfacility", "pe_rvu_facility", "mp_rvu")
    rows = _read(src / f"pfs_rvu_{year}.csv", (*need, "mult_proc_indicator", "conversion_factor"))
    release = RVU_RELEASES.get(year, f"CMS PFS Relative Value File {year} (release not recorded)")
    derived = [
        {
            "code": r["hcpcs"].strip().upper(),
            "year": str(year),
            "status": r["status"].strip(),
            "work_rvu": r["work_rvu"],
            "pe_rvu_nonfacility": r["pe_rvu_nonfacility"],
            "pe_rvu_facility": r["pe_rvu_facility"],
            "mp_rvu": r["mp_rvu"],
            "mppr_indicator": r["mult_proc_indicator"],
            "conversion_factor": r["conversion_factor"],
            "release": release,
            "confidence": "High",
        }
        for r in rows
    ]
    return write_rows(out / f"pfs_rvu_therapy_{year}.csv", PFS_COLUMNS, derived)


def derive_gpci(src: Path, out: Path, year: int) -> Path:
    """One year's GPCIs per (MAC, locality); the */** floor markers become a readable note."""
    need = ("mac", "state", "locality_number", "locality_name", "work_gpci", "pe_gpci", "mp_gpci")
    rows = _read(src / f"gpci_{year}.csv", need)
    release = GPCI_RELEASES.get(year, f"CMS Addendum E GPCIs {year} (release not recorded)")
    derived = []
    for r in rows:
        raw = r["locality_name"].strip()
        name = raw.rstrip("*").strip()
        derived.append(
            {
                "year": str(year),
                "mac": r["mac"].strip().zfill(5),
                "state": r["state"].strip().upper(),
                "locality_number": r["locality_number"].strip().zfill(2),
                "locality_name": name,
                "floor_note": FLOOR_NOTES.get(raw[len(name) :], ""),
                "work_gpci": r["work_gpci"],
                "pe_gpci": r["pe_gpci"],
                "mp_gpci": r["mp_gpci"],
                "release": release,
                "confidence": "High",
            }
        )
    return write_rows(out / f"gpci_{year}.csv", GPCI_COLUMNS, derived)


def derive_localities(src: Path, out: Path, year: int) -> Path:
    """Counties per locality, with the two-letter state code joined from the same year's GPCIs."""
    need = ("mac", "locality_number", "state", "fee_schedule_area", "counties")
    rows = _read(src / f"locality_counties_{year}.csv", need)
    gpci = _read(src / f"gpci_{year}.csv", ("mac", "locality_number", "state"))
    state_of = {(g["mac"].zfill(5), g["locality_number"].zfill(2)): g["state"].upper() for g in gpci}
    release = COUNTY_RELEASES.get(year, f"CMS locality counties {year} (release not recorded)")
    derived = []
    for r in rows:
        key = (r["mac"].strip().zfill(5), r["locality_number"].strip().zfill(2))
        if key not in state_of:
            raise ToolInputError(f"Locality {key[0]}/{key[1]} has counties but no {year} GPCI row.")
        derived.append(
            {
                "mac": key[0],
                "locality_number": key[1],
                "state": state_of[key],
                "state_name": r["state"].strip(),
                "fee_schedule_area": r["fee_schedule_area"].strip(),
                "counties": " ".join(r["counties"].split()),
                "release": release,
            }
        )
    return write_rows(out / f"medicare_localities_{year}.csv", LOCALITY_COLUMNS, derived)


def derive_tables(src: Path, out: Path) -> list[Path]:
    """Write every derivable table from ``src`` into ``out``; returns the files written."""
    if not src.is_dir():
        raise ToolInputError(f"Source folder not found: {src}.")
    rvu_years, gpci_years = years_on_file(src, "pfs_rvu"), years_on_file(src, "gpci")
    if not rvu_years or not gpci_years:
        raise ToolInputError(f"{src} holds no pfs_rvu_<year>.csv / gpci_<year>.csv files.")
    written = [derive_pfs(src, out, y) for y in rvu_years]
    written += [derive_gpci(src, out, y) for y in gpci_years]
    county_years = years_on_file(src, "locality_counties")
    if county_years:
        written.append(derive_localities(src, out, county_years[-1]))
    return written
