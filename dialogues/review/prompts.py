"""What to say next, as plain data that any front end can render: text, options, kind, progress."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dialogues.review import flow, letter
from dialogues.review.content import Question, Questionnaire
from dialogues.review.inputs import Choice
from dialogues.review.stored import answer_values
from dialogues.review.summary import format_number, render_recap, summarize

# Prompt kinds: "single" (one option), "multi" (several), "number", "text", "date" (typed),
# "done" (finished: nothing more to ask), "paused".


@dataclass(frozen=True)
class Prompt:
    step: str  # the state it belongs to: front ends use it to tell a stale button from a live one
    kind: str
    text: str
    options: tuple[Choice, ...] = ()
    progress: str = ""
    info: str | None = None  # "more info" background, where the content has one
    optional: bool = False  # may be skipped without losing anything
    selected: tuple[str, ...] = ()  # option ids of the answer given before, if any
    current: str | None = None  # a typed answer given before, if any
    minimum: int = 0
    maximum: int = 0


@dataclass(frozen=True)
class Reply:
    """The engine's answer to one input: notices to show first, then the prompt."""

    prompt: Prompt
    notices: tuple[str, ...] = ()
    error: str | None = None  # set when the input was refused; the prompt is the same again
    lang: str = "sv"  # the respondent's language, which the prompt is in
    turn: str = ""  # "<review id>:<changes saved>": a front end that shows a reply notes it, and
    # knows the respondent is owed a new prompt when their review's turn is no longer this
    repeated: bool = False  # the input was taken before (handed over again): nothing changed


SECONDS_A_QUESTION = 20  # a button pressed or a line typed, with time to read
SECONDS_THE_LETTER = 180  # choosing commitments, with who and when


def _question_progress(q: Questionnaire, question: Question, answers: dict, lang: str) -> str:
    """Where in the review, counted the same way from the first question of an area to its
    last (a question a condition leaves out keeps its number), and the time left."""
    area = q.area(question.area)
    questions = list(q.questions)
    ahead = questions[questions.index(question) + 1 :]
    left = sum(1 for later in ahead if _may_be_asked(later, answers))
    minutes = max(1, round((left * SECONDS_A_QUESTION + SECONDS_THE_LETTER) / 60))
    return q.text(
        "progress",
        lang,
        area=area.number,
        areas=len(q.areas),
        number=area.questions.index(question) + 1,
        count=len(area.questions),
        minutes=minutes,
    )


def _may_be_asked(question: Question, answers: dict) -> bool:
    """Asked, or depending on an answer not given yet."""
    condition = question.ask_if
    return question.is_asked(answers) or (
        condition is not None and condition.question not in answers
    )


def _question_prompt(q: Questionnaire, review: dict[str, Any], step: str, lang: str) -> Prompt:
    question = q.question(step[2:])
    answers = answer_values(review)
    value = answers.get(question.id)
    progress = _question_progress(q, question, answers, lang)
    if step.startswith("f."):
        follow_up = question.follow_up_for(value)
        previous = review["follow_ups"].get(question.id, {}).get("text")
        wording = follow_up(lang) if follow_up else ""
        return Prompt(step, "text", wording, progress=progress, optional=True, current=previous)
    options = tuple(
        Choice(option.id, option.label(lang), option.exclusive) for option in question.options
    )
    kind = "single" if question.kind == "scale" else question.kind
    return Prompt(
        step=step,
        kind=kind,
        text=question.text(lang),
        options=options,
        progress=progress,
        info=f"{question.info(lang)}\n\n{q.text('read_more', lang)}" if question.info else None,
        selected=_selected(question, review, step, value),
        current=_typed(question, value, lang),
        minimum=question.minimum,
        maximum=question.maximum,
    )


def _selected(
    question: Question, review: dict[str, Any], step: str, value: object
) -> tuple[str, ...]:
    """Options marked as chosen: a multiple choice being ticked, else the answer given before."""
    draft = review.get("drafts", {}).get(step)
    picked = draft if draft is not None else value
    return tuple(option.id for option in question.chosen(picked))


