"""Fixtures: a real store in a temporary folder and an engine on it, with a fixed 'today'."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from dialogues.review.engine import Engine
from dialogues.review.prompts import Reply
from storage.store import Store
from tests.fake_bot_api import TOKEN, FakeBotApi
from tests.script import WHOLE_REVIEW

TODAY = date(2026, 11, 24)
os.environ.setdefault("PTB_TIMEDELTA", "1")  # as `selfreview run` does


def make_engine(folder: Path) -> Engine:
    ticks = itertools.count()
    return Engine(
        Store(folder),
        today=lambda: TODAY,
        clock=lambda: f"2026-11-24T10:{next(ticks) % 60:02d}:00+00:00",
    )


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    return make_engine(tmp_path / "db")


def play(engine: Engine, respondent: str, steps: list[tuple[str, str]]) -> Reply:
    """Type each input, checking it lands on the step the script expects; return the last reply."""
    reply = engine.current(respondent)
    for typed, step in steps:
        assert reply.prompt.step == step, f"expected {step}, at {reply.prompt.step}"
        reply = engine.skip(respondent) if typed == "/skip" else engine.answer(respondent, typed)
        assert reply.error is None, f"{typed!r} at {step}: {reply.error}"
    return reply


def play_until(engine: Engine, respondent: str, step: str) -> Reply:
    """Play the whole-review script up to (not including) a step."""
    index = next(i for i, (_, at) in enumerate(WHOLE_REVIEW) if at == step)
    return play(engine, respondent, WHOLE_REVIEW[:index])


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    """A fake Telegram Bot API for the bot under test: in this process, or on 127.0.0.1 from
    the first time someone asks for its `base_url`."""
    fake = FakeBotApi(TOKEN)
    yield fake
    fake.stop()
