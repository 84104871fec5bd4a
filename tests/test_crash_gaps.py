"""Two ways a crash used to leave a person stuck, each proven fixed against the real process.

Found by the crash test (tests/test_crashes.py), which flaked with `official ... stored as
after answered + 2 inputs`: its crowd re-sent an input when no reply came within 0.3 s of a
restart, and the bot took the copy as the answer to the next question.

1. An answer saved after a crash that lost the record of the question shown before it (the
   bot was killed between sending a newcomer's welcome and noting it as shown) is owed its
   next question: catch_up sends it at start-up.
2. A typed input is taken only as the answer to the question the person had in front of
   them: the same answer typed twice while the bot was down is taken once.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.bot_process import BotProcess
from tests.conftest import make_engine
from tests.crowd import step_of
from tests.fake_bot_api import FakeBotApi


@pytest.fixture
def bot(api: FakeBotApi, tmp_path: Path) -> Iterator[BotProcess]:
    process = BotProcess(api, tmp_path / "db", tmp_path / "bot.log")
    yield process
    process.close()


def last_step(api: FakeBotApi, chat: int) -> str | None:
    return next((step_of(m) for m in reversed(api.shown(chat)) if step_of(m)), None)


def test_an_answer_saved_after_its_question_was_lost_is_owed_the_next_question(
    api: FakeBotApi, bot: BotProcess, tmp_path: Path
) -> None:
    # What a bot killed twice leaves (seen in the crash test): the welcome was sent, the bot
    # killed before noting it as shown; the next bot saved the answer to it, and was killed
    # before sending the next question. The respondent has no `telegram` record at all.
    engine = make_engine(tmp_path / "db")
    engine.current("telegram:111", "sv")
    assert engine.answer("telegram:111", "1").prompt.step == "q.definition"
    assert "telegram" not in engine.store.respondent("telegram:111")
    assert bot.start()  # sends what is owed once it serves, alongside new input
    api.wait_for(lambda _: last_step(api, 111) == "q.definition")


def test_an_answer_typed_twice_while_the_bot_was_down_is_taken_once(
    api: FakeBotApi, bot: BotProcess, tmp_path: Path
) -> None:
    assert bot.start()
    api.message(112, "/start")
    api.wait_for(lambda _: last_step(api, 112) == "intro")
    api.message(112, "1")
    api.wait_for(lambda _: last_step(api, 112) == "q.definition")
    api.idle(0.3)
    bot.kill()
    api.message(112, "2")  # "our own definition": no answer, the bot is down ...
    api.message(112, "2")  # ... so the person sends it again
    assert bot.start()
    api.wait_for(lambda _: last_step(api, 112) in ("f.definition", "q.knowledge"))
    api.idle(0.5)
    assert bot.stop() == 0
    review = make_engine(tmp_path / "db").store.active_review("telegram:112")
    # The second "2" was typed before the follow-up question was shown: not its answer.
    assert (review["state"], review["follow_ups"]) == ("f.definition", {})
