"""Many officials at once, each working through the whole review over the fake Bot API.

Each one sends the next input of the script (a button press where the question has one,
else typed text), waits for the question after it, and goes on. What each has had
answered, and what the database must therefore hold, is known at every moment: the tests
and benchmarks that kill the bot or make Telegram fail check the database against it.
"""

from __future__ import annotations

import functools
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dialogues.review.engine import Engine
from storage.store import Store
from tests.conftest import make_engine
from tests.fake_bot_api import Call, FakeBotApi, plain_text
from tests.script import WHOLE_REVIEW

# (input, the step it answers): the review from the first /start to the end.
SCRIPT: list[tuple[str, str | None]] = [("/start", None), *WHOLE_REVIEW]


def step_of(call: Call) -> str | None:
    """The step a question was sent for, from the data of its buttons."""
    for row in call.buttons:
        for button in row:
            parts = button.get("callback_data", "").split("|")
            if len(parts) == 3 and parts[0] in "ctdbspir":
                return parts[1]
    return None


def essence(review: dict[str, Any] | None) -> Any:
    """What an official has said, without times and ids: equal reviews say the same."""
    if review is None:
        return None

    def timeless(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: timeless(v) for k, v in value.items() if k not in ("at", "decided")}
        if isinstance(value, list):
            return [timeless(item) for item in value]
        return value

    return timeless(
        {
            "state": review["state"],
            "answers": {k: v["value"] for k, v in review["answers"].items()},
            "follow_ups": {k: v["text"] for k, v in review["follow_ups"].items()},
            "history": review["history"],
            "letter": review["letter"],
            "drafts": review.get("drafts", {}),
        }
    )


@functools.cache
def expected_questions() -> list[str | None]:
    """The text of the question shown after each number of inputs of SCRIPT (0: none). The
    letter asks `letter.role` for each chosen commitment: the step alone does not tell which."""
    with tempfile.TemporaryDirectory() as folder:
        engine: Engine = make_engine(Path(folder))
        texts: list[str | None] = [None, engine.current("reference").prompt.text]
        for typed, _ in WHOLE_REVIEW:
            reply = (
                engine.skip("reference") if typed == "/skip" else engine.answer("reference", typed)
            )
            texts.append(reply.prompt.text)
    return texts


def is_reply(message: Call, step: str, text: str | None) -> bool:
    """The message is the question `step` with this text, not a refusal showing it again."""
    plain = plain_text(message.text)
    return step_of(message) == step and not plain.startswith("⚠️") and (text or "") in plain


def is_refusal(message: Call) -> bool:
    return plain_text(message.text).startswith("⚠️")


def expected_reviews(folder: Path) -> list[Any]:
    """The review as it must be stored after each number of inputs of SCRIPT (0: nothing)."""
    engine: Engine = make_engine(folder)
    snapshots = [None]
    engine.current("reference")
    snapshots.append(essence(engine.store.active_review("reference")))
    for typed, _ in WHOLE_REVIEW:
        if typed == "/skip":
            engine.skip("reference")
        else:
            engine.answer("reference", typed)
        snapshots.append(essence(engine.store.active_review("reference")))
    return snapshots


@dataclass(frozen=True)
class Input:
    at: float
    typed: str
    key: tuple[Any, ...]  # ("message", its id) or ("press", the question's message id, data)


@dataclass
class Official:
    """One simulated official: where they are in the script, and what they are waiting for."""

    id: int
    answered: int = 0  # inputs whose next question has arrived
    waiting_from: int | None = None  # how many messages they had when they sent the last input
    sent_at: float = 0.0
    latencies: list[float] = field(default_factory=list)
    inputs: list[Input] = field(default_factory=list)

    @property
    def finished(self) -> bool:
        return self.answered == len(SCRIPT)

    def expected_step(self) -> str:
        return SCRIPT[self.answered + 1][1] if self.answered + 1 < len(SCRIPT) else "done"


