"""The configured data folder reaches every tool call: run_tool, LangChain tools, the chain, the Assistant."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import assistant.config
from assistant.chain.execute import run_plan
from assistant.chain.route import analyze, route
from assistant.config import Settings
from assistant.tools.registry import langchain_tools, run_tool
from assistant.tools.tables import resolve_data_dir

RATE_ARGS = {"code": "97112", "year": 2026}
KX_QUESTION = "What is the KX threshold for PT in 2026?"
KX_ROW = "kx_threshold,PT and SLP combined,2026,"


def _raise_97112(data_dir: Path) -> None:
    """Change one figure of the copy: the 2026 work RVU of 97112 (0.50 → 0.90)."""
    path = data_dir / "pfs_rvu_therapy_2026.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    row = next(i for i, line in enumerate(lines) if line.startswith("97112,2026,A,0.50,"))
    lines[row] = lines[row].replace(",0.50,", ",0.90,", 1)
    path.write_text("".join(lines), encoding="utf-8")


@pytest.fixture
def changed(data_dir: Path) -> Path:
    _raise_97112(data_dir)
    return data_dir


def test_run_tool_and_langchain_tools_read_the_given_folder(changed: Path) -> None:
    shipped = run_tool("rate", RATE_ARGS)["rate"]
    copy = run_tool("rate", RATE_ARGS, changed)["rate"]
    assert Decimal(copy) > Decimal(shipped)
    tools = {t.name: t for t in langchain_tools(changed)}
    assert tools["rate"].invoke(RATE_ARGS)["rate"] == copy
    assert run_tool("rate", RATE_ARGS, changed)["source"].endswith(
        f"({changed / 'pfs_rvu_therapy_2026.csv'})"
    )


def test_default_folder_follows_the_environment_without_settings_per_call(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[int] = []

    class Counting(Settings):
        def __init__(self, **kwargs: Any) -> None:
            built.append(1)
            super().__init__(**kwargs)

    monkeypatch.setattr(assistant.config, "Settings", Counting)
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(data_dir))
    assert [resolve_data_dir(None) for _ in range(5)] == [data_dir] * 5
    assert len(built) <= 1
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(data_dir / "other"))
    assert resolve_data_dir(None) == data_dir / "other"
    assert resolve_data_dir(data_dir / "given") == data_dir / "given"


def test_chain_plan_runs_over_the_given_folder(changed: Path) -> None:
    question = "what does Medicare pay for 97112 in 2026?"
    plan = route(analyze(question, changed), changed)
    call = run_plan(plan, changed).calls[0]
    assert call.name == "rate" and call.result["rate"] == run_tool("rate", RATE_ARGS, changed)["rate"]

    thresholds = changed / "therapy_thresholds.csv"
    text = thresholds.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith(KX_ROW))
    thresholds.write_text(text.replace(row, row.replace(f",{row.split(',')[4]},", ",9999,", 1)))
    kx = run_plan(route(analyze(KX_QUESTION, changed), changed), changed).calls[0].result
    assert kx["kx_threshold"] == {"year": 2026, "amount": "9,999"}
    assert kx["data_source"] == str(thresholds)


@pytest.mark.integration
def test_assistant_answers_from_its_settings_data_dir(
    changed: Path, kb_index_dir: Path, embedder: Any, tmp_path: Path
) -> None:
    from assistant.service import Assistant

    expected = run_tool("rate", RATE_ARGS, changed)["rate"]
    shipped = run_tool("rate", RATE_ARGS)["rate"]
    settings = Settings(index_dir=kb_index_dir, data_dir=changed, log_dir=tmp_path / "logs")
    answer = Assistant.from_settings(settings, embedder=embedder).ask(
        "What does Medicare pay for 97112 in 2026?"
    )
    rate = next(c for c in answer.tool_calls if c.name == "rate")
    assert rate.result["rate"] == expected
    lead = answer.answer.splitlines()[0]  # the direct answer; quoted guidance below keeps its own figures
    assert f"${expected}" in lead and f"${shipped}" not in lead


def test_ui_forms_practice_and_the_llm_tools_read_the_given_folder(changed: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from langchain_core.messages import AIMessage

    from assistant.chain.llm import refine
    from tests.chain.fake_llm import ScriptedChatModel
    from ui.practice import grade, scenario
    from ui.tools_tab import run_form

    copy = Decimal(run_tool("rate", RATE_ARGS, changed)["rate"])
    assert f"**${copy}**" in run_form("rate", {"payer": "medicare", **RATE_ARGS}, changed)

    item = next(
        s for n in range(200) if (s := scenario(7, n)).tool == "rate" and s.args.get("code") == "97112"
    )
    total = run_tool("rate", item.args, changed)["total"]
    assert grade(item, str(total), changed).correct
    assert not grade(item, str(total), None).correct or total == run_tool("rate", item.args)["total"]

    call = {"name": "rate", "args": RATE_ARGS, "id": "c1"}
    model = ScriptedChatModel(replies=[AIMessage(content="", tool_calls=[call]), AIMessage(content="done")])
    with ThreadPoolExecutor(1) as pool:
        refine(model, "rate?", "draft", [], [], 10.0, pool, changed)
    tool_reply = model.seen[1][-1]
    assert f'"rate": "{copy}"' in str(tool_reply.content)
