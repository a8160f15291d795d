"""Read one guidance file (.md, .txt, .html, .pdf) into a ``LoadedDocument`` with markdown-style headings.

Every failure a user can cause (empty, corrupt, undecodable, too large, broken front matter) raises
``DocumentError`` with the reason; the pipeline reports it and carries on with the other files.

Example:
    >>> doc = load_document(Path("knowledge_base/guidance/kx-modifier.md"))   # doctest: +SKIP
    >>> doc.doc_id, doc.title, doc.metadata["topic"]                             # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from assistant.errors import DocumentError
from assistant.ingest.html_text import html_to_markdown

SUPPORTED_SUFFIXES = frozenset({".md", ".markdown", ".txt", ".html", ".htm", ".pdf"})
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
_FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_HEADING_RE = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)


@dataclass(frozen=True)
class LoadedDocument:
    """A document's text and document-level metadata, ready for chunking."""

    path: Path
    doc_id: str
    title: str
    body: str  # markdown headings ("## Section") where the format has them
    markdown: bool  # False: plain text, no heading structure to split on
    file_hash: str  # sha256 of the file's bytes
    metadata: dict[str, Any] = field(default_factory=dict)  # topic, effective_year, source, codes


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n / 1e3:.1f} kB"


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise DocumentError(f"{path.name}: {_size(size)} is over the {_size(max_bytes)} limit")
        data = path.read_bytes()
    except OSError as err:
        raise DocumentError(f"{path.name}: cannot be read ({err.strerror or err})") from err
    if not data.strip():
        raise DocumentError(f"{path.name}: the file is empty")
    return data


def _decode(path: Path, data: bytes) -> str:
    if b"\x00" in data:
        raise DocumentError(f"{path.name}: looks like a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise DocumentError(f"{path.name}: not valid UTF-8 text (byte {err.start})") from err


def _pretty_stem(path: Path) -> str:
    return re.sub(r"[-_]+", " ", path.stem).strip().capitalize() or path.name


def split_front_matter(path: Path, text: str) -> tuple[dict[str, Any], str]:
    """YAML front matter (between ``---`` lines at the top) and the remaining body."""
    if not re.match(r"\A---[ \t]*\r?\n", text):
        return {}, text
    match = _FRONT_MATTER_RE.match(text)
    if match is None:
        raise DocumentError(f"{path.name}: front matter starts with '---' but is never closed")
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as err:
        raise DocumentError(
            f"{path.name}: front matter is not valid YAML ({err.__class__.__name__})"
        ) from err
    if not isinstance(meta, dict):
        raise DocumentError(f"{path.name}: front matter must be a mapping of keys to values")
    return meta, text[match.end() :]


def _listed(value: Any) -> list[Any]:
    """A front-matter value as a list: lists (and mappings' keys) as they are, one value as one item."""
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple | set | dict) else [value]


def _doc_metadata(meta: dict[str, Any], path: Path) -> dict[str, Any]:
    codes = _listed(meta.get("codes") or None)
    sources = _listed(meta.get("sources") or meta.get("source") or None)
    return {
        "topic": str(meta.get("topic") or ""),
        "effective_year": int(meta["effective_year"]) if str(meta.get("effective_year", "")).isdigit() else 0,
        "source": "; ".join(str(s) for s in sources) or path.name,
        "codes": codes,
    }


def _load_markdown(path: Path, data: bytes) -> tuple[dict[str, Any], str, str | None]:
    meta, body = split_front_matter(path, _decode(path, data))
    heading = _HEADING_RE.search(body)
    return meta, body, meta.get("title") or (heading.group(1) if heading else None)


def _load_text(path: Path, data: bytes) -> tuple[dict[str, Any], str, str | None]:
    body = _decode(path, data)
    first = next((line.strip() for line in body.splitlines() if line.strip()), "")
    return {}, body, first if 0 < len(first) <= 120 else None


def _load_html(path: Path, data: bytes) -> tuple[dict[str, Any], str, str | None]:
    if b"\x00" in data:
        raise DocumentError(f"{path.name}: looks like a binary file, not HTML")
    title, body = html_to_markdown(data)
    heading = _HEADING_RE.search(body)
    return {}, body, title or (heading.group(1) if heading else None)


def _load_pdf(path: Path, data: bytes) -> tuple[dict[str, Any], str, str | None]:
    import io

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentError(f"{path.name}: the PDF is password-protected")
        pages = [(page.extract_text() or "").strip() for page in reader.pages]
        info_title = reader.metadata.get("/Title") if reader.metadata else None
    except DocumentError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as err:
        raise DocumentError(f"{path.name}: not a readable PDF ({err.__class__.__name__})") from err
    body = "\n\n".join(f"## Page {n}\n\n{text}" for n, text in enumerate(pages, 1) if text)
    first = next((line.strip() for text in pages for line in text.splitlines() if line.strip()), "")
    title = str(info_title).strip() if info_title else (first if 0 < len(first) <= 120 else None)
    return {}, body, title


_LOADERS = {
    ".md": (_load_markdown, True),
    ".markdown": (_load_markdown, True),
    ".txt": (_load_text, False),
    ".html": (_load_html, True),
    ".htm": (_load_html, True),
    ".pdf": (_load_pdf, True),
}


def load_document(path: Path, max_bytes: int = MAX_DOCUMENT_BYTES) -> LoadedDocument:
    """Load ``path``; raise DocumentError (with the reason) for anything that cannot be indexed."""
    entry = _LOADERS.get(path.suffix.lower())
    if entry is None:
        raise DocumentError(f"{path.name}: unsupported file type (use .md, .txt, .html or .pdf)")
    loader, markdown = entry
    data = _read_bytes(path, max_bytes)
    meta, body, title = loader(path, data)
    if not _HEADING_RE.sub("", body).strip():
        raise DocumentError(f"{path.name}: no text to index")
    return LoadedDocument(
        path=path,
        doc_id=str(meta.get("id") or path.stem),
        title=str(title or _pretty_stem(path)).strip(),
        body=body,
        markdown=markdown,
        file_hash=hashlib.sha256(data).hexdigest(),
        metadata=_doc_metadata(meta, path),
    )
