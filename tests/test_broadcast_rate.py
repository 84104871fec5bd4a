"""A broadcast paces itself by the rate the bot is configured with (SELFREVIEW_API_RATE),
leaving a share of it for answering everyone else."""

from __future__ import annotations

from pathlib import Path

import pytest
from telegram import Bot

from bot.config import Settings
from bot.telegram.app import build_application
from bot.telegram.broadcast import broadcast_rate
from tests.conftest import make_engine
from tests.fake_bot_api import TOKEN, FakeBotApi, RecordingRequest

NOWHERE = "http://telegram.invalid/bot"


@pytest.mark.parametrize(
    ("configured", "paced"), [("30", 28.0), ("10", 8.0), ("3", 1.5), ("1", 0.5), ("50", 48.0)]
)
def test_a_broadcast_keeps_below_the_configured_rate(
    api: FakeBotApi, tmp_path: Path, configured: str, paced: float
) -> None:
    rate = Settings.load({"SELFREVIEW_API_RATE": configured}, tmp_path / "no.env").api_rate
    settings = Settings(TOKEN, NOWHERE, tmp_path, frozenset(), api_rate=rate)
    application = build_application(settings, make_engine(tmp_path), RecordingRequest(api))
    assert broadcast_rate(application.bot) == paced


def test_a_bot_without_a_limiter_keeps_below_telegrams_limit() -> None:
    assert broadcast_rate(Bot(TOKEN)) == 28.0
