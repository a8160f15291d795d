"""The Sources tab: knowledge-base documents, what the index holds, admin upload and re-ingest."""

from collections.abc import Callable
from pathlib import Path

import gradio as gr

from assistant.config import Settings
from ui.auth import Users
from ui.library import UPLOAD_SUFFIXES, document_rows, index_summary, reingest_as, upload_as

HEADERS = ["file", "doc id", "chunks", "last ingested"]


def table(settings: Settings) -> list[list[object]]:
    """The Sources table rows."""
    return [[r.file, r.doc_id, r.chunks, r.ingested_at] for r in document_rows(settings)]


def _refresh(settings: Settings) -> tuple[str, list[list[object]]]:
    return index_summary(settings), table(settings)


def build_sources_tab(settings: Settings, users: Users | None, reindex: Callable[[], str]) -> None:
    """The index table; when login is on, an admin-only upload and re-ingest panel."""
    summary = gr.Markdown(index_summary(settings), elem_id="index-summary")
    docs = gr.Dataframe(
        value=lambda: table(settings),
        headers=HEADERS,
        interactive=False,
        type="array",
        elem_id="sources-table",
    )
    refresh = gr.Button("Refresh")
    refresh.click(lambda: _refresh(settings), None, [summary, docs], api_visibility="private")
    if users is None:
        gr.Markdown("Uploading documents needs login (set `ASSISTANT_AUTH` or `ASSISTANT_USERS_FILE`).")
        return

    def upload(file: str | None, request: gr.Request) -> str:
        return upload_as(request.username, users, Path(file) if file else None, settings)

    def ingest_now(request: gr.Request) -> tuple[str, str, list[list[object]]]:
        return reingest_as(request.username, users, reindex), *_refresh(settings)

    with gr.Accordion("Admin: add a document", open=False):
        gr.Markdown(f"Accepted: {', '.join(UPLOAD_SUFFIXES)}; up to {settings.upload_max_mb:g} MB.")
        file = gr.File(label="Document", file_types=list(UPLOAD_SUFFIXES), type="filepath")
        with gr.Row():
            save = gr.Button("Upload", variant="primary")
            reingest = gr.Button("Re-ingest")
        result = gr.Markdown()
    save.click(upload, [file], [result], api_visibility="private")
    reingest.click(ingest_now, None, [result, summary, docs], api_visibility="private")
