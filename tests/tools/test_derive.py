"""`data derive` writes the project's own layout from CMS extracts (small files in the extract layout)."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from assistant.errors import ToolInputError
from assistant.tools.derive import derive_tables
from assistant.tools.rates import RateInput, lookup_rate

RVU = (
    "hcpcs,status,work_rvu,pe_rvu_nonfacility,pe_rvu_facility,mp_rvu,mult_proc_indicator,conversion_factor\n"
    "97112,A,0.50,0.48,0.48,0.01,5,32.3465\n"
    "97110,A,0.45,0.43,0.43,0.01,5,32.3465\n"
)
GPCI = (
    "mac,state,locality_number,locality_name,work_gpci,pe_gpci,mp_gpci\n"
    "06102,IL,16,CHICAGO,1.007,1.023,2.018\n"
    "2102,AK,1,ALASKA*,1.500,1.081,0.592\n"
)
COUNTIES = (
    "mac,locality_number,state,fee_schedule_area,counties\n"
    "06102,16,ILLINOIS,CHICAGO,COOK\n"
    "02102,01,ALASKA,STATEWIDE,ALL  COUNTIES\n"
)


@pytest.fixture
def extracts(tmp_path: Path) -> Path:
    src = tmp_path / "cms"
    src.mkdir()
    (src / "pfs_rvu_2025.csv").write_text(RVU)
    (src / "gpci_2025.csv").write_text(GPCI)
    (src / "locality_counties_2025.csv").write_text(COUNTIES)
    (src / "notes.txt").write_text("ignored")
    return src


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as fh:
        return list(csv.DictReader(fh))


def test_derive_via_cli_writes_own_layout(cli: Callable[..., Result], extracts: Path, tmp_path: Path) -> None:
    out = tmp_path / "derived"
    result = cli("data", "derive", "--from", str(extracts), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "gpci_2025.csv", "medicare_localities_2025.csv", "pfs_rvu_therapy_2025.csv",
    ]  # fmt: skip
    rvu = rows(out / "pfs_rvu_therapy_2025.csv")[0]
    assert rvu["code"] == "97112" and rvu["mppr_indicator"] == "5" and "RVU25D" in rvu["release"]
    alaska = rows(out / "gpci_2025.csv")[1]
    assert (alaska["mac"], alaska["locality_number"], alaska["locality_name"]) == ("02102", "01", "ALASKA")
    assert "1.5 floor" in alaska["floor_note"]
    county = rows(out / "medicare_localities_2025.csv")[1]
    assert county["state"] == "AK" and county["counties"] == "ALL COUNTIES"


def test_derived_tables_price_like_the_shipped_ones(extracts: Path, data_dir: Path) -> None:
    for name in ("pfs_rvu_therapy_2025.csv", "gpci_2025.csv", "medicare_localities_2025.csv"):
        (data_dir / name).unlink()
    derive_tables(extracts, data_dir)
    r = lookup_rate(RateInput(code="97112", year=2025, locality="Cook County, IL"), data_dir=data_dir)
    assert r.rate == lookup_rate(RateInput(code="97112", year=2025, locality="Chicago, IL")).rate


def test_derive_reports_what_is_missing(tmp_path: Path, extracts: Path) -> None:
    with pytest.raises(ToolInputError, match="Source folder not found"):
        derive_tables(tmp_path / "none", tmp_path / "out")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ToolInputError, match="holds no pfs_rvu"):
        derive_tables(empty, tmp_path / "out")
    (extracts / "gpci_2025.csv").write_text("mac,state\n1,IL\n")
    with pytest.raises(ToolInputError, match="lacks the columns"):
        derive_tables(extracts, tmp_path / "out")


def test_county_without_gpci_row_stops(extracts: Path, tmp_path: Path) -> None:
    (extracts / "locality_counties_2025.csv").write_text(COUNTIES + "09999,05,NOWHERE,X,Y\n")
    with pytest.raises(ToolInputError, match="09999/05 has counties but no 2025 GPCI row"):
        derive_tables(extracts, tmp_path / "out")


def test_unknown_year_gets_a_release_placeholder_and_no_counties_is_fine(
    extracts: Path, tmp_path: Path
) -> None:
    (extracts / "pfs_rvu_2031.csv").write_text(RVU)
    (extracts / "gpci_2031.csv").write_text(GPCI)
    (extracts / "locality_counties_2025.csv").unlink()
    written = derive_tables(extracts, tmp_path / "out")
    assert [p.name for p in written][-1] == "gpci_2031.csv"
    assert "release not recorded" in rows(tmp_path / "out" / "pfs_rvu_therapy_2031.csv")[0]["release"]
