"""One typed settings object for the whole assistant (env prefix ``ASSISTANT_``).

Example:
    >>> from assistant import Settings
    >>> s = Settings(index_dir="/tmp/idx", top_k=3)
    >>> s.top_k
    3
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE_BASE = REPO_ROOT / "knowledge_base"
MODEL_CACHE = REPO_ROOT / ".cache" / "models"  # the ONNX graph exported from the embedding model


class Settings(BaseSettings):
    """Every knob of the assistant. Each field reads ``ASSISTANT_<NAME>`` from the environment."""

    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", extra="ignore")

    # --- index and storage -------------------------------------------------
    index_dir: Path = Field(
        default=REPO_ROOT / ".index",
        description="Folder holding the embedded Chroma database and the BM25 index.",
    )
    chroma_url: str | None = Field(
        default=None,
        description="URL of a Chroma server (e.g. http://127.0.0.1:8000). "
        "Unset: embedded Chroma in index_dir.",
    )
    chroma_timeout_s: float = Field(
        default=5.0, description="Seconds to wait for a Chroma server before reporting it unreachable."
    )
    collection: str = Field(default="guidance", description="Chroma collection name.")
    guidance_dir: Path = Field(
        default=KNOWLEDGE_BASE / "guidance",
        description="Default folder that `ingest` reads when no path is given.",
    )
    data_dir: Path = Field(
        default=KNOWLEDGE_BASE / "data",
        description="Folder of the tools' CSV tables (rates, RVU, GPCI, NCCI pairs, thresholds).",
    )

    # --- embeddings ----------------------------------------------------------
    embedding_model: str = Field(
        default="",
        description="Path of a sentence-transformers model. Empty: the bundled all-MiniLM-L6-v2.",
    )
    embedding_backend: Literal["onnx", "torch"] = Field(
        default="onnx",
        description="onnx: ONNX Runtime over a graph exported once from the model's weights (fast start, "
        "no torch when answering); torch: sentence-transformers.",
    )
    model_cache_dir: Path = Field(
        default=MODEL_CACHE,
        description="Where the ONNX graph exported from the embedding model is kept.",
    )
    embedding_batch_size: int = Field(
        default=16,
        ge=1,
        description="Texts embedded per batch at ingest (16: fastest here, peak ~0.6 GB; 64: ~1.4 GB).",
    )
    embedding_cache_size: int = Field(
        default=1024, ge=0, description="Question embeddings kept in memory (LRU); 0 disables the cache."
    )

    # --- chunking ------------------------------------------------------------
    chunk_size: int = Field(default=900, ge=100, description="Maximum characters per chunk.")
    chunk_overlap: int = Field(default=120, ge=0, description="Characters shared by neighbouring chunks.")

    # --- retrieval -----------------------------------------------------------
    top_k: int = Field(default=5, ge=1, description="Passages returned to the composer.")
    dense_k: int = Field(default=20, ge=1, description="Candidates taken from the dense (Chroma) search.")
    bm25_k: int = Field(default=20, ge=1, description="Candidates taken from the BM25 search.")
    rrf_k: int = Field(default=60, ge=1, description="Reciprocal-rank-fusion constant.")
    code_boost: float = Field(
        default=0.02,
        ge=0,
        description="Score added to a chunk whose metadata lists a code/modifier asked about.",
    )
    relevance_floor: float = Field(
        default=0.30,
        ge=-1.0,
        le=1.0,
        description="Best dense cosine similarity below which retrieval counts as 'nothing found'.",
    )
    relevance_min_coverage: float = Field(
        default=0.4,
        ge=0.0,
        le=1.0,
        description="Share of the question's content words (5+ characters, codes included) that must occur "
        "in the index for retrieval to count as found (keeps 'ICD-10 code for diabetes' out).",
    )

    # --- chain ---------------------------------------------------------------
    max_question_chars: int = Field(
        default=4000, ge=10, description="Longest question accepted; longer input gets a friendly message."
    )
    llm: str | None = Field(
        default=None,
        description="Optional LangChain chat model as provider:model "
        "(e.g. openai:gpt-4o-mini, ollama:llama3). Unset: the grounded composer answers alone.",
    )
    llm_timeout_s: float = Field(default=30.0, gt=0, description="Seconds before an LLM call falls back.")

    # --- logs and feedback ---------------------------------------------------
    log_dir: Path | None = Field(
        default=REPO_ROOT / ".logs",
        description="Folder of the audit log (audit.jsonl, identifiers redacted). Unset/empty: no audit log.",
    )
    feedback_db: Path = Field(
        default=REPO_ROOT / ".logs" / "feedback.sqlite3",
        description="SQLite file storing thumbs up/down and corrections (identifiers redacted).",
    )

    # --- UI ------------------------------------------------------------------
    host: str = Field(default="127.0.0.1", description="Address the chat UI binds to.")
    port: int = Field(default=7860, description="Port of the chat UI.")
    share: bool = Field(default=False, description="Create a public Gradio share link (off by default).")
    auth: str | None = Field(
        default=None, description="Login as user:password[,user2:password2]; the first user is admin."
    )
    users_file: Path | None = Field(
        default=None,
        description="JSON file of users with hashed passwords and roles (see README); enables login.",
    )
    upload_max_mb: float = Field(default=5.0, gt=0, description="Largest document an admin may upload.")

    @field_validator("log_dir", "users_file", "chroma_url", "llm", "auth", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        """An empty environment variable means "not set" (e.g. ASSISTANT_LOG_DIR= turns the audit log off)."""
        return None if isinstance(value, str) and not value.strip() else value
