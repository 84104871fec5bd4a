"""What to say next, as plain data that any front end can render: text, options, kind, progress."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dialogues.review import flow, letter
from dialogues.review.content import Question, Questionnaire
from dialogues.review.inputs import Choice
from dialogues.review.stored import answer_values
from dialogues.review.summary import format_date, format_number, render_recap, summarize

MAX_LABEL = 40  # what a button shows in full on a phone

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
    ack: str | None = None  # a short word on the answer just given, to show before the prompt


SECONDS_A_QUESTION = 20  # a button pressed or a line typed, with time to read
SECONDS_THE_LETTER = 180  # choosing commitments, with who and when


def _question_progress(q: Questionnaire, question: Question, answers: dict, lang: str) -> str:
    """Where in the review, counted the same way from the first question of an area to its
    last (a question a condition leaves out keeps its number), and the time left."""
    area = q.area(question.area)
    overall, within = q.place(question)
    left = sum(1 for later in q.in_order[overall + 1 :] if _may_be_asked(later, answers))
    minutes = max(1, round((left * SECONDS_A_QUESTION + SECONDS_THE_LETTER) / 60))
    return q.text(
        "progress",
        lang,
        area=area.number,
        areas=len(q.areas),
        number=within + 1,
        count=len(area.questions),
        minutes=minutes,
    )


def _may_be_asked(question: Question, answers: dict) -> bool:
    """Asked, or depending on an answer not given yet."""
    condition = question.ask_if
    return question.is_asked(answers) or (
        condition is not None and condition.question not in answers
    )


def _question_prompt(
    q: Questionnaire, review: dict[str, Any], step: str, lang: str, shown: bool = True
) -> Prompt:
    question = q.question(step[2:])
    answers = answer_values(review)
    value = answers.get(question.id)
    progress = _question_progress(q, question, answers, lang) if shown else ""
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
    if step == flow.CHOOSE:
        return _choose_prompt(q, review, lang)
    if step in (flow.ROLE, flow.DUE):
        item = letter.pending(review)
        assert item is not None, "the flow asks for a role and a date only when one is waiting"
        chosen = [found for found in letter.items(review) if found["adopted"]]
        number, count = chosen.index(item) + 1, len(chosen)
        if step == flow.ROLE:
            text = letter.commitment_text(q, item, lang)
            lead = q.text("letter_which", lang, number=number, count=count, text=text)
            wording = f"{lead}\n\n{q.text('role', lang)}"
            return Prompt(step, "text", wording, progress=progress, current=item["role"])
        role = item["role"] or "–"
        lead = q.text("letter_which_due", lang, number=number, count=count, role=role)
        return Prompt(step, "date", f"{lead}\n{q.text('due', lang)}", progress=progress)
    count = letter.in_letter(review)
    key = "own" if count >= 3 else "own_few"
    options = (Choice("done", q.text("done", lang)),)
    return Prompt(step, "text", q.text(key, lang, count=count), options, progress)


def _choose_prompt(q: Questionnaire, review: dict[str, Any], lang: str) -> Prompt:
    """The one list to choose three to five commitments from, each line in full."""
    choices = letter.choices(q, review)
    lines = []
    for number, suggestion in enumerate(choices, start=1):
        line = f"{number}. {_line(q, suggestion, lang)}"
        decided = letter.item(review, suggestion.id)
        if letter.changed(suggestion, review):
            line += "\n   " + q.text("letter_changed", lang)
        elif suggestion.theme is not None and not suggestion.suggested:
            line += "\n   " + q.text("letter_no_longer", lang)
        if decided is not None and decided["adopted"] and decided["role"] and decided["due"]:
            line += "\n   " + q.text(
                "letter_set", lang, role=decided["role"], due=format_date(decided["due"], lang)
            )
        lines.append(line)
    develop = sum(1 for s in choices if s.because)
    key = "letter_choose" if develop else "letter_choose_strong"
    text = q.text(key, lang, count=develop, most=letter.MOST, items="\n\n".join(lines))
    none = Choice(letter.NONE, q.text("letter_none_of_these", lang), exclusive=True)
    options = (*(Choice(s.id, letter.label(q, s, lang, MAX_LABEL)) for s in choices), none)
    draft = review.get("drafts", {}).get(flow.CHOOSE)
    return Prompt(
        flow.CHOOSE,
        "multi",
        text,
        options,
        q.text("progress_letter", lang),
        info=_why(q, choices, lang),
        selected=tuple(draft if draft is not None else letter.ticked(q, review)),
        maximum=letter.MOST,
    )


def _line(q: Questionnaire, suggestion: letter.Suggestion, lang: str) -> str:
    text = letter.wording(q, suggestion, lang)
    if suggestion.id == letter.DRAFT:
        return q.text("letter_draft_line", lang, text=text)
    if suggestion.theme is None:
        return q.text("letter_own_line", lang, text=text)
    title = suggestion.theme.title(lang)
    key = "letter_keep_line" if suggestion.keep else "letter_theme_line"
    return q.text(key, lang, title=title, text=text)


def _why(q: Questionnaire, choices: list[letter.Suggestion], lang: str) -> str:
    """The answers behind each suggestion (the list's "more info")."""
    parts = [q.text("letter_why", lang)]
    for suggestion in choices:
        if suggestion.because and suggestion.theme is not None:
            answers = "\n".join(
                f"• {p.question.short(lang)}: {q.text('quote', lang, text=p.answer(lang))}"
                for p in suggestion.because
            )
            parts.append(f"{suggestion.theme.title(lang)}\n{answers}")
        elif suggestion.keep and suggestion.theme is not None:
            parts.append(q.text("letter_why_keep", lang, title=suggestion.theme.title(lang)))
    return "\n\n".join(parts)


def render_step(
    q: Questionnaire, review: dict[str, Any], step: str, lang: str, shown: bool = True
) -> Prompt:
    """The prompt for a step of the flow; one not `shown`, only to read an answer by, leaves
    out the progress line (counting the questions left is most of a question's cost)."""
    if step.startswith(("q.", "f.")):
        return _question_prompt(q, review, step, lang, shown)
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
