"""Unit, modifier and rate questions phrased the way billers write them.

Numbers trace to /work/shared/domain/FACTS.md (8-minute rule examples, PFS amounts, thresholds) and the
user's source page (payer table).
"""

from __future__ import annotations

from tests.chain.case import Case, modifier, rate, units

UNITS = [
    Case(
        "I did 24 minutes of neuro re-ed and 23 of ther ex on a Medicare patient, how do I bill?",
        ("2 units of 97112", "1 unit of 97110", "47 total timed minutes", "GP"),
        units({"97112": 24, "97110": 23}, {"97112": 2, "97110": 1}),
    ),
    Case(
        "97110=33 97140=7 how many units?",
        ("2 units of 97110", "1 unit of 97140"),
        units({"97110": 33, "97140": 7}, {"97110": 2, "97140": 1}),
    ),
    Case(
        "20 min neuro re-ed and 20 min ther ex for Medicare, units?",
        ("3 units", "either"),
        units({"97112": 20, "97110": 20}, {"97112": 2, "97110": 1}),
    ),
    Case(
        "97110 18 min, 97140 13 min, 97116 10 min, 97035 8 min — units?",
        ("no unit of 97035", "49 total"),
        units(
            {"97110": 18, "97140": 13, "97116": 10, "97035": 8},
            {"97110": 1, "97140": 1, "97116": 1, "97035": 0},
        ),
    ),
    Case(
        "97112 7 min, 97110 7 min, 97140 7 min, how many units?",
        ("Bill 1 unit", "21 total"),
        units({"97112": 7, "97110": 7, "97140": 7}, {"97112": 1, "97110": 0, "97140": 0}),
    ),
    Case(
        "half an hour of ther ex, how many units can I bill?",
        ("2 units of 97110",),
        units({"97110": 30}, {"97110": 2}),
    ),
    Case(
        "an hour of therapeutic exercise = how many units?",
        ("4 units of 97110",),
        units({"97110": 60}, {"97110": 4}),
    ),
    Case("how many units is 38 minutes?", ("3 units", "total minutes"), units({"97110": 38}, {"97110": 3})),
    Case(
        "33m therex and 7' manual, units?",
        ("2 units of 97110", "1 unit of 97140"),
        units({"97110": 33, "97140": 7}, {"97110": 2, "97140": 1}),
    ),
    Case(
        "neuro re-ed for 24 and ther ex for 23 — how do I bill it?",
        ("2 units of 97112", "1 unit of 97110"),
        units({"97112": 24, "97110": 23}, {"97112": 2, "97110": 1}),
    ),
    Case(
        "97110 x 33 min, 97140 x 7 min",
        ("2 units of 97110",),
        units({"97110": 33, "97140": 7}, {"97110": 2, "97140": 1}),
    ),
    Case(
        "TE 25 min, NMR 15 min — units?",
        ("2 units of 97110", "1 unit of 97112"),
        units({"97110": 25, "97112": 15}, {"97110": 2, "97112": 1}),
    ),
    Case(
        "5 minutes of ther ex only, can I bill a unit?",
        ("No timed unit", "under 8"),
        units({"97110": 5}, {"97110": 0}),
    ),
    Case(
        "gait training 23 minutes and ther act 15 minutes",
        ("2 units of 97116", "1 unit of 97530"),
        units({"97116": 23, "97530": 15}, {"97116": 2, "97530": 1}),
    ),
    Case(
        "Commercial plan using the per-code method: 10 min ther ex, 10 min manual therapy, "
        "10 min attended e-stim",
        ("per-code", "1 unit of 97032"),
        units({"97110": 10, "97140": 10, "97032": 10}, {"97110": 1, "97140": 1, "97032": 1}, "ama"),
    ),
    Case(
        "10 min ther ex, 10 min manual, 10 min attended e-stim for Medicare, how many units?",
        ("Bill 2 units",),
        units({"97110": 10, "97140": 10, "97032": 10}, {"97110": 1, "97140": 1, "97032": 0}),
    ),
    Case(
        "low complexity eval plus 25 minutes of ther ex for Medicare",
        ("2 units of 97110", "1 unit of 97161"),
        units({"97110": 25, "97161": 0}, {"97110": 2, "97161": 1}),
    ),
    Case(
        "15 min of unattended e-stim for a Medicare patient, what code and units?",
        ("G0283",),
        units({"G0283": 15}, {"G0283": 1}),
    ),
]

