"""Practice scenarios: deterministic per seed, graded by the real tools, scored once per scenario."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assistant.tools.registry import run_tool
from ui.practice import (
    CHOICE_59,
    CHOICE_CQ,
    CHOICE_KX,
    CHOICE_NONE,
    KINDS,
    PracticeSession,
    grade,
    grade_markdown,
    parse_amount,
    parse_units_answer,
    scenario,
)


def test_same_seed_same_scenarios_and_seeds_differ() -> None:
    first = [scenario(42, n) for n in range(12)]
    assert first == [scenario(42, n) for n in range(12)]
    assert first != [scenario(43, n) for n in range(12)]
    assert [s.kind for s in first[:3]] == list(KINDS)  # kinds rotate: units, modifier, rate


def test_units_scenarios_have_one_right_answer() -> None:
    for n in range(40):
        item = scenario(7, n, kind="units")
        minutes = list(item.args["minutes"].values())
        assert len(set(minutes)) == len(minutes)  # no tie on minutes ...
        assert len({m % 15 for m in minutes}) == len(minutes)  # ... nor on leftovers
        assert item.tool == "units" and item.args["method"] == "cms"
        assert all(code in item.prompt for code in item.codes)
        assert run_tool("units", item.args)["tied_codes"] == []


def _right_units(item_args: dict) -> str:
    result = run_tool("units", item_args)
    return ", ".join(f"{c}={u}" for c, u in result["units_by_code"].items())


def test_units_grading_uses_the_tool() -> None:
    item = scenario(5, 0, kind="units")
    right = grade(item, _right_units(item.args))
    assert right.correct
    assert "15-minute" in right.explanation or "minutes" in right.explanation  # the tool's steps
    assert "8-minute rule" in right.source
    wrong_units = {c: 0 for c in item.codes}
    wrong = grade(item, ", ".join(f"{c}={u}" for c, u in wrong_units.items()))
    assert not wrong.correct and all(c in wrong.expected for c in item.codes)


def test_modifier_scenarios_graded_by_findings() -> None:
    seen: dict[str, str] = {}
    for n in range(60):
        item = scenario(11, n, kind="modifier")
        result = grade(item, CHOICE_NONE)
        seen[result.expected] = item.prompt
        picked = grade(item, result.expected.split(" or ")[0])
        assert picked.correct and picked.explanation
    # every kind of answer occurs: a known pair (59/X), no pair, an assistant (CQ), the threshold (KX)
    assert {CHOICE_59, CHOICE_NONE, CHOICE_CQ, CHOICE_KX} <= set(seen)
    assert "97112 and 97110" in seen[CHOICE_NONE]


def test_rate_scenarios_graded_by_amount() -> None:
    for n in range(9):
        item = scenario(3, n, kind="rate")
        total = Decimal(run_tool("rate", item.args)["total"])
        assert grade(item, f"${total:,.2f}").correct
        assert not grade(item, str(total + Decimal("1.00"))).correct
        assert grade(item, "about $" + str(total)).expected == f"${total:,.2f}"


def test_known_rate_answer() -> None:
    item = next(
        scenario(1, n, kind="rate") for n in range(50) if scenario(1, n, kind="rate").args["payer"] == "aetna"
    )
    units = item.args["units"]
    expected = Decimal("34.50") * units  # Aetna 2025 representative rate for 97112 (source page)
    assert grade(item, str(expected)).correct


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("97112=2, 97110=1", {"97112": 2, "97110": 1}),
        ("97110: 1 and 97112: 2", {"97112": 2, "97110": 1}),
        ("2 units of 97112", {"97112": 2, "97110": 0}),
        ("2 1", {"97112": 2, "97110": 1}),
        ("two", None),
        ("2", None),
    ],
)
def test_parse_units_answer(text: str, expected: dict[str, int] | None) -> None:
    assert parse_units_answer(text, ("97112", "97110")) == expected


def test_parse_amount() -> None:
    assert parse_amount("$1,103.50") == Decimal("1103.50")
    assert parse_amount("32.7") == Decimal("32.7")
    assert parse_amount("no idea") is None


def test_session_scores_first_answer_only() -> None:
    session = PracticeSession(seed=9)
    item = session.current()
    assert item == scenario(9, 0) and item.kind == "units"
    assert not session.answer("nonsense").correct
    assert session.answer(_right_units(item.args)).correct  # a retry is graded but not scored
    assert session.score() == "Score: 0 / 1"
    session.next()
    assert session.current() == scenario(9, 1)
    result = session.answer(grade(session.current(), CHOICE_NONE).expected.split(" or ")[0])
    assert result.correct and session.score() == "Score: 1 / 2"
    assert grade_markdown(result).startswith("### ✓ Correct")
