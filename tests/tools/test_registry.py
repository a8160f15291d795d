"""run_tool and the LangChain wrappers call the same functions and return JSON-safe results."""

from __future__ import annotations

import json

import pytest

from assistant.errors import ToolInputError
from assistant.tools.registry import langchain_tools, run_tool


def test_run_tool_results_are_json_safe() -> None:
    units = run_tool("units", {"minutes": {"97112": 24, "97110": 23}})
    assert units["units_by_code"] == {"97112": 2, "97110": 1}
    rate = run_tool("rate", {"code": "97112", "year": 2026})
    assert rate["rate"] == "32.73" and rate["year"] == 2026
    mods = run_tool("modifiers", {"codes": ["97140", "97530"], "ytd_spend": "2600"})
    assert any(f["modifier"] == "KX" and f["required"] for f in mods["findings"])
    json.dumps([units, rate, mods])


def test_run_tool_rejects_bad_names_and_arguments() -> None:
    with pytest.raises(ToolInputError, match="Unknown tool 'price'"):
        run_tool("price", {})
    with pytest.raises(ToolInputError, match="Bad arguments for the units tool: minutes"):
        run_tool("units", {"minutes": "lots"})


def test_langchain_tools_wrap_the_same_functions() -> None:
    tools = {t.name: t for t in langchain_tools()}
    assert set(tools) == {"units", "modifiers", "rate"}
    assert "minutes" in tools["units"].args
    assert tools["rate"].invoke({"code": "97110", "year": 2025})["rate"] == "28.79"
    out = tools["units"].invoke({"minutes": {"97110": 33, "97140": 7}})
    assert out == run_tool("units", {"minutes": {"97110": 33, "97140": 7}})
    assert tools["modifiers"].invoke({"codes": ["97110"]})["payer"].startswith("Medicare")
