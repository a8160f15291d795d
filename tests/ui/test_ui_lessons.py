"""Lessons come from the knowledge-base documents, in the onboarding order, each naming its sources."""

from __future__ import annotations

import shutil
from pathlib import Path

from assistant.config import KNOWLEDGE_BASE
from ui.lessons import LESSON_PLAN, load_lessons, read_document

GUIDANCE = KNOWLEDGE_BASE / "guidance"


def test_every_planned_document_is_shipped() -> None:
    shipped = {read_document(p).doc_id for p in GUIDANCE.glob("*.md")}
    planned = {doc_id for _, doc_ids in LESSON_PLAN for doc_id in doc_ids}
    assert planned <= shipped


def test_lessons_quote_the_documents_and_name_them() -> None:
    lessons = load_lessons(GUIDANCE)
    assert [lesson.title for lesson in lessons] == [title for title, _ in LESSON_PLAN]
    eight = lessons[0]
    doc = read_document(GUIDANCE / "eight-minute-rule.md")
    assert doc.sections[0][0] in eight.markdown  # a section heading of the document
    assert "| 8–22 | 1 |" in eight.markdown  # its table, verbatim from the document
    for lesson in lessons:
        assert lesson.markdown.startswith(f"### {lesson.title}")
        assert all(f"(`{doc_id}`)" in lesson.markdown.split("Source: ")[-1] for doc_id in lesson.doc_ids)


def test_lessons_use_only_documents_present(tmp_path: Path) -> None:
    shutil.copy(GUIDANCE / "mppr-therapy.md", tmp_path)
    (lesson,) = load_lessons(tmp_path)
    assert lesson.title == "Rates" and lesson.doc_ids == ("mppr-therapy",)
