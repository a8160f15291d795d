"""Run the planned tools through the tool registry; a tool's input error becomes a message, not a crash.

Example:
    >>> outcome = run_plan(route(analyze("97110=33 97140=7", data_dir)), data_dir)   # doctest: +SKIP
    >>> outcome.calls[0].result["units_by_code"]                          # doctest: +SKIP
    {'97110': 2, '97140': 1}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.answer import ToolCall
from assistant.chain.route import Plan, rate_requests
from assistant.errors import ToolInputError
from assistant.tools.registry import run_tool


@dataclass
class ToolOutcome:
    """Successful tool calls, and the user-facing messages of the calls that were refused."""

    calls: list[ToolCall] = field(default_factory=list)
    errors: list[ToolCall] = field(default_factory=list)

    def first(self, name: str) -> ToolCall | None:
        return next((c for c in self.calls if c.name == name), None)

    @property
    def error_messages(self) -> list[str]:
        return [str(c.result["error"]) for c in self.errors]


def _run(name: str, args: dict[str, Any], data_dir: Path, outcome: ToolOutcome) -> dict[str, Any] | None:
    try:
        result = run_tool(name, args, data_dir)
    except ToolInputError as err:
        outcome.errors.append(ToolCall(name=name, args=args, result={"error": str(err)}))
        return None
    outcome.calls.append(ToolCall(name=name, args=args, result=result))
    return result


def _threshold_check(plan: Plan, folder: Path, outcome: ToolOutcome) -> None:
    """A KX question without codes: the modifier tool's own threshold rule, reported as a modifiers call."""
    from assistant.tools.modifier_rules import THRESHOLD_FILE, kx_threshold, threshold_findings
    from assistant.tools.tables import file_label

    s = plan.slots
    discipline = s.discipline or "PT"
    args: dict[str, Any] = {"codes": [], "discipline": discipline}
    if s.ytd_spend is not None:
        args["ytd_spend"] = str(s.ytd_spend)
    if s.year:
        args["year"] = s.year
    medicare = not s.commercial and s.payer in (None, "Medicare") and not s.unknown_payer
    try:
        year, findings = threshold_findings(s.ytd_spend, s.year, discipline, medicare, folder)
        amount, _ = kx_threshold(year, discipline, folder)
    except ToolInputError as err:
        outcome.errors.append(ToolCall(name="modifiers", args=args, result={"error": str(err)}))
        return
    result: dict[str, Any] = {
        "findings": [f.model_dump(mode="json") for f in findings],
        "data_source": file_label(folder / THRESHOLD_FILE),
        "year": year,
        "payer": "Medicare" if medicare else str(s.payer or s.unknown_payer or "commercial"),
        "warnings": [],
    }
    if s.ytd_spend is None:  # "what is the KX threshold in 2024?": the amount on file is the answer
        result["kx_threshold"] = {"year": year, "amount": f"{amount:,.0f}"}
    outcome.calls.append(ToolCall(name="modifiers", args=args, result=result))


def run_plan(plan: Plan, data_dir: Path) -> ToolOutcome:
    """Units and modifiers as planned, then rates (with the units the units tool found), over ``data_dir``."""
    outcome = ToolOutcome()
    if plan.threshold_only:
        _threshold_check(plan, data_dir, outcome)
    units_by_code: dict[str, int] = {}
    for request in plan.requests:
        result = _run(request.name, request.args, data_dir, outcome)
        if request.name == "units" and result is not None:
            units_by_code = {str(c): int(n) for c, n in result["units_by_code"].items()}
    if plan.rate_codes:
        for args in rate_requests(plan.slots, units_by_code):
            if _run("rate", args, data_dir, outcome) is None and "locality" in args:
                # A place the fee schedule cannot pin down: show the national amount, keep the message.
                _run("rate", {k: v for k, v in args.items() if k != "locality"}, data_dir, outcome)
    return outcome
