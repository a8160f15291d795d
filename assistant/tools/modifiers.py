"""Modifier checker: NCCI pairs on file (59/X), GP/GO/GN, CQ/CO, KX and the review threshold, 52.

Example:
    >>> r = check_modifiers(ModifierInput(codes=["97140", "97530"]))
    >>> [f.modifier for f in r.findings][:1]
    ['59/X']
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from itertools import combinations
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from assistant.errors import ToolInputError
from assistant.tools.modifier_rules import assistant_findings, reduced_finding, threshold_findings
from assistant.tools.ncci import PtpEdit, find_edit, ptp_data_label
from assistant.tools.ncci_import import therapy_codes
from assistant.tools.payers import match_payer
from assistant.tools.tables import CodeInfo, code_catalogue, normalize_code, resolve_data_dir

DISCIPLINE_MODIFIER = {"PT": "GP", "OT": "GO", "SLP": "GN"}
PLAN_OF_CARE = {"PT": "physical therapy", "OT": "occupational therapy", "SLP": "speech-language pathology"}
X_CHOICES = (
    "An X modifier is preferred over 59 where one fits: XU (unusual non-overlapping service, e.g. a "
    "separate time block in the same visit), XE (separate encounter), XP (separate practitioner), "
    "XS (separate structure/organ)"
)
MODIFIER_SOURCE = "CMS Therapy Services page; CMS modifier-59 guidance; FACTS §4"


class Finding(BaseModel):
    """One modifier conclusion for one or more codes."""

    codes: list[str]
    modifier: str
    required: bool
    reason: str
    source: str


class ModifierInput(BaseModel):
    """One date of service: codes and, optionally, minutes, who furnished them, spend, year, payer."""

    codes: list[str]
    minutes: dict[str, int] | None = None
    same_block: bool | None = Field(default=None, description="Paired services in the same 15-minute block?")
    pta_minutes: dict[str, int] | None = Field(
        default=None, description="Assistant-furnished minutes per code."
    )
    assistant_kind: Literal["PTA", "OTA"] | None = None
    discipline: Literal["PT", "OT", "SLP"] = "PT"
    ytd_spend: Decimal | None = None
    year: int | None = None
    payer: str | None = None
    reduced: bool = False


class ModifierResult(BaseModel):
    """Findings plus which data was consulted."""

    findings: list[Finding]
    data_source: str
    year: int
    payer: str
    warnings: list[str] = Field(default_factory=list)


def _pair_finding(edit: PtpEdit, same_block: bool | None, timed_pair: bool) -> Finding:
    c1, c2 = edit.column_1, edit.column_2
    codes = [c1, c2]
    source = f"{edit.source} ({edit.file}; confidence {edit.confidence})"
    if not edit.order_known:
        head = (
            f"NCCI pair on file: {c1} with {c2}; which one is column 2 is not on file. When both are billed "
            "the same day only the column-1 code is paid unless an allowed modifier is on the column-2 code: "
            "check the current CMS PTP file for the order and the modifier indicator."
        )
        return Finding(codes=codes, modifier="59/X", required=False, reason=head, source=source)
    head = f"NCCI pair on file: {c1} is column 1, {c2} is column 2"
    if edit.modifier_indicator == "0":
        reason = (
            f"{head}, modifier indicator 0: no modifier allowed; only {c1} is paid. Do not bill {c2} with it."
        )
        return Finding(codes=codes, modifier="", required=False, reason=reason, source=source)
    if edit.modifier_indicator == "9":
        reason = f"{head}, modifier indicator 9: not applicable (the edit is not in force)."
        return Finding(codes=codes, modifier="", required=False, reason=reason, source=source)
    allowed = (
        "modifier indicator 1: a modifier is allowed"
        if edit.modifier_indicator == "1"
        else "modifier indicator not on file (check the current CMS PTP file)"
    )
    rule = (
        (
            f"59/X goes on the column-2 code {c2}, and only when the two services were performed in "
            "distinctly different 15-minute time blocks; it is not allowed when they were done in the "
            f"same block (then only {c1} is paid)."
        )
        if timed_pair
        else f"59/X goes on the column-2 code {c2}, and only when the services were truly distinct."
    ) + f" {X_CHOICES}."
    if same_block is True:
        verdict = f"You said same block: 59/X is not allowed on {c2}; only {c1} is paid."
    elif same_block is False:
        verdict = f"You said separate blocks: put 59 or an X modifier (XU fits) on {c2}."
    else:
        verdict = "Whether 59/X applies depends on the time blocks (not given)."
    reason = f"{head}, {allowed}. {rule} {verdict}"
    required = same_block is not True and edit.modifier_indicator == "1"
    return Finding(codes=codes, modifier="59/X", required=required, reason=reason, source=source)


def _validate_codes(inp: ModifierInput, folder: Path) -> list[str]:
    known = therapy_codes(folder)
    codes: list[str] = []
    for raw in [*inp.codes, *(inp.minutes or {}), *(inp.pta_minutes or {})]:
        code = normalize_code(raw)
        if code not in known:
            raise ToolInputError(f"{code} is not a therapy code on file (therapy_codes.csv / PFS tables).")
        if code not in codes:
            codes.append(code)
    if not codes:
        raise ToolInputError("Give the codes billed on the date of service, e.g. 97140 97530.")
    return codes


def _pair_findings(
    codes: list[str], folder: Path, year: int, same_block: bool | None, catalogue: Mapping[str, CodeInfo]
) -> list[Finding]:
    """One finding per pair of codes: the edit on file, or "no edit on file" naming the data."""
    data_label = ptp_data_label(folder)
    found: list[Finding] = []
    for a, b in combinations(codes, 2):
        edit = find_edit(a, b, folder, year)
        if edit is not None:
            timed = all(c in catalogue and catalogue[c].timed for c in (a, b))
            found.append(_pair_finding(edit, same_block, timed))
            continue
        reason = (
            f"No edit on file for this pair (data: {data_label}). A 59/X modifier is only for bypassing "
            "an NCCI pair edit; none is indicated by the data on file."
        )
        found.append(Finding(codes=[a, b], modifier="", required=False, reason=reason, source=data_label))
    return found


def _discipline_finding(codes: list[str], discipline: str, medicare: bool, payer_label: str) -> Finding:
    gx = DISCIPLINE_MODIFIER[discipline]
    plan = f"services under an outpatient {PLAN_OF_CARE[discipline]} plan of care"
    if medicare:
        reason = f"{gx} marks {plan}; required on every therapy code billed to Medicare."
    else:
        reason = f"{gx} marks {plan}; Medicare requires it; {payer_label}'s rule is not on file."
    return Finding(codes=codes, modifier=gx, required=medicare, reason=reason, source=MODIFIER_SOURCE)


def check_modifiers(inp: ModifierInput, data_dir: Path | None = None) -> ModifierResult:
    """All modifier findings for one date of service."""
    folder = resolve_data_dir(data_dir)
    codes = _validate_codes(inp, folder)
    minutes = {normalize_code(c): m for c, m in (inp.minutes or {}).items()}
    pta = {normalize_code(c): m for c, m in (inp.pta_minutes or {}).items()}
    payer = match_payer(inp.payer, folder) if inp.payer else None
    medicare = payer is None or payer.payer_id == "medicare"
    payer_label = payer.name if payer else "Medicare (assumed: no payer given)"
    used_year, threshold = threshold_findings(inp.ytd_spend, inp.year, inp.discipline, medicare, folder)
    year = inp.year or used_year
    catalogue = code_catalogue(folder)
    warnings = [] if medicare else [f"NCCI edits are CMS's; {payer_label}'s own edit policy is not on file."]
    warnings += [
        f"{c}: {catalogue[c].medicare_note}." for c in codes if c in catalogue and catalogue[c].medicare_note
    ]
    findings = [
        *_pair_findings(codes, folder, year, inp.same_block, catalogue),
        _discipline_finding(codes, inp.discipline, medicare, payer_label),
        *assistant_findings(codes, minutes, pta, inp.assistant_kind, inp.discipline, medicare, folder),
        *threshold,
    ]
    if inp.reduced:
        findings.append(reduced_finding(codes))
    return ModifierResult(
        findings=findings, data_source=ptp_data_label(folder), year=year, payer=payer_label, warnings=warnings
    )
