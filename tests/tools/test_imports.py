"""import-ncci / import-mue read the official CMS layouts and feed the tools; shipped data stays intact."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from assistant.errors import ToolInputError
from assistant.tools.modifiers import ModifierInput, check_modifiers
from assistant.tools.ncci_import import import_mue, import_ptp
from assistant.tools.units import UnitsInput, calculate_units

PTP_HEADER = (
    "CPT only copyright 2025 American Medical Association.  All rights reserved.\t\t\t\t\t\t\n"
    "Column1/Column2 Edits\t\t\t\t\t\t\n"
    "Column 1\tColumn 2\t*=in existence\tEffective\tDeletion\tModifier\tPTP Edit Rationale\n"
    "\t\tprior to 1996\tDate\tDate\t0=not allowed\t\n"
    "\t\t\t\t*=no data\t1=allowed\t\n"
    "\t\t\t\t\t9=not applicable\t\n"
)
PTP_ROWS = (
    "0001A\t0591T\t\t20220101\t20231231\t1\tCPT Manual or CMS manual coding instruction\n"
    "97110\t97112\t\t20260101\t*\t0\tMutually exclusive procedures\n"
    "97140\t97530\t\t20200101\t*\t1\tStandards of medical/surgical practice\n"
    "97530\t99213\t\t20200101\t*\t1\tMisuse of Column Two code with Column One code\n"
)
MUE_HEADER = '"HCPCS/\nCPT Code",Practitioner Services MUE Values,MUE Adjudication Indicator,MUE Rationale\n'
MUE_TEXT = (
    '"Current Procedural Terminology (CPT) codes, descriptions and other data only are copyright 2025 '
    "American Medical Association. All rights reserved. \n\nCPT® is a registered trademark of the American "
    'Medical Association.",,,\n'
    '"HCPCS/\nCPT Code",Practitioner Services MUE Values,MUE Adjudication Indicator,MUE Rationale\n'
    "0001U,1,2 Date of Service Edit: Policy,Code Descriptor / CPT Instruction\n"
    "\n"
    "97110,2,3 Date of Service Edit: Clinical,Clinical: Data\n"
    "97140,4,3 Date of Service Edit: Clinical,Clinical: Data\n"
)


@pytest.fixture
def ptp_file(tmp_path: Path) -> Path:
    path = tmp_path / "ccipra-v322r0-f1.txt"
    path.write_text(PTP_HEADER + PTP_ROWS, encoding="utf-8")
    return path


@pytest.fixture
def mue_file(tmp_path: Path) -> Path:
    path = tmp_path / "MCR_MUE_PractitionerServices_Eff_07-01-2026.csv"
    path.write_text(MUE_TEXT, encoding="utf-8")
    return path


def test_import_ncci_via_cli_feeds_the_checker(
    cli: Callable[..., Result], data_dir: Path, ptp_file: Path
) -> None:
    shipped = (data_dir / "ncci_ptp_therapy.csv").read_bytes()
    result = cli("data", "import-ncci", str(ptp_file))
    assert result.exit_code == 0, result.output
    assert "read 4 edits, kept 2" in result.output
    assert (data_dir / "ncci_ptp_therapy.csv").read_bytes() == shipped
    r = check_modifiers(ModifierInput(codes=["97110", "97112"], year=2026), data_dir=data_dir)
    pair = r.findings[0]
    assert "modifier indicator 0" in pair.reason and "ccipra-v322r0-f1.txt" in pair.source
    before = check_modifiers(ModifierInput(codes=["97110", "97112"], year=2025), data_dir=data_dir)
    assert before.findings[0].reason.startswith("No edit on file")
    official = check_modifiers(ModifierInput(codes=["97140", "97530"]), data_dir=data_dir).findings[0]
    assert "High (official file)" in official.source


def test_import_mue_via_cli_warns_in_units(
    cli: Callable[..., Result], data_dir: Path, mue_file: Path
) -> None:
    result = cli("data", "import-mue", str(mue_file))
    assert result.exit_code == 0, result.output
    assert "read 3 codes, kept 2" in result.output
    r = calculate_units(UnitsInput(minutes={"97110": 50}), data_dir=data_dir)
    assert any("exceed the MUE of 2" in w for w in r.warnings)
    ok = calculate_units(UnitsInput(minutes={"97140": 50}), data_dir=data_dir)
    assert not any("MUE" in w for w in ok.warnings)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("just,some,csv\n", "not a CMS practitioner PTP file"),
        (PTP_HEADER, "no edit rows"),
        (PTP_HEADER + "97110\t97112\t\t20260101\t*\t5\tx\n", "modifier indicator '5'"),
        (PTP_HEADER + "97110\t97112\t\t2026-01-01\t*\t1\tx\n", "line 7: '2026-01-01' is not a YYYYMMDD"),
    ],
)
def test_import_ncci_rejects_other_files(tmp_path: Path, data_dir: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_text(text)
    with pytest.raises(ToolInputError, match=message):
        import_ptp(path, data_dir, tmp_path / "out")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a\tb\n", "not a CMS MUE file"),
        (MUE_HEADER, "no code rows"),
        (MUE_HEADER + "97110,x,3,y\n", "not a number"),
    ],
)
def test_import_mue_rejects_other_files(tmp_path: Path, data_dir: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(ToolInputError, match=message):
        import_mue(path, data_dir, tmp_path / "out")


def test_missing_file_is_named(cli: Callable[..., Result], tmp_path: Path) -> None:
    result = cli("data", "import-mue", str(tmp_path / "nope.csv"))
    assert isinstance(result.exception, ToolInputError)
    assert "nope.csv" in str(result.exception)


def test_imported_rows_keep_official_dates(data_dir: Path, ptp_file: Path) -> None:
    summary = import_ptp(ptp_file, data_dir, data_dir / "imported")
    text = summary.written.read_text()
    assert "97110,97112,stated,0,2026-01-01,," in text
    assert json.dumps(summary.rows_kept) == "2"
