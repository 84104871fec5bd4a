"""Polling under load: updates are taken in batches, not one poll each."""

from __future__ import annotations

import time
from pathlib import Path

from bot.telegram.app import POLL_INTERVAL
from tests.bot_process import BotProcess
from tests.fake_bot_api import FakeBotApi

PEOPLE = 60
APART = 0.025  # seconds between two people's first messages: 40 a second


def test_a_busy_moment_is_polled_in_batches(api: FakeBotApi, tmp_path: Path) -> None:
    """Telegram answers a poll as soon as anything waits: without a pause between polls, each
    of these messages would cost a poll of its own (as much CPU as answering it)."""
    bot = BotProcess(api, tmp_path / "db", tmp_path / "bot.log")
    try:
        assert bot.start()
        began, polls_before = time.monotonic(), len(api.polled)
        for person in range(PEOPLE):
            api.message(1000 + person, "/start")
            time.sleep(APART)
        ended = time.monotonic()
        api.wait_for(lambda _: all(api.sent(1000 + p) for p in range(PEOPLE)), timeout=30)
        polls = [moment for moment in api.polled[polls_before:] if moment <= ended]
        assert len(polls) <= (ended - began) / POLL_INTERVAL + 2, (len(polls), ended - began)
        assert bot.stop() == 0
    finally:
        bot.close()
