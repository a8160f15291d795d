"""Rate lookup: the payer table, or the Medicare PFS computed from RVUs × GPCIs × conversion factor.

Example:
    >>> lookup_rate(RateInput(code="97112", year=2026)).rate
    Decimal('32.73')
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from pydantic import BaseModel, Field

from assistant.errors import ToolInputError
from assistant.tools.medicare_pfs import DayRequest, cents, price_medicare_day
from assistant.tools.payers import PAYER_FILE, match_payer, payer_rates
from assistant.tools.pfs import pfs_years
from assistant.tools.tables import file_label, normalize_code, resolve_data_dir


class RateInput(BaseModel):
    """What to price: a code (× units) for a payer, year and place; optional other codes that day."""

    code: str
    payer: str = "medicare"
    units: int = Field(default=1, ge=1, le=100)
    year: int | None = None
    locality: str | None = None
    facility: bool = False
    lines: dict[str, int] | None = Field(
        default=None, description="Other codes billed the same day (code → units), for MPPR."
    )
    assistant: bool = Field(default=False, description="Furnished by a PTA/OTA (CQ/CO): 85% for Medicare.")
    mppr: bool = Field(default=True, description="Apply the Medicare multiple procedure payment reduction.")


class RateLine(BaseModel):
    """One code of the day with its units and payment."""

    code: str
    units: int
    amount: Decimal | None


class RateResult(BaseModel):
    """A rate with its year, source and the arithmetic shown."""

    code: str
    payer: str
    year: int
    rate: Decimal | None
    units: int
    total: Decimal | None
    rate_low: Decimal | None = None
    rate_high: Decimal | None = None
    source: str
    locality: str | None = None
    facility: bool = False
    lines: list[RateLine] = Field(default_factory=list)
    steps: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    confidence: str = ""


def _day_lines(inp: RateInput, code: str) -> dict[str, int]:
    day = {code: inp.units}
    for raw, units in (inp.lines or {}).items():
        other = normalize_code(raw)
        if units < 1:
            raise ToolInputError(f"Units for {other} must be at least 1 (got {units}).")
        if other == code and units != inp.units:
            raise ToolInputError(f"{code} is given twice with different units ({inp.units} and {units}).")
        day[other] = units
    return day


def _default_year_note(year: int, asked: int | None, years: list[int]) -> list[str]:
    return [] if asked is not None else [f"Year {year}: the latest on file (default); on file: {years}."]


def _medicare(inp: RateInput, code: str, folder: Path) -> RateResult:
    years = pfs_years(folder)
    year = inp.year if inp.year is not None else years[-1]
    if year not in years:
        raise ToolInputError(f"No Medicare fee schedule for {year} on file; years on file: {years}.")
    request = DayRequest(
        day=_day_lines(inp, code),
        code=code,
        year=year,
        locality=inp.locality,
        facility=inp.facility,
        assistant=inp.assistant,
        mppr=inp.mppr,
    )
    priced = price_medicare_day(request, folder)
    notes = _default_year_note(year, inp.year, years) + priced.notes
    for row in payer_rates(folder, "medicare"):
        if row.code == code and row.year == year:
            notes.append(
                f"The source page's {year} representative Medicare average for {code} is ${row.rate_low} "
                f"({row.confidence} confidence); the amount above is the fee schedule computed from "
                "CMS tables."
            )
    return RateResult(
        code=code,
        payer="Medicare",
        year=year,
        rate=priced.rate,
        units=inp.units,
        total=priced.total,
        source=priced.source,
        locality=priced.locality,
        facility=inp.facility,
        lines=[RateLine(code=c, units=u, amount=a) for c, u, a in priced.lines],
        steps=priced.steps,
        notes=notes,
        confidence="High",
    )


def _payer_table(inp: RateInput, code: str, folder: Path, payer_id: str) -> RateResult:
    rows = payer_rates(folder, payer_id)
    name = rows[0].payer_name
    for_code = [r for r in rows if r.code == code]
    if not for_code:
        codes = sorted({r.code for r in rows})
        raise ToolInputError(
            f"The payer table has {name} rates for {', '.join(codes)} only; {code} is not on file. "
            "For the Medicare fee schedule of any therapy code use --payer medicare."
        )
    years = sorted(r.year for r in for_code)
    year = inp.year if inp.year is not None else years[-1]
    row = next((r for r in for_code if r.year == year), None)
    if row is None:
        raise ToolInputError(f"No {name} rate for {code} in {year}; years on file: {years}.")
    if inp.facility:
        raise ToolInputError(
            f"The payer table holds {row.setting} rates only; use --payer medicare for facility."
        )
    if inp.lines:
        raise ToolInputError("Multi-code days (MPPR) are computed for the Medicare fee schedule only.")
    notes = [*_default_year_note(year, inp.year, years), f"{name}: {row.note}."]
    if inp.locality:
        notes.append(
            f"The payer table is a national representative average: locality '{inp.locality}' not applied."
        )
    if inp.assistant:
        notes.append("CQ/CO 85% is Medicare policy: not applied to this payer's table rate.")
    source = f"{row.source} ({file_label(folder / PAYER_FILE)})"
    if row.rate_low != row.rate_high:
        steps = [
            f"{name} {code} {year} {row.setting}: ${row.rate_low}–${row.rate_high} per unit (a range).",
            f"× {inp.units} unit(s) = ${cents(row.rate_low * inp.units)}–"
            f"${cents(row.rate_high * inp.units)}.",
        ]
        notes.append("No single figure on file: the rate varies by state; check your state's fee schedule.")
        rate: Decimal | None = None
        total: Decimal | None = None
    else:
        rate, total = cents(row.rate_low), cents(row.rate_low * inp.units)
        steps = [f"{name} {code} {year} {row.setting}: ${rate} per unit × {inp.units} unit(s) = ${total}."]
    return RateResult(
        code=code,
        payer=name,
        year=year,
        rate=rate,
        units=inp.units,
        total=total,
        rate_low=cents(row.rate_low),
        rate_high=cents(row.rate_high),
        source=source,
        steps=steps,
        notes=notes,
        confidence=row.confidence,
    )


def lookup_rate(inp: RateInput, data_dir: Path | None = None) -> RateResult:
    """Price a code for a payer: Medicare by the fee schedule, others from the payer table."""
    folder = resolve_data_dir(data_dir)
    code = normalize_code(inp.code)
    payer = match_payer(inp.payer, folder)
    if payer.payer_id == "medicare":
        return _medicare(inp, code, folder)
    return _payer_table(inp, code, folder, payer.payer_id)
