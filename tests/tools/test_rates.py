"""Rate lookup: the FACTS/PROVENANCE figures, MPPR, CQ/CO, payers, localities, settings, errors."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from assistant.errors import ToolInputError
from assistant.tools.payers import match_payer
from assistant.tools.pfs import find_locality
from assistant.tools.rates import RateInput, lookup_rate


def rate(**kwargs: object) -> Decimal | None:
    return lookup_rate(RateInput(**kwargs)).rate  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("code", "year", "locality", "expected"),
    [
        ("97112", 2025, None, "32.02"),
        ("97112", 2026, None, "32.73"),
        ("97110", 2025, None, "28.79"),
        ("97110", 2026, None, "29.06"),
        ("97140", 2025, None, "27.17"),
        ("97140", 2026, None, "27.72"),
        ("97530", 2025, None, "34.61"),
        ("97530", 2026, None, "35.07"),
        ("97112", 2025, "Chicago, IL", "32.82"),
        ("97112", 2026, "Chicago, IL", "33.36"),
        ("97112", 2025, "Rest of Illinois", "30.78"),
        ("97112", 2026, "Rest of Illinois", "31.56"),
        ("97110", 2025, "Chicago, IL", "29.54"),
        ("97110", 2026, "Chicago, IL", "29.67"),
    ],
)
def test_medicare_fee_schedule_matches_published_checks(
    code: str, year: int, locality: str | None, expected: str
) -> None:
    assert rate(code=code, year=year, locality=locality) == Decimal(expected)


def test_result_carries_source_year_steps_and_national_label() -> None:
    r = lookup_rate(RateInput(code="97112", year=2026))
    assert (r.payer, r.year, r.units, r.total) == ("Medicare", 2026, 1, Decimal("32.73"))
    assert "RVU26C" in r.source and "pfs_rvu_therapy_2026.csv" in r.source
    assert r.locality is not None and "National" in r.locality
    assert any("0.98 × 33.4009" in s for s in r.steps)
    assert any("33.5675" in n for n in r.notes)  # the QP factor is mentioned, not used


def test_default_year_is_latest_on_file_and_stated() -> None:
    r = lookup_rate(RateInput(code="97112"))
    assert r.year == 2026
    assert any("latest on file (default)" in n for n in r.notes)


def test_mppr_multi_code_day() -> None:
    with_mppr = lookup_rate(RateInput(code="97110", units=2, year=2025, lines={"97140": 1}))
    without = lookup_rate(RateInput(code="97110", units=2, year=2025, lines={"97140": 1}, mppr=False))
    assert with_mppr.total == Decimal("71.32")
    assert without.total == Decimal("84.75")
    assert with_mppr.rate == Decimal("28.79")
    assert [(line.code, line.units, line.amount) for line in with_mppr.lines] == [
        ("97110", 2, Decimal("50.62")),
        ("97140", 1, Decimal("20.70")),
    ]
    assert any("highest PE" in s for s in with_mppr.steps)
    assert any("MPPR not applied" in s for s in without.steps)


def test_mppr_applies_to_several_units_of_one_code() -> None:
    r = lookup_rate(RateInput(code="97112", units=3, year=2025))
    # one full unit 0.99 + two units at (0.50 + 0.24 + 0.01) = 2.49 RVU × 32.3465
    assert r.total == Decimal("80.54")


def test_mppr_skips_codes_without_indicator_5() -> None:
    r = lookup_rate(RateInput(code="97129", units=2, year=2025))
    assert r.total == Decimal("2") * r.rate  # type: ignore[operator]


def test_same_code_in_lines_must_agree() -> None:
    r = lookup_rate(RateInput(code="97110", units=2, year=2025, lines={"97110": 2, "97140": 1}))
    assert r.total == Decimal("71.32")
    with pytest.raises(ToolInputError, match="given twice"):
        lookup_rate(RateInput(code="97110", units=2, lines={"97110": 3}))
    with pytest.raises(ToolInputError, match="at least 1"):
        lookup_rate(RateInput(code="97110", lines={"97140": 0}))


def test_assistant_paid_at_85_percent() -> None:
    r = lookup_rate(RateInput(code="97112", year=2026, assistant=True))
    assert r.rate == Decimal("32.73")
    assert r.total == Decimal("27.82")  # 32.7329 × 0.85 = 27.823
    assert any("85%" in n for n in r.notes)


def test_facility_uses_facility_pe() -> None:
    nonfac = lookup_rate(RateInput(code="98966", year=2025))
    fac = lookup_rate(RateInput(code="98966", year=2025, facility=True))
    assert nonfac.rate == Decimal("12.94")  # (0.25 + 0.14 + 0.01) × 32.3465
    assert fac.rate == Decimal("11.32")  # (0.25 + 0.09 + 0.01) × 32.3465
    same = lookup_rate(RateInput(code="97112", year=2025, facility=True))
    assert same.facility and same.rate == Decimal("32.02")
    assert any("not applicable" in n for n in same.notes)


def test_status_codes_are_not_priced() -> None:
    bundled = lookup_rate(RateInput(code="97010", year=2025))
    assert bundled.rate is None and bundled.total is None
    assert any("bundled" in n for n in bundled.notes)
    invalid = lookup_rate(RateInput(code="97014", year=2025, lines={"97110": 1}))
    assert invalid.rate is None and invalid.total == Decimal("28.79")
    assert any("G0283" in n for n in invalid.notes)
    restricted = lookup_rate(RateInput(code="97026", year=2025))
    assert restricted.rate is not None and any("restricted" in n for n in restricted.notes)


def test_frontier_floor_note_for_locality() -> None:
    r = lookup_rate(RateInput(code="97110", year=2026, locality="Alaska"))
    assert any("1.5 floor" in n for n in r.notes)
    assert "GPCIs" in r.source


def test_payer_table_rates_and_notes() -> None:
    aetna = lookup_rate(RateInput(code="97112", payer="aetna", units=3))
    assert (aetna.rate, aetna.total, aetna.year) == (Decimal("34.50"), Decimal("103.50"), 2025)
    assert any("prior auth" in n for n in aetna.notes)
    assert "source page" in aetna.source and aetna.confidence == "Low"
    assert lookup_rate(RateInput(code="97112", payer="BCBS")).rate == Decimal("33.50")
    assert lookup_rate(RateInput(code="97112", payer="UHC")).rate == Decimal("36.10")


def test_medicaid_is_a_range_not_a_number() -> None:
    r = lookup_rate(RateInput(code="97112", payer="Medicaid", units=2))
    assert r.rate is None and r.total is None
    assert (r.rate_low, r.rate_high) == (Decimal("27.00"), Decimal("30.00"))
    assert any("varies by state" in n for n in r.notes)
    assert any("$54.00–$60.00" in s for s in r.steps)


def test_payer_table_notes_for_locality_and_assistant() -> None:
    r = lookup_rate(RateInput(code="97112", payer="United", locality="Chicago, IL", assistant=True))
    text = " ".join(r.notes)
    assert "not applied" in text and "Medicare policy" in text


def test_medicare_notes_the_source_page_average() -> None:
    r = lookup_rate(RateInput(code="97112", year=2025))
    assert any("$32.40" in n for n in r.notes)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"code": "97110", "payer": "aetna"}, "rates for 97112 only"),
        ({"code": "97112", "payer": "aetna", "year": 2026}, "No Aetna rate for 97112 in 2026"),
        ({"code": "97112", "payer": "aetna", "facility": True}, "non-facility rates only"),
        ({"code": "97112", "payer": "aetna", "lines": {"97110": 1}}, "Medicare fee schedule only"),
        ({"code": "97112", "year": 2019}, "No Medicare fee schedule for 2019"),
        ({"code": "99213"}, "99213 is not in the Medicare fee schedule"),
        ({"code": "97112", "payer": "Cigna"}, "Payers on file: Medicare"),
        ({"code": "97112", "payer": ""}, "not on file"),
        ({"code": "97112", "payer": "UHC Medicare Advantage"}, "Medicare Advantage plans are not on file"),
        ({"code": "97112", "locality": "16"}, "matches 2 Medicare localities"),
        ({"code": "97112", "locality": "Atlantis"}, "No Medicare locality matches 'Atlantis'"),
    ],
)
def test_rate_errors(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ToolInputError, match=message):
        lookup_rate(RateInput(**kwargs))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("written", "payer_id"),
    [("BCBS", "bcbs"), ("Blue Cross", "bcbs"), ("blue cross blue shield of illinois", "bcbs"),
     ("UHC", "uhc"), ("United", "uhc"), ("United Health Care", "uhc"), ("Medicaid", "medicaid"),
     ("aetna", "aetna"), ("Aetna Inc", "aetna"), ("MEDICARE", "medicare")],
)  # fmt: skip
def test_fuzzy_payers(data_dir: Path, written: str, payer_id: str) -> None:
    assert match_payer(written, data_dir).payer_id == payer_id


@pytest.mark.parametrize(
    ("text", "mac", "number"),
    [
        ("Chicago, IL", "06102", "16"),
        ("chicago", "06102", "16"),
        ("Rest of Illinois", "06102", "99"),
        ("06102/16", "06102", "16"),
        ("06102-15", "06102", "15"),
        ("IL 12", "06102", "12"),
        ("Cook County, IL", "06102", "16"),
        ("DuPage, IL", "06102", "15"),
        ("AL", "10112", "00"),
        ("Alabama", "10112", "00"),
        ("Los Angeles", "01182", "18"),
        ("Dallas TX", "04412", "11"),
    ],
)
def test_locality_by_name_number_state_county(data_dir: Path, text: str, mac: str, number: str) -> None:
    loc = find_locality(text, data_dir, 2026)
    assert (loc.mac, loc.number) == (mac, number)


def test_locality_fuzzy_and_state_with_several_localities(data_dir: Path) -> None:
    assert find_locality("Suburbn Chicago, IL", data_dir, 2025).number == "15"
    with pytest.raises(ToolInputError, match="matches 4 Medicare localities"):
        find_locality("Illinois", data_dir, 2025)
    with pytest.raises(ToolInputError, match="No Medicare locality"):
        find_locality("99999/77", data_dir, 2025)
