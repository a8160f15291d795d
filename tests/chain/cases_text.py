"""Concept, follow-up and out-of-scope questions phrased the way billers write them."""

from __future__ import annotations

from tests.chain.case import Case, rate, units

CONCEPTS = [
    Case("Who is the Medicare contractor for Illinois?", ("National Government Services", "Noridian")),
    Case("What is the 8-minute rule?", ("8",)),
    Case("When should I use 97112 instead of 97110?", ("97112",)),
    Case("What does the KX modifier mean?", ("threshold",)),
    Case("What is the 2026 KX threshold?", ("$2,480",)),
    Case("What is modifier 59 for?", ("59",)),
    Case("What is the CQ modifier?", ("PTA",)),
    Case("Is 97014 payable by Medicare?", ("G0283",)),
    Case("What is the difference between group therapy 97150 and one-on-one codes?", ("97150",)),
    Case("Does Aetna need prior auth for 97112?", ("prior authorization",)),
    Case("Is telehealth allowed for PT?", ("2027",)),
    Case("What is MPPR?", ("multiple procedure payment reduction",)),
    Case("What is the targeted medical review threshold?", ("$3,000",)),
]

FOLLOW_UPS = [
    Case(
        "and UnitedHealthcare?",
        ("$36.10",),
        rate({"rate": "36.10"}, code="97112"),
        history=("What does Aetna pay for 97112?",),
    ),
    Case(
        "what would 4 units come to?",
        ("$138.00",),
        rate({"total": "138.00"}, code="97112", units=4, payer="Aetna"),
        history=("What does Aetna pay for 97112?",),
    ),
    Case(
        "and in 2025?",
        ("$28.79",),
        rate({"rate": "28.79"}, code="97110", year=2025),
        history=("What's the Medicare rate for 97110 in 2026?",),
    ),
    Case(
        "what if it were a commercial plan using the per-code method?",
        ("per-code", "1 unit of 97032"),
        units({"97110": 10, "97140": 10, "97032": 10}, {"97110": 1, "97140": 1, "97032": 1}, "ama"),
        history=("10 min ther ex, 10 min manual, 10 min attended e-stim for Medicare, how many units?",),
    ),
    Case(
        "what would that pay in 2026?",
        ("$79.83",),
        rate({"total": "79.83"}, code="97112", lines={"97110": 1}),
        history=("I did 24 minutes of neuro re-ed and 23 of ther ex on a Medicare patient",),
    ),
    Case(
        "and in Chicago?",
        ("$33.36",),
        rate({"rate": "33.36"}, code="97112", locality="Chicago"),
        history=("Medicare rate for 97112 in 2026",),
    ),
]

OUT_OF_SCOPE = [
    Case("What's the weather in Chicago tomorrow?", ("does not cover",), abstained=True),
    Case("What ICD-10 code should I use for a stroke patient?", ("does not cover",), abstained=True),
    Case("Which E/M level should I bill for a 30 minute office visit?", ("does not cover",), abstained=True),
    Case("How do I bake sourdough bread?", ("does not cover",), abstained=True),
    Case("What is the capital of France?", ("does not cover",), abstained=True),
    Case("What does Cigna pay for 97112?", ("not on file", "Aetna"), abstained=True, never_says=("$",)),
]
