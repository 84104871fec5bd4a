"""Hostile input through Telegram: long random sequences of messages, commands, real, stale and
forged button presses, odd Unicode, 10,000-character texts and photos from many users at once.

Whatever arrives: no handler fails, every update gets an answer, every review stays valid,
nothing the rules refuse is stored, and nobody is ever sent anything of someone else's.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dialogues.review import flow
from tests.crowd import step_of
from tests.fake_bot_api import TOKEN, FakeBotApi
from tests.telegram_harness import InProcessBot

USERS = 6
IDENTITY_NUMBERS = ["811228-9874", "19811228-9874", "8112289874"]  # valid check digits
COMMANDS = ["/start", "/resume", "/back", "/skip", "/status", "/summary", "/export", "/language",
            "/delete", "/help", "/consolidated", "/reminders off", "/overview", "/remind alla",
            "/start aGuessedCode1234", "/nonsense", "/start " + "x" * 300]  # fmt: skip
TEXTS = st.one_of(
    st.sampled_from(["1", "2", "3", "4", "1,3", "9", "0", "Klar", "2027-06-30", "31/2 2027",
                     "1 200", "-5", "vet inte", "Ja", "\u200b", "🏠" * 50, "x" * 10_000,
                     "<b>fet</b> & <script>", "Ring 811228-9874", *IDENTITY_NUMBERS]),
    st.text(max_size=80),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40),
)  # fmt: skip
PIECES = ["c", "t", "d", "b", "s", "p", "i", "r", "x", "l", "g", "o", "f", "e", "q.definition",
          "q.mapping", "intro", "yes", "sv", "own", "🏠", "", "0", "9999"]  # fmt: skip
FORGED = st.one_of(
    st.text(max_size=64),
    st.builds("|".join, st.lists(st.sampled_from(PIECES), min_size=1, max_size=4)),
)
ACTION = st.one_of(
    st.tuples(st.just("text"), st.integers(0, USERS - 1), TEXTS),
    st.tuples(st.just("command"), st.integers(0, USERS - 1), st.sampled_from(COMMANDS)),
    st.tuples(st.just("button"), st.integers(0, USERS - 1), st.integers(0, 30)),
    st.tuples(st.just("stale"), st.integers(0, USERS - 1), st.integers(0, 30)),
    st.tuples(st.just("forged"), st.integers(0, USERS - 1), FORGED),
    st.tuples(st.just("photo"), st.integers(0, USERS - 1), st.just("")),
    st.tuples(st.just("edited"), st.integers(0, USERS - 1), TEXTS),
)


class Failures(logging.Handler):
    """Every failure a handler let through to the error handler."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(scope="module")
def running() -> Iterator[tuple[FakeBotApi, InProcessBot, Failures]]:
    api = FakeBotApi(TOKEN)
    failures = Failures()
    logging.getLogger().addHandler(failures)
    with tempfile.TemporaryDirectory() as folder:
        bot = InProcessBot(api, Path(folder) / "db").start()
        yield api, bot, failures
        bot.stop()
    logging.getLogger().removeHandler(failures)
    api.stop()


def buttons_of(api: FakeBotApi, chat: int) -> list[tuple[object, str]]:
    """(message, data) of every button the bot has sent this chat, oldest first."""
    return [
        (message, button["callback_data"])
        for message in api.shown(chat)
        for row in message.buttons
        for button in row
        if "callback_data" in button
    ]


def perform(api: FakeBotApi, kind: str, chat: int, value: object) -> bool:
    """Send one user's input; False when there is nothing to press yet."""
    buttons = buttons_of(api, chat)
    if kind == "text":
        api.message(chat, f"{value}")
    elif kind == "command":
        api.message(chat, str(value))
    elif kind == "photo":
        api.message(chat, photo=[{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}])
    elif kind == "edited":
        api.message(chat, f"{value}", kind="edited_message")
    elif not buttons:
        return False
    elif kind == "button":  # one of the buttons under the latest question
        latest = buttons[-1][0]
        live = [(m, d) for m, d in buttons if m is latest]
        message, data = live[int(value) % len(live)]
        api.press(chat, message, data)
    elif kind == "stale":  # any button ever sent, however old
        message, data = buttons[int(value) % len(buttons)]
        api.press(chat, message, data)
    else:
        api.press(chat, buttons[-1][0], str(value))
    return True


@pytest.mark.parametrize("examples", [40, pytest.param(150, marks=pytest.mark.proof)])
def test_any_sequence_from_many_users_is_answered_and_keeps_every_review_valid(
    running: tuple[FakeBotApi, InProcessBot, Failures], examples: int
) -> None:
    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(st.lists(ACTION, min_size=1, max_size=60))
    def check(actions: list) -> None:
        api, bot, failures = running
        failures.records.clear()
        base = 500_000 + len(api.calls) * USERS  # new people for every example
        people = [base + index for index in range(USERS)]
        presses = 0
        answered_before = sum(1 for c in api.calls if c.method == "answerCallbackQuery")
        messages = dict.fromkeys(people, 0)
        for kind, who, value in actions:
            if perform(api, kind, people[who], value):
                presses += kind in ("button", "stale", "forged")
                messages[people[who]] += kind in ("text", "command", "photo", "edited")
        api.idle(0.2)
        assert failures.records == [], [r.getMessage() for r in failures.records]
        answered = sum(1 for c in api.calls if c.method == "answerCallbackQuery") - answered_before
        assert answered == presses  # every press answered, once
        stored = ""
        for person in people:
            rid = f"telegram:{person}"
            review = bot.engine.store.active_review(rid)
            if review is not None:
                assert review["state"] in bot.engine.machine.states
                if review["state"] == flow.PAUSED:
                    assert review["resume_to"] in bot.engine.machine.states
                stored += repr(bot.engine.export(rid))
                bot.engine.summary(rid)
            assert len(api.sent(person)) >= messages[person]  # every message answered: no silence
            for message in api.shown(person):  # nothing of anyone else's
                assert step_of(message) is None or step_of(message) in bot.engine.machine.states
                for other in people:
                    if other != person:
                        assert f"telegram:{other}" not in message.text
        for number in IDENTITY_NUMBERS:
            assert number not in stored
        assert "x" * 1001 not in stored
        assert bot.engine.sessions.held() == []

    check()
