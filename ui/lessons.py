"""Short onboarding lessons drawn from the knowledge-base documents (no hand-written billing facts).

Each lesson names a knowledge-base document (by its front-matter ``id``) and shows the opening paragraph of
each of its sections, with the document title as the source.

Example:
    >>> from assistant.config import Settings
    >>> lessons = load_lessons(Settings().guidance_dir)
    >>> lessons[0].title
    'The 8-minute rule'
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# (lesson title, knowledge-base doc id): the onboarding order.
LESSON_PLAN: tuple[tuple[str, str], ...] = (
    ("The 8-minute rule", "eight-minute-rule"),
    ("97112 vs 97110", "cpt-97112-vs-97110"),
    ("Modifiers", "cpt-97112-modifiers"),
    ("Documentation", "cpt-97112-documentation"),
    ("Denials and audits", "cpt-97112-denials-and-audits"),
    ("Rates", "cpt-97112-payer-rates-2025"),
)
_MAX_PARAGRAPH_CHARS = 700


@dataclass(frozen=True)
class KbDocument:
    """One knowledge-base markdown file: its front matter and its ``##`` sections."""

    doc_id: str
    title: str
    topic: str
    path: Path
    sections: tuple[tuple[str, str], ...]  # (heading, body markdown)


@dataclass(frozen=True)
class Lesson:
    """A lesson: a title, its markdown text and the document it comes from."""

    title: str
    doc_id: str
    source_title: str
    markdown: str


def read_document(path: Path) -> KbDocument:
    """Parse one markdown document of the knowledge base (front matter via the ingest loader)."""
    from assistant.ingest.loaders import load_document

    loaded = load_document(path)
    sections: list[tuple[str, str]] = []
    heading = ""
    lines: list[str] = []
    for line in loaded.body.splitlines():
        if line.startswith("## "):
            if heading:
                sections.append((heading, "\n".join(lines).strip()))
            heading, lines = line[3:].strip(), []
        elif heading:
            lines.append(line)
    if heading:
        sections.append((heading, "\n".join(lines).strip()))
    return KbDocument(
        doc_id=loaded.doc_id,
        title=loaded.title,
        topic=str(loaded.metadata.get("topic", "")),
        path=path,
        sections=tuple(sections),
    )


def read_documents(folder: Path) -> list[KbDocument]:
    """Every markdown document in ``folder``, sorted by file name."""
    return [read_document(p) for p in sorted(Path(folder).glob("*.md"))]


def _first_paragraph(body: str) -> str:
    """The opening block of a section; a block ending in ':' keeps the table or list it introduces."""
    blocks = [b.strip() for b in body.strip().split("\n\n") if b.strip()]
    if not blocks:
        return ""
    text = blocks[0]
    if text.endswith(":") and len(blocks) > 1:
        text = f"{text}\n\n{blocks[1]}"
    if len(text) <= _MAX_PARAGRAPH_CHARS or "|" in text or "\n- " in text:
        return text
    cut = text[:_MAX_PARAGRAPH_CHARS]
    return cut[: cut.rfind(". ") + 1] or cut + "…"


def lesson_from(title: str, doc: KbDocument) -> Lesson:
    """Build a lesson from the opening block of each section of ``doc``."""
    parts = [f"### {title}", f"*From: {doc.title}*"]
    for heading, body in doc.sections:
        parts.append(f"**{heading}**\n\n{_first_paragraph(body)}")
    parts.append(f"Source: {doc.title} (`{doc.doc_id}`)")
    return Lesson(title=title, doc_id=doc.doc_id, source_title=doc.title, markdown="\n\n".join(parts))


def load_lessons(folder: Path) -> list[Lesson]:
    """The lessons of LESSON_PLAN whose documents exist in ``folder`` (missing ones are skipped)."""
    docs = {d.doc_id: d for d in read_documents(folder)}
    return [lesson_from(title, docs[doc_id]) for title, doc_id in LESSON_PLAN if doc_id in docs]
