"""The dialogue engine: takes one respondent's input, records it durably, says what comes next.

Front ends (terminal, Telegram) call these methods with a respondent id and get back a
`Reply` of plain data. Every accepted answer is written to disk before the reply is made.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from uuid import uuid4

from transitions import MachineError

from dialogues.review import flow, letter
from dialogues.review.content import DEFAULT_LANGUAGE, LANGUAGES, Questionnaire
from dialogues.review.inputs import (
    InvalidAnswer,
)
from dialogues.review.loader import default_questionnaire
from dialogues.review.prompts import Prompt, Reply, area_intro, render_step
from dialogues.review.replies import read_chosen, read_typed
from dialogues.review.summary import render_summary, summarize
from storage.store import Store


class _Repeat(Exception):
    """The input being taken was taken before (see Engine.once)."""


class SaveError(RuntimeError):
    """An answer could not be written to disk; nothing was acknowledged.

    The message says why (e.g. "Read-only file system") without the file's name, which
    holds the respondent's id: it goes to the log.
    """


@dataclass
class _Session:
    respondent: dict[str, Any]
    review: flow.Review

    @property
    def lang(self) -> str:
        return self.respondent["lang"]

    @property
    def data(self) -> dict[str, Any]:
        return self.review.data


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
        self.machine = flow.build_machine(self.questionnaire)
        self._steps = set(self.machine.states)
        self._machine_lock = threading.Lock()
        self._today = today
        self._clock = clock
        self._new_id = new_id
        self._deliveries: dict[str, int] = {}  # respondent -> number of the input being taken

    # Sessions: load, attach to the machine, release.
    @contextmanager
    def _session(self, respondent_id: str, lang: str | None = None) -> Iterator[_Session]:
        with self.store.locked(respondent_id):
            now = self._clock()
            respondent = self.store.respondent(respondent_id)
            if respondent is None:
                chosen = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
                respondent = {"id": respondent_id, "lang": chosen, "created": now}
                self._write(self.store.save_respondent, respondent)
            data = self.store.active_review(respondent_id)
            if data is None:
                data = flow.new_review(self._new_id(), now)
                self._write(self.store.save_review, respondent_id, data)
            delivery = self._deliveries.get(respondent_id)
            if delivery is not None and delivery <= data.get("last_delivery", -1):
                raise _Repeat
            if data["state"] not in self._steps:  # the content changed under a stored position
                data["state"] = flow.INTRO
            review = flow.Review(data, self.questionnaire, self._new_id, now)
            with self._machine_lock:
                self.machine.add_model(review, initial=data["state"])
            try:
                yield _Session(respondent, review)
            finally:
                with self._machine_lock:
                    self.machine.remove_model(review)

    @staticmethod
    def _write(operation: Callable[..., None], *args: Any) -> None:
        try:
            operation(*args)
        except OSError as error:
            raise SaveError(error.strerror or type(error).__name__) from error

    def _save(self, session: _Session) -> None:
        review = session.review
        if review.replaced is not None:
            self._write(self.store.save_review, session.respondent["id"], review.replaced)
            review.replaced = None
        review.data["state"] = review.state
        review.data["updated"] = review.now
        review.data["turn"] = review.data.get("turn", 0) + 1
        delivery = self._deliveries.get(session.respondent["id"])
        if delivery is not None:  # in the same write as the answer: a crash cannot split them
            review.data["last_delivery"] = delivery
        self._write(self.store.save_review, session.respondent["id"], review.data)

    def _pull(self, session: _Session, trigger: str) -> list[str]:
        """Pull a trigger, save, and return the notices that the move calls for."""
        before = session.review.state
        with self._machine_lock:
            session.review.trigger(trigger)
        after = session.review.state
        if after == flow.DONE:
            session.data["finished"] = session.review.now
        self._save(session)
        return self._notices(session, before, after)

    def _notices(self, session: _Session, before: str, after: str) -> list[str]:
        q, lang = self.questionnaire, session.lang
        notices = []
        if before == flow.PAUSED:
            notices.append(q.text("resumed", lang))
        entering_letter = after in flow.LETTER_STEPS and before not in flow.LETTER_STEPS
        if entering_letter and before != flow.PAUSED:
            count = len(letter.open_proposals(q, session.data))
            notices.append(
                q.text("letter_intro", lang, count=count) if count else q.text("letter_none", lang)
            )
        intro = area_intro(q, after, lang)
        if intro and before != flow.PAUSED and self._area_of(before) != self._area_of(after):
            notices.append(intro)
        return notices

    def _area_of(self, step: str) -> str | None:
        if step.startswith(("q.", "f.")):
            return self.questionnaire.question(step[2:]).area
        return None

    def _reply(
        self, session: _Session, notices: list[str] | None = None, error: str | None = None
    ) -> Reply:
        prompt = render_step(self.questionnaire, session.data, session.review.state, session.lang)
        return Reply(prompt, tuple(notices or ()), error, session.lang, turn_of(session.data))

    def _refuse(self, session: _Session, key: str, **fields: object) -> Reply:
        return self._reply(session, error=self.questionnaire.text(key, session.lang, **fields))

    # Reading input.
    def _record(self, session: _Session, step: str, value: object) -> None:
        data, now = session.data, session.review.now
        if step.startswith("q."):
            _record_answer(data, step[2:], value, now)
            data.get("drafts", {}).pop(step, None)
        elif step.startswith("f."):
            data["follow_ups"][step[2:]] = {"text": value, "at": now}
        elif step == flow.PROPOSE:
            proposal = letter.open_proposals(self.questionnaire, data)[0]
            letter.decide(data, proposal.commitment.id, adopted=value == "adopt")
        elif step == flow.ROLE:
            letter.pending(data)["role"] = value
        elif step == flow.DUE:
            letter.pending(data)["due"] = value
        elif step == flow.OWN and value != "done":
            letter.add_own(data, value)

    def _take(
        self,
        respondent_id: str,
        read: Callable[[Prompt], object],
        step: str | None,
        lang: str | None = None,
    ) -> Reply:
        with self._session(respondent_id, lang) as session:
            state = session.review.state
            if state == flow.PAUSED:
                return self._refuse(session, "err_paused")
            if state == flow.DONE:
                return self._refuse(session, "err_finished")
            if step is not None and step != state:
                return self._refuse(session, "err_stale")
            prompt = render_step(self.questionnaire, session.data, state, session.lang)
            try:
                value = read(prompt)
            except InvalidAnswer as invalid:
                return self._refuse(session, invalid.key, **invalid.fields)
            self._record(session, state, value)
            return self._reply(session, self._pull(session, "answer"))

    # The public face.
    def once(
        self, respondent_id: str, delivery: int | None, action: Callable[[], Reply]
    ) -> Reply | None:
        """Take an input the channel numbered `delivery` (increasing, as Telegram's update ids),
        unless this input or a later one was already recorded: a channel that hands an input
        over again after a crash changes nothing the second time. None for such a repeat."""
        if delivery is None:
            return action()
        with self.store.locked(respondent_id):  # the session the action opens checks the number
            self._deliveries[respondent_id] = delivery
            try:
                return action()
            except _Repeat:
                return None
            finally:
                del self._deliveries[respondent_id]

    def current(self, respondent_id: str, lang: str | None = None) -> Reply:
        """Where the respondent is now (a new respondent starts at the welcome)."""
        with self._session(respondent_id, lang) as session:
            return self._reply(session)

    def answer(self, respondent_id: str, text: str, lang: str | None = None) -> Reply:
        """A typed answer: an option's number or label, a number, a date or free text.

        `lang` (here and below) is the language for a respondent met for the first time.
        """
        return self._take(
            respondent_id, lambda prompt: read_typed(prompt, text, self._today()), None, lang
        )

    def choose(self, respondent_id: str, option_ids: list[str], step: str | None = None) -> Reply:
        """Options picked from buttons; `step` is where the buttons were shown (stale if moved on)."""
        return self._take(respondent_id, lambda prompt: read_chosen(prompt, option_ids), step)

    def toggle(self, respondent_id: str, option_id: str, step: str) -> Reply:
        """Tick or untick one option of a multiple choice; kept on disk until confirmed."""
        with self._session(respondent_id) as session:
            if step != session.review.state:
                return self._refuse(session, "err_stale")
            prompt = self._reply(session).prompt
            if prompt.kind != "multi" or option_id not in {c.id for c in prompt.options}:
                return self._refuse(session, "err_choices", count=len(prompt.options))
            ticked = set(prompt.selected) ^ {option_id}
            exclusive = {choice.id for choice in prompt.options if choice.exclusive}
            if option_id in ticked:  # an exclusive option clears the rest, and the rest clear it
                ticked = {option_id} if option_id in exclusive else ticked - exclusive
            ordered = [choice.id for choice in prompt.options if choice.id in ticked]
            session.data.setdefault("drafts", {})[step] = ordered
            self._save(session)
            return self._reply(session)

    def confirm(self, respondent_id: str, step: str) -> Reply:
        """Answer a multiple choice with the options ticked so far."""
        return self._take(
            respondent_id, lambda prompt: read_chosen(prompt, list(prompt.selected)), step
        )

    def skip(self, respondent_id: str, lang: str | None = None) -> Reply:
        with self._session(respondent_id, lang) as session:
            state = session.review.state
            if state == flow.PAUSED:
                return self._refuse(session, "err_paused")
            if state in (flow.ROLE, flow.DUE):
                return self._refuse(session, "err_required")
            if state in (flow.PROPOSE, flow.OWN):
                self._record(session, state, "decline" if state == flow.PROPOSE else "done")
                return self._reply(session, self._pull(session, "answer"))
            if not state.startswith(("q.", "f.")):
                return self._refuse(session, "err_cannot_skip")
            if state.startswith("q.") and state[2:] not in session.data["answers"]:
                _record_answer(session.data, state[2:], None, session.review.now)
            return self._reply(session, self._pull(session, "skip"))

    def back(self, respondent_id: str, lang: str | None = None) -> Reply:
        with self._session(respondent_id, lang) as session:
            if session.review.state == flow.PAUSED:
                return self._refuse(session, "err_paused")
            try:
                return self._reply(session, self._pull(session, "back"))
            except MachineError:
                return self._refuse(session, "err_no_back")

    def pause(self, respondent_id: str, lang: str | None = None) -> Reply:
        with self._session(respondent_id, lang) as session:
            if session.review.state in (flow.PAUSED, flow.DONE):
                return self._reply(session)
            return self._reply(session, self._pull(session, "pause"))

    def resume(self, respondent_id: str, lang: str | None = None) -> Reply:
        with self._session(respondent_id, lang) as session:
            if session.review.state != flow.PAUSED:
                return self._reply(session)
            return self._reply(session, self._pull(session, "resume"))

    def restart(self, respondent_id: str) -> Reply:
        """Start a fresh review; the current one is kept, archived."""
        with self._session(respondent_id) as session:
            notices = self._pull(session, "restart")
            return self._reply(
                session, [self.questionnaire.text("restarted", session.lang), *notices]
            )

    def info(self, respondent_id: str) -> str:
        """The background text of the current question."""
        with self._session(respondent_id) as session:
            prompt = self._reply(session).prompt
            return prompt.info or self.questionnaire.text("err_no_info", session.lang)

    def summary(self, respondent_id: str) -> str:
        """The summary so far (marked interim until the review is finished)."""
        with self._session(respondent_id) as session:
            result = summarize(self.questionnaire, session.data, session.lang)
            return render_summary(self.questionnaire, result)

    def status(self, respondent_id: str) -> str:
        with self._session(respondent_id) as session:
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

    def export(self, respondent_id: str) -> dict[str, Any]:
        """Everything stored about one respondent (for a data-access request)."""
        with self.store.locked(respondent_id):
            return {
                "respondent": self.store.respondent(respondent_id),
                "reviews": self.store.reviews(respondent_id),
            }

    def forget(self, respondent_id: str) -> None:
        """Erase every trace of a respondent."""
        try:
            self.store.delete_respondent(respondent_id)
        except OSError as error:
            raise SaveError(error.strerror or type(error).__name__) from error

    def is_known(self, respondent_id: str) -> bool:
        return self.store.respondent(respondent_id) is not None

    def language(self, respondent_id: str) -> str:
        with self._session(respondent_id) as session:
            return session.lang

    def set_language(self, respondent_id: str, lang: str) -> Reply:
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language {lang!r}")
        with self._session(respondent_id, lang) as session:
            if session.respondent["lang"] != lang:
                session.respondent["lang"] = lang
                self._write(self.store.save_respondent, session.respondent)
            return self._reply(session)


def turn_of(review: dict[str, Any]) -> str:
    """Which review, and how many changes into it: what a reply made now belongs to."""
    return f"{review['id']}:{review.get('turn', 0)}"


def _record_answer(data: dict[str, Any], question_id: str, value: object, now: str) -> None:
    """Store an answer; a changed answer leaves its old value (and follow-up) in the history."""
    old = data["answers"].get(question_id)
    if old is not None and old["value"] != value:
        change = {"question": question_id, "old": old["value"], "new": value, "at": now}
        dropped = data["follow_ups"].pop(question_id, None)
        if dropped is not None:
            change["old_follow_up"] = dropped["text"]
        data["history"].append(change)
    data["answers"][question_id] = {"value": value, "at": now}
