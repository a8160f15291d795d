"""Short onboarding lessons drawn from the knowledge-base documents (no hand-written billing facts).

Each lesson names knowledge-base documents (by their front-matter ``id``) and shows the opening block of
their first sections, each document's title given as the source.

Example:
    >>> from assistant.config import Settings
    >>> lessons = load_lessons(Settings().guidance_dir)
    >>> lessons[0].title
    'The 8-minute rule'
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# (lesson title, knowledge-base doc ids): the onboarding order.
LESSON_PLAN: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("The 8-minute rule", ("eight-minute-rule", "per-code-ama-method", "timed-vs-untimed-codes")),
    ("97112 vs 97110", ("cpt-97112-vs-97110", "choosing-97530-97110-97112-97150")),
    (
        "Modifiers",
        (
            "therapy-modifiers-gp-go-gn",
            "modifier-59-x-modifiers",
            "kx-modifier-therapy-threshold",
            "cq-co-assistant-modifiers",
        ),
    ),
    ("Documentation", ("cpt-97112-documentation", "cpt-97112-sample-soap-note")),
    ("Denials and audits", ("cpt-97112-denials-and-audits",)),
    ("Rates", ("cpt-97112-payer-rates-2025", "medicare-payment-formula", "mppr-therapy")),
)
_MAX_PARAGRAPH_CHARS = 700
_MAX_SECTIONS = 4  # per document: lessons stay short


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
    """A lesson: a title, its markdown text and the documents it comes from."""

    title: str
    doc_ids: tuple[str, ...]
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


def lesson_from(title: str, docs: list[KbDocument]) -> Lesson:
    """Build a lesson from the opening block of the first sections of each document."""
    parts = [f"### {title}"]
    for doc in docs:
        parts.append(f"#### {doc.title}")
        for heading, body in doc.sections[:_MAX_SECTIONS]:
            parts.append(f"**{heading}**\n\n{_first_paragraph(body)}")
    sources = "; ".join(f"{d.title} (`{d.doc_id}`)" for d in docs)
    parts.append(f"Source: {sources}")
    return Lesson(title=title, doc_ids=tuple(d.doc_id for d in docs), markdown="\n\n".join(parts))


def load_lessons(folder: Path) -> list[Lesson]:
    """The lessons of LESSON_PLAN from the documents present in ``folder`` (a lesson with none is skipped)."""
    docs = {d.doc_id: d for d in read_documents(folder)}
    lessons = []
    for title, doc_ids in LESSON_PLAN:
        present = [docs[i] for i in doc_ids if i in docs]
        if present:
            lessons.append(lesson_from(title, present))
    return lessons
