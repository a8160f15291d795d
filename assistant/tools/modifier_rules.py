"""Modifier rules driven by numbers on file: CQ/CO (assistant share), KX and targeted review, and 52."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.errors import ToolInputError
from assistant.tools.tables import Row, cell_number, file_label, policy_value, read_rows

if TYPE_CHECKING:
    from assistant.tools.modifiers import Finding

THRESHOLD_FILE = "therapy_thresholds.csv"
THRESHOLD_COLUMNS = ("kind", "applies_to", "year_from", "year_to", "amount", "source")
CQ_EXAMPLES = (
    "CMS CQ/CO billing examples (cms.gov/medicare/coding-billing/therapy-services) describe CY2022 "
    "unit-by-unit exceptions when the therapist and the assistant each furnish part of a code"
)


def _finding(**kwargs: object) -> Finding:
    from assistant.tools.modifiers import Finding

    return Finding(**kwargs)  # type: ignore[arg-type]


def _year(row: Row, column: str, folder: Path) -> int:
    return int(cell_number(row, column, folder / THRESHOLD_FILE))


def _group(discipline: str) -> str:
    return "OT" if discipline == "OT" else "PT and SLP combined"


def _kx_years(rows: tuple[Row, ...], folder: Path) -> list[int]:
    return sorted({_year(r, "year_from", folder) for r in rows if r["kind"] == "kx_threshold"})


def kx_threshold(year: int, discipline: str, folder: Path) -> tuple[Decimal, Row]:
    """The KX threshold on file for ``year`` (PT and SLP combined, or OT), with its row."""
    rows = read_rows(folder / THRESHOLD_FILE, THRESHOLD_COLUMNS)
    group = _group(discipline)
    for r in rows:
        if r["kind"] == "kx_threshold" and r["applies_to"] == group and _year(r, "year_from", folder) == year:
            return cell_number(r, "amount", folder / THRESHOLD_FILE), r
    raise ToolInputError(f"No KX threshold on file for {year}; years on file: {_kx_years(rows, folder)}.")


def threshold_findings(
    ytd: Decimal | None, year: int | None, discipline: str, medicare: bool, folder: Path
) -> tuple[int, list[Finding]]:
    """KX above the year's threshold and the $3,000 targeted-review note; returns the year used."""
    rows = read_rows(folder / THRESHOLD_FILE, THRESHOLD_COLUMNS)
    used = year if year is not None else _kx_years(rows, folder)[-1]
    if ytd is None:
        return used, []
    if ytd < 0:
        raise ToolInputError(f"Year-to-date spend cannot be negative ({ytd}).")
    group = _group(discipline)
    amount, kx = kx_threshold(used, discipline, folder)
    if not medicare:
        reason = "KX and the therapy threshold are Medicare rules; this payer's rule is not on file."
        return used, [_finding(codes=[], modifier="KX", required=False, reason=reason, source=kx["source"])]
    over = ytd > amount
    source = f"{kx['source']} ({file_label(folder / THRESHOLD_FILE)})"
    verdict = "above" if over else "not above"
    reason = (
        f"Year-to-date therapy spend ${ytd:,.2f} is {verdict} the {used} KX threshold ${amount:,.0f} "
        f"({group}). "
        + (
            "Add KX to attest medical necessity; claims above the threshold without KX are denied."
            if over
            else "KX is not needed yet."
        )
    )
    found = [_finding(codes=[], modifier="KX", required=over, reason=reason, source=source)]
    for r in rows:
        starts = _year(r, "year_from", folder) if r["year_from"] else used
        if (
            r["kind"] == "targeted_review"
            and r["applies_to"] == group
            and starts <= used <= _year(r, "year_to", folder)
        ):
            review = cell_number(r, "amount", folder / THRESHOLD_FILE)
            if ytd > review:
                note = (
                    f"Spend ${ytd:,.2f} is above the ${review:,.0f} targeted medical review threshold "
                    f"({group}; fixed through {r['year_to']}): claims may be selected for medical review."
                )
                found.append(_finding(codes=[], modifier="", required=False, reason=note, source=r["source"]))
    return used, found


def assistant_findings(
    codes: list[str],
    minutes: dict[str, int],
    pta: dict[str, int],
    kind: str | None,
    discipline: str,
    medicare: bool,
    folder: Path,
) -> list[Finding]:
    """CQ/CO per code when an assistant furnished more than the de minimis share (10%)."""
    if not pta and kind is None:
        return []
    if kind is None and discipline == "SLP":
        raise ToolInputError("CQ/CO apply to PTAs and OTAs only; give --assistant PTA or OTA.")
    kind = kind or ("OTA" if discipline == "OT" else "PTA")
    modifier = "CO" if kind == "OTA" else "CQ"
    pct, de_minimis_source = policy_value(folder, "assistant_de_minimis_percent")
    rate, rate_source = policy_value(folder, "assistant_payment_rate")
    pays = f"Medicare pays it at {rate * 100:.0f}% of the fee schedule" if medicare else "Medicare rule"
    source = rate_source if rate_source == de_minimis_source else f"{rate_source}; {de_minimis_source}"
    if not pta:
        reason = (
            f"The {kind} furnished services (minutes not given): {modifier} is required on each code the "
            f"{kind} furnished in whole or in more than {pct}% part; {pays}."
        )
        return [_finding(codes=codes, modifier=modifier, required=medicare, reason=reason, source=source)]
    found = []
    for code, by_assistant in pta.items():
        total = minutes.get(code)
        if by_assistant < 0 or (total is not None and by_assistant > total):
            raise ToolInputError(
                f"{kind} minutes for {code} ({by_assistant}) must be between 0 and the code's "
                f"minutes ({total})."
            )
        if total is None or total == 0:
            reason = (
                f"{kind} furnished {by_assistant} min of {code}; the code's total minutes are not given, so "
                f"the {pct}% de minimis test cannot be made. {modifier} applies above {pct}%."
            )
            found.append(
                _finding(codes=[code], modifier=modifier, required=False, reason=reason, source=source)
            )
            continue
        share = Decimal(by_assistant * 100) / Decimal(total)
        over = share > pct
        whole = "in whole" if by_assistant == total else f"{share:.1f}% of {total} min"
        reason = f"{kind} furnished {by_assistant} min of {code} ({whole}): " + (
            f"above the {pct}% de minimis, so {modifier} is required; {pays}."
            if over
            else f"{pct}% or less (de minimis): no {modifier} and no reduction."
        )
        if over and by_assistant < total:
            reason += f" {CQ_EXAMPLES}."
        found.append(
            _finding(
                codes=[code], modifier=modifier, required=over and medicare, reason=reason, source=source
            )
        )
    return found


def reduced_finding(codes: list[str]) -> Finding:
    """52 when the full service was not completed (from the user's source page; Low as Medicare policy)."""
    reason = (
        "52 reports a reduced service when the full service was not completed. This comes from the user's "
        "source page; as Medicare policy it is Low confidence: confirm with the payer."
    )
    return _finding(
        codes=codes, modifier="52", required=True, reason=reason, source="User's source page (CPT 97112)"
    )
