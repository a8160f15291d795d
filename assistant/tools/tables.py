"""Read the tools' CSV tables from the data folder (knowledge_base/data by default), parsed once per file.

Every table carries its own source/release and confidence columns; this module only finds and
parses files, and resolves which folder to read (an explicit one, else the configured ``data_dir``).

A file is read once per version: the cache key is the path with the file's identity and version
(device, inode, mtime_ns, size), so a table edited on disk is read again on the next call. Tables and
what the tools build from them (:func:`parsed`) are shared between calls and are read-only: rows are
``MappingProxyType`` views, derived structures are tuples, frozen dataclasses and mapping proxies.
"""

from __future__ import annotations

import csv
import os
import re
import stat
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import TypeVar, cast

from assistant.errors import ToolInputError

CODE_RE = re.compile(r"^[0-9A-Z]\d{3}[0-9A-Z]$")
IMPORTED_DIR = "imported"
DATA_DIR_ENV = "ASSISTANT_DATA_DIR"
CODE_COLUMNS = ("code", "timing", "timing_confidence", "name", "medicare_note", "source")
POLICY_COLUMNS = ("key", "value", "description", "source")

Row = Mapping[str, str]
Built = TypeVar("Built")
Version = tuple[int, int, int, int]


def resolve_data_dir(data_dir: Path | None) -> Path:
    """The folder to read: the one given, else the configured ``data_dir`` (ASSISTANT_DATA_DIR or default)."""
    if data_dir is not None:
        return Path(data_dir)
    env = tuple(sorted((k, v) for k, v in os.environ.items() if k.upper() == DATA_DIR_ENV))
    return _configured_data_dir(env)


@lru_cache(maxsize=8)
def _configured_data_dir(env: tuple[tuple[str, str], ...]) -> Path:
    """``Settings().data_dir``, built once per value of the variable (``env`` is only the cache key)."""
    from assistant.config import Settings

    return Settings().data_dir


def normalize_code(raw: str) -> str:
    """Upper-case and strip a HCPCS/CPT code; a malformed one raises ToolInputError naming it."""
    code = str(raw).strip().upper()
    if not CODE_RE.match(code):
        raise ToolInputError(f"'{raw}' is not a CPT/HCPCS code (expected five characters such as 97110).")
    return code


@dataclass(frozen=True)
class Table:
    """One CSV data file as read: its header, its rows (read-only) and the name answers show for it."""

    path: Path
    label: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]

    def require(self, columns: Iterable[str]) -> None:
        """Raise ToolInputError naming the file and every one of ``columns`` its header lacks."""
        missing = [c for c in columns if c not in self.columns]
        if missing:
            raise ToolInputError(
                f"Data file {self.path} lacks the column(s) {', '.join(missing)} (its header: "
                f"{', '.join(self.columns) or 'none'}); restore the column name(s) and save it again."
            )


def _version(path: Path) -> Version:
    try:
        info = path.stat()
    except OSError:
        info = None
    if info is None or not stat.S_ISREG(info.st_mode):
        raise ToolInputError(f"Data file missing: {path}. Reinstall the package or run `data derive`.")
    return (info.st_dev, info.st_ino, info.st_mtime_ns, info.st_size)


@lru_cache(maxsize=64)
def _load(path: Path, version: Version) -> Table:
    with path.open(newline="", encoding="utf-8-sig") as fh:  # Excel's "CSV UTF-8" starts with a BOM
        reader = csv.DictReader(fh)
        rows = tuple(MappingProxyType(dict(row)) for row in reader)
        columns = tuple(reader.fieldnames or ())
    return Table(path=path, label=display_path(path), columns=columns, rows=rows)


def _table(path: Path, version: Version) -> Table:
    try:
        return _load(path, version)
    except (UnicodeDecodeError, csv.Error) as err:
        raise ToolInputError(
            f"Data file {path} cannot be read ({type(err).__name__}); save it as a UTF-8 CSV."
        ) from err


def read_table(path: Path, required: Iterable[str] = ()) -> Table:
    """One CSV with its header checked for ``required`` columns; a missing file is a ToolInputError."""
    table = _table(path, _version(path))
    table.require(required)
    return table


def read_rows(path: Path, required: Iterable[str] = ()) -> tuple[Row, ...]:
    """All rows of one CSV as read-only dicts (see :func:`read_table`)."""
    return read_table(path, required).rows


def parsed(path: Path, build: Callable[[Table], Built]) -> Built:
    """``build(table)`` computed once per version of the file and shared afterwards (never mutate it).

    ``build`` must be a module-level function (it is part of the cache key) that checks its columns.
    """
    return cast(Built, _built(build, path, _version(path)))


@lru_cache(maxsize=256)
def _built(build: Callable[[Table], object], path: Path, version: Version) -> object:
    table = _table(path, version)
    try:
        return build(table)
    except ToolInputError:
        raise
    except (InvalidOperation, ValueError, TypeError, KeyError) as err:  # a cell that is not what it should be
        raise ToolInputError(
            f"Data file {path} has a value that cannot be read ({type(err).__name__}: {err}); "
            "fix that cell and save the file again."
        ) from err


def cell_number(row: Row, column: str, where: Path | str) -> Decimal:
    """The number in one cell of a data file; any other text is a ToolInputError naming file and column."""
    value = row.get(column)
    try:
        return Decimal(str(value))
    except InvalidOperation as err:
        raise ToolInputError(
            f"Data file {where}: column {column} holds '{value}', not a number; "
            "fix that cell and save it again."
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


def file_label(path: Path) -> str:
    """:func:`display_path` of a data file, computed once per version of the file."""
    return read_table(path).label


@dataclass(frozen=True)
class CodeInfo:
    """One therapy code of the catalogue (therapy_codes.csv)."""

    code: str
    timed: bool
    timing_confidence: str
    name: str
    medicare_note: str
    source: str


def _catalogue(table: Table) -> Mapping[str, CodeInfo]:
    table.require(CODE_COLUMNS)
    return MappingProxyType(
        {
            r["code"]: CodeInfo(
                code=r["code"],
                timed=r["timing"] == "timed",
                timing_confidence=r["timing_confidence"],
                name=r["name"],
                medicare_note=r["medicare_note"],
                source=r["source"],
            )
            for r in table.rows
        }
    )


def code_catalogue(data_dir: Path) -> Mapping[str, CodeInfo]:
    """therapy_codes.csv keyed by code (shared, read-only)."""
    return parsed(data_dir / "therapy_codes.csv", _catalogue)


def _policy(table: Table) -> Mapping[str, Row]:
    table.require(POLICY_COLUMNS)
    return MappingProxyType({r["key"]: r for r in table.rows})


def policy_rows(data_dir: Path) -> Mapping[str, Row]:
    """payment_policy.csv keyed by ``key`` (value, effective_from, description, source, confidence)."""
    return parsed(data_dir / "payment_policy.csv", _policy)


def policy_value(data_dir: Path, key: str) -> tuple[Decimal, str]:
    """One number of payment_policy.csv and its source."""
    row = policy_rows(data_dir).get(key)
    if row is None:
        raise ToolInputError(f"payment_policy.csv has no '{key}' row.")
    return cell_number(row, "value", data_dir / "payment_policy.csv"), row["source"]
