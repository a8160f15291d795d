"""Layout of the Chat tab (Gradio components wired to ``ChatController``)."""

import gradio as gr

from ui.chat import EXAMPLE_QUESTIONS, ChatController, Turn


def build_chat_tab(controller: ChatController) -> None:
    """Chatbot, question box, examples, clear, and the feedback/correction controls."""
    turns = gr.State([])
    rated_row = gr.State(0)
    chatbot = gr.Chatbot(
        label="Coding assistant",
        elem_id="chatbot",
        height=640,
        buttons=["copy"],
        placeholder="Ask about units (8-minute rule), modifiers, rates, documentation or denials.",
    )
    with gr.Row():
        question = gr.Textbox(
            show_label=False,
            placeholder="e.g. 24 min neuro re-ed and 23 ther ex, Medicare — how do I bill?",
            elem_id="question",
            scale=8,
            lines=1,
        )
        ask = gr.Button("Ask", variant="primary", elem_id="ask", scale=1)
        clear = gr.Button("Clear", elem_id="clear", scale=1)
    gr.Examples([[q] for q in EXAMPLE_QUESTIONS], inputs=[question], label="Example questions")
    status = gr.Markdown(elem_id="feedback-status")
    with gr.Accordion("Correct an answer (after a thumbs-down)", open=False, elem_id="correction-panel"):
        correction = gr.Textbox(
            label="What should the answer have said? (no patient names or ids)", lines=2, elem_id="correction"
        )
        save = gr.Button("Save correction", elem_id="save-correction")

    def on_like(turns_now: list[Turn], data: gr.LikeData) -> tuple[int, str]:
        return controller.rate(data.index, data.liked, turns_now)

    for trigger in (ask.click, question.submit):
        trigger(
            controller.respond,
            [question, chatbot, turns],
            [chatbot, turns, question],
            api_visibility="private",
        )
    clear.click(
        lambda: ([], [], 0, "", ""),
        None,
        [chatbot, turns, rated_row, status, question],
        api_visibility="private",
    )
    chatbot.clear(lambda: ([], 0, ""), None, [turns, rated_row, status], api_visibility="private")
    chatbot.like(on_like, [turns], [rated_row, status], api_visibility="private")
    save.click(controller.correct, [correction, rated_row], [status], api_visibility="private")
