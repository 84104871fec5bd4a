"""The dialogue engine: takes one respondent's input, records it durably, says what comes next.

Front ends (terminal, Telegram) call these methods with a respondent id and get back a
`Reply` of plain data. Each call is one session on the respondent's file: read once, checked
once, and (for an input) written once, before the reply is made. Queries never write.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any
from uuid import uuid4

from transitions import MachineError

from dialogues.review import flow, letter, stored
from dialogues.review.content import DEFAULT_LANGUAGE, LANGUAGES, Questionnaire
from dialogues.review.inputs import InvalidAnswer, visible
from dialogues.review.loader import default_questionnaire
from dialogues.review.prompts import Prompt, Reply, area_intro, render_step
from dialogues.review.replies import read_chosen, read_typed
from dialogues.review.report import area_bars
from dialogues.review.session import SaveError, Session, Sessions
from dialogues.review.summary import render_summary, summarize
from storage.store import Store


def _utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Engine:
    def __init__(
        self,
        store: Store,
        questionnaire: Questionnaire | None = None,
        *,
        today: Callable[[], date] = date.today,
        clock: Callable[[], str] = _utc_now,
        new_id: Callable[[], str] = lambda: uuid4().hex,
    ) -> None:
        self.store = store
        self.questionnaire = questionnaire or default_questionnaire()
        self.sessions = Sessions(store, self.questionnaire, clock, new_id)
        self.machine = self.sessions.machine
        self._today = today

    def _input(
        self,
        respondent_id: str,
        take: Callable[[Session], Reply],
        *,
        lang: str | None = None,
        step: str | None = None,
        delivery: int | None = None,
    ) -> Reply:
        """Take one input in one session: a repeat (an input numbered at or below the last one
        handled, handed over again after a crash) changes nothing; a press on a step that is no
        longer current is stale; else `take` records it."""
        with self.sessions.open(respondent_id, lang, delivery=delivery) as session:
            if delivery is not None and delivery <= session.data.get("last_delivery", -1):
                return dataclasses.replace(self._reply(session), repeated=True)
            if step is not None and step != session.review.state:
                reply = self._refuse(session, "err_stale")
            else:
                reply = take(session)
        if reply.error is not None and delivery is not None:
            self._mark_handled(respondent_id, delivery)
        return reply

    def _mark_handled(self, respondent_id: str, delivery: int) -> None:
        """A refused input was handled too: handed over again after a crash, it must not be
        refused a second time (the person, told twice, would type their answer twice, and the
        second would answer the next question). Only the number is noted: not the review's
        turn, not its time. Where the disk refuses, the refusal is still told."""
        try:
            with self.sessions.open(respondent_id) as session:
                if delivery > session.data.get("last_delivery", -1):
                    session.data["last_delivery"] = delivery
                    session.file.save_review(session.data)
        except SaveError:
            pass  # the input may then be refused again after a crash: no worse than before

    def _pull(self, session: Session, trigger: str, **kwargs: Any) -> list[str]:
        """Pull a trigger, save, and return the notices that the move calls for."""
        before = self.sessions.pull(session, trigger, **kwargs)
        return self._notices(session, before, session.step)

    def _notices(self, session: Session, before: str, after: str) -> list[str]:
        q, lang = self.questionnaire, session.lang
        notices = []
        if before == flow.PAUSED:
            notices.append(q.text("resumed", lang))
        entering_letter = after in flow.LETTER_STEPS and before not in flow.LETTER_STEPS
        if entering_letter and before != flow.PAUSED and after == flow.OWN:
            notices.append(q.text("letter_none", lang))  # nothing to choose from
        intro = area_intro(q, after, lang)
        revisiting = session.data.get("revisit") is not None  # the areas were introduced
        new_area = self._area_of(before) != self._area_of(after)
        if intro and before != flow.PAUSED and new_area and not revisiting:
            notices.append(intro)
        return notices

    def _area_of(self, step: str) -> str | None:
        if step.startswith(("q.", "f.")):
            return self.questionnaire.question(step[2:]).area
        return None

    def _reply(
        self,
        session: Session,
        notices: list[str] | None = None,
        error: str | None = None,
        ack: str | None = None,
    ) -> Reply:
        prompt = render_step(self.questionnaire, session.data, session.review.state, session.lang)
        turn = stored.turn_of(session.data)
        return Reply(prompt, tuple(notices or ()), error, session.lang, turn, ack=ack)

    def _ack(self, session: Session, step: str, before: object, notices: list[str]) -> str | None:
        """A short, varied word on a new answer to a one-choice question, from the content's
        wording for how it reads; none where other notices or a recap come next."""
        if notices or not step.startswith("q.") or not session.review.state.startswith("q."):
            return None
        question = self.questionnaire.question(step[2:])
        value = stored.answer_values(session.data).get(question.id)
        if question.kind not in ("single", "scale") or value == before:
            return None
        readings = [option.reading for option in question.chosen(value)]
        key = f"ack_{readings[0]}" if readings else ""
        if key not in self.questionnaire.texts:
            return None
        variants = self.questionnaire.text(key, session.lang).split("|")
        return variants[len(session.data["answers"]) % len(variants)].strip()

    def _refuse(self, session: Session, key: str, **fields: object) -> Reply:
        return self._reply(session, error=self.questionnaire.text(key, session.lang, **fields))

    # Reading input.
    def _record(self, session: Session, step: str, value: object) -> None:
        data, now = session.data, session.review.now
        if step.startswith("q."):
            stored.record_answer(data, step[2:], value, now)
            data.get("drafts", {}).pop(step, None)
        elif step.startswith("f."):
            data["follow_ups"][step[2:]] = {"text": value, "at": now}
        elif step == flow.CHOOSE:
            assert isinstance(value, list), "the list is a multiple choice"
            letter.choose(self.questionnaire, data, value)
            data.get("drafts", {}).pop(step, None)
        elif step in (flow.ROLE, flow.DUE):
            pending = letter.pending(data)
            assert pending is not None, "the flow asks for a role and a date only when pending"
            pending["role" if step == flow.ROLE else "due"] = value
        elif step == flow.OWN and value != "done":
            letter.add_own(data, str(value))
        elif step == flow.GAPS:
            if value == "revisit":
                data["revisit"] = flow.unanswered(self.questionnaire, data)
            else:
                data.pop("revisit", None)

    def _take(self, session: Session, read: Callable[[Prompt], object]) -> Reply:
        """Read an answer to the current prompt, record it and move on."""
        state = session.review.state
        if state == flow.PAUSED:
            return self._refuse(session, "err_paused")
        if state == flow.DONE:
            return self._refuse(session, "err_finished")
        prompt = render_step(self.questionnaire, session.data, state, session.lang, shown=False)
        try:
            value = read(prompt)
        except InvalidAnswer as invalid:
            return self._refuse(session, invalid.key, **invalid.fields)
        answered = session.data["answers"].get(state[2:]) if state.startswith("q.") else None
        before = answered["value"] if answered else None
        self._record(session, state, value)
        notices = self._pull(session, "answer")
        return self._reply(session, notices, ack=self._ack(session, state, before, notices))

    def _skip(self, session: Session) -> Reply:
        state = session.review.state
        if state == flow.PAUSED:
            return self._refuse(session, "err_paused")
        if state in (flow.ROLE, flow.DUE):
            return self._refuse(session, "err_required")
        if state in (flow.CHOOSE, flow.OWN):  # the letter as ticked so far
            ticked = list(self._reply(session).prompt.selected)
            self._record(session, state, ticked if state == flow.CHOOSE else "done")
            return self._reply(session, self._pull(session, "answer"))
        if not state.startswith(("q.", "f.")):
            return self._refuse(session, "err_cannot_skip")
        if state.startswith("q.") and state[2:] not in session.data["answers"]:
            stored.record_answer(session.data, state[2:], None, session.review.now)
        return self._reply(session, self._pull(session, "skip"))

    def _declines(self, session: Session, text: str) -> bool:
        """A natural "no", "done" or "skip it" typed where a step is optional (a follow-up, the
        letter's list, an own commitment): taken as skipping it, not as the text to store (at
        the list: done, with what is ticked)."""
        state = session.review.state
        if not (state.startswith("f.") or state in (flow.CHOOSE, flow.OWN)):
            return False
        said = " ".join(re.sub(r"[.!,;:]+", " ", visible(text)).casefold().split())
        return said in self._declining

    @functools.cached_property
    def _declining(self) -> frozenset[str]:
        """The content's ways of saying no, in every language, as _declines compares them."""
        groups = {self.questionnaire.text("declines", lang) for lang in LANGUAGES}
        return frozenset(p.strip().casefold() for group in groups for p in group.split("|"))

    # The public face: inputs. `lang` is the language for a respondent met for the first time;
    # `step` is where the pressed button was shown (stale if the review has moved on);
    # `delivery` is the channel's increasing number for the input (Telegram's update id).
    def current(self, respondent_id: str, lang: str | None = None) -> Reply:
        """Where the respondent is now (a newcomer is created, at the welcome)."""
        with self.sessions.open(respondent_id, lang) as session:
            return self._reply(session)

    def answer(
        self,
        respondent_id: str,
        text: str,
        lang: str | None = None,
        *,
        delivery: int | None = None,
        seen_turn: str | None = None,
        typed_at: datetime | None = None,
    ) -> Reply:
        """A typed answer: an option's number or label, a number, a date or free text.

        Where the channel can tell, it is taken only as the answer to a prompt the person had
        in front of them: `seen_turn` is the turn of the last prompt they were shown (the
        current one's is owed them, not yet shown, if it differs), `typed_at` when they wrote
        (before the review reached its current prompt, they cannot have seen it)."""
        today = self._today()

        def take(session: Session) -> Reply:
            moved_on_since = datetime.fromisoformat(session.data["updated"])
            if (seen_turn is not None and seen_turn != stored.turn_of(session.data)) or (
                typed_at is not None and typed_at < moved_on_since
            ):
                return self._refuse(session, "err_typed_before")
            if self._declines(session, text):
                return self._skip(session)
            return self._take(session, lambda prompt: read_typed(prompt, text, today))

        return self._input(respondent_id, take, lang=lang, delivery=delivery)

    def choose(
        self,
        respondent_id: str,
        option_ids: list[str],
        step: str | None = None,
        *,
        delivery: int | None = None,
    ) -> Reply:
        """Options picked from buttons."""
        return self._input(
            respondent_id,
            lambda session: self._take(session, lambda prompt: read_chosen(prompt, option_ids)),
            step=step,
            delivery=delivery,
        )

    def toggle(
        self, respondent_id: str, option_id: str, step: str, *, delivery: int | None = None
    ) -> Reply:
        """Tick or untick one option of a multiple choice; kept on disk until confirmed."""

        def tick(session: Session) -> Reply:
            prompt = self._reply(session).prompt
            if prompt.kind != "multi" or option_id not in {c.id for c in prompt.options}:
                return self._refuse(session, "err_choices", count=len(prompt.options))
            ticked = set(prompt.selected) ^ {option_id}
            exclusive = {choice.id for choice in prompt.options if choice.exclusive}
            if option_id in ticked:  # an exclusive option clears the rest, and the rest clear it
                ticked = {option_id} if option_id in exclusive else ticked - exclusive
            if prompt.maximum and len(ticked) > prompt.maximum:
                return self._refuse(session, "err_too_many", count=prompt.maximum)
            ordered = [choice.id for choice in prompt.options if choice.id in ticked]
            session.data.setdefault("drafts", {})[step] = ordered
            self.sessions.save(session)
            return self._reply(session)

        return self._input(respondent_id, tick, step=step, delivery=delivery)

    def confirm(self, respondent_id: str, step: str, *, delivery: int | None = None) -> Reply:
        """Answer a multiple choice with the options ticked so far."""
        return self._input(
            respondent_id,
            lambda session: self._take(
                session, lambda prompt: read_chosen(prompt, list(prompt.selected))
            ),
            step=step,
            delivery=delivery,
        )

    def skip(
        self,
        respondent_id: str,
        lang: str | None = None,
        *,
        step: str | None = None,
        delivery: int | None = None,
    ) -> Reply:
        return self._input(respondent_id, self._skip, lang=lang, step=step, delivery=delivery)

    def back(
        self,
        respondent_id: str,
        lang: str | None = None,
        *,
        step: str | None = None,
        delivery: int | None = None,
    ) -> Reply:
        def go_back(session: Session) -> Reply:
            if session.review.state == flow.PAUSED:
                return self._refuse(session, "err_paused")
            try:
                return self._reply(session, self._pull(session, "back"))
            except MachineError:
                return self._refuse(session, "err_no_back")

        return self._input(respondent_id, go_back, lang=lang, step=step, delivery=delivery)

    def pause(
        self,
        respondent_id: str,
        lang: str | None = None,
        *,
        step: str | None = None,
        delivery: int | None = None,
    ) -> Reply:
        def pause_here(session: Session) -> Reply:
            if session.review.state in (flow.PAUSED, flow.DONE):
                return self._reply(session)
            return self._reply(session, self._pull(session, "pause"))

        return self._input(respondent_id, pause_here, lang=lang, step=step, delivery=delivery)

    def resume(
        self, respondent_id: str, lang: str | None = None, *, delivery: int | None = None
    ) -> Reply:
        def carry_on(session: Session) -> Reply:
            if session.review.state != flow.PAUSED:
                return self._reply(session)
            return self._reply(session, self._pull(session, "resume"))

        return self._input(respondent_id, carry_on, lang=lang, delivery=delivery)

    def restart(self, respondent_id: str, *, delivery: int | None = None) -> Reply:
        """Start a fresh review; the current one is kept, archived."""

        def start_again(session: Session) -> Reply:
            notices = self._pull(session, "restart")
            return self._reply(
                session, [self.questionnaire.text("restarted", session.lang), *notices]
            )

        return self._input(respondent_id, start_again, delivery=delivery)

    def start_round(self, respondent_id: str, number: int) -> None:
        """A later review round: a fresh review, the current one kept as the round before's."""
        with self.sessions.open(respondent_id) as session:
            self._pull(session, "restart", next_round=number)

    def enter_round(self, respondent_id: str, number: int) -> None:
        """The review belongs to the programme's round `number` (someone joining after a
        new round began): its report and comparisons say so."""
        review = self.store.active_review(respondent_id)
        if review is None or review.get("round", 1) == number:
            return  # as most joiners are: nothing to write, no turn taken
        with self.sessions.open(respondent_id) as session:
            session.data["round"] = number
            self.sessions.save(session)

    def put_aside(self, respondent_id: str) -> None:
        """A fresh review if the current one has answers (kept, archived): a review is about
        one municipality, and its respondent has just changed municipality."""
        with self.sessions.open(respondent_id) as session:
            if session.data["answers"]:
                self._pull(session, "restart")

    def set_language(self, respondent_id: str, lang: str) -> Reply:
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language {lang!r}")
        with self.sessions.open(respondent_id, lang) as session:
            if session.respondent["lang"] != lang:
                session.respondent["lang"] = lang
                session.file.save_respondent(session.respondent)
            return self._reply(session)

    # The public face: queries. They read once and never write.
    def info(self, respondent_id: str, step: str | None = None) -> Reply:
        """The background text of the current question, as a notice (an error if stale)."""
        with self.sessions.open(respondent_id, write=False) as session:
            if step is not None and step != session.review.state:
                return self._refuse(session, "err_stale")
            reply = self._reply(session)
            text = reply.prompt.info or self.questionnaire.text("err_no_info", session.lang)
            return dataclasses.replace(reply, notices=(text,))

    def summary(self, respondent_id: str) -> str:
        """The summary so far (marked interim until the review is finished)."""
        with self.sessions.open(respondent_id, write=False) as session:
            result = summarize(self.questionnaire, session.data, session.lang)
            return render_summary(self.questionnaire, result)

    def area_bars(self, respondent_id: str) -> tuple[tuple[str, tuple[float, ...]], ...]:
        """Per area, its title and how its questions read, as shares per report.SEGMENTS: the
        summary's picture (the report's chart, this round)."""
        with self.sessions.open(respondent_id, write=False) as session:
            return area_bars(self.questionnaire, session.data, session.lang)

    def status(self, respondent_id: str) -> str:
        with self.sessions.open(respondent_id, write=False) as session:
            q, lang = self.questionnaire, session.lang
            result = summarize(q, session.data, lang)
            lines = [
                q.text(
                    "status_area",
                    lang,
                    number=area.area.number,
                    title=area.area.title(lang),
                    answered=area.asked - len(area.open),
                    count=area.asked,
                )
                for area in result.areas
            ]
            lines.append(q.text("status_letter", lang, count=len(result.commitments)))
            if session.review.state == flow.DONE:
                lines.append(q.text("status_finished", lang))
            return "\n".join(lines)

    def language(self, respondent_id: str, default: str | None = None) -> str:
        """The respondent's language; for someone unknown, `default` (or Swedish)."""
        respondent = self.store.respondent(respondent_id)
        if respondent is not None:
            return respondent["lang"]
        return default if default in LANGUAGES else DEFAULT_LANGUAGE

    def is_known(self, respondent_id: str) -> bool:
        return self.store.respondent(respondent_id) is not None

    def export(self, respondent_id: str) -> dict[str, Any]:
        """Everything stored about one respondent (for a data-access request)."""
        with self.store.open(respondent_id) as file:
            return {"respondent": file.respondent(), "reviews": file.reviews()}

    def forget(self, respondent_id: str) -> None:
        """Erase every trace of a respondent."""
        try:
            self.store.delete_respondent(respondent_id)
        except OSError as error:
            raise SaveError(error.strerror or type(error).__name__) from error
