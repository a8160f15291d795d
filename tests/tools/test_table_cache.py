"""Parsed tables are shared between calls, re-read when the file changes, and a renamed column is named."""

from __future__ import annotations

import os
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from assistant.errors import ToolInputError
from assistant.tools.ncci import find_edit
from assistant.tools.payers import payers_on_file
from assistant.tools.pfs import find_locality, localities, rvu_table
from assistant.tools.registry import run_tool
from assistant.tools.tables import code_catalogue, read_rows


def _replace(path: Path, old: str, new: str) -> None:
    """Edit a table in place and move its mtime forward (an edit within one clock tick still counts)."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    before = path.stat().st_mtime_ns
    path.write_text(text.replace(old, new), encoding="utf-8")
    os.utime(path, ns=(before + 1_000_000_000, before + 1_000_000_000))


def test_derived_tables_are_built_once_and_read_only(data_dir: Path) -> None:
    assert rvu_table(data_dir, 2026) is rvu_table(data_dir, 2026)
    assert localities(data_dir, 2026) is localities(data_dir, 2026)
    assert code_catalogue(data_dir) is code_catalogue(data_dir)
    with pytest.raises(TypeError):
        rvu_table(data_dir, 2026)["97112"] = rvu_table(data_dir, 2026)["97110"]  # type: ignore[index]
    with pytest.raises(TypeError):
        read_rows(data_dir / "therapy_codes.csv")[0]["code"] = "99999"  # type: ignore[index]
    assert isinstance(localities(data_dir, 2026), tuple)


def test_labels_name_the_file_each_row_came_from(data_dir: Path) -> None:
    rvus = rvu_table(data_dir, 2025)
    assert {r.file for r in rvus.values()} == {str(data_dir / "pfs_rvu_therapy_2025.csv")}
    assert {loc.file for loc in localities(data_dir, 2026)} == {str(data_dir / "gpci_2026.csv")}


def test_same_size_edit_of_a_rate_is_picked_up(data_dir: Path) -> None:
    args = {"code": "97112", "year": 2026}
    before = run_tool("rate", args, data_dir)
    path = data_dir / "pfs_rvu_therapy_2026.csv"
    row = next(line for line in path.read_text().splitlines() if line.startswith("97112,"))
    _replace(path, row, row.replace(",0.50,", ",0.90,", 1))
    after = run_tool("rate", args, data_dir)
    assert Decimal(after["rate"]) > Decimal(before["rate"])
    assert rvu_table(data_dir, 2026)["97112"].work == Decimal("0.90")


def test_edits_to_payers_places_and_pairs_are_picked_up(data_dir: Path) -> None:
    _replace(data_dir / "payer_rates.csv", "aetna,Aetna,Aetna,", "aetna,Aetna,Aetna|Aetna Better Health,")
    assert "Aetna Better Health" in next(p for p in payers_on_file(data_dir) if p.payer_id == "aetna").aliases
    assert run_tool("rate", {"code": "97112", "payer": "aetna better health"}, data_dir)["payer"] == "Aetna"

    chicago = find_locality("Chicago, IL", data_dir, 2026)
    gpci = data_dir / "gpci_2026.csv"
    row = next(line for line in gpci.read_text().splitlines() if f",{chicago.name}," in line)
    _replace(gpci, row, row.replace(f",{chicago.name},", ",WINDY CITY,"))
    assert find_locality("Windy City, IL", data_dir, 2026).number == chicago.number

    ptp = data_dir / "ncci_ptp_therapy.csv"
    assert find_edit("97140", "97530", data_dir, 2026) is not None
    ptp.write_text(ptp.read_text().splitlines()[0] + "\n", encoding="utf-8")
    assert find_edit("97140", "97530", data_dir, 2026) is None


@pytest.mark.parametrize(
    ("file", "column", "tool", "args"),
    [
        ("therapy_codes.csv", "timing", "units", {"minutes": {"97110": 20}}),
        ("pfs_rvu_therapy_2026.csv", "work_rvu", "rate", {"code": "97112", "year": 2026}),
        ("gpci_2026.csv", "pe_gpci", "rate", {"code": "97112", "year": 2026, "locality": "Alaska"}),
        (
            "medicare_localities_2025.csv",
            "counties",
            "rate",
            {"code": "97112", "locality": "Cook County, IL"},
        ),
        ("payer_rates.csv", "rate_low", "rate", {"code": "97112", "payer": "aetna"}),
        ("payment_policy.csv", "value", "rate", {"code": "97110", "lines": {"97140": 1}}),
        ("ncci_ptp_therapy.csv", "modifier_indicator", "modifiers", {"codes": ["97140", "97530"]}),
        ("therapy_thresholds.csv", "amount", "modifiers", {"codes": ["97110"], "ytd_spend": "2600"}),
    ],
)
def test_a_renamed_column_is_named_with_its_file(
    data_dir: Path, file: str, column: str, tool: str, args: dict[str, object]
) -> None:
    path = data_dir / file
    header, rest = path.read_text(encoding="utf-8").split("\n", 1)
    columns = header.split(",")
    path.write_text(",".join(f"{c}_renamed" if c == column else c for c in columns) + "\n" + rest)
    with pytest.raises(ToolInputError) as err:
        run_tool(tool, args, data_dir)
    assert str(path) in str(err.value) and f"column(s) {column} " in str(err.value)


def test_every_missing_column_is_listed(data_dir: Path) -> None:
    path = data_dir / "payer_rates.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("rate_low,rate_high", "low,high", 1), encoding="utf-8")
    with pytest.raises(ToolInputError, match=r"payer_rates\.csv lacks the column\(s\) rate_low, rate_high "):
        payers_on_file(data_dir)


def test_a_renamed_column_through_the_cli_is_a_clear_error(
    data_dir: Path, cli: Callable[..., Result]
) -> None:
    path = data_dir / "therapy_codes.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",timing,", ",timed,", 1), encoding="utf-8")
    result = cli("units", "97110=20")
    assert isinstance(result.exception, ToolInputError)
    assert "therapy_codes.csv lacks the column(s) timing " in str(result.exception)


@pytest.mark.parametrize(
    ("file", "find", "tool", "args"),
    [
        ("pfs_rvu_therapy_2026.csv", "97112,2026,A,0.50,", "rate", {"code": "97112", "year": 2026}),
        ("payer_rates.csv", "36.10", "rate", {"code": "97112", "payer": "uhc"}),
        (
            "therapy_thresholds.csv",
            "2480",
            "modifiers",
            {"codes": ["97110"], "ytd_spend": "2600", "year": 2026},
        ),
    ],
)
def test_a_cell_that_is_not_a_number_is_a_clear_error(
    data_dir: Path, file: str, find: str, tool: str, args: dict[str, Any]
) -> None:
    path = data_dir / file
    text = path.read_text(encoding="utf-8")
    assert find in text
    path.write_text(text.replace(find, find.replace("0.50", "n/a") if "0.50" in find else "n/a", 1))
    with pytest.raises(ToolInputError) as err:
        run_tool(tool, args, data_dir)
    assert str(path) in str(err.value) and "fix that cell" in str(err.value)
