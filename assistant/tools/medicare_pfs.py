"""Medicare PFS payment for one day's codes: (work×GPCI + PE×GPCI + MP×GPCI) × CF, with MPPR and CQ/CO.

MPPR (always-therapy services, MULT PROC indicator 5): the unit with the highest PE is paid in full;
the PE of every other unit that day is paid at 50%; work and MP are always paid in full.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from assistant.errors import ToolInputError
from assistant.tools.pfs import Locality, Rvu, find_locality, rvu_table
from assistant.tools.tables import display_path, policy_rows, policy_value

CENT = Decimal("0.01")
ONE = Decimal("1.000")
NOT_PAYABLE = {
    "B": "status B (bundled): no separate Medicare payment",
    "I": "status I (not valid for Medicare): bill G0283 instead",
    "C": "status C (carrier-priced, RVUs 0): the MAC sets the price",
}


def cents(value: Decimal) -> Decimal:
    """Round half-up to cents."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def num(value: Decimal) -> str:
    """A Decimal without trailing zeros (0.980 → 0.98; 1.000 → 1)."""
    return format(value.normalize(), "f")


@dataclass
class PricedDay:
    """The payment of one day's codes with the working."""

    rate: Decimal | None
    total: Decimal | None
    locality: str
    source: str
    lines: list[tuple[str, int, Decimal | None]] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


Gpcis = tuple[Decimal, Decimal, Decimal]


def _gpcis(loc: Locality | None) -> Gpcis:
    return (loc.work, loc.pe, loc.mp) if loc else (ONE, ONE, ONE)


def _pe(rvu: Rvu, facility: bool) -> Decimal:
    return rvu.pe_facility if facility else rvu.pe_nonfacility


def _unit_formula(rvu: Rvu, g: Gpcis, facility: bool, pe_share: Decimal) -> str:
    pe = f"{num(_pe(rvu, facility))} × {g[1]}" + ("" if pe_share == 1 else f" × {num(pe_share * 100)}%")
    return f"({num(rvu.work)} × {g[0]} + {pe} + {num(rvu.mp)} × {g[2]})"


def _unit_rvu(rvu: Rvu, g: Gpcis, facility: bool, pe_share: Decimal) -> Decimal:
    return rvu.work * g[0] + _pe(rvu, facility) * g[1] * pe_share + rvu.mp * g[2]


@dataclass(frozen=True)
class DayRequest:
    """What to price: the day's codes (code → units), the code to report per unit, and how."""

    day: dict[str, int]
    code: str
    year: int
    locality: str | None = None
    facility: bool = False
    assistant: bool = False
    mppr: bool = True


def _full_unit_code(
    req: DayRequest, table: Mapping[str, Rvu], payable: dict[str, int], pe_rate: Decimal, out: PricedDay
) -> str | None:
    """The code whose unit keeps its full PE under MPPR (None when MPPR does not apply)."""
    subject = [c for c in payable if table[c].mppr_indicator == "5"]
    if req.mppr and sum(payable[c] for c in subject) > 1:
        full = max(subject, key=lambda c: _pe(table[c], req.facility))
        out.steps.append(
            f"MPPR: {full} has the highest PE RVU ({num(_pe(table[full], req.facility))}): "
            f"one unit paid in full; the PE of every other unit paid at {num(pe_rate * 100)}%."
        )
        return full
    if not req.mppr and sum(payable.values()) > 1:
        out.steps.append("MPPR not applied (as asked): every unit at the full fee schedule amount.")
    return None


