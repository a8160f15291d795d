"""Import the official CMS NCCI files a clinic downloads each quarter.

- Practitioner PTP edits: tab-separated text; a copyright preamble, a header spread over several
  lines ("Column 1", "Column 2", "*=in existence prior to 1996", "Effective Date", "Deletion Date",
  "Modifier", "PTP Edit Rationale"), then one edit per line with dates as YYYYMMDD ("*" = none).
- Practitioner Services MUE: CSV; a quoted copyright preamble, then the header "HCPCS/CPT Code,
  Practitioner Services MUE Values, MUE Adjudication Indicator, MUE Rationale".

Only rows whose codes are therapy codes on file are kept; the shipped tables are never touched.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from assistant.errors import ToolInputError
from assistant.tools.ncci import IMPORTED_MUE, IMPORTED_PTP, MUE_COLUMNS, PTP_COLUMNS
from assistant.tools.pfs import pfs_years, rvu_table
from assistant.tools.tables import CODE_RE, code_catalogue, write_rows

DATE_RE = re.compile(r"^\d{8}$")


@dataclass(frozen=True)
class ImportSummary:
    """What an import read and wrote."""

    rows_read: int
    rows_kept: int
    written: Path


def therapy_codes(data_dir: Path) -> frozenset[str]:
    """Codes the tools know: the catalogue plus every code of the fee-schedule tables."""
    return frozenset(code_catalogue(data_dir)).union(*(rvu_table(data_dir, y) for y in pfs_years(data_dir)))


def _iso(yyyymmdd: str) -> str:
    value = yyyymmdd.strip()
    if value in {"", "*"}:
        return ""
    if not DATE_RE.match(value):
        raise ToolInputError(f"'{value}' is not a YYYYMMDD date.")
    return date(int(value[:4]), int(value[4:6]), int(value[6:])).isoformat()


def _read_text(file: Path) -> str:
    if not file.is_file():
        raise ToolInputError(f"File not found: {file}.")
    return file.read_text(encoding="utf-8", errors="replace")


def import_ptp(file: Path, data_dir: Path, out_dir: Path) -> ImportSummary:
    """Parse a CMS practitioner PTP file and write the therapy pairs to ``out_dir``."""
    lines = _read_text(file).splitlines()
    if not any(line.split("\t")[:2] == ["Column 1", "Column 2"] for line in lines[:20]):
        raise ToolInputError(
            f"{file.name} is not a CMS practitioner PTP file (no 'Column 1<TAB>Column 2' header)."
        )
    known = therapy_codes(data_dir)
    kept: list[dict[str, str]] = []
    read = 0
    for number, line in enumerate(lines, start=1):
        fields = [f.strip() for f in line.split("\t")]
        if len(fields) < 6 or not (CODE_RE.match(fields[0]) and CODE_RE.match(fields[1])):
            continue
        read += 1
        if fields[5] not in {"0", "1", "9"}:
            raise ToolInputError(
                f"{file.name} line {number}: modifier indicator '{fields[5]}' is not 0, 1 or 9."
            )
        try:
            effective, deletion = _iso(fields[3]), _iso(fields[4])
        except ToolInputError as err:
            raise ToolInputError(f"{file.name} line {number}: {err}") from None
        if fields[0] in known and fields[1] in known:
            kept.append(
                {
                    "column_1": fields[0],
                    "column_2": fields[1],
                    "column_order": "stated",
                    "modifier_indicator": fields[5],
                    "effective_date": effective,
                    "deletion_date": deletion,
                    "source": f"CMS NCCI practitioner PTP file {file.name}",
                    "confidence": "High (official file)",
                    "note": fields[6] if len(fields) > 6 else "",
                }
            )
    if read == 0:
        raise ToolInputError(f"{file.name} has a PTP header but no edit rows.")
    return ImportSummary(read, len(kept), write_rows(out_dir / IMPORTED_PTP, PTP_COLUMNS, kept))


def import_mue(file: Path, data_dir: Path, out_dir: Path) -> ImportSummary:
    """Parse a CMS practitioner services MUE file (CSV) and write the therapy codes' values."""
    rows = list(csv.reader(_read_text(file).splitlines(keepends=True)))
    start = next(
        (i for i, r in enumerate(rows) if r and "HCPCS" in r[0].upper() and "MUE" in ",".join(r[1:]).upper()),
        None,
    )
    if start is None:
        raise ToolInputError(f"{file.name} is not a CMS MUE file (no 'HCPCS/CPT Code, ... MUE ...' header).")
    known = therapy_codes(data_dir)
    kept: list[dict[str, str]] = []
    read = 0
    for number, r in enumerate(rows[start + 1 :], start=start + 2):
        if len(r) < 3 or not CODE_RE.match(r[0].strip()):
            continue
        read += 1
        code, value = r[0].strip(), r[1].strip()
        if not value.isdigit():
            raise ToolInputError(f"{file.name} row {number}: MUE value '{value}' for {code} is not a number.")
        if code in known:
            kept.append(
                {
                    "code": code,
                    "mue_value": value,
                    "adjudication_indicator": r[2].strip(),
                    "rationale": r[3].strip() if len(r) > 3 else "",
                    "source": f"CMS practitioner services MUE file {file.name}",
                }
            )
    if read == 0:
        raise ToolInputError(f"{file.name} has an MUE header but no code rows.")
    return ImportSummary(read, len(kept), write_rows(out_dir / IMPORTED_MUE, MUE_COLUMNS, kept))
