"""Patient identifiers are replaced; billing data (codes, minutes, years, amounts) is left alone."""

from __future__ import annotations

import pytest

from assistant.redact import redact

IDENTIFIERS = [
    ("Pt John Smith DOB 03/04/1950 did 97112", ["John", "Smith", "03/04/1950"], ["[NAME]", "[DOB]"]),
    ("date of birth: March 3, 1950", ["March 3, 1950"], ["[DOB]"]),
    ("born 1950-02-03, seen today", ["1950-02-03"], ["[DOB]"]),
    ("SSN 123-45-6789", ["123-45-6789"], ["[SSN]"]),
    ("social security number 123456789", ["123456789"], ["[SSN]"]),
    ("MRN 884213 for 97110", ["884213"], ["[ID]"]),
    ("member ID W123456789", ["W123456789"], ["[ID]"]),
    ("subscriber # XJ55-2211", ["XJ55-2211"], ["[ID]"]),
    ("policy number ABC12345", ["ABC12345"], ["[ID]"]),
    ("MBI 1EG4-TE5-MK73", ["1EG4-TE5-MK73"], ["[ID]"]),
    ("call (312) 555-0199 or 312-555-0100", ["555-0199", "555-0100"], ["[PHONE]"]),
    ("phone 3125550100", ["3125550100"], ["[PHONE]"]),
    ("ph 3125550177 - units?", ["3125550177"], ["[PHONE]"]),
    ("acct 00482913551 on file", ["00482913551"], ["[ID]"]),
    ("email jane.doe@example.com please", ["jane.doe@example.com"], ["[EMAIL]"]),
    ("Mrs. Jane Doe was treated", ["Jane", "Doe"], ["[NAME]"]),
    ("patient name: Mary Ann O'Neil", ["Mary", "O'Neil"], ["[NAME]"]),
    ("Robert Brown, DOB: 1/2/1940", ["Robert Brown", "1/2/1940"], ["[NAME]", "[DOB]"]),
]


@pytest.mark.parametrize(("text", "gone", "placeholders"), IDENTIFIERS)
def test_identifiers_are_replaced(text: str, gone: list[str], placeholders: list[str]) -> None:
    out = redact(text)
    for value in gone:
        assert value not in out
    for placeholder in placeholders:
        assert placeholder in out


@pytest.mark.parametrize(
    "text",
    [
        "I did 24 minutes of neuro re-ed and 23 of ther ex on a Medicare patient, how do I bill?",
        "97112=24 97110=23 G0283 in 2026",
        "We have spent $2,480 so far this year; the threshold is $2,480.00",
        "Medicare rate for 97112 in Chicago, IL (MAC 06102, locality 16)",
        "PTA did 10 of the 30 minutes; 85% payment since Jan 1, 2022",
    ],
)
def test_billing_data_is_not_redacted(text: str) -> None:
    assert redact(text) == text


def test_payer_after_patient_cue_is_not_a_name() -> None:
    assert redact("patient Medicare Advantage plan, 97110") == "patient Medicare Advantage plan, 97110"


def test_idempotent() -> None:
    once = redact("Pt John Smith DOB 03/04/1950, MRN 884213, phone 312-555-0100")
    assert redact(once) == once
