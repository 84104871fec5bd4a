"""Many officials at once, each working through the whole review over the fake Bot API.

Each one sends the next input of the script (a button press where the question has one,
else typed text), waits for the question after it, and goes on. What each has had
answered, and what the database must therefore hold, is known at every moment: the tests
and benchmarks that kill the bot or make Telegram fail check the database against it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dialogues.review.engine import Engine
from storage.store import Store
from tests.conftest import make_engine
from tests.fake_bot_api import Call, FakeBotApi
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


@dataclass
class Official:
    """One simulated official: where they are in the script, and what they are waiting for."""

    id: int
    answered: int = 0  # inputs whose next question has arrived
    waiting_from: int | None = None  # how many messages they had when they sent the last input
    sent_at: float = 0.0
    latencies: list[float] = field(default_factory=list)

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
        reply = next((m for m in messages[official.waiting_from :] if step_of(m) == expected), None)
        if reply is None:
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
            self.api.press(official.id, question, options[int(typed) - 1])
        else:
            self.api.message(official.id, typed)

    def settle(self, timeout: float) -> int:
        """Send nothing more; wait for the replies still due. Returns how many never came."""
        deadline = time.monotonic() + timeout
        waiting = [o for o in self.officials.values() if o.waiting_from is not None]
        while waiting and time.monotonic() < deadline:
            waiting = [o for o in waiting if not self._replied(o)]
            time.sleep(0.02)
        return len(waiting)

    def resend_unanswered(self) -> int:
        """Those whose input was lost (taken by a bot that was then killed) send it again,
        as a person who got no answer would."""
        waiting = [o for o in self.officials.values() if o.waiting_from is not None]
        for official in waiting:
            if not self._replied(official):
                self._send(official)
        return len(waiting)

    def check(self, store: Store, expected: list[Any]) -> int:
        """Every answer that was followed by its next question is stored, exactly once: each
        review is as after the inputs answered, or one more (taken, its reply not yet sent)."""
        for official in self.everyone():
            stored = essence(store.active_review(f"telegram:{official.id}"))
            allowed = expected[official.answered : official.answered + 2]
            assert stored in allowed, (
                f"official {official.id} after {official.answered} answers: stored {stored}"
            )
        return sum(o.answered for o in self.everyone())

    def run_for(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if not self.step():
                time.sleep(0.005)