def _typed(question: Question, value: object, lang: str) -> str | None:
    """A typed answer given before (a number or free text), as it reads back."""
    if isinstance(value, int):
        return format_number(value, lang)
    if question.kind == "text" and isinstance(value, str):
        return value
    return None


def _letter_prompt(q: Questionnaire, review: dict[str, Any], step: str, lang: str) -> Prompt:
    progress = q.text("progress_letter", lang)
    if step == flow.PROPOSE:
        waiting = letter.open_proposals(q, review)
        proposal = waiting[0]
        done = letter.decided_count(review)
        wording = q.text(
            "propose",
            lang,
            number=done + 1,
            count=done + len(waiting),
            text=proposal.commitment.text(lang),
        )
        because = q.text(
            "propose_because",
            lang,
            short=proposal.question.short(lang),
            answer=q.text("quote", lang, text=proposal.answer(lang)),
        )
        options: tuple[Choice, ...] = (
            Choice("adopt", q.text("adopt", lang)),
            Choice("decline", q.text("decline", lang)),
        )
        earlier = letter.reopened(review, proposal.commitment.id)
        if earlier is not None and earlier["adopted"] and earlier["role"] and earlier["due"]:
            kept = q.text("propose_kept", lang, role=earlier["role"], due=earlier["due"])
            because = f"{because}\n\n{kept}"
        return Prompt(step, "single", f"{wording}\n{because}", options, progress)
    if step == flow.ROLE:
        return Prompt(step, "text", q.text("role", lang), progress=progress)
    if step == flow.DUE:
        return Prompt(step, "date", q.text("due", lang), progress=progress)
    options = (Choice("done", q.text("done", lang)),)
    return Prompt(step, "text", q.text("own", lang), options, progress)


def render_step(q: Questionnaire, review: dict[str, Any], step: str, lang: str) -> Prompt:
    """The prompt for a step of the flow."""
    if step.startswith(("q.", "f.")):
        return _question_prompt(q, review, step, lang)
    if step in flow.LETTER_STEPS:
        return _letter_prompt(q, review, step, lang)
    if step.startswith("recap."):
        area = q.area(step.removeprefix("recap."))
        recap = render_recap(q, summarize(q, review, lang).areas[area.number - 1], lang)
        progress = q.text("progress_area", lang, area=area.number, areas=len(q.areas))
        return Prompt(
            step, "single", recap, (Choice("continue", q.text("continue", lang)),), progress
        )
    if step == flow.GAPS:
        return _gaps_prompt(q, review, lang)
    if step == flow.DONE:
        left = len(flow.unanswered(q, review))
        if left:
            key = "finished_gaps_one" if left == 1 else "finished_gaps"
            return Prompt(step, "done", q.text(key, lang, count=left))
        return Prompt(step, "done", q.text("finished", lang))
    if step == flow.PAUSED:
        return Prompt(step, "paused", q.text("paused", lang))
    return Prompt(
        step, "single", q.text("welcome", lang), (Choice("start", q.text("start", lang)),)
    )


def _gaps_prompt(q: Questionnaire, review: dict[str, Any], lang: str) -> Prompt:
    """The questions left unanswered, by name, before the letter."""
    gaps = flow.unanswered(q, review)
    names = "\n".join(f"• {q.question(gap).short(lang)}" for gap in gaps)
    options = (
        Choice("revisit", q.text("gaps_revisit", lang)),
        Choice("continue", q.text("gaps_continue", lang)),
    )
    key = "gaps_one" if len(gaps) == 1 else "gaps"
    return Prompt(flow.GAPS, "single", q.text(key, lang, count=len(gaps), names=names), options)


def area_intro(q: Questionnaire, step: str, lang: str) -> str | None:
    """The area's introduction, when a step is the first question of its area."""
    if not step.startswith("q."):
        return None
    question = q.question(step[2:])
    area = q.area(question.area)
    if area.questions[0] is not question:
        return None
    return q.text("area_intro", lang, title=area.title(lang), intro=area.intro(lang))
