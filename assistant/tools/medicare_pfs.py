"""Medicare PFS payment for one day's codes: (work×GPCI + PE×GPCI + MP×GPCI) × CF, with MPPR and CQ/CO.

MPPR (always-therapy services, MULT PROC indicator 5): the unit with the highest PE is paid in full;
the PE of every other unit that day is paid at 50%; work and MP are always paid in full.
"""

from __future__ import annotations

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


def _gpcis(loc: Locality | None) -> tuple[Decimal, Decimal, Decimal]:
    return (loc.work, loc.pe, loc.mp) if loc else (ONE, ONE, ONE)


def _pe(rvu: Rvu, facility: bool) -> Decimal:
    return rvu.pe_facility if facility else rvu.pe_nonfacility


def _unit_formula(rvu: Rvu, g: tuple[Decimal, Decimal, Decimal], facility: bool, pe_share: Decimal) -> str:
    pe = f"{num(_pe(rvu, facility))} × {g[1]}" + ("" if pe_share == 1 else f" × {num(pe_share * 100)}%")
    return f"({num(rvu.work)} × {g[0]} + {pe} + {num(rvu.mp)} × {g[2]})"


def _unit_rvu(rvu: Rvu, g: tuple[Decimal, Decimal, Decimal], facility: bool, pe_share: Decimal) -> Decimal:
    return rvu.work * g[0] + _pe(rvu, facility) * g[1] * pe_share + rvu.mp * g[2]


def price_medicare_day(
    day: dict[str, int],
    code: str,
    year: int,
    folder: Path,
    locality: str | None,
    facility: bool,
    assistant: bool,
    mppr: bool,
) -> PricedDay:
    """Price every code of ``day`` (code → units); ``code`` is the one whose per-unit rate is reported."""
    table = rvu_table(folder, year)
    for c in day:
        if c not in table:
            raise ToolInputError(
                f"{c} is not in the Medicare fee schedule table on file "
                f"({display_path(folder / f'pfs_rvu_therapy_{year}.csv')})."
            )
    loc = find_locality(locality, folder, year) if locality else None
    g = _gpcis(loc)
    where = loc.label if loc else "National (all GPCIs = 1.000)"
    setting = "facility" if facility else "non-facility"
    main = table[code]
    cf = main.conversion_factor
    source = f"CMS Medicare PFS {year}: {main.release} ({main.file})"
    if loc:
        source += f"; GPCIs: {loc.release} ({loc.file})"
    out = PricedDay(rate=None, total=None, locality=where, source=source)
    out.steps.append(f"{year} Medicare PFS, {where}, {setting}; conversion factor {cf}.")
    payable = {c: n for c, n in day.items() if table[c].status not in NOT_PAYABLE}
    for c in day:
        if c not in payable:
            out.notes.append(f"{c}: {NOT_PAYABLE[table[c].status]}.")
        elif table[c].status == "R":
            out.notes.append(f"{c}: status R (restricted coverage): check Medicare coverage rules.")
    if code in payable:
        one = _unit_rvu(main, g, facility, Decimal(1))
        out.rate = cents(one * cf)
        out.steps.append(
            f"{code} per unit: {_unit_formula(main, g, facility, Decimal(1))} × {cf} = {num(one)} × {cf} "
            f"= {one * cf:.4f} → ${out.rate}."
        )
    subject = [c for c in payable if table[c].mppr_indicator == "5"]
    reduce = mppr and sum(payable[c] for c in subject) > 1
    pe_rate, pe_source = policy_value(folder, "mppr_pe_rate")
    full_unit = max(subject, key=lambda c: _pe(table[c], facility)) if reduce else None
    if reduce:
        out.steps.append(
            f"MPPR: {full_unit} has the highest PE RVU ({num(_pe(table[str(full_unit)], facility))}): "
            f"one unit paid in full; the PE of every other unit paid at {num(pe_rate * 100)}% ({pe_source})."
        )
    elif not mppr and sum(payable.values()) > 1:
        out.steps.append("MPPR not applied (as asked): every unit at the full fee schedule amount.")
    cq_rate, cq_source = policy_value(folder, "assistant_payment_rate")
    for c, n in payable.items():
        full_n = n if not (reduce and c in subject) else (1 if c == full_unit else 0)
        parts = [(full_n, Decimal(1)), (n - full_n, pe_rate)]
        rvus = sum((k * _unit_rvu(table[c], g, facility, share) for k, share in parts if k), Decimal(0))
        shown = " + ".join(f"{k} × {_unit_formula(table[c], g, facility, share)}" for k, share in parts if k)
        amount = rvus * cf * (cq_rate if assistant else 1)
        factor = f" × {num(cq_rate)} (CQ/CO)" if assistant else ""
        out.lines.append((c, n, cents(amount)))
        if day == {code: 1} and not assistant:
            continue  # the per-unit step above is already the whole working
        out.steps.append(
            f"{c} × {n}: [{shown}] × {cf}{factor} = {num(rvus)} × {cf}{factor} = {amount:.4f} "
            f"→ ${cents(amount)}."
        )
    out.lines += [(c, n, None) for c, n in day.items() if c not in payable]
    if payable:
        out.total = sum((a for _, _, a in out.lines if a is not None), Decimal(0))
        if len(payable) > 1:
            paid = " + ".join(f"${a}" for _, _, a in out.lines if a is not None)
            out.steps.append(f"Day total: {paid} = ${out.total}.")
    if assistant:
        out.notes.append(f"CQ/CO: paid at {num(cq_rate * 100)}% of the fee schedule ({cq_source}).")
    if facility and any(table[c].pe_facility == table[c].pe_nonfacility for c in payable):
        out.notes.append(
            "For most therapy codes CMS marks the facility PE as not applicable (NA indicator, not "
            "carried in this table); the facility figure here equals the non-facility one."
        )
    if loc and loc.floor_note:
        out.notes.append(f"{loc.label}: {loc.floor_note}.")
    qp = policy_rows(folder).get(f"conversion_factor_qp_{year}")
    if qp:
        out.notes.append(f"{qp['description']}: {qp['value']} ({qp['source']}).")
    return out
