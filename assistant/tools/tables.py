"""Read the tools' CSV tables from the data folder (knowledge_base/data by default), cached per file.

Every table carries its own source/release and confidence columns; this module only finds and
parses files, and resolves which folder to read (an explicit one, else ``Settings().data_dir``).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from assistant.errors import ToolInputError

CODE_RE = re.compile(r"^[0-9A-Z]\d{3}[0-9A-Z]$")
IMPORTED_DIR = "imported"


def resolve_data_dir(data_dir: Path | None) -> Path:
    """The folder to read: the one given, else the configured ``data_dir`` (read at call time)."""
    if data_dir is not None:
        return Path(data_dir)
    from assistant.config import Settings

    return Settings().data_dir


def normalize_code(raw: str) -> str:
    """Upper-case and strip a HCPCS/CPT code; a malformed one raises ToolInputError naming it."""
    code = str(raw).strip().upper()
    if not CODE_RE.match(code):
        raise ToolInputError(f"'{raw}' is not a CPT/HCPCS code (expected five characters such as 97110).")
    return code


@lru_cache(maxsize=64)
def _read_cached(path: Path, mtime_ns: int) -> tuple[dict[str, str], ...]:
    with path.open(newline="", encoding="utf-8-sig") as fh:  # Excel's "CSV UTF-8" starts with a BOM
        return tuple(dict(row) for row in csv.DictReader(fh))


def read_rows(path: Path) -> tuple[dict[str, str], ...]:
    """All rows of one CSV as dicts; a missing file is a ToolInputError that names it."""
    if not path.is_file():
        raise ToolInputError(f"Data file missing: {path}. Reinstall the package or run `data derive`.")
    try:
        return _read_cached(path, path.stat().st_mtime_ns)
    except (UnicodeDecodeError, csv.Error) as err:
        raise ToolInputError(
            f"Data file {path} cannot be read ({type(err).__name__}); save it as a UTF-8 CSV."
        ) from err


def years_on_file(data_dir: Path, prefix: str) -> list[int]:
    """Years N for which ``<prefix>_N.csv`` exists, ascending."""
    pattern = re.compile(rf"^{re.escape(prefix)}_(\d{{4}})\.csv$")
    return sorted(int(m.group(1)) for p in data_dir.glob(f"{prefix}_*.csv") if (m := pattern.match(p.name)))


def write_rows(path: Path, columns: list[str], rows: list[dict[str, str]]) -> Path:
    """Write ``rows`` as a CSV with exactly ``columns`` (LF line ends, UTF-8); return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def display_path(path: Path) -> str:
    """A short, stable name for a data file in answers: ``knowledge_base/data/<name>`` when shipped."""
    from assistant.config import KNOWLEDGE_BASE

    try:
        return str(path.resolve().relative_to(KNOWLEDGE_BASE.parent))
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class CodeInfo:
    """One therapy code of the catalogue (therapy_codes.csv)."""

    code: str
    timed: bool
    timing_confidence: str
    name: str
    medicare_note: str
    source: str


def code_catalogue(data_dir: Path) -> dict[str, CodeInfo]:
    """therapy_codes.csv keyed by code."""
    return {
        r["code"]: CodeInfo(
            code=r["code"],
            timed=r["timing"] == "timed",
            timing_confidence=r["timing_confidence"],
            name=r["name"],
            medicare_note=r["medicare_note"],
            source=r["source"],
        )
        for r in read_rows(data_dir / "therapy_codes.csv")
    }


def policy_rows(data_dir: Path) -> dict[str, dict[str, str]]:
    """payment_policy.csv keyed by ``key`` (value, effective_from, description, source, confidence)."""
    return {r["key"]: r for r in read_rows(data_dir / "payment_policy.csv")}


def policy_value(data_dir: Path, key: str) -> tuple[Decimal, str]:
    """One number of payment_policy.csv and its source."""
    row = policy_rows(data_dir).get(key)
    if row is None:
        raise ToolInputError(f"payment_policy.csv has no '{key}' row.")
    return Decimal(row["value"]), row["source"]
