"""NCCI data on file: procedure-to-procedure (PTP) pairs and MUE values.

Two sources are read: the shipped ``ncci_ptp_therapy.csv`` (pairs reported in public guidance, each
with its confidence) and, when a clinic has imported the official quarterly files with
``coding-assistant data import-ncci/import-mue``, the tables in ``<data_dir>/imported/``. An imported
(official) row wins over a shipped one for the same pair.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import MappingProxyType

from assistant.tools.tables import IMPORTED_DIR, Table, file_label, parsed

SHIPPED_PTP = "ncci_ptp_therapy.csv"
IMPORTED_PTP = "ncci_ptp_imported.csv"
IMPORTED_MUE = "mue_imported.csv"
PTP_COLUMNS = [
    "column_1", "column_2", "column_order", "modifier_indicator", "effective_date", "deletion_date",
    "source", "confidence", "note",
]  # fmt: skip
MUE_COLUMNS = ["code", "mue_value", "adjudication_indicator", "rationale", "source"]
PTP_READ = [c for c in PTP_COLUMNS if c != "note"]  # the columns the checker reads
MUE_READ = [c for c in MUE_COLUMNS if c != "rationale"]


@dataclass(frozen=True)
class PtpEdit:
    """One NCCI pair: column 1/2 codes, modifier indicator ('' = not on file) and where it came from."""

    column_1: str
    column_2: str
    order_known: bool
    modifier_indicator: str
    effective_date: str
    deletion_date: str
    source: str
    confidence: str
    file: str

    def active_in(self, year: int) -> bool:
        """True when the edit was in force at some time during ``year``."""
        starts = date.fromisoformat(self.effective_date) if self.effective_date else date.min
        ends = date.fromisoformat(self.deletion_date) if self.deletion_date else date.max
        return starts <= date(year, 12, 31) and ends >= date(year, 1, 1)


@dataclass(frozen=True)
class MueValue:
    """The most units of a code per line/day that an imported MUE file allows."""

    code: str
    value: int
    adjudication_indicator: str
    source: str


def ptp_files(data_dir: Path) -> list[Path]:
    """The PTP tables in the order they are consulted (imported first), existing ones only."""
    candidates = [data_dir / IMPORTED_DIR / IMPORTED_PTP, data_dir / SHIPPED_PTP]
    return [p for p in candidates if p.is_file()]


def ptp_data_label(data_dir: Path) -> str:
    """Which PTP data was consulted, for "no edit on file (data: …)"."""
    parts = []
    for path in ptp_files(data_dir):
        kind = "imported CMS file" if path.parent.name == IMPORTED_DIR else "FACTS §5 pairs"
        parts.append(f"{file_label(path)}, {kind}")
    return "; ".join(parts) or "no NCCI table on file"


def _ptp_index(table: Table) -> Mapping[frozenset[str], tuple[PtpEdit, ...]]:
    """The file's edits grouped by their pair of codes, in file order."""
    table.require(PTP_READ)
    pairs: dict[frozenset[str], list[PtpEdit]] = {}
    for r in table.rows:
        edit = PtpEdit(
            column_1=r["column_1"],
            column_2=r["column_2"],
            order_known=r["column_order"] == "stated",
            modifier_indicator=r["modifier_indicator"],
            effective_date=r["effective_date"],
            deletion_date=r["deletion_date"],
            source=r["source"],
            confidence=r["confidence"],
            file=table.label,
        )
        pairs.setdefault(frozenset((edit.column_1, edit.column_2)), []).append(edit)
    return MappingProxyType({pair: tuple(edits) for pair, edits in pairs.items()})


def find_edit(a: str, b: str, data_dir: Path, year: int) -> PtpEdit | None:
    """The edit for the pair {a, b} in force during ``year``, imported data first; None if not on file."""
    for path in ptp_files(data_dir):
        for edit in parsed(path, _ptp_index).get(frozenset((a, b)), ()):
            if edit.active_in(year):
                return edit
    return None


def _mue(table: Table) -> Mapping[str, MueValue]:
    table.require(MUE_READ)
    return MappingProxyType(
        {
            r["code"]: MueValue(r["code"], int(r["mue_value"]), r["adjudication_indicator"], r["source"])
            for r in table.rows
        }
    )


def mue_values(data_dir: Path) -> Mapping[str, MueValue]:
    """Imported MUE values by code (none ship with the project: they are not verified)."""
    path = data_dir / IMPORTED_DIR / IMPORTED_MUE
    if not path.is_file():
        return MappingProxyType({})
    return parsed(path, _mue)
