"""Plain-text rendering of the tool results for the terminal (the working always shown)."""

from __future__ import annotations

from decimal import Decimal

from assistant.tools.modifiers import ModifierResult
from assistant.tools.rates import RateResult
from assistant.tools.units import UnitsResult


def _money(value: Decimal | None) -> str:
    return "n/a" if value is None else f"${value}"


def _section(title: str, items: list[str], numbered: bool = False) -> list[str]:
    if not items:
        return []
    return [f"{title}:"] + [f"  {i}. {s}" if numbered else f"  - {s}" for i, s in enumerate(items, 1)]


def format_units(r: UnitsResult) -> str:
    """Units per code, the total, the working, warnings and source."""
    method = "CMS 8-minute rule (total timed minutes)" if r.method == "cms" else "per-code method (AMA/CPT)"
    lines = [
        f"Method: {method}",
        f"Total timed minutes: {r.total_timed_minutes}; total units: {r.total_units}",
    ]
    width = max(len(c) for c in r.units_by_code)
    lines += [
        f"  {code:<{width}}  {units} unit{'s' * (units != 1)}" for code, units in r.units_by_code.items()
    ]
    for group in r.tied_codes:
        lines.append(f"  Tie: the last unit may go on either of {', '.join(group)}.")
    lines += _section("Working", r.steps, numbered=True)
    lines += _section("Warnings", r.warnings)
    lines.append(f"Source: {r.source}")
    return "\n".join(lines)


def format_rate(r: RateResult) -> str:
    """The rate, total, the arithmetic, notes and source."""
    setting = "facility" if r.facility else "non-facility"
    where = f" · {r.locality}" if r.locality else ""
    lines = [f"{r.code} · {r.payer} · {r.year}{where} · {setting}"]
    if r.rate is None and r.rate_low is not None:
        lines.append(f"Rate per unit: {_money(r.rate_low)}–{_money(r.rate_high)} (range; no single figure)")
    else:
        lines.append(f"Rate per unit: {_money(r.rate)}   Units: {r.units}   Total: {_money(r.total)}")
    if len(r.lines) > 1:
        lines += [f"  {line.code} × {line.units}: {_money(line.amount)}" for line in r.lines]
    lines += _section("Working", r.steps, numbered=True)
    lines += _section("Notes", r.notes)
    lines.append(f"Source: {r.source}" + (f" (confidence {r.confidence})" if r.confidence else ""))
    return "\n".join(lines)


def format_modifiers(r: ModifierResult, year_given: bool) -> str:
    """Each finding with its codes, whether required, the reason and the source."""
    year = f"{r.year}" if year_given else f"{r.year} (latest on file, default)"
    lines = [f"Payer: {r.payer}; year: {year}"]
    for f in r.findings:
        label = f.modifier or "no modifier"
        codes = " + ".join(f.codes) if f.codes else "claim"
        lines.append(f"- {label} [{codes}]: {'required' if f.required else 'not required'}")
        lines.append(f"    {f.reason}")
        lines.append(f"    source: {f.source}")
    lines += _section("Warnings", r.warnings)
    lines.append(f"NCCI data: {r.data_source}")
    return "\n".join(lines)
