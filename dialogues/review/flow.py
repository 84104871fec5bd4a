"""The questionnaire as one `transitions` state machine, built from the content and shared by all.

States ("steps"):
    intro                   welcome
    q.<question>            a question
    f.<question>            its optional follow-up ("Berätta kort ...")
    recap.<area>            a short recap at the end of an area
    gaps                    the questions left unanswered, before the letter: answer them now
                            (each in turn, then back here) or go on to the letter
    letter.choose           tick three to five of the suggested commitments (one list)
    letter.role             who is responsible for the next one chosen
    letter.due              its target date
    letter.own              add a commitment of one's own, or finish
    done                    the summary
    paused                  paused; `resume` returns to where it was

Triggers: answer, skip, back, pause, resume, restart (and answer_gap, skip_gap: answer and
skip at a question while answering the gaps, see `routed`). Where a trigger may lead to
several steps, the transitions are listed in order and the first whose
destination applies (a condition met, a follow-up to ask, something to choose) wins.
No move takes a commitment out of the letter: only unticking it in the list does.
The answers themselves are recorded by the engine before it pulls a trigger.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from transitions import EventData, Machine, Transition

from dialogues.review import letter, stored
from dialogues.review.content import Area, Questionnaire
from dialogues.review.stored import INTRO

DONE, PAUSED, GAPS = "done", "paused", "gaps"
CHOOSE, ROLE, DUE, OWN = "letter.choose", "letter.role", "letter.due", "letter.own"
LETTER_STEPS = (CHOOSE, ROLE, DUE, OWN)
REVISIT = {"answer": "answer_gap", "skip": "skip_gap"}  # answer and skip, answering the gaps


def unanswered(questionnaire: Questionnaire, data: dict[str, Any]) -> list[str]:
    """The questions asked, given the answers so far, and not answered (skipped or not reached)."""
    answers = stored.answer_values(data)
    return [
        question.id
        for question in questionnaire.questions
        if question.is_asked(answers) and answers.get(question.id) is None
    ]


def has_recap(area: Area) -> bool:
    """Areas of open questions have nothing to recap: their words go to the letter and summary."""
    return any(question.kind != "text" for question in area.questions)


def linear_steps(questionnaire: Questionnaire) -> list[str]:
    """Intro, then every question, follow-up and recap, in order."""
    steps = [INTRO]
    for area in questionnaire.areas:
        for question in area.questions:
            steps.append(f"q.{question.id}")
            if question.follow_up or any(option.follow_up for option in question.options):
                steps.append(f"f.{question.id}")
        if has_recap(area):
            steps.append(f"recap.{area.id}")
    return steps


class AttachedReview:
    """One respondent's review in the shared machine for the length of one input.

    Holds the stored review (`data`) and answers the machine's named conditions. Attaching
    a model to a machine binds a method per state and per trigger (most of an input's work
    in the machine), so an attached review is kept after its input, holding no one's data,
    and given the next respondent's review (`take`): see session.Sessions.
    """

    state: str  # set by transitions
    trigger: Callable[..., bool]  # set by transitions: pulls a trigger by its name

    def __init__(
        self,
        data: dict[str, Any],
        questionnaire: Questionnaire,
        new_id: Callable[[], str],
        now: str,
    ) -> None:
        self.data = data
        self.questionnaire = questionnaire
        self.new_id = new_id
        self.now = now
        self.replaced: dict[str, Any] | None = None  # the review a restart put aside

    def take(self, data: dict[str, Any], now: str) -> None:
        """Stand for another review (the machine's state is set by the caller)."""
        self.data, self.now, self.replaced = data, now, None

    def let_go(self) -> None:
        """Hold nobody's review between inputs."""
        self.data, self.replaced = {}, None

    def applies(self, step: str) -> bool:
        """Whether a step is to be shown, given the answers so far."""
        kind, _, name = step.partition(".")
        answers = stored.answer_values(self.data)
        if kind == "q":
            return self.questionnaire.question(name).is_asked(answers)
        if kind == "f":
            question = self.questionnaire.question(name)
            return (
                question.is_asked(answers) and question.follow_up_for(answers.get(name)) is not None
            )
        if step == CHOOSE:
            return bool(letter.choices(self.questionnaire, self.data))
        if step == ROLE:
            return letter.pending(self.data) is not None
        if step == GAPS:
            return bool(unanswered(self.questionnaire, self.data))
        return True

    # Conditions (transitions passes the event because the machine has send_event=True).
    def destination_applies(self, event: EventData) -> bool:
        return self.applies(_transition(event).dest or "")

    def revisiting(self, event: EventData) -> bool:
        """Answering the questions left unanswered, one after the other (chosen at gaps)."""
        return self.data.get("revisit") is not None

    def is_next_gap(self, event: EventData) -> bool:
        gaps = set(unanswered(self.questionnaire, self.data))
        following = (gap for gap in self.data.get("revisit") or () if gap in gaps)
        return _transition(event).dest == f"q.{next(following, '')}"

    def is_resume_point(self, event: EventData) -> bool:
        return _transition(event).dest == self.data.get("resume_to")

    # Callbacks.
    def leave_gap(self, event: EventData) -> None:
        """The question being left is no longer waited for in this round of answering gaps."""
        source = _transition(event).source
        if self.data.get("revisit") and source.startswith("q."):
            self.data["revisit"] = [gap for gap in self.data["revisit"] if f"q.{gap}" != source]

    def end_revisit(self, event: EventData) -> None:
        self.data.pop("revisit", None)

    def remember_position(self, event: EventData) -> None:
        self.data["resume_to"] = _transition(event).source

    def forget_position(self, event: EventData) -> None:
        self.data["resume_to"] = None

    def start_over(self, event: EventData) -> None:
        """Put the review aside (kept, archived) and begin a fresh one (of a new round, if
        the trigger names one)."""
        next_round = event.kwargs.get("next_round")
        self.replaced, self.data = stored.start_over(self.data, self.new_id(), self.now, next_round)


def routed(trigger: str, state: str, data: dict[str, Any]) -> str:
    """The trigger to pull: answer and skip at a question while answering the gaps are
    the revisit table's."""
    revisiting = data.get("revisit") is not None and state.startswith(("q.", "f."))
    return REVISIT.get(trigger, trigger) if revisiting else trigger


def _transition(event: EventData) -> Transition:
    """The transition a condition or callback is asked about (there always is one here)."""
    assert event.transition is not None
    return event.transition


def always_applies(step: str, questionnaire: Questionnaire) -> bool:
    kind, _, name = step.partition(".")
    if kind == "q":
        return questionnaire.question(name).ask_if is None
    return kind in ("intro", "recap") or step == OWN


def _until_unconditional(candidates: list[str], questionnaire: Questionnaire) -> list[str]:
    """The candidates up to and including the first that always applies."""
    chosen = []
    for step in candidates:
        chosen.append(step)
        if always_applies(step, questionnaire):
            break
    return chosen


def revisit_table(questionnaire: Questionnaire) -> list[dict[str, Any]]:
    """Answering the gaps: from each question (and its follow-up) to the next gap, and after
    the last one back to the list of gaps (or on to the letter when none is left). Their
    triggers are answer's and skip's own (see `routed`): some fifty rows from each question
    that an ordinary answer would otherwise try one by one."""
    questions = [f"q.{question.id}" for question in questionnaire.questions]
    steps = linear_steps(questionnaire)
    table: list[dict[str, Any]] = []
    for step in (s for s in steps if s.startswith(("q.", "f."))):
        follow_up = f"f.{step[2:]}"
        moves: list[tuple[str, list[str], dict[str, str]]] = []
        if step.startswith("q.") and follow_up in steps:
            moves.append((follow_up, ["destination_applies"], {}))
        moves += [(question, ["is_next_gap"], {}) for question in questions]
        moves.append((GAPS, ["destination_applies"], {"before": "end_revisit"}))
        moves.append((CHOOSE, ["destination_applies"], {"before": "end_revisit"}))
        moves.append((OWN, [], {"before": "end_revisit"}))
        for trigger in REVISIT.values():
            for dest, conditions, extra in moves:
                row = {"trigger": trigger, "source": step, "dest": dest, "prepare": "leave_gap"}
                table.append({**row, "conditions": ["revisiting", *conditions], **extra})
    return table


def transition_table(questionnaire: Questionnaire) -> list[dict[str, Any]]:
    steps = linear_steps(questionnaire)
    ahead = [*steps, GAPS, CHOOSE, OWN]
    table: list[dict[str, Any]] = revisit_table(questionnaire)

    def add(trigger: str, source: str | list[str], dest: str, **extra: Any) -> None:
        table.append({"trigger": trigger, "source": source, "dest": dest, **extra})

    applies = {"conditions": "destination_applies"}
    for index, step in enumerate(steps):
        for dest in _until_unconditional(ahead[index + 1 :], questionnaire):
            add("answer", step, dest, **applies)
            if step.startswith(("q.", "f.")):
                add("skip", step, dest, **applies)
        back_to = [s for s in reversed(steps[:index]) if not s.startswith("recap.")]
        for dest in _until_unconditional(back_to, questionnaire):
            add("back", step, dest, **applies)

    into_last_area = _until_unconditional(
        [s for s in reversed(steps) if not s.startswith("recap.")], questionnaire
    )
    for question in questionnaire.questions:  # "answer them now" (engine: the revisit list)
        add("answer", GAPS, f"q.{question.id}", conditions=["revisiting", "is_next_gap"])
    add("answer", GAPS, CHOOSE, **applies)
    add("answer", GAPS, OWN)
    for dest in into_last_area:
        add("back", GAPS, dest, **applies)
    for source in (CHOOSE, DUE, OWN):  # on to the next commitment still without role and date
        add("answer", source, ROLE, **applies)
    add("answer", CHOOSE, OWN)
    add("answer", ROLE, DUE)
    add("answer", DUE, OWN)
    add("answer", OWN, DONE)
    for source in (ROLE, OWN):
        add("back", source, CHOOSE, **applies)
    add("back", ROLE, OWN)
    for source in (CHOOSE, OWN):
        add("back", source, GAPS, **applies)
        for dest in into_last_area:
            add("back", source, dest, **applies)
    add("back", DUE, ROLE)
    add("back", DONE, OWN)

    every_step = [*steps, GAPS, *LETTER_STEPS, DONE]
    add("pause", [s for s in every_step if s != DONE], PAUSED, before="remember_position")
    for dest in every_step:
        add("resume", PAUSED, dest, conditions="is_resume_point", after="forget_position")
    add("restart", [*every_step, PAUSED], INTRO, before="start_over")
    return table


def build_machine(questionnaire: Questionnaire) -> Machine:
    """The one machine for everyone; reviews are attached with add_model and removed after use."""
    steps = linear_steps(questionnaire)
    return Machine(
        model=None,
        states=[*steps, GAPS, *LETTER_STEPS, DONE, PAUSED],
        transitions=transition_table(questionnaire),
        initial=INTRO,
        auto_transitions=False,
        send_event=True,
    )
