"""The Learn tab: short lessons from the knowledge base and practice scenarios graded by the tools."""

import random
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.config import Settings
from assistant.errors import AssistantError
from ui.lessons import load_lessons
from ui.practice import PracticeSession, Scenario, grade_markdown


def _scenario_view(session: PracticeSession) -> tuple[Any, ...]:
    """Prompt, answer widgets (text or choices, whichever fits), cleared verdict, score."""
    item: Scenario = session.current()
    is_choice = bool(item.choices)
    header = f"**Scenario {session.number + 1}** ({item.kind}) — seed {session.seed}\n\n{item.prompt}"
    return (
        session,
        header,
        gr.update(visible=not is_choice, value=""),
        gr.update(visible=is_choice, choices=list(item.choices), value=None),
        "",
        session.score(),
    )


def start(seed: float | None, data_dir: Path | None = None) -> tuple[Any, ...]:
    """A new practice session (a random seed when none is given), graded over ``data_dir``'s tables."""
    chosen = int(seed) if seed else random.randint(1, 99_999)
    return _scenario_view(PracticeSession(seed=chosen, data_dir=data_dir))


def submit(
    session: PracticeSession | None, text: str, choice: str | None
) -> tuple[PracticeSession | None, str, str]:
    """Grade the answer: verdict with explanation and source, and the running score."""
    if session is None:
        return session, "Press **Start practice** first.", ""
    answer = choice if session.current().choices else text
    if not (answer or "").strip():
        return session, "Type or choose an answer first.", session.score()
    try:
        result = session.answer(answer or "")
    except AssistantError as err:
        return session, f"⚠ {err}", session.score()
    return session, grade_markdown(result), session.score()


def next_scenario(session: PracticeSession | None) -> tuple[Any, ...]:
    if session is None:
        return start(None)  # no session to take a data folder from: the configured one
    session.next()
    return _scenario_view(session)


def build_learn_tab(settings: Settings) -> None:
    """Lessons (one accordion each) above the practice area."""
    gr.Markdown("## Lessons\nShort lessons taken from the knowledge-base documents; each names its source.")
    for lesson in load_lessons(settings.guidance_dir):
        with gr.Accordion(lesson.title, open=False):
            gr.Markdown(lesson.markdown)

    gr.Markdown("## Practice\nScenarios come from a seed: the same seed replays the same scenarios.")
    session = gr.State(None)
    with gr.Row():
        seed = gr.Number(label="Seed (empty: random)", value=None, precision=0, elem_id="practice-seed")
        begin = gr.Button("Start practice", variant="primary", elem_id="practice-start")
        score = gr.Markdown(elem_id="practice-score")
    prompt = gr.Markdown(elem_id="practice-prompt")
    text = gr.Textbox(label="Your answer", elem_id="practice-answer", visible=False)
    choice = gr.Radio([], label="Your answer", elem_id="practice-choice", visible=False)
    with gr.Row():
        check = gr.Button("Check answer", elem_id="practice-check")
        again = gr.Button("Next scenario", elem_id="practice-next")
    verdict = gr.Markdown(elem_id="practice-verdict")

    view = [session, prompt, text, choice, verdict, score]
    begin.click(lambda value: start(value, settings.data_dir), [seed], view, api_visibility="private")
    again.click(next_scenario, [session], view, api_visibility="private")
    check.click(submit, [session, text, choice], [session, verdict, score], api_visibility="private")
    text.submit(submit, [session, text, choice], [session, verdict, score], api_visibility="private")
