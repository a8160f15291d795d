"""Tools-tab forms, the working/citation markdown, and safe uploads — with the real tools."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.config import KNOWLEDGE_BASE, Settings
from assistant.errors import AssistantError, DocumentError
from ui.auth import Users
from ui.library import (
    document_rows,
    index_summary,
    make_reindexer,
    reingest_as,
    sanitize_filename,
    save_upload,
    upload_as,
)
from ui.render import citations_markdown, tool_markdown, units_table
from ui.tools_tab import modifier_args, parse_code_minutes, rate_args, run_form, units_args


def test_unit_calculator_form_runs_the_units_tool() -> None:
    args = units_args([["97112", 24], ["97110", 23.0], ["", None]], "cms")
    assert args == {"minutes": {"97112": 24, "97110": 23}, "method": "cms"}
    shown = run_form("units", args)
    assert "| 97112 | 24 | 2 |" in shown and "| 97110 | 23 | 1 |" in shown
    assert "**3 units**" in shown and "Pub. 100-04" in shown


def test_unit_form_errors_are_messages() -> None:
    with pytest.raises(AssistantError, match="whole number"):
        units_args([["97110", "lots"]], "cms")
    assert run_form("units", {"minutes": {"99999": 10}, "method": "cms"}).startswith("⚠ ")


def test_per_code_method_explained() -> None:
    args = units_args([["97110", 10], ["97140", 10], ["97032", 10]], "ama")
    shown = run_form("units", args)
    assert "per-code method" in shown and "| 97110 | 10 | 1 |" in shown


def test_modifier_form_args_and_result() -> None:
    args = modifier_args(
        "97140, 97530", "97140=20 97530=15", "separate 15-minute blocks", "PT", "none", "", None, None, ""
    )
    assert args == {
        "codes": ["97140", "97530"],
        "discipline": "PT",
        "minutes": {"97140": 20, "97530": 15},
        "same_block": False,
    }
    shown = run_form("modifiers", args)
    assert "59/X" in shown and "97530" in shown and "| GP |" not in shown.split("\n")[0]
    assisted = modifier_args("97110", "", "not stated", "PT", "PTA", "97110=20", 2600.0, 2026, "medicare")
    assert assisted["pta_minutes"] == {"97110": 20} and assisted["ytd_spend"] == "2600.0"
    assert "same_block" not in assisted and assisted["year"] == 2026


def test_rate_form_known_amounts() -> None:
    assert "**$32.73**" in run_form("rate", rate_args("medicare", "97112", 1, 2026, "", False))
    assert "**$33.36**" in run_form("rate", rate_args("medicare", "97112", 1, 2026, "Chicago, IL", False))
    assert "**$103.50**" in run_form("rate", rate_args("aetna", "97112", 3, 2025, " ", False))
    assert run_form("rate", rate_args("medicare", "ABC", 1, 2026, "", False)).startswith("⚠ ")


def test_parse_code_minutes() -> None:
    assert parse_code_minutes("97110=20, 97140: 8") == {"97110": 20, "97140": 8}
    assert parse_code_minutes("") == {}


def test_render_citations_and_tables() -> None:
    text = citations_markdown(
        [
            {"doc_id": "a", "title": "Doc A", "section": "S1", "snippet": "line one\nline two"},
            {"doc_id": "b", "title": "Doc B", "section": "", "snippet": "x " * 400},
        ]
    )
    assert text.startswith("**[1] Doc A** — S1") and "> line one\n> line two" in text
    assert "**[2] Doc B**" in text and text.endswith("…")
    table = units_table(
        {"minutes": {"97110": 33, "97140": 7}},
        {"method": "cms", "units_by_code": {"97110": 2, "97140": 1}},
    )
    assert "| 97110 | 33 | 2 | 2 full 15-min block(s), 3 leftover min did not earn a unit |" in table
    assert "| 97140 | 7 | 1 | 0 full 15-min block(s), +1 for its 7 leftover min |" in table
    pipes = tool_markdown(
        "modifiers", {}, {"findings": [{"codes": ["1"], "modifier": "59", "reason": "a|b"}]}
    )
    assert "a\\|b" in pipes


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd.md", "passwd.md"),
        ("..\\..\\windows\\notes.TXT", "notes.txt"),
        (".hidden.html", "hidden.html"),
        ("Payer notes (2026).PDF", "Payer-notes-2026.pdf"),
    ],
)
def test_sanitize_filename(name: str, safe: str) -> None:
    assert sanitize_filename(name) == safe


@pytest.mark.parametrize("name", ["run.sh", "noext", "....md", "/"])
def test_sanitize_rejects(name: str) -> None:
    with pytest.raises(DocumentError):
        sanitize_filename(name)


def test_save_upload_stays_in_the_kb_folder_and_respects_the_limit(tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    settings = Settings(guidance_dir=kb, index_dir=tmp_path / "index", upload_max_mb=0.001)
    small = tmp_path / "upload.md"
    small.write_text("# Note\n\nSmall.")
    saved = save_upload(small, "../../evil/../Note.md", settings)
    assert saved == (kb / "Note.md").resolve() and saved.read_text() == "# Note\n\nSmall."
    big = tmp_path / "big.md"
    big.write_text("x" * 5000)
    with pytest.raises(DocumentError, match="upload limit"):
        save_upload(big, "big.md", settings)
    assert not (kb / "big.md").exists()
    rows = document_rows(settings)
    assert [(r.file, r.ingested_at) for r in rows] == [("Note.md", "not ingested")]
    assert "empty" in index_summary(settings)


@pytest.mark.integration
def test_sources_rows_from_the_index(kb_index_dir: Path) -> None:
    settings = Settings(index_dir=kb_index_dir)
    rows = {r.doc_id: r for r in document_rows(settings)}
    assert rows["eight-minute-rule"].chunks > 0 and rows["eight-minute-rule"].ingested_at != "not ingested"
    summary = index_summary(settings)
    assert summary.startswith("Index: ") and f"{len(rows)} documents" in summary


@pytest.mark.integration
def test_admin_upload_then_reingest(tmp_path: Path, embedder: object) -> None:
    kb = tmp_path / "kb"
    kb.mkdir()
    shutil.copy(KNOWLEDGE_BASE / "guidance" / "eight-minute-rule.md", kb)
    settings = Settings(guidance_dir=kb, index_dir=tmp_path / "index")
    users = Users.from_auth_string("boss:pw,clerk:pw")
    upload = tmp_path / "Clinic policy.md"
    upload.write_text(
        "---\nid: clinic-policy\ntitle: Clinic policy\n---\n\n## Check-in\n\nPatients check in early.\n"
    )

    assert upload_as("clerk", users, upload, settings).startswith("Only an admin")
    assert not (kb / "Clinic-policy.md").exists()
    assert "Saved **Clinic-policy.md**" in upload_as("boss", users, upload, settings)

    reindex = make_reindexer(settings, embedder)
    assert reingest_as("clerk", users, reindex).startswith("Only an admin")
    assert reingest_as("boss", users, reindex).startswith("Re-ingested 2 documents")
    rows = {r.doc_id: r for r in document_rows(settings)}
    assert rows["clinic-policy"].chunks >= 1 and rows["eight-minute-rule"].chunks >= 1