class Crowd:
    def __init__(self, api: FakeBotApi, size: int, first_id: int = 10_000) -> None:
        self.api = api
        self.next_id = first_id
        self.officials: dict[int, Official] = {}
        self.finished: list[Official] = []
        self.events: list[tuple[float, str]] = []
        self.owed: list[Official] = []  # whose answer a killed bot stored, not its question
        self.unpaid: list[int] = []  # who had to ask with /start for a question owed to them
        for _ in range(size):
            self._join()

    def _join(self) -> None:
        self.officials[self.next_id] = Official(self.next_id)
        self.next_id += 1

    def everyone(self) -> list[Official]:
        return [*self.finished, *self.officials.values()]

    def step(self, keep_size: bool = True) -> int:
        """Everyone who has their next question answers it; returns how many inputs went out."""
        sent = 0
        for official in list(self.officials.values()):
            if official.waiting_from is not None and not self._replied(official):
                continue
            if official.finished:
                del self.officials[official.id]
                self.finished.append(official)
                if keep_size:
                    self._join()
                continue
            self._send(official)
            sent += 1
        return sent

    def _replied(self, official: Official) -> bool:
        messages = self.api.by_chat.get(official.id, [])  # appended to, never changed
        if len(messages) <= official.waiting_from:
            return False  # nothing new: the cheap answer for most, most of the time
        expected = official.expected_step()
        text = expected_questions()[official.answered + 1]
        new = messages[official.waiting_from :]
        reply = next((m for m in new if is_reply(m, expected, text)), None)
        if reply is None:
            if any(is_refusal(m) for m in new):  # not taken: a person types it again
                self._send(official)
            return False
        official.latencies.append(reply.at - official.sent_at)  # until the bot sent it
        official.answered += 1
        official.waiting_from = None
        return True

    def _send(self, official: Official) -> None:
        typed, step = SCRIPT[official.answered]
        messages = self.api.by_chat.get(official.id, [])
        official.waiting_from, official.sent_at = len(messages), time.monotonic()
        question = next((m for m in reversed(messages) if step_of(m) == step), None)
        options = [
            b["callback_data"]
            for row in (question.buttons if question else [])
            for b in row
            if b["callback_data"].startswith("c|")
        ]
        if official.id % 2 == 0 and typed.isdigit() and int(typed) <= len(options):
            data = options[int(typed) - 1]
            self.api.press(official.id, question, data)
            key: tuple[Any, ...] = ("press", question.params["message_id"], data)
            official.inputs.append(Input(time.monotonic(), f"press {typed}", key))
        else:
            key = ("message", self.api.message(official.id, typed))
            official.inputs.append(Input(time.monotonic(), typed, key))

    def settle(self, timeout: float) -> int:
        """Send nothing more; wait for the replies still due. Returns how many never came."""
        deadline = time.monotonic() + timeout
        waiting = [o for o in self.officials.values() if o.waiting_from is not None]
        while waiting and time.monotonic() < deadline:
            waiting = [o for o in waiting if not self._replied(o)]
            time.sleep(0.02)
        return len(waiting)

    def resend_lost(self, store: Store, expected: list[Any]) -> list[int]:
        """After a kill, before the next start: those whose input the killed bot took and lost
        send it again, as a person who got no answer would; returns who did.

        Only what is lost. An input whose answer is stored is owed its question, which the
        next bot sends at start (catch_up); one still waiting at Telegram (the killed bot had
        not confirmed it) is handed to the next bot. Sent again, either would be taken as the
        answer to the question after it, before that question was even shown.
        /start is the exception: it records no answer, and a newcomer's welcome is not owed.
        """
        resent, self.owed = [], []
        for official in self.officials.values():
            if official.waiting_from is None or self._replied(official):
                continue
            stored = essence(store.active_review(f"telegram:{official.id}"))
            if official.answered > 0 and stored == expected[official.answered + 1]:
                self.owed.append(official)
            elif not self._at_telegram(official):
                self._send(official)
                resent.append(official.id)
        return resent

    def ask_where_they_are(
        self, timeout: float = 15, alive: Callable[[], bool] = lambda: True
    ) -> list[int]:
        """After the next bot has started: those whose answer was stored but whose next
        question did not come send /start, as a person left waiting would; it shows where they
        are and records nothing. Returns who had to. The bot sends what it owes just after it
        starts serving, alongside new input: each is given up to `timeout` seconds for it,
        while the bot stays `alive`."""
        deadline = time.monotonic() + timeout
        unpaid = [o for o in self.owed if o.waiting_from is not None]
        while True:
            unpaid = [o for o in unpaid if not self._replied(o)]
            if not unpaid or time.monotonic() >= deadline or not alive():
                break
            time.sleep(0.05)
        for official in unpaid:
            message_id = self.api.message(official.id, "/start")
            official.inputs.append(Input(time.monotonic(), "/start", ("message", message_id)))
        self.unpaid += [o.id for o in unpaid]
        return [o.id for o in unpaid]

    def _at_telegram(self, official: Official) -> bool:
        """Whether the official's last input still waits at Telegram, unconfirmed."""
        with self.api.changed:
            waiting = list(self.api._updates)  # the fake API's queue: what no bot confirmed
        last = official.inputs[-1].key
        for update in waiting:
            if "message" in update and ("message", update["message"]["message_id"]) == last:
                return True
            if "callback_query" in update:
                query = update["callback_query"]
                if ("press", query["message"]["message_id"], query["data"]) == last:
                    return True
        return False

    def check(self, store: Store, expected: list[Any]) -> int:
        """Every answer that was followed by its next question is stored, exactly once: each
        review is as after the inputs answered, or one more (taken, its reply not yet sent)."""
        for official in self.everyone():
            stored = essence(store.active_review(f"telegram:{official.id}"))
            allowed = expected[official.answered : official.answered + 2]
            if stored not in allowed:
                at = next(
                    (f"as after {i} inputs" for i, e in enumerate(expected) if e == stored), None
                )
                raise AssertionError(
                    f"official {official.id} after {official.answered} answers: stored "
                    f"{at or f'as after no inputs of the script: {stored}'}\n"
                    + self.transcript(official)
                )
        return sum(o.answered for o in self.everyone())

    def note(self, event: str) -> None:
        """A moment worth showing in a transcript: a kill, a start."""
        self.events.append((time.monotonic(), event))

    def transcript(self, official: Official, last: int = 30) -> str:
        """What the official sent and the bot sent them, in time order, with the bot's kills
        and starts meanwhile: the evidence when a check fails."""
        lines = [(i.at, f"  official  {i.typed!r} {i.key}") for i in official.inputs]
        lines += [
            (
                call.at,
                f"  bot       {step_of(call)} ({call.method} {call.params.get('message_id')}: "
                f"{plain_text(call.text)[:40]!r})",
            )
            for call in self.api.by_chat.get(official.id, [])
        ]
        lines = sorted(lines)[-last:]
        since = lines[0][0] if lines else 0.0
        lines = sorted([*lines, *((at, f"--- {e}") for at, e in self.events if at >= since)])
        return f"official {official.id}, {official.answered} answered:\n" + "\n".join(
            f"{at - since:9.3f} {line}" for at, line in lines
        )

    def finish(self, timeout: float) -> None:
        """Everyone under way goes on to the end (nobody new joins), with the bot running."""
        deadline = time.monotonic() + timeout
        while self.officials and time.monotonic() < deadline:
            if not self.step(keep_size=False):
                time.sleep(0.01)
        stuck = [self.transcript(o, last=8) for o in list(self.officials.values())[:3]]
        assert not self.officials, (
            f"{len(self.officials)} never got their next question, e.g.\n" + "\n\n".join(stuck)
        )

    def run_for(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if not self.step():
                time.sleep(0.005)
