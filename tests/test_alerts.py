"""SELFREVIEW_ADMIN_CHAT: the operators' chat hears of unexpected errors, with the kind and
where in our code but never what anyone typed, at most once in ten minutes, and a chat that
cannot be reached never stops the bot. The real Application, in-process (telegram_harness)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from telegram.error import NetworkError

from bot.config import ConfigError, Settings
from bot.telegram.alerts import INTERVAL, JOB_NAME, Alerts, where
from bot.telegram.app import build_application
from tests.fake_bot_api import TOKEN, Call, FakeBotApi, Trouble
from tests.telegram_harness import NOWHERE, InProcessBot, Official

ADMIN = -1009876543210  # a group's id
ANNA = 48151623
ANSWER = "Alla utan eget kontrakt, enligt vår egen kartläggning 2026"


class BotWithAdminChat(InProcessBot):
    """InProcessBot with SELFREVIEW_ADMIN_CHAT set, and a clock the test moves."""

    now = 1000.0

    def start(self) -> BotWithAdminChat:
        settings = Settings(TOKEN, NOWHERE, self.db, self.coordinators, admin_chat=ADMIN)
        self.application = build_application(settings, self.engine, self.request)
        self.alerts.clock = lambda: self.now
        self.run(self._start())
        self.api.attach(self)
        return self

    @property
    def alerts(self) -> Alerts:
        return self.application.bot_data["alerts"]


@pytest.fixture
def bot(api: FakeBotApi, tmp_path: Path) -> Iterator[BotWithAdminChat]:
    running = BotWithAdminChat(api, tmp_path / "db").start()
    yield running
    running.stop()


def at_the_typed_question(api: FakeBotApi) -> tuple[Official, Call]:
    """Anna answers a question by typing; that question keeps its buttons (now stale)."""
    anna = Official(api, ANNA)
    anna.send("/start")
    anna.tap("Börja")
    anna.tap("En egen definition")  # then a question answered by typing
    stale = anna.prompt()
    anna.send(ANSWER)
    return anna, stale


def fail_a_stale_press(
    api: FakeBotApi, anna: Official, stale: Call, chats: set[int] | None
) -> None:
    """Anna presses a button of the question she answered by typing, and Telegram fails taking
    its buttons off (so they stay, to press again): an unexpected error. With `chats` None,
    every send fails as well, the admin chat's too."""
    methods = ("editMessageReplyMarkup",) if chats else ("editMessageReplyMarkup", "sendMessage")
    api.trouble = Trouble(error_500=1.0, methods=methods, chats=chats)
    anna.press(stale.buttons[0][0]["callback_data"], stale)
    api.trouble = None


def told(api: FakeBotApi) -> list[str]:
    return [call.text for call in api.sent(ADMIN)]


def test_the_admin_chat_is_told_the_kind_and_place_of_an_error_and_never_what_was_typed(
    api: FakeBotApi, bot: BotWithAdminChat
) -> None:
    anna, stale = at_the_typed_question(api)
    assert told(api) == []
    fail_a_stale_press(api, anna, stale, chats={ANNA})
    (message,) = told(api)
    assert re.fullmatch(
        r"selfreview: unexpected NetworkError at bot/telegram/\w+\.py:\d+ \(\w+\), "
        r"handling respondent [0-9a-f]{16}\. The log has the rest\.",
        message,
    ), message
    assert "pacing.py" not in message  # where our code was, not the limiter every call passes
    assert str(ANNA) not in message and TOKEN not in message
    assert "error_500" not in message  # the error's own message: it may quote a person
    assert not set(ANSWER.split()) & set(message.split())


def test_errors_within_ten_minutes_are_held_back_and_counted_in_one_message(
    api: FakeBotApi, bot: BotWithAdminChat
) -> None:
    anna, stale = at_the_typed_question(api)
    fail_a_stale_press(api, anna, stale, chats={ANNA})
    bot.now += INTERVAL - 1
    for _ in range(3):
        fail_a_stale_press(api, anna, stale, chats={ANNA})
    assert len(told(api)) == 1
    # At the end of the ten minutes (the job queue's timer; no clock runs in the test).
    bot.now += 1
    bot.run_job(JOB_NAME)
    assert told(api)[1] == (
        "selfreview: 3 more unexpected errors held back: NetworkError ×3. The log has the rest."
    )
    bot.now += INTERVAL - 1  # a new interval began with that message
    fail_a_stale_press(api, anna, stale, chats={ANNA})
    assert len(told(api)) == 2
    bot.now += INTERVAL
    fail_a_stale_press(api, anna, stale, chats={ANNA})  # the one held is told with the next
    assert told(api)[2].startswith("selfreview: unexpected NetworkError at bot/")
    assert told(api)[2].endswith(
        "1 more unexpected error held back: NetworkError ×1. The log has the rest."
    )


def test_an_admin_chat_that_cannot_be_reached_never_stops_the_bot(
    api: FakeBotApi, bot: BotWithAdminChat, caplog: pytest.LogCaptureFixture
) -> None:
    anna, stale = at_the_typed_question(api)
    fail_a_stale_press(api, anna, stale, chats=None)  # the admin chat fails as well
    assert told(api) == []
    assert "the admin chat could not be told of an error (NetworkError)" in caplog.text
    # The bot goes on: Anna's answer was saved, and she is answered again.
    assert "Överblick: 1 av 7 besvarade" in anna.send("/status")[-1].text
    review = bot.engine.store.active_review(f"telegram:{ANNA}")
    assert review["follow_ups"]["definition"]["text"] == ANSWER


def test_polling_through_a_network_failure_tells_no_one(
    api: FakeBotApi, bot: BotWithAdminChat
) -> None:
    """python-telegram-bot retries its polling itself; only errors it cannot handle count."""
    bot.run(bot.application.process_error(None, NetworkError("Bad Gateway")))
    bot.settle()
    assert told(api) == []
    bot.run(bot.application.process_error(None, KeyError("x")))
    bot.settle()
    assert told(api) == ["selfreview: unexpected KeyError at no traceback. The log has the rest."]


def test_without_an_admin_chat_only_the_person_is_told(api: FakeBotApi, tmp_path: Path) -> None:
    plain = InProcessBot(api, tmp_path / "db").start()
    try:
        assert "alerts" not in plain.application.bot_data
        assert len(plain.application.error_handlers) == 1
    finally:
        plain.stop()


def test_where_names_the_innermost_line_of_our_code(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as raised:
        Settings.load({"SELFREVIEW_API_RATE": "what someone typed"}, tmp_path / "none")
    assert re.fullmatch(r"bot/config\.py:\d+ \(_rate\)", where(raised.value))
