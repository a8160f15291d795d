"""Unit calculator: the CMS examples, the table boundaries, the per-code method, errors, properties."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.errors import ToolInputError
from assistant.tools.units import UnitsInput, calculate_units, units_for_minutes

TIMED = ["97110", "97112", "97116", "97140", "97530", "97535", "97032", "97035"]


def units(minutes: dict[str, int], method: str = "cms") -> dict[str, int]:
    return calculate_units(UnitsInput(minutes=minutes, method=method)).units_by_code  # type: ignore[arg-type]


def test_cms_example_1_uneven_remainders() -> None:
    r = calculate_units(UnitsInput(minutes={"97112": 24, "97110": 23}))
    assert (r.total_timed_minutes, r.total_units) == (47, 3)
    assert r.units_by_code == {"97112": 2, "97110": 1}
    assert r.tied_codes == []
    assert "Pub. 100-04" in r.source


def test_cms_example_2_tie_is_stated_as_either() -> None:
    r = calculate_units(UnitsInput(minutes={"97112": 20, "97110": 20}))
    assert r.total_units == 3
    assert sorted(r.units_by_code.values()) == [1, 2]
    assert r.tied_codes == [["97112", "97110"]]
    assert any("either" in s for s in r.steps)


def test_cms_example_3_seven_minutes_beat_three_leftover() -> None:
    assert units({"97110": 33, "97140": 7}) == {"97110": 2, "97140": 1}


def test_cms_example_4_four_codes() -> None:
    r = calculate_units(UnitsInput(minutes={"97110": 18, "97140": 13, "97116": 10, "97035": 8}))
    assert r.total_timed_minutes == 49
    assert r.units_by_code == {"97110": 1, "97140": 1, "97116": 1, "97035": 0}


def test_cms_example_5_three_sevens_make_one_unit_of_any() -> None:
    r = calculate_units(UnitsInput(minutes={"97112": 7, "97110": 7, "97140": 7}))
    assert r.total_units == 1
    assert sum(r.units_by_code.values()) == 1
    assert r.tied_codes == [["97112", "97110", "97140"]]


def test_per_code_method_example_and_label() -> None:
    r = calculate_units(UnitsInput(minutes={"97110": 10, "97140": 10, "97032": 10}, method="ama"))
    assert r.units_by_code == {"97110": 1, "97140": 1, "97032": 1}
    assert r.total_units == 3
    assert "per-code method; confirm with the payer" in r.source
    assert any("confirm with the payer" in w for w in r.warnings)
    assert units({"97110": 10, "97140": 10, "97032": 10}) != r.units_by_code  # CMS gives 2 in all


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [(7, 0), (8, 1), (22, 1), (23, 2), (37, 2), (38, 3), (52, 3), (53, 4), (67, 4), (68, 5),
     (82, 5), (83, 6), (97, 6), (98, 7), (112, 7), (113, 8), (127, 8), (128, 9)],
)  # fmt: skip
def test_table_boundaries(minutes: int, expected: int) -> None:
    assert units_for_minutes(minutes) == expected
    assert calculate_units(UnitsInput(minutes={"97110": minutes})).total_units == expected


def test_untimed_codes_one_unit_not_counted_in_timed_minutes() -> None:
    r = calculate_units(UnitsInput(minutes={"97161": 45, "97110": 20}))
    assert r.units_by_code == {"97161": 1, "97110": 1}
    assert r.total_timed_minutes == 20
    assert any("97161 is untimed" in s for s in r.steps)


def test_untimed_only_with_zero_minutes_is_allowed() -> None:
    r = calculate_units(UnitsInput(minutes={"97150": 0}))
    assert (r.total_units, r.total_timed_minutes) == (1, 0)


def test_medicare_status_notes_and_low_confidence_timing() -> None:
    r = calculate_units(UnitsInput(minutes={"97010": 0, "97014": 0, "97750": 20}))
    text = " ".join(r.warnings)
    assert "97010" in text and "bundled" in text
    assert "G0283" in text
    assert "97750: treated as a 15-minute timed code (timing confidence Med)" in text


def test_under_eight_minutes_warns() -> None:
    r = calculate_units(UnitsInput(minutes={"97110": 5}))
    assert r.total_units == 0
    assert any("Under 8" in w for w in r.warnings)


def test_whole_blocks_use_every_unit() -> None:
    r = calculate_units(UnitsInput(minutes={"97110": 30, "97140": 15}))
    assert r.units_by_code == {"97110": 2, "97140": 1}
    assert any("No unit is left" in s for s in r.steps)


@pytest.mark.parametrize(
    ("minutes", "message"),
    [
        ({"99213": 20}, "99213 is not a therapy code"),
        ({"97024": 20}, "97024 is not a therapy code"),
        ({"9711": 20}, "'9711' is not a CPT/HCPCS code"),
        ({"97110": -5}, "cannot be negative"),
        ({"97110": 0, "97140": 0}, "0 minutes"),
        ({"97110": 1441}, "more than 24 hours"),
        ({"97110": 800, "97140": 800}, "more than 24 hours"),
        ({}, "at least one code"),
    ],
)
def test_errors_name_the_problem(minutes: dict[str, int], message: str) -> None:
    with pytest.raises(ToolInputError, match=message):
        calculate_units(UnitsInput(minutes=minutes))


def test_explicit_data_dir_is_used(data_dir: Path) -> None:
    (data_dir / "therapy_codes.csv").write_text(
        "code,timing,timing_confidence,name,medicare_note,source,confidence\n"
        "97110,untimed,High,x,,test,High\n"
    )
    r = calculate_units(UnitsInput(minutes={"97110": 40}), data_dir=data_dir)
    assert r.units_by_code == {"97110": 1}


minutes_maps = st.dictionaries(st.sampled_from(TIMED), st.integers(0, 200), min_size=1, max_size=5).filter(
    lambda m: sum(m.values()) > 0
)


@settings(max_examples=150, deadline=None)
@given(minutes_maps)
def test_property_total_equals_table_and_no_unit_without_minutes(minutes: dict[str, int]) -> None:
    r = calculate_units(UnitsInput(minutes=minutes))
    assert r.total_units == units_for_minutes(sum(minutes.values()))
    for code, m in minutes.items():
        if m == 0:
            assert r.units_by_code[code] == 0


@settings(max_examples=150, deadline=None)
@given(minutes_maps)
def test_property_whole_blocks_are_kept(minutes: dict[str, int]) -> None:
    r = calculate_units(UnitsInput(minutes=minutes))
    for code, m in minutes.items():
        assert r.units_by_code[code] >= m // 15
        assert r.units_by_code[code] <= m // 15 + 1


@settings(max_examples=100, deadline=None)
@given(minutes_maps)
def test_property_per_code_method_is_the_table_per_code(minutes: dict[str, int]) -> None:
    r = calculate_units(UnitsInput(minutes=minutes, method="ama"))
    assert r.units_by_code == {c: units_for_minutes(m) for c, m in minutes.items()}
