"""Router: codes by number/name/abbreviation, minutes as billers write them, payers, places, intents."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assistant.chain.extract import extract_slots
from assistant.chain.route import analyze, rate_requests, route
from assistant.config import Settings

DATA = Settings().data_dir


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("I did 24 minutes of neuro re-ed and 23 of ther ex", {"97112": 24, "97110": 23}),
        ("neuro re-ed for 24 and ther ex for 23", {"97112": 24, "97110": 23}),
        ("24 min neuro re-ed and 23 ther ex", {"97112": 24, "97110": 23}),
        ("neuro re-ed 24 ther ex 23", {"97112": 24, "97110": 23}),
        ("97110=33 97140=7", {"97110": 33, "97140": 7}),
        ("97110 x 33 min, 97140 x 7 min", {"97110": 33, "97140": 7}),
        ("33m therex, 7' MT", {"97110": 33, "97140": 7}),
        ("24 of ther ex", {"97110": 24}),
        ("ther-ex 38 minutes", {"97110": 38}),
        ("half an hour of ther ex and 8 min ultrasound", {"97110": 30, "97035": 8}),
        ("an hour of therapeutic exercise", {"97110": 60}),
        ("TE 25 min, NMR 15 min, TA 10 min", {"97110": 25, "97112": 15, "97530": 10}),
        ("NMRE 20 mins and manual therapy 10 mins", {"97112": 20, "97140": 10}),
        ("gait training 23 minutes and ther act 15 minutes", {"97116": 23, "97530": 15}),
        ("12 min unattended e-stim, 10 min attended e-stim", {"G0283": 12, "97032": 10}),
        ("group therapy 30 min, self care 20 min", {"97150": 30, "97535": 20}),
        ("US 8 min", {"97035": 8}),
        ("can I put 59 on 97140 with 97530?", {}),  # the modifier, not 59 minutes
        ("what do I need to document to support 59 on 97530", {}),
        ("97140-59 with 97530, 8 min each", {"97140": 8, "97530": 8}),
        ("I did 59 minutes of 97110", {"97110": 59}),
    ],
)
def test_minutes_per_code(text: str, minutes: dict[str, int]) -> None:
    assert extract_slots(text).minutes == minutes


@pytest.mark.parametrize(
    "text",
    [
        "we did 97140 and 97530 in the same 15 minute block",
        "the 8-minute rule for 15-minute codes",
        "We have spent $2,480 so far in 2026 on 97112",
    ],
)
def test_non_minutes_numbers_are_not_minutes(text: str) -> None:
    slots = extract_slots(text)
    assert slots.minutes == {} and slots.total_minutes is None


def test_total_minutes_without_code_uses_one_timed_code() -> None:
    plan = route(analyze("how many units is 38 minutes?", DATA), DATA)
    assert plan.requests[0].name == "units"
    assert list(plan.requests[0].args["minutes"].values()) == [38]
    assert any("total minutes" in n for n in plan.notes)


def test_units_requested_are_not_minutes() -> None:
    slots = extract_slots("Medicare rate for 2 units of 97110 and 1 of 97140 in 2025")
    assert slots.units_by_code == {"97110": 2, "97140": 1} and slots.minutes == {}
    assert extract_slots("what would 4 units come to?").units == 4


def test_years_spend_blocks_assistant_reduced() -> None:
    s = extract_slots(
        "PTA did 10 of the 30 minutes of ther ex; YTD $2,600 in 2026; separate time blocks; cut short"
    )
    assert s.assistant_kind == "PTA" and s.pta_minutes == {"97110": 10} and s.minutes == {"97110": 30}
    assert s.year == 2026 and s.ytd_spend == Decimal("2600") and s.same_block is False and s.reduced
    assert extract_slots("97140 and 97530 done at the same time").same_block is True
    assert extract_slots("we have spent $2,600 so far this year").ytd_spend == Decimal("2600")
    assert extract_slots("OTA furnished 20 of 40 minutes of 97530").discipline == "OT"


@pytest.mark.parametrize(
    ("text", "method"),
    [
        ("per-code method please", "ama"),
        ("using the AMA rule of eights", "ama"),
        ("CMS 8-minute rule", "cms"),
    ],
)
def test_method(text: str, method: str) -> None:
    assert extract_slots(text).method == method


@pytest.mark.parametrize(
    ("text", "payer", "unknown"),
    [
        ("what does UHC pay for 97112?", "UnitedHealthcare", None),
        ("how much does blue cross reimburse for 97112", "Blue Cross Blue Shield", None),
        ("97112 for a Medicaid patient", "Medicaid (state)", None),
        ("What does Cigna pay for 97112?", None, "Cigna"),
        ("97112 rate for a Humana patient", None, "Humana"),
        ("what does the 59 modifier mean?", None, None),
    ],
)
def test_payers_use_the_rate_tools_matcher(text: str, payer: str | None, unknown: str | None) -> None:
    slots = analyze(text, DATA)
    assert (slots.payer, slots.unknown_payer) == (payer, unknown)


@pytest.mark.parametrize(
    ("text", "place", "illinois"),
    [
        ("Medicare rate for 97112 in Chicago, IL in 2026", "Chicago, IL", True),
        ("rate for 97112 in rest of Illinois", "rest of Illinois", True),
        ("97110 Medicare in Cook County, IL", "Cook County, IL", True),
        ("rate for 97110 in Alabama", "Alabama", False),
        ("97112 rate for Medicare", None, False),
    ],
)
def test_places(text: str, place: str | None, illinois: bool) -> None:
    slots = analyze(text, DATA)
    assert slots.locality == place and slots.illinois is illinois


def test_acceptance_question_routes_units_with_minutes() -> None:
    plan = route(
        analyze(
            "I did 24 minutes of neuro re-ed and 23 of ther ex on a Medicare patient, how do I bill?", DATA
        ),
        DATA,
    )
    units = plan.requests[0]
    assert units.name == "units" and units.args == {"minutes": {"97112": 24, "97110": 23}, "method": "cms"}
    assert not plan.rate_codes


def test_several_tools_at_once() -> None:
    plan = route(
        analyze("97110=33 and 97140=7, PTA did 10 min of the ther ex, what will Medicare pay in 2025?", DATA),
        DATA,
    )
    assert [r.name for r in plan.requests] == ["units", "modifiers"]
    assert plan.rate_codes == ["97110", "97140"]
    day = rate_requests(plan.slots, {"97110": 2, "97140": 1})
    assert day == [
        {
            "payer": "Medicare",
            "year": 2025,
            "assistant": True,
            "code": "97110",
            "units": 2,
            "lines": {"97140": 1},
        }
    ]


def test_unattended_estim_is_g0283_for_medicare_and_97014_otherwise() -> None:
    assert route(analyze("15 min unattended e-stim for Medicare", DATA), DATA).slots.minutes == {"G0283": 15}
    plan = route(analyze("15 min unattended e-stim, what does Aetna pay", DATA), DATA)
    assert plan.slots.codes == ["97014"] and plan.notes


def test_untimed_codes_get_zero_minutes_in_the_units_call() -> None:
    plan = route(analyze("low complexity eval plus 25 minutes of ther ex", DATA), DATA)
    assert plan.requests[0].args["minutes"] == {"97110": 25, "97161": 0}


def test_out_of_scope_runs_no_tool() -> None:
    plan = route(analyze("Which E/M level should I bill for a 30 minute office visit?", DATA), DATA)
    assert plan.slots.out_of_scope == "E/M level selection" and plan.requests == []


def test_routing_runs_on_redacted_text_without_losing_billing_data() -> None:
    from assistant.redact import redact

    text = "Pt John Smith DOB 03/04/2021, MRN 88421, 97110=33 97140=7 in 2026, what does Medicare pay?"
    slots = analyze(redact(text), DATA)
    assert slots.minutes == {"97110": 33, "97140": 7} and slots.year == 2026 and slots.payer == "Medicare"


def test_minutes_each_and_unit_choices() -> None:
    assert extract_slots("7 min each of 97112, 97110 and 97140").minutes == {
        "97112": 7,
        "97110": 7,
        "97140": 7,
    }
    assert extract_slots("37 min therex = 2 or 3 units?").minutes == {"97110": 37}
    assert extract_slots("61 min ther ex + 7 min manual — units per code?").method is None


def test_kx_question_without_codes_checks_the_threshold() -> None:
    from assistant.chain.execute import run_plan

    plan = route(analyze("Medicare patient's PT spend this year is $2,600 (2026). Need KX?", DATA), DATA)
    assert plan.threshold_only and plan.requests == []
    call = run_plan(plan, DATA).calls[0]
    assert call.name == "modifiers" and [f["modifier"] for f in call.result["findings"]][:1] == ["KX"]
    assert call.result["findings"][0]["required"] is True


def test_code_and_place_alone_ask_for_a_rate() -> None:
    plan = route(analyze("rest of illinois 97112 medicare 2026", DATA), DATA)
    assert plan.rate_codes == ["97112"] and plan.slots.locality == "rest of illinois"
    assert any("fee schedule" in h for h in plan.hints)


def test_unknown_codes_are_left_out_when_others_are_known() -> None:
    plan = route(analyze("97110=33 97999=10, how many units?", DATA), DATA)
    assert plan.requests[0].args["minutes"] == {"97110": 33}
    assert any("97999" in n for n in plan.notes)
    alone = route(analyze("97999 10 min, how many units?", DATA), DATA)
    assert alone.requests[0].args["minutes"] == {"97999": 10}  # the tool then names the unknown code


def test_long_digit_runs_are_not_e_and_m_codes() -> None:
    assert analyze("9" * 300, DATA).out_of_scope is None
    assert analyze("bill 99213 for the visit", DATA).out_of_scope == "E/M level selection"


def test_code_times_units_and_paying() -> None:
    slots = analyze("aetna 97112 x 3 units, what's the total?", DATA)
    assert slots.units_by_code == {"97112": 3} and "rate" in slots.intents and slots.payer == "Aetna"
    assert "rate" in analyze("What's Medicare paying for manual therapy 97140 in 2025?", DATA).intents


def test_premiums_are_out_of_scope() -> None:
    assert analyze("What's the Medicare Part D premium for 2026?", DATA).out_of_scope