MODIFIERS = [
    Case(
        "Can I bill 97140 and 97530 on the same day?",
        ("NCCI pair", "97530", "separate 15-minute blocks"),
        modifier("GP", codes=["97140", "97530"]),
    ),
    Case(
        "97140 and 97530 were done in the same 15-minute block, can I use 59?",
        ("only 97140 is paid",),
        modifier("GP", same_block=True),
    ),
    Case(
        "97140 and 97530 in separate time blocks — which modifier goes on which code?",
        ("59 or XU on 97530",),
        modifier("59/X", "GP", same_block=False),
    ),
    Case("Do I need GP on 97110 for Medicare?", ("GP on 97110",), modifier("GP", codes=["97110"])),
    Case(
        "OT did 97530 for a Medicare patient; which therapy modifier?",
        ("GO on 97530",),
        modifier("GO", discipline="OT"),
    ),
    Case(
        "PTA did 10 of the 30 minutes of ther ex on a Medicare patient — modifier?",
        ("CQ on 97110",),
        modifier("CQ", "GP", pta_minutes={"97110": 10}),
    ),
    Case(
        "PTA provided 2 minutes of the 30 minutes of ther ex for Medicare, do I need CQ?",
        ("de minimis",),
        modifier("GP", pta_minutes={"97110": 2}),
        never_says=("CQ on 97110",),
    ),
    Case(
        "We've spent $2,600 on PT so far this year for a Medicare patient getting 97110. "
        "Do I need KX in 2026?",
        ("KX", "$2,480"),
        modifier("KX", "GP", ytd_spend="2600", year=2026),
    ),
    Case(
        "YTD $2,000 in 2026, 97112 for Medicare — need KX?",
        ("KX not required", "$2,480"),
        modifier("GP", ytd_spend="2000"),
    ),
    Case(
        "97112 session cut short, patient could not finish — modifier?",
        ("52 on 97112",),
        modifier("52", reduced=True),
    ),
    Case(
        "97161 and 97140 same day Medicare, modifier?",
        ("97161 and 97140 are an NCCI pair", "on 97140"),
        modifier("GP", codes=["97161", "97140"]),
    ),
    Case(
        "Can 97110 and 97112 be billed together?",
        ("no NCCI edit on file for 97110 + 97112",),
        modifier(codes=["97110", "97112"]),
    ),
    Case(
        "OTA furnished 20 of 40 minutes of 97530, modifier?",
        ("CO on 97530", "GO"),
        modifier("CO", "GO", assistant_kind="OTA"),
    ),
]

RATES = [
    Case(
        "What does Medicare pay for 97112 in 2026?",
        ("$32.73",),
        rate({"rate": "32.73"}, code="97112", year=2026),
    ),
    Case(
        "Medicare rate for 97112 in Chicago, IL 2026",
        ("$33.36", "National Government Services"),
        rate({"rate": "33.36"}, code="97112", locality="Chicago, IL"),
    ),
    Case(
        "What does Medicare pay for 97110 in 2025?",
        ("$28.79",),
        rate({"rate": "28.79"}, code="97110", year=2025),
    ),
    Case(
        "What does Aetna pay for 3 units of 97112?",
        ("$34.50", "$103.50"),
        rate({"total": "103.50"}, code="97112", units=3, payer="Aetna"),
    ),
    Case(
        "BCBS rate for 97112",
        ("$33.50",),
        rate({"rate": "33.50", "payer": "Blue Cross Blue Shield"}, code="97112"),
    ),
    Case("How much does UHC reimburse for 97112?", ("$36.10",), rate({"rate": "36.10"}, code="97112")),
    Case(
        "What does Medicaid pay for 97112?",
        ("$27.00–$30.00", "varies"),
        rate({"rate": None, "rate_low": "27.00", "rate_high": "30.00"}, code="97112"),
    ),
    Case(
        "Medicare 2025 rate for 2 units of 97110 and 1 of 97140 with MPPR",
        ("$71.32", "$50.62", "$20.70"),
        rate({"total": "71.32"}, code="97110", units=2, lines={"97140": 1}, year=2025),
    ),
    Case(
        "97110=33 and 97140=7 for a Medicare patient — how much will Medicare pay in 2025?",
        ("2 units of 97110", "$71.32"),
        {
            **units({"97110": 33, "97140": 7}, {"97110": 2, "97140": 1}),
            **rate({"total": "71.32"}, lines={"97140": 1}),
        },
    ),
    Case(
        "97112 rate in rest of Illinois for 2025", ("$30.78", "Noridian"), rate({"rate": "30.78"}, year=2025)
    ),
    Case(
        "What would a PTA-furnished unit of 97110 pay under Medicare in 2026?",
        ("$29.06", "$24.70", "85%"),
        rate({"rate": "29.06", "total": "24.70"}, assistant=True),
    ),
    Case("How much is 97140 under Medicare in 2026?", ("$27.72",), rate({"rate": "27.72"}, code="97140")),
    Case("97530 national Medicare rate 2025", ("$34.61",), rate({"rate": "34.61"}, code="97530")),
]
