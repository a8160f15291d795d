"""Any ingested folder works: a made-up guidance page is the only source of its answers."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.config import Settings
from assistant.ingest.pipeline import ingest
from assistant.service import Assistant

pytestmark = pytest.mark.integration

PAGE = """---
id: lakeside-aquatic-cosign
title: "Lakeside Clinic: co-signing aquatic therapy notes"
topic: clinic policy
codes: ["97113"]
effective_year: 2026
sources:
  - "Lakeside Clinic internal policy memo (made up for tests)"
confidence: High
---

# Lakeside Clinic: co-signing aquatic therapy notes

## Who co-signs a Tuesday aquatic therapy note?

At the Lakeside Clinic every aquatic therapy session held on a Tuesday needs a supervisor co-signature
on form AQ-7 within 48 hours of the session. The pool coordinator, Dana Okafor, keeps the blank AQ-7 forms.

## What happens when the co-signature is late?

A late AQ-7 co-signature moves the claim to the Friday review queue, and the note is locked until the
clinic manager releases it.
"""


@pytest.fixture(scope="module")
def folder_bot(tmp_path_factory: pytest.TempPathFactory, embedder: Any) -> Assistant:
    root = tmp_path_factory.mktemp("any-folder")
    docs = root / "docs"
    docs.mkdir()
    (docs / "lakeside-aquatic.md").write_text(PAGE, encoding="utf-8")
    settings = Settings(index_dir=root / "index", log_dir=root / "logs")
    summary = ingest([docs], settings, embedder=embedder)
    assert summary.chunks >= 2
    return Assistant.from_settings(settings, embedder=embedder)


def test_answers_only_that_page_can_give(folder_bot: Assistant) -> None:
    answer = folder_bot.ask("Which form does a Tuesday aquatic therapy session need co-signed?")
    assert not answer.abstained and "AQ-7" in answer.answer and "48 hours" in answer.answer
    assert answer.citations[0].doc_id == "lakeside-aquatic-cosign"


def test_second_section(folder_bot: Assistant) -> None:
    answer = folder_bot.ask("What happens if the AQ-7 co-signature is late?")
    assert "Friday review queue" in answer.answer
    assert answer.citations[0].section.startswith("What happens when the co-signature is late")


def test_topics_and_abstention_follow_the_folder(folder_bot: Assistant) -> None:
    assert folder_bot.topics() == ["clinic policy"]
    answer = folder_bot.ask("What is the capital of France?")
    assert answer.abstained and "clinic policy" in answer.answer


def test_tools_still_work_over_any_folder(folder_bot: Assistant) -> None:
    answer = folder_bot.ask("97110=33 97140=7 how many units?")
    assert "2 units of 97110" in answer.answer and answer.tool_calls[0].result["total_units"] == 3
