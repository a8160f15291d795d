"""The Tools tab: unit calculator, modifier checker and rate lookup — the same tools the chat runs.

Each form turns its fields into the tool's arguments (``*_args`` functions, unit-tested), calls
``assistant.tools.registry.run_tool`` and shows the working with ``ui.render.tool_markdown``.
"""

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.config import Settings
from assistant.errors import AssistantError
from ui.render import tool_markdown

SAME_BLOCK_CHOICES = ("not stated", "same 15-minute block", "separate 15-minute blocks")
_PAIR_RE = re.compile(r"([0-9A-Za-z]{5})\s*[=:]\s*(\d+)")


def parse_code_minutes(text: str) -> dict[str, int]:
    """``"97110=20, 97140=8"`` → ``{"97110": 20, "97140": 8}`` (empty text → empty dict)."""
    return {code.upper(): int(minutes) for code, minutes in _PAIR_RE.findall(text or "")}


def units_args(rows: Sequence[Sequence[Any]], method: str) -> dict[str, Any]:
    """Unit-calculator rows (code, minutes) → units tool arguments; blank rows are skipped."""
    minutes: dict[str, int] = {}
    for row in rows:
        code = str(row[0] if len(row) > 0 and row[0] is not None else "").strip()
        value = row[1] if len(row) > 1 else None
        if not code and value in (None, ""):
            continue
        try:
            minutes[code] = minutes.get(code, 0) + int(float(str(value)))
        except (TypeError, ValueError) as err:
            raise AssistantError(f"Minutes for {code or 'a row'} must be a whole number.") from err
    return {"minutes": minutes, "method": method}


def modifier_args(
    codes: str,
    minutes: str,
    same_block: str,
    discipline: str,
    assistant_kind: str,
    assistant_minutes: str,
    ytd_spend: float | None,
    year: float | None,
    payer: str,
) -> dict[str, Any]:
    """Modifier-checker fields → modifiers tool arguments (empty fields left out)."""
    args: dict[str, Any] = {"codes": re.findall(r"[0-9A-Za-z]{5}", codes or ""), "discipline": discipline}
    if parse_code_minutes(minutes):
        args["minutes"] = parse_code_minutes(minutes)
    if same_block != SAME_BLOCK_CHOICES[0]:
        args["same_block"] = same_block == SAME_BLOCK_CHOICES[1]
    if assistant_kind in ("PTA", "OTA"):
        args["assistant_kind"] = assistant_kind
        args["pta_minutes"] = parse_code_minutes(assistant_minutes)
    if ytd_spend:
        args["ytd_spend"] = str(ytd_spend)
    if year:
        args["year"] = int(year)
    if payer and payer.strip():
        args["payer"] = payer.strip()
    return args


def rate_args(
    payer: str, code: str, units: float | None, year: float | None, locality: str, facility: bool
) -> dict[str, Any]:
    """Rate-lookup fields → rate tool arguments (empty fields left out)."""
    args: dict[str, Any] = {"code": (code or "").strip(), "payer": (payer or "medicare").strip()}
    args["units"] = int(units or 1)
    if year:
        args["year"] = int(year)
    if locality and locality.strip():
        args["locality"] = locality.strip()
    if facility:
        args["facility"] = True
    return args


def run_form(name: str, args: dict[str, Any], data_dir: Path | None = None) -> str:
    """Run one tool over the tables in ``data_dir`` (default: the configured folder) and return its
    working as markdown, or the error message a user can act on."""
    from assistant.tools.registry import run_tool

    try:
        return tool_markdown(name, args, run_tool(name, args, data_dir))
    except AssistantError as err:
        return f"⚠ {err}"


def _payer_choices(settings: Settings) -> list[tuple[str, str]]:
    from assistant.tools.payers import payers_on_file

    try:
        return [(p.name, p.payer_id) for p in payers_on_file(settings.data_dir)]
    except (AssistantError, OSError):
        return [("Medicare", "medicare")]


def _rate_years(settings: Settings) -> list[int]:
    from assistant.tools.tables import years_on_file

    return years_on_file(settings.data_dir, "pfs_rvu_therapy") or [2025, 2026]


def _safe(build_args: Any, name: str, data_dir: Path) -> Any:
    def handler(*values: Any) -> str:
        try:
            args = build_args(*values)
        except AssistantError as err:
            return f"⚠ {err}"
        return run_form(name, args, data_dir)

    return handler


def build_tools_tab(settings: Settings) -> None:
    """Three forms side by side in accordions; results rendered as markdown."""
    with gr.Accordion("Unit calculator (8-minute rule)", open=True):
        rows = gr.Dataframe(
            headers=["code", "minutes"],
            datatype=["str", "number"],
            value=[["97112", 24], ["97110", 23]],
            row_limits=(1, 12),
            column_limits=(2, 2),
            type="array",
            elem_id="units-rows",
        )
        method = gr.Radio(
            ["cms", "ama"], value="cms", label="Method (cms: Medicare total time; ama: per code)"
        )
        units_btn = gr.Button("Calculate units", variant="primary", elem_id="units-calc")
        units_out = gr.Markdown(elem_id="units-result")
    units_btn.click(
        _safe(units_args, "units", settings.data_dir), [rows, method], [units_out], api_name="units"
    )

    with gr.Accordion("Modifier checker", open=False):
        with gr.Row():
            codes = gr.Textbox(label="Codes on the date of service", value="97140 97530")
            minutes = gr.Textbox(label="Minutes per code (optional)", placeholder="97140=20, 97530=15")
            block = gr.Radio(list(SAME_BLOCK_CHOICES), value=SAME_BLOCK_CHOICES[0], label="Time blocks")
        with gr.Row():
            discipline = gr.Dropdown(["PT", "OT", "SLP"], value="PT", label="Discipline")
            kind = gr.Dropdown(["none", "PTA", "OTA"], value="none", label="Assistant involved")
            assistant_minutes = gr.Textbox(label="Assistant minutes per code", placeholder="97110=20")
        with gr.Row():
            ytd = gr.Number(label="Year-to-date therapy spend ($, optional)", value=None)
            mod_year = gr.Number(label="Year (optional)", value=None, precision=0)
            mod_payer = gr.Textbox(label="Payer", value="medicare")
        mod_btn = gr.Button("Check modifiers", variant="primary")
        mod_out = gr.Markdown()
    mod_inputs = [codes, minutes, block, discipline, kind, assistant_minutes, ytd, mod_year, mod_payer]
    mod_btn.click(
        _safe(modifier_args, "modifiers", settings.data_dir), mod_inputs, [mod_out], api_name="modifiers"
    )

    with gr.Accordion("Rate lookup", open=False):
        with gr.Row():
            payer = gr.Dropdown(
                _payer_choices(settings), value="medicare", label="Payer", allow_custom_value=True
            )
            code = gr.Textbox(label="Code", value="97112")
            units = gr.Number(label="Units", value=1, precision=0, minimum=1)
        with gr.Row():
            years = _rate_years(settings)
            year = gr.Dropdown(years, value=years[-1], label="Year")
            locality = gr.Textbox(label="Locality (Medicare, optional)", placeholder="Chicago, IL")
            facility = gr.Checkbox(label="Facility setting", value=False)
        rate_btn = gr.Button("Look up rate", variant="primary")
        rate_out = gr.Markdown()
    rate_btn.click(
        _safe(rate_args, "rate", settings.data_dir),
        [payer, code, units, year, locality, facility],
        [rate_out],
        api_name="rate",
    )
