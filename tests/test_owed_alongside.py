"""Questions owed after a crash go out alongside new input, never ahead of it."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import make_engine
from tests.crowd import step_of
from tests.fake_bot_api import FakeBotApi
from tests.telegram_harness import InProcessBot, Official

OWED = 12
NEWCOMER = 999


def test_a_fresh_input_is_answered_before_the_questions_owed_are_all_sent(
    api: FakeBotApi, tmp_path: Path
) -> None:
    # What a bot killed after saving answers, before sending the next questions, leaves.
    engine = make_engine(tmp_path / "db")
    owed = [f"telegram:{100 + number}" for number in range(OWED)]
    for rid in owed:
        engine.current(rid, "sv")
        engine.answer(rid, "1")
    bot = InProcessBot(api, tmp_path / "db").start(settle=False)
    try:
        newcomer = Official(api, NEWCOMER)
        newcomer.send("/start")
        sent = [call for call in api.calls if call.method == "sendMessage"]
        welcome = next(i for i, c in enumerate(sent) if int(c.params["chat_id"]) == NEWCOMER)
        assert welcome < OWED, f"the newcomer waited for all {OWED} owed questions"
        bot.settle()
        for rid in owed:  # and still every owed question is sent, once
            steps = [step_of(call) for call in api.sent(int(rid.removeprefix("telegram:")))]
            assert steps == ["q.definition"], (rid, steps)
        assert step_of(newcomer.messages()[-1]) == "intro"
    finally:
        bot.stop()
