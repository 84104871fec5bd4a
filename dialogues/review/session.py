"""A session: one respondent's file read once, their review in the shared state machine for
the length of one input, and everything it changed written once at the end."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from dialogues.review import flow, stored
from dialogues.review.content import DEFAULT_LANGUAGE, LANGUAGES, Questionnaire
from storage.store import RespondentFile, Store


class SaveError(RuntimeError):
    """An answer could not be written to disk; nothing was acknowledged.

    The message says why (e.g. "Read-only file system") without the file's name, which
    holds the respondent's id: it goes to the log.
    """


@dataclass
class Session:
    file: RespondentFile
    respondent: dict[str, Any]
    review: flow.AttachedReview
    delivery: int | None  # the channel's number of the input being taken, if it numbers them

    @property
    def lang(self) -> str:
        return self.respondent["lang"]

    @property
    def data(self) -> dict[str, Any]:
        return self.review.data

    @property
    def step(self) -> str:
        return self.review.state


class Sessions:
    """Opens sessions on a store, with one machine built from the content for everyone."""

    def __init__(
        self,
        store: Store,
        questionnaire: Questionnaire,
        clock: Callable[[], str],
        new_id: Callable[[], str],
    ) -> None:
        self.store = store
        self.questionnaire = questionnaire
        self.machine = flow.build_machine(questionnaire)
        self._steps = set(self.machine.states)
        self._machine_lock = threading.Lock()
        self._idle: list[flow.AttachedReview] = []  # attached, between inputs
        self._clock = clock
        self._new_id = new_id

    @contextmanager
    def open(
        self,
        respondent_id: str,
        lang: str | None = None,
        *,
        write: bool = True,
        delivery: int | None = None,
    ) -> Iterator[Session]:
        """One respondent's file, read once. A newcomer is created (in `lang`) only when the
        session `write`s: a query about someone unknown leaves no file behind."""
        try:
            with self.store.open(respondent_id) as file:
                now = self._clock()
                respondent = file.respondent()
                if respondent is None:
                    chosen = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
                    respondent = {"id": respondent_id, "lang": chosen, "created": now}
                    if write:
                        file.save_respondent(respondent)
                data = file.active_review()
                if data is None:
                    data = stored.new_review(self._new_id(), now)
                    if write:
                        file.save_review(data)
                if data["state"] not in self._steps:  # the content changed under a position
                    data["state"] = flow.INTRO
                review = self._attach(data, now)
                try:
                    yield Session(file, respondent, review, delivery)
                finally:
                    review.let_go()
                    with self._machine_lock:
                        self._idle.append(review)
        except OSError as error:
            raise SaveError(error.strerror or type(error).__name__) from error

    def _attach(self, data: dict[str, Any], now: str) -> flow.AttachedReview:
        """A review attached to the machine, at its stored step: one left idle by an input
        before (as many are kept as inputs have run at once), else a newly attached one."""
        with self._machine_lock:
            review = self._idle.pop() if self._idle else None
            if review is None:
                review = flow.AttachedReview(data, self.questionnaire, self._new_id, now)
                self.machine.add_model(review, initial=data["state"])
                return review
        review.take(data, now)
        self.machine.set_state(data["state"], model=review)
        return review

    def held(self) -> list[dict[str, Any]]:
        """The reviews attached to the machine now: none between inputs."""
        with self._machine_lock:
            return [model.data for model in self.machine.models if model.data]

    def pull(self, session: Session, trigger: str, **kwargs: Any) -> str:
        """Pull a trigger and save; the step it left."""
        before = session.step
        trigger = flow.routed(trigger, before, session.data)
        with self._machine_lock:
            session.review.trigger(trigger, **kwargs)
        if session.step == flow.DONE:
            session.data["finished"] = session.review.now
        self.save(session)
        return before

    def save(self, session: Session) -> None:
        """Note the position, the time and one more turn; written when the session ends."""
        review = session.review
        if review.replaced is not None:
            session.file.save_review(review.replaced)
            review.replaced = None
            for surplus in stored.surplus_put_aside(session.file.reviews()):
                session.file.remove_review(surplus)
        review.data["state"] = review.state
        review.data["updated"] = review.now
        review.data["turn"] = review.data.get("turn", 0) + 1
        if (
            session.delivery is not None
        ):  # in the same write as the answer: a crash cannot split them
            review.data["last_delivery"] = session.delivery
        session.file.save_review(review.data)
