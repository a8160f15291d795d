"""Lexical (BM25, via bm25s) index of the chunks, persisted beside the Chroma data in index_dir.

Layout: ``index_dir/bm25-<stamp>/`` holds one bm25s index plus ``ids.json`` (chunk id per row), and
``index_dir/bm25.json`` points at the current folder. A new index is written to a fresh folder and the
pointer is swapped with ``os.replace``, so a reader never sees half an index; its mtime tells readers
to reload.

Example:
    >>> idx = BM25Index.build(["a", "b"], ["modifier 59 with 97140", "KX threshold for 2025"])
    >>> [chunk_id for chunk_id, _ in idx.search("KX threshold", 1)]
    ['b']
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

POINTER_FILE = "bm25.json"
_DIR_PREFIX = "bm25-"
CONTENT_WORD_CHARS = 5  # shorter tokens are often abbreviations (ther, ex, pts, dx) or generic words
_TOKEN_RE = re.compile(r"[a-z0-9]+")
_STOPWORDS = frozenset((
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "can", "do", "does", "for", "from",
    "has", "have", "how", "i", "if", "in", "is", "it", "its", "my", "of", "on", "or", "our",
    "should", "so", "than", "that", "the", "their", "then", "there", "these", "this", "to", "was",
    "we", "were", "what", "when", "where", "which", "who", "why", "will", "with", "would", "you",
    "your",
))  # fmt: skip


def _stem(token: str) -> str:
    """A light plural fold (denials → denial, therapies → therapy) so biller phrasing matches headings."""
    if len(token) > 4 and token.endswith("ies"):
        return token[:-3] + "y"
    if len(token) > 3 and token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token


def tokenize(text: str) -> list[str]:
    """Lower-case word and number tokens (codes such as 97112, 59, kx survive), stop words dropped."""
    stems = (_stem(t) for t in _TOKEN_RE.findall(text.lower()) if t not in _STOPWORDS)
    return [t for t in stems if t not in _STOPWORDS]  # "whats" → "what" is a stop word too


class BM25Index:
    """A bm25s index plus the chunk id of each row."""

    def __init__(self, ids: list[str], model: Any | None):
        self.ids = ids
        self._model = model

    @classmethod
    def build(cls, ids: list[str], texts: list[str]) -> BM25Index:
        """Index ``texts`` (one per chunk id)."""
        if not ids:
            return cls([], None)
        import bm25s

        model = bm25s.BM25()
        model.index([tokenize(t) or [""] for t in texts], show_progress=False)
        return cls(list(ids), model)

    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        """Up to ``k`` (chunk id, score) pairs with a positive score, best first."""
        if self._model is None:
            return []
        token_ids = self._model.get_tokens_ids(tokenize(query))
        if not token_ids:
            return []
        scores = np.asarray(self._model.get_scores(token_ids))
        candidates = np.arange(len(scores))
        if 0 < k < len(scores):  # only the k best (and ties) are sorted: cheap at 100k chunks
            kth = np.partition(scores, len(scores) - k)[len(scores) - k]
            candidates = np.flatnonzero(scores >= kth)
        order = candidates[np.lexsort((candidates, -scores[candidates]))][:k]  # best first, ties by row
        return [(self.ids[i], float(scores[i])) for i in order if scores[i] > 0]

    def coverage(self, query: str) -> float:
        """Share of the query's content words (5+ characters) that occur in the index; 1.0 if it has none.

        Questions about things the guidance never mentions ("ICD-10 code for diabetes") score low even
        when the dense similarity is moderate.
        """
        words = [t for t in tokenize(query) if len(t) >= CONTENT_WORD_CHARS]
        if not words:
            return 1.0
        vocab = self._model.vocab_dict if self._model is not None else {}
        return sum(1 for w in words if w in vocab) / len(words)

    def save(self, index_dir: Path, extra: Callable[[Path], None] | None = None) -> None:
        """Write a new index folder, swap the pointer atomically, drop folders older than the previous one.

        ``extra`` writes more files into the new folder (the span vectors) before the pointer moves.
        """
        index_dir.mkdir(parents=True, exist_ok=True)
        name = f"{_DIR_PREFIX}{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:8]}"
        folder = index_dir / name
        folder.mkdir()
        if self._model is not None:
            self._model.save(str(folder))
        (folder / "ids.json").write_text(json.dumps(self.ids), encoding="utf-8")
        if extra is not None:
            extra(folder)
        pointer = index_dir / POINTER_FILE
        previous = _current_folder(index_dir)
        tmp = index_dir / f".{POINTER_FILE}.{uuid.uuid4().hex}.tmp"
        stamp = {"folder": name, "chunks": len(self.ids), "pid": os.getpid()}
        tmp.write_text(json.dumps(stamp), encoding="utf-8")
        os.replace(tmp, pointer)
        keep = {name, previous}
        for old in index_dir.glob(f"{_DIR_PREFIX}*"):
            if old.is_dir() and old.name not in keep:
                shutil.rmtree(old, ignore_errors=True)

    @classmethod
    def load(cls, index_dir: Path) -> BM25Index | None:
        """The current index, or None when none was written yet."""
        name = _current_folder(index_dir)
        if name is None:
            return None
        folder = index_dir / name
        ids = json.loads((folder / "ids.json").read_text(encoding="utf-8"))
        if not ids:
            return cls([], None)
        import bm25s

        return cls(ids, bm25s.BM25.load(str(folder)))


def current_folder(index_dir: Path) -> Path | None:
    """The folder the pointer names (BM25 files and span vectors), None when none was written yet."""
    name = _current_folder(index_dir)
    return index_dir / name if name is not None else None


def _current_folder(index_dir: Path) -> str | None:
    try:
        return str(json.loads((index_dir / POINTER_FILE).read_text(encoding="utf-8"))["folder"])
    except (OSError, ValueError, KeyError):
        return None


def written_by_this_process(index_dir: Path) -> bool:
    """Whether the current index was saved by this process (else another process changed the folder)."""
    try:
        return json.loads((index_dir / POINTER_FILE).read_text(encoding="utf-8")).get("pid") == os.getpid()
    except (OSError, ValueError, AttributeError):
        return False


def pointer_mtime(index_dir: Path) -> float | None:
    """Modification time of the pointer file (changes on every save), None when absent."""
    try:
        return (index_dir / POINTER_FILE).stat().st_mtime_ns / 1e9
    except OSError:
        return None


def remove(index_dir: Path) -> None:
    """Delete the pointer and every index folder (``ingest --reset``)."""
    (index_dir / POINTER_FILE).unlink(missing_ok=True)
    for old in index_dir.glob(f"{_DIR_PREFIX}*"):
        shutil.rmtree(old, ignore_errors=True)
