"""One entry point for the three tools: ``run_tool`` (JSON in, JSON out) and LangChain wrappers.

Both take the data folder to read (``settings.data_dir``); without one the tools read the configured
default (ASSISTANT_DATA_DIR, else knowledge_base/data).

Example:
    >>> run_tool("units", {"minutes": {"97112": 24, "97110": 23}})["total_units"]
    3
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ValidationError

from assistant.errors import ToolInputError
from assistant.tools.modifiers import ModifierInput, check_modifiers
from assistant.tools.rates import RateInput, lookup_rate
from assistant.tools.units import UnitsInput, calculate_units

if TYPE_CHECKING:
    from langchain_core.tools import StructuredTool

ToolName = Literal["units", "modifiers", "rate"]

TOOLS: dict[str, tuple[type[BaseModel], Callable[[Any, Path | None], BaseModel], str]] = {
    "units": (
        UnitsInput,
        calculate_units,
        "Billable units from treatment minutes per code (CMS 8-minute rule, or the per-code AMA method), "
        "with the working shown.",
    ),
    "modifiers": (
        ModifierInput,
        check_modifiers,
        "Modifiers for one date of service: NCCI pairs on file (59/X), GP/GO/GN, CQ/CO, KX and 52.",
    ),
    "rate": (
        RateInput,
        lookup_rate,
        "Payment rate for a code: Medicare PFS (any year/locality on file, MPPR, CQ/CO 85%) or the "
        "payer table (BCBS, Aetna, UHC, Medicaid), with source, year and arithmetic.",
    ),
}


def describe_validation(err: ValidationError) -> str:
    """A one-line summary of what was wrong with the arguments."""
    parts = []
    for problem in err.errors():
        where = ".".join(str(p) for p in problem["loc"]) or "input"
        parts.append(f"{where}: {problem['msg']}")
    return "; ".join(parts)


def run_tool(name: ToolName | str, args: dict[str, Any], data_dir: Path | None = None) -> dict[str, Any]:
    """Validate ``args``, run the tool over the tables in ``data_dir`` and return JSON-safe data."""
    if name not in TOOLS:
        raise ToolInputError(f"Unknown tool '{name}'; tools: {', '.join(TOOLS)}.")
    model, func, _ = TOOLS[name]
    try:
        inp = model.model_validate(args)
    except ValidationError as err:
        raise ToolInputError(f"Bad arguments for the {name} tool: {describe_validation(err)}.") from None
    return func(inp, data_dir).model_dump(mode="json")


def _runner(name: str, data_dir: Path | None) -> Callable[..., dict[str, Any]]:
    def run(**kwargs: Any) -> dict[str, Any]:
        return run_tool(name, kwargs, data_dir)

    return run


def langchain_tools(data_dir: Path | None = None) -> list[StructuredTool]:
    """The tools as LangChain ``StructuredTool`` objects (same functions, same schemas, same data)."""
    from langchain_core.tools import StructuredTool

    return [
        StructuredTool.from_function(
            func=_runner(name, data_dir), name=name, description=desc, args_schema=model
        )
        for name, (model, _, desc) in TOOLS.items()
    ]
