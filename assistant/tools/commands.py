"""CLI for the tools: ``units``, ``modifiers``, ``rate`` and the ``data`` sub-commands.

coding-assistant units 97112=24 97110=23 [--method ama] [--json]
coding-assistant modifiers 97140 97530 [--separate-blocks] [--pta-minutes 97110=10] [--ytd 2600]
coding-assistant rate 97110 --units 2 --with 97140=1 --year 2025 [--no-mppr] [--locality "Chicago, IL"]
coding-assistant data derive --from /path/to/cms-extracts | import-ncci FILE | import-mue FILE
"""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation
from typing import Any

import typer

PAIR_RE = re.compile(r"^\s*([0-9A-Za-z]{5})\s*=\s*(-?\d+)\s*$")
CODE_ONLY_RE = re.compile(r"^\s*([0-9A-Za-z]{5})\s*$")


def parse_pairs(items: list[str], what: str, allow_bare: bool = False) -> dict[str, int]:
    """``["97110=33", "97140=7"]`` → ``{"97110": 33, "97140": 7}``; bare codes → 0 when allowed."""
    from assistant.errors import ToolInputError

    out: dict[str, int] = {}
    for item in items:
        match = PAIR_RE.match(item)
        if match:
            code, value = match.group(1).upper(), int(match.group(2))
        elif allow_bare and CODE_ONLY_RE.match(item):
            code, value = item.strip().upper(), 0
        else:
            raise ToolInputError(f"'{item}' is not CODE={what.upper()} (for example 97110=33).")
        if code in out:
            raise ToolInputError(f"{code} is given twice; give each code once.")
        out[code] = value
    return out


def _emit(result: Any, as_json: bool, text: str) -> None:
    typer.echo(json.dumps(result.model_dump(mode="json"), indent=2) if as_json else text)


def units_cmd(
    ctx: typer.Context,
    minutes: list[str] = typer.Argument(
        ..., help="CODE=MINUTES per code, e.g. 97112=24 97110=23 (an untimed code may be bare: 97161)."
    ),
    method: str = typer.Option("cms", "--method", help="cms (Medicare total time) or ama (per code)."),
    as_json: bool = typer.Option(False, "--json", help="Print the result model as JSON."),
) -> None:
    """Billable units by the 8-minute rule, with the working."""
    from assistant.cli import settings_of
    from assistant.errors import ToolInputError
    from assistant.tools.render import format_units
    from assistant.tools.units import UnitsInput, calculate_units

    if method not in ("cms", "ama"):
        raise ToolInputError(f"--method must be cms or ama, not '{method}'.")
    inp = UnitsInput(minutes=parse_pairs(minutes, "minutes", allow_bare=True), method=method)  # type: ignore[arg-type]
    result = calculate_units(inp, settings_of(ctx).data_dir)
    _emit(result, as_json, format_units(result))


