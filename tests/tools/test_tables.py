"""Data-folder edge cases: missing files and rows are named; extra payer rows; a custom data dir."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from assistant.errors import ToolInputError
from assistant.tools.derive import derive_tables
from assistant.tools.payers import payers_on_file
from assistant.tools.rates import RateInput, lookup_rate
from assistant.tools.tables import policy_value, read_rows
from assistant.tools.units import UnitsInput, calculate_units


def test_missing_data_file_is_named(data_dir: Path) -> None:
    (data_dir / "therapy_codes.csv").unlink()
    with pytest.raises(ToolInputError, match=r"Data file missing: .*therapy_codes\.csv"):
        calculate_units(UnitsInput(minutes={"97110": 20}), data_dir=data_dir)


def test_missing_policy_row_is_named(data_dir: Path) -> None:
    (data_dir / "payment_policy.csv").write_text("key,value,effective_from,description,source,confidence\n")
    with pytest.raises(ToolInputError, match="no 'mppr_pe_rate' row"):
        policy_value(data_dir, "mppr_pe_rate")


def test_second_row_of_a_payer_and_env_data_dir(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with (data_dir / "payer_rates.csv").open("a") as fh:
        fh.write("aetna,Aetna,Aetna,97110,2025,non-facility,30.00,30.00,test row,test,Low\n")
    assert [p.payer_id for p in payers_on_file(data_dir)].count("aetna") == 1
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(data_dir))
    assert lookup_rate(RateInput(code="97110", payer="aetna")).rate == Decimal("30.00")


def test_edits_to_a_table_are_picked_up(data_dir: Path) -> None:
    path = data_dir / "therapy_thresholds.csv"
    first = read_rows(path)
    path.write_text(path.read_text() + "kx_threshold,OT,2027,2027,2500,test,High\n")
    assert len(read_rows(path)) == len(first) + 1


def test_counties_year_without_gpci_file(tmp_path: Path) -> None:
    src = tmp_path / "cms"
    src.mkdir()
    (src / "pfs_rvu_2025.csv").write_text(
        "hcpcs,status,work_rvu,pe_rvu_nonfacility,pe_rvu_facility,mp_rvu,mult_proc_indicator,conversion_factor\n"
        "97110,A,0.45,0.43,0.43,0.01,5,32.3465\n"
    )
    (src / "gpci_2025.csv").write_text("mac,state,locality_number,locality_name,work_gpci,pe_gpci,mp_gpci\n")
    (src / "locality_counties_2024.csv").write_text("mac,locality_number,state,fee_schedule_area,counties\n")
    with pytest.raises(ToolInputError, match=r"Source file not found: .*gpci_2024\.csv"):
        derive_tables(src, tmp_path / "out")
