"""Billable units from treatment minutes: the CMS 8-minute rule and the per-code (AMA) method.

Example:
    >>> r = calculate_units(UnitsInput(minutes={"97112": 24, "97110": 23}))
    >>> r.total_units, r.units_by_code
    (3, {'97112': 2, '97110': 1})
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from assistant.errors import ToolInputError
from assistant.tools.ncci import mue_values
from assistant.tools.tables import CodeInfo, code_catalogue, file_label, normalize_code, resolve_data_dir

MAX_MINUTES = 24 * 60
CMS_SOURCE = "CMS Medicare Claims Processing Manual, Pub. 100-04, Ch. 5, §20.2 (8-minute rule)"
AMA_SOURCE = "AMA/CPT time rule applied per code (per-code method; confirm with the payer)"


class UnitsInput(BaseModel):
    """Minutes per code for one patient and date of service."""

    minutes: dict[str, int] = Field(description="Minutes of direct treatment per code, e.g. {'97110': 33}.")
    method: Literal["cms", "ama"] = Field(default="cms", description="cms: Medicare total-time rule.")


class UnitsResult(BaseModel):
    """Units per code with the working shown."""

    method: Literal["cms", "ama"]
    total_timed_minutes: int
    total_units: int
    units_by_code: dict[str, int]
    tied_codes: list[list[str]] = Field(default_factory=list)
    steps: list[str]
    warnings: list[str]
    source: str


def units_for_minutes(minutes: int) -> int:
    """The CMS table: 8-22 minutes = 1 unit, 23-37 = 2, ... (steps of 15); under 8 = 0."""
    return 0 if minutes < 8 else (minutes - 8) // 15 + 1


def _table_row(minutes: int) -> str:
    units = units_for_minutes(minutes)
    if units == 0:
        return f"{minutes} min is under 8 minutes → 0 units"
    low = 8 + 15 * (units - 1)
    return f"{minutes} min is in the {low}–{low + 14} minute row → {units} unit{'s' * (units != 1)}"


def _validate(inp: UnitsInput, catalogue: Mapping[str, CodeInfo], data_file: str) -> dict[str, int]:
    if not inp.minutes:
        raise ToolInputError("Give at least one code with its minutes, e.g. 97110=33.")
    minutes: dict[str, int] = {}
    for raw, value in inp.minutes.items():
        code = normalize_code(raw)
        if code not in catalogue:
            raise ToolInputError(
                f"{code} is not a therapy code in the catalogue ({data_file}); "
                "its timed/untimed status is not on file."
            )
        if value < 0:
            raise ToolInputError(f"Minutes cannot be negative ({code}={value}).")
        if value > MAX_MINUTES:
            raise ToolInputError(f"{code}={value} is more than 24 hours ({MAX_MINUTES} minutes) in one day.")
        minutes[code] = minutes.get(code, 0) + value
    if sum(minutes.values()) > MAX_MINUTES:
        raise ToolInputError(f"The minutes add up to more than 24 hours ({MAX_MINUTES} minutes) in one day.")
    if all(v == 0 for v in minutes.values()) and all(catalogue[c].timed for c in minutes):
        raise ToolInputError("Every code has 0 minutes: give the minutes of treatment, e.g. 97110=33.")
    return minutes


def _allocate_cms(timed: dict[str, int], steps: list[str]) -> tuple[dict[str, int], list[list[str]]]:
    total = sum(timed.values())
    units_total = units_for_minutes(total)
    steps.append(f"Total timed minutes: {' + '.join(f'{c} {m}' for c, m in timed.items())} = {total}.")
    steps.append(f"CMS table: {_table_row(total)} to bill in all.")
    units = {code: m // 15 for code, m in timed.items()}
    left = {code: m % 15 for code, m in timed.items()}
    blocks = sum(units.values())
    steps.append(
        "Whole 15-minute blocks per code first: "
        + "; ".join(f"{c} {m} min = {units[c]} block(s), {left[c]} min left" for c, m in timed.items())
        + f" → {blocks} unit(s)."
    )
    remaining = units_total - blocks
    if remaining == 0:
        if units_total:
            steps.append("No unit is left to assign: leftover minutes earn nothing more.")
        return units, []
    ranked = sorted((c for c in timed if left[c] > 0), key=lambda c: -left[c])
    winners, cutoff = ranked[:remaining], left[ranked[remaining - 1]]
    tied = [c for c in ranked if left[c] == cutoff]
    for code in winners:
        units[code] += 1
    order = ", ".join(f"{c} ({left[c]} min)" for c in ranked)
    steps.append(
        f"{remaining} unit(s) left go to the codes with the most remaining minutes: {order} → "
        f"{', '.join(winners)}."
    )
    ties: list[list[str]] = []
    if len(tied) > len([c for c in winners if left[c] == cutoff]):
        ties.append(tied)
        steps.append(
            f"Tie: {', '.join(tied)} each have {cutoff} remaining minutes, so the last unit(s) may go on "
            f"either of them (either way round is correct); shown on the first listed."
        )
    return units, ties


def _allocate_ama(timed: dict[str, int], steps: list[str]) -> dict[str, int]:
    units = {code: units_for_minutes(m) for code, m in timed.items()}
    for code, m in timed.items():
        steps.append(f"{code}: {_table_row(m)} (each code counted on its own).")
    return units


def calculate_units(inp: UnitsInput, data_dir: Path | None = None) -> UnitsResult:
    """Units per code by the chosen method; untimed codes are 1 unit each and not in the timed total."""
    folder = resolve_data_dir(data_dir)
    catalogue = code_catalogue(folder)
    minutes = _validate(inp, catalogue, file_label(folder / "therapy_codes.csv"))
    timed = {c: m for c, m in minutes.items() if catalogue[c].timed}
    untimed = [c for c in minutes if not catalogue[c].timed]
    steps: list[str] = []
    warnings: list[str] = []
    ties: list[list[str]] = []
    if inp.method == "cms":
        units, ties = _allocate_cms(timed, steps) if timed else ({}, [])
    else:
        units = _allocate_ama(timed, steps)
        warnings.append(
            "Per-code method; confirm with the payer. Medicare uses the total-time (CMS) method, and "
            "Medicaid, Medicare Advantage and TRICARE are reported to follow it too."
        )
    for code in untimed:
        units[code] = 1
        steps.append(f"{code} is untimed: 1 unit per session; its minutes do not count toward timed time.")
    for code in minutes:
        info = catalogue[code]
        if info.medicare_note:
            warnings.append(f"{code}: {info.medicare_note}.")
        if info.timed and info.timing_confidence != "High":
            warnings.append(
                f"{code}: treated as a 15-minute timed code (timing confidence {info.timing_confidence})."
            )
    if timed and sum(timed.values()) < 8:
        warnings.append("Under 8 timed minutes in total: no timed unit can be billed.")
    by_code = {code: units.get(code, 0) for code in minutes}
    for code, mue in mue_values(folder).items():
        if by_code.get(code, 0) > mue.value:
            warnings.append(
                f"{code}: {by_code[code]} units exceed the MUE of {mue.value} on file "
                f"(adjudication indicator {mue.adjudication_indicator}; {mue.source})."
            )
    return UnitsResult(
        method=inp.method,
        total_timed_minutes=sum(timed.values()),
        total_units=sum(by_code.values()),
        units_by_code=by_code,
        tied_codes=ties,
        steps=steps,
        warnings=warnings,
        source=CMS_SOURCE if inp.method == "cms" else AMA_SOURCE,
    )
