"""Split a loaded document into heading-aware chunks with content-hash ids and metadata.

Markdown headings split the text first (``MarkdownHeaderTextSplitter``), so each chunk knows its section
path ("Modifiers > When is 59 allowed?"); long sections are then cut by ``RecursiveCharacterTextSplitter``.
The stored text stays clean for snippets; the embedded text is prefixed with "title > section" so a
chunk's headings help the dense search find it.

Example:
    >>> doc = load_document(Path("guide.md"))                            # doctest: +SKIP
    >>> chunks = chunk_document(doc, chunk_size=900, chunk_overlap=120)  # doctest: +SKIP
    >>> chunks[0].metadata["section"], chunks[0].metadata["codes"]       # doctest: +SKIP
    ('When is GP required?', '97112,GP')
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from assistant.ingest.loaders import LoadedDocument
from assistant.retrieval.codes import extract_codes, join_codes, normalize_codes
from assistant.retrieval.embeddings import embedding_text

_TRAILING_SPACE_RE = re.compile(r"[ \t]+\n")  # the header splitter joins lines with "  \n"
_HEADERS = [("#", "h1"), ("##", "h2"), ("###", "h3"), ("####", "h4"), ("#####", "h5"), ("######", "h6")]


@dataclass(frozen=True)
class Chunk:
    """One indexable piece of a document."""

    id: str
    text: str  # stored in Chroma and shown as the snippet
    embed_text: str  # what the embedding model sees: "title > section" + text
    metadata: dict[str, Any]


def _sections(doc: LoadedDocument) -> list[tuple[str, str]]:
    """(section path, text) pieces in document order."""
    if not doc.markdown:
        return [("", doc.body)]
    from langchain_text_splitters import MarkdownHeaderTextSplitter

    splitter = MarkdownHeaderTextSplitter(headers_to_split_on=_HEADERS, strip_headers=True)
    out: list[tuple[str, str]] = []
    for piece in splitter.split_text(doc.body):
        headings = [str(piece.metadata[key]) for _, key in _HEADERS if key in piece.metadata]
        if headings and headings[0] == doc.title:
            headings = headings[1:]  # the document title is not a section
        out.append((" > ".join(headings), _TRAILING_SPACE_RE.sub("\n", piece.page_content)))
    return out


def _chunk_id(doc_id: str, section: str, text: str, metadata: dict[str, Any]) -> str:
    payload = json.dumps([doc_id, section, text, metadata], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


def chunk_document(doc: LoadedDocument, chunk_size: int, chunk_overlap: int) -> list[Chunk]:
    """Chunks of ``doc``; identical (section, text) pieces appear once."""
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(
        chunk_size=chunk_size, chunk_overlap=min(chunk_overlap, chunk_size // 2)
    )
    doc_codes = normalize_codes(doc.metadata.get("codes", []))
    chunks: dict[str, Chunk] = {}
    for section, section_text in _sections(doc):
        for text in splitter.split_text(section_text):
            text = text.strip()
            if not text:
                continue
            metadata: dict[str, Any] = {
                "doc_id": doc.doc_id,
                "title": doc.title,
                "section": section,
                "source": doc.metadata["source"],
                "codes": join_codes(extract_codes(f"{section}\n{text}") + doc_codes),
                "topic": doc.metadata["topic"],
                "effective_year": doc.metadata["effective_year"],
                "path": str(doc.path),
                "content_hash": hashlib.sha256(text.encode("utf-8")).hexdigest(),
            }
            chunk_id = _chunk_id(doc.doc_id, section, text, metadata)
            if chunk_id not in chunks:
                metadata["chunk_index"] = len(chunks)
                chunks[chunk_id] = Chunk(chunk_id, text, embedding_text(doc.title, section, text), metadata)
    return list(chunks.values())