def modifiers_cmd(
    ctx: typer.Context,
    codes: list[str] = typer.Argument(..., help="Codes of the date of service; CODE=MIN adds minutes."),
    same_block: bool | None = typer.Option(
        None, "--same-block/--separate-blocks", help="Paired services in the same 15-minute block?"
    ),
    pta_minutes: list[str] = typer.Option(
        [], "--pta-minutes", help="Assistant minutes: CODE=MIN, or N for one code."
    ),
    assistant: str | None = typer.Option(
        None, "--assistant", help="PTA or OTA furnished (part of) the care."
    ),
    discipline: str = typer.Option("PT", "--discipline", help="PT, OT or SLP."),
    ytd: str | None = typer.Option(None, "--ytd", help="Year-to-date therapy spend in dollars."),
    year: int | None = typer.Option(None, "--year", help="Year of service (default: latest on file)."),
    payer: str | None = typer.Option(None, "--payer", help="Payer (default: Medicare rules)."),
    reduced: bool = typer.Option(False, "--reduced", help="The full service was not completed (52)."),
    as_json: bool = typer.Option(False, "--json", help="Print the result model as JSON."),
) -> None:
    """Modifiers for one date of service (NCCI 59/X, GP/GO/GN, CQ/CO, KX, 52)."""
    from assistant.cli import settings_of
    from assistant.errors import ToolInputError
    from assistant.tools.modifiers import ModifierInput, check_modifiers
    from assistant.tools.render import format_modifiers

    minutes = parse_pairs(codes, "minutes", allow_bare=True)
    if len(pta_minutes) == 1 and pta_minutes[0].strip().isdigit():
        if len(minutes) != 1:
            raise ToolInputError("--pta-minutes N needs exactly one code; otherwise give CODE=MIN.")
        pta = {next(iter(minutes)): int(pta_minutes[0])}
    else:
        pta = parse_pairs(pta_minutes, "minutes")
    try:
        spend = Decimal(ytd.replace(",", "").lstrip("$")) if ytd else None
    except InvalidOperation:
        raise ToolInputError(f"--ytd must be an amount in dollars, not '{ytd}'.") from None
    args: dict[str, Any] = {
        "codes": list(minutes),
        "minutes": {c: m for c, m in minutes.items() if m} or None,
        "same_block": same_block,
        "pta_minutes": pta or None,
        "assistant_kind": assistant.upper() if assistant else None,
        "discipline": discipline.upper(),
        "ytd_spend": spend,
        "year": year,
        "payer": payer,
        "reduced": reduced,
    }
    inp = _validated(ModifierInput, args)
    result = check_modifiers(inp, settings_of(ctx).data_dir)
    _emit(result, as_json, format_modifiers(result, year_given=year is not None))


def rate_cmd(
    ctx: typer.Context,
    code: str = typer.Argument(..., help="The code to price, e.g. 97112."),
    payer: str = typer.Option("medicare", "--payer", help="medicare, BCBS, Aetna, UHC, Medicaid…"),
    units: int = typer.Option(1, "--units", help="Units of CODE."),
    year: int | None = typer.Option(None, "--year", help="Year (default: latest on file)."),
    locality: str | None = typer.Option(None, "--locality", help='"Chicago, IL", "06102/16", a county…'),
    facility: bool = typer.Option(False, "--facility", help="Facility rate (default non-facility)."),
    with_codes: list[str] = typer.Option([], "--with", help="Other codes that day as CODE=UNITS (MPPR)."),
    no_mppr: bool = typer.Option(False, "--no-mppr", help="Do not apply the multiple procedure reduction."),
    assistant: bool = typer.Option(False, "--assistant", help="Furnished by a PTA/OTA (CQ/CO, 85%)."),
    as_json: bool = typer.Option(False, "--json", help="Print the result model as JSON."),
) -> None:
    """Rate for a code: Medicare PFS (computed, with the working) or the payer table."""
    from assistant.cli import settings_of
    from assistant.tools.rates import RateInput, lookup_rate
    from assistant.tools.render import format_rate

    args = {
        "code": code,
        "payer": payer,
        "units": units,
        "year": year,
        "locality": locality,
        "facility": facility,
        "lines": parse_pairs(with_codes, "units") or None,
        "assistant": assistant,
        "mppr": not no_mppr,
    }
    result = lookup_rate(_validated(RateInput, args), settings_of(ctx).data_dir)
    _emit(result, as_json, format_rate(result))


def _validated(model: Any, args: dict[str, Any]) -> Any:
    from pydantic import ValidationError

    from assistant.errors import ToolInputError
    from assistant.tools.registry import describe_validation

    try:
        return model.model_validate(args)
    except ValidationError as err:
        raise ToolInputError(describe_validation(err)) from None


def register(app: typer.Typer) -> None:
    """Add units, modifiers, rate and the data sub-app to the root app."""
    from assistant.tools.data_commands import data_app

    app.command("units")(units_cmd)
    app.command("modifiers")(modifiers_cmd)
    app.command("rate")(rate_cmd)
    app.add_typer(data_app, name="data")