def _price_lines(
    req: DayRequest, table: Mapping[str, Rvu], payable: dict[str, int], g: Gpcis, folder: Path, out: PricedDay
) -> None:
    pe_rate, pe_source = policy_value(folder, "mppr_pe_rate")
    full_unit = _full_unit_code(req, table, payable, pe_rate, out)
    if full_unit:
        out.notes.append(f"MPPR (multiple procedure payment reduction): {pe_source}.")
    cq_rate, _ = policy_value(folder, "assistant_payment_rate")
    cf = table[req.code].conversion_factor
    for c, n in payable.items():
        reduced = full_unit is not None and table[c].mppr_indicator == "5"
        full_n = (1 if c == full_unit else 0) if reduced else n
        parts = [(full_n, Decimal(1)), (n - full_n, pe_rate)]
        rvus = sum((k * _unit_rvu(table[c], g, req.facility, share) for k, share in parts if k), Decimal(0))
        shown = " + ".join(
            f"{k} × {_unit_formula(table[c], g, req.facility, share)}" for k, share in parts if k
        )
        amount = rvus * cf * (cq_rate if req.assistant else 1)
        factor = f" × {num(cq_rate)} (CQ/CO)" if req.assistant else ""
        out.lines.append((c, n, cents(amount)))
        if req.day == {req.code: 1} and not req.assistant:
            continue  # the per-unit step is already the whole working
        out.steps.append(
            f"{c} × {n}: [{shown}] × {cf}{factor} = {num(rvus)} × {cf}{factor} = {amount:.4f} "
            f"→ ${cents(amount)}."
        )


def _closing_notes(
    req: DayRequest,
    table: Mapping[str, Rvu],
    payable: dict[str, int],
    loc: Locality | None,
    folder: Path,
    out: PricedDay,
) -> None:
    if req.assistant:
        cq_rate, cq_source = policy_value(folder, "assistant_payment_rate")
        out.notes.append(f"CQ/CO: paid at {num(cq_rate * 100)}% of the fee schedule ({cq_source}).")
    if req.facility and any(table[c].pe_facility == table[c].pe_nonfacility for c in payable):
        out.notes.append(
            "For most therapy codes CMS marks the facility PE as not applicable (NA indicator, not "
            "carried in this table); the facility figure here equals the non-facility one."
        )
    if loc and loc.floor_note:
        out.notes.append(f"{loc.label}: {loc.floor_note}.")
    qp = policy_rows(folder).get(f"conversion_factor_qp_{req.year}")
    if qp:
        out.notes.append(f"{qp['description']}: {qp['value']} ({qp['source']}).")


def price_medicare_day(req: DayRequest, folder: Path) -> PricedDay:
    """Price every code of the day; ``req.code`` is the one whose per-unit rate is reported."""
    table = rvu_table(folder, req.year)
    for c in req.day:
        if c not in table:
            raise ToolInputError(
                f"{c} is not in the Medicare fee schedule table on file "
                f"({display_path(folder / f'pfs_rvu_therapy_{req.year}.csv')})."
            )
    loc = find_locality(req.locality, folder, req.year) if req.locality else None
    g = _gpcis(loc)
    where = loc.label if loc else "National (all GPCIs = 1.000)"
    main = table[req.code]
    cf = main.conversion_factor
    source = f"CMS Medicare PFS {req.year}: {main.release} ({main.file})"
    if loc:
        source += f"; GPCIs: {loc.release} ({loc.file})"
    out = PricedDay(rate=None, total=None, locality=where, source=source)
    setting = "facility" if req.facility else "non-facility"
    out.steps.append(f"{req.year} Medicare PFS, {where}, {setting}; conversion factor {cf}.")
    payable = {c: n for c, n in req.day.items() if table[c].status not in NOT_PAYABLE}
    for c in req.day:
        if c not in payable:
            out.notes.append(f"{c}: {NOT_PAYABLE[table[c].status]}.")
        elif table[c].status == "R":
            out.notes.append(f"{c}: status R (restricted coverage): check Medicare coverage rules.")
    if req.code in payable:
        one = _unit_rvu(main, g, req.facility, Decimal(1))
        out.rate = cents(one * cf)
        out.steps.append(
            f"{req.code} per unit: {_unit_formula(main, g, req.facility, Decimal(1))} × {cf} = {num(one)} "
            f"× {cf} = {one * cf:.4f} → ${out.rate}."
        )
    _price_lines(req, table, payable, g, folder, out)
    out.lines += [(c, n, None) for c, n in req.day.items() if c not in payable]
    if payable:
        out.total = sum((a for _, _, a in out.lines if a is not None), Decimal(0))
        if len(payable) > 1:
            paid = " + ".join(f"${a}" for _, _, a in out.lines if a is not None)
            out.steps.append(f"Day total: {paid} = ${out.total}.")
    _closing_notes(req, table, payable, loc, folder, out)
    return out
