"""The Gradio app: Chat, Tools, Learn and Sources tabs over one Assistant, plus the ``/ask`` API.

``build_app`` only composes (the Assistant is built by the caller, once); ``serve`` builds everything
from Settings and launches on ``settings.host`` (127.0.0.1 unless told otherwise), with no share link
unless ``settings.share`` and with login when ``settings.auth`` / ``settings.users_file`` is set.

Example (scripts)::

    from gradio_client import Client
    Client("http://127.0.0.1:7860/").predict("24 min 97112 + 23 min 97110?", [], api_name="/ask")
"""

from collections.abc import Callable
from typing import Any

import gradio as gr

from assistant.config import Settings
from assistant.errors import AssistantError
from assistant.feedback import FeedbackStore
from ui.auth import Users, users_from_settings
from ui.chat import ChatController
from ui.chat_tab import build_chat_tab
from ui.learn import build_learn_tab
from ui.library import make_reindexer
from ui.sources import build_sources_tab
from ui.tools_tab import build_tools_tab

TITLE = "Therapy coding assistant"
INTRO = (
    f"# {TITLE}\n"
    "Answers on outpatient therapy codes (97112, 97110 …), modifiers, the CMS 8-minute rule and payer "
    "rates — with the working and the source. Check every claim against your payer's current policy; "
    "do not type patient names or ids."
)
CSS = "#chatbot table { font-size: 0.9em; } #practice-prompt { min-height: 4em; }"


def build_app(
    assistant: Any,
    settings: Settings,
    users: Users | None = None,
    reindex: Callable[[], str] | None = None,
    feedback: FeedbackStore | None = None,
) -> gr.Blocks:
    """Compose the four tabs and the ``/ask`` endpoint around an already-built Assistant."""
    controller = ChatController(assistant, settings, feedback or FeedbackStore(settings.feedback_db))

    def no_reindex() -> str:
        return "Re-ingest is not available in this app."

    def ask(question: str, history: list[dict[str, str]] | None = None) -> dict[str, Any]:
        """Answer one question (with optional earlier messages) and return the Answer JSON."""
        problem = controller.too_long_message(question or "")
        if problem is not None:
            raise gr.Error(problem)
        try:
            return assistant.ask(question, history=history or None).model_dump(mode="json")  # type: ignore[no-any-return,unused-ignore]
        except AssistantError as err:
            raise gr.Error(str(err)) from err

    with gr.Blocks(title=TITLE, analytics_enabled=False) as demo:
        gr.Markdown(INTRO)
        with gr.Tabs():
            with gr.Tab("Chat", id="chat"):
                build_chat_tab(controller)
            with gr.Tab("Tools", id="tools"):
                build_tools_tab(settings)
            with gr.Tab("Learn", id="learn"):
                build_learn_tab(settings)
            with gr.Tab("Sources", id="sources"):
                build_sources_tab(settings, users, reindex or no_reindex)
        gr.api(ask, api_name="ask")
    return demo


def serve(settings: Settings) -> None:
    """Build the Assistant once (model loaded, index opened) and run the app until stopped."""
    from assistant.retrieval.embeddings import Embedder
    from assistant.service import Assistant

    users = users_from_settings(settings)
    feedback = FeedbackStore(settings.feedback_db)  # an unusable database stops startup with a clear message
    embedder = Embedder.from_settings(settings)
    assistant = Assistant.from_settings(settings, embedder=embedder)
    assistant.retriever.check()  # the index opens now, or IndexMissingError says what to run
    embedder.embed_query("8-minute rule")  # the model loads once, before the first question
    reindex = make_reindexer(settings, embedder)
    demo = build_app(assistant, settings, users=users, reindex=reindex, feedback=feedback)
    demo.queue(default_concurrency_limit=4)
    demo.launch(
        server_name=settings.host,
        server_port=settings.port,
        share=settings.share,
        auth=users.check if users else None,
        auth_message="Sign in to the coding assistant." if users else None,
        max_file_size=int(settings.upload_max_mb * 1024 * 1024),
        css=CSS,
        footer_links=["api"],
        run_history=False,
        quiet=False,
    )
