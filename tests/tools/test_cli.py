"""Every acceptance number through the CLI (CliRunner on build_app), human output and --json."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from typer.testing import Result

from assistant.errors import ToolInputError

Json = Callable[..., dict[str, Any]]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["97112=24", "97110=23"], {"97112": 2, "97110": 1}),
        (["97112=20", "97110=20"], {"97112": 2, "97110": 1}),
        (["97110=33", "97140=7"], {"97110": 2, "97140": 1}),
        (["97110=18", "97140=13", "97116=10", "97035=8"], {"97110": 1, "97140": 1, "97116": 1, "97035": 0}),
        (["97112=7", "97110=7", "97140=7"], {"97112": 1, "97110": 0, "97140": 0}),
    ],
)
def test_units_cms_examples(cli_json: Json, args: list[str], expected: dict[str, int]) -> None:
    out = cli_json("units", *args)
    assert out["units_by_code"] == expected
    assert out["total_units"] == sum(expected.values())


def test_units_human_output_shows_working(cli: Callable[..., Result]) -> None:
    result = cli("units", "97112=24", "97110=23")
    assert result.exit_code == 0
    assert "total units: 3" in result.output
    assert "97112  2 units" in result.output and "97110  1 unit" in result.output
    assert "Working:" in result.output and "38–52" in result.output
    tie = cli("units", "97112=20", "97110=20")
    assert "either of 97112, 97110" in tie.output


def test_units_ama_and_untimed_bare_code(cli_json: Json, cli: Callable[..., Result]) -> None:
    out = cli_json("units", "97110=10", "97140=10", "97032=10", "--method", "ama")
    assert out["total_units"] == 3 and out["method"] == "ama"
    assert cli_json("units", "97161", "97110=20")["units_by_code"] == {"97161": 1, "97110": 1}
    text = cli("units", "97010", "97110=20").output
    assert "Warnings:" in text and "bundled" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["units", "97110:33"], "'97110:33' is not CODE=MINUTES"),
        (["units", "97110=abc"], "is not CODE=MINUTES"),
        (["units", "97110=10", "97110=5"], "given twice"),
        (["units", "99999=10"], "99999 is not a therapy code"),
        (["units", "97110=-3"], "cannot be negative"),
        (["units", "97110=0"], "0 minutes"),
        (["units", "97110=2000"], "more than 24 hours"),
        (["units", "97110=20", "--method", "medicaid"], "--method must be cms or ama"),
        (["rate", "97112", "--payer", "Cigna"], "Payers on file"),
        (["rate", "97112", "--units", "0"], "units"),
        (["rate", "97112", "--with", "97140"], "is not CODE=UNITS"),
        (["modifiers", "97110", "--ytd", "lots"], "--ytd must be an amount"),
        (["modifiers", "97110", "97140", "--pta-minutes", "5"], "needs exactly one code"),
        (["modifiers", "97110", "--discipline", "RT"], "discipline"),
    ],
)
def test_cli_errors_are_clear(cli: Callable[..., Result], args: list[str], message: str) -> None:
    result = cli(*args)
    assert result.exit_code != 0
    assert isinstance(result.exception, ToolInputError)
    assert message in str(result.exception)


def test_error_exit_code_2_through_main(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from assistant.cli import main

    monkeypatch.setattr("sys.argv", ["coding-assistant", "units", "97110=abc"])
    with pytest.raises(SystemExit) as exit_:
        main()
    assert exit_.value.code == 2
    assert "error: '97110=abc' is not CODE=MINUTES" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "field", "expected"),
    [
        (["rate", "97112", "--payer", "medicare", "--year", "2026"], "rate", "32.73"),
        (
            ["rate", "97112", "--payer", "medicare", "--year", "2026", "--locality", "Chicago, IL"],
            "rate",
            "33.36",
        ),
        (["rate", "97110", "--payer", "medicare", "--year", "2025"], "rate", "28.79"),
        (["rate", "97112", "--payer", "aetna", "--units", "3"], "total", "103.50"),
        (["rate", "97110", "--units", "2", "--with", "97140=1", "--year", "2025"], "total", "71.32"),
        (
            ["rate", "97110", "--units", "2", "--with", "97140=1", "--year", "2025", "--no-mppr"],
            "total",
            "84.75",
        ),
        (["rate", "97112", "--year", "2026", "--assistant"], "total", "27.82"),
        (["rate", "98966", "--year", "2025", "--facility"], "rate", "11.32"),
        (["rate", "97112", "--payer", "BCBS"], "rate", "33.50"),
    ],
)
def test_rate_acceptance_numbers(cli_json: Json, args: list[str], field: str, expected: str) -> None:
    out = cli_json(*args)
    assert out[field] == expected
    assert out["source"] and out["year"] and out["steps"]


def test_rate_human_output(cli: Callable[..., Result]) -> None:
    text = cli("rate", "97110", "--units", "2", "--with", "97140=1", "--year", "2025").output
    assert "Total: $71.32" in text and "97140 × 1: $20.70" in text and "MPPR" in text
    default = cli("rate", "97112").output
    assert "2026" in default and "latest on file (default)" in default
    medicaid = cli("rate", "97112", "--payer", "Medicaid").output
    assert "$27.00–$30.00 (range; no single figure)" in medicaid and "varies by state" in medicaid


def test_modifiers_acceptance(cli: Callable[..., Result], cli_json: Json) -> None:
    text = cli("modifiers", "97140", "97530").output
    assert "97140 is column 1, 97530 is column 2" in text
    assert "distinctly different 15-minute time blocks" in text and "same block" in text
    assert "year: 2026 (latest on file, default)" in text
    out = cli_json("modifiers", "97140", "97530", "--same-block", "--year", "2025", "--payer", "medicare")
    pair = next(f for f in out["findings"] if f["modifier"] == "59/X")
    assert pair["required"] is False and out["year"] == 2025


def test_modifiers_options(cli_json: Json, cli: Callable[..., Result]) -> None:
    out = cli_json(
        "modifiers", "97110=30", "97530=15", "--pta-minutes", "97110=20", "--ytd", "$2,600",
        "--year", "2026", "--reduced", "--separate-blocks",
    )  # fmt: skip
    mods = {f["modifier"]: f["required"] for f in out["findings"]}
    assert mods["CQ"] is True and mods["KX"] is True and mods["52"] is True
    single = cli_json("modifiers", "97110=30", "--pta-minutes", "2", "--assistant", "pta")
    cq = next(f for f in single["findings"] if f["modifier"] == "CQ")
    assert cq["required"] is False
    text = cli("modifiers", "97110", "97112", "--payer", "UHC").output
    assert "no modifier [97110 + 97112]: not required" in text and "Warnings:" in text
    assert "KX [claim]" in cli("modifiers", "97110", "--ytd", "100").output
