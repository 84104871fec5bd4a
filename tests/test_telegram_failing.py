"""Telegram failing: 429s, 500s and 502s, slow answers and hung-up connections."""

from __future__ import annotations

import asyncio
import collections
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.telegram.ordering import persons_turn
from storage.store import Store
from tests.bot_process import BotProcess
from tests.crowd import SCRIPT, Crowd, expected_reviews, step_of
from tests.fake_bot_api import FakeBotApi, Trouble
from tests.telegram_harness import InProcessBot, Official

TROUBLE_SECONDS = float(os.environ.get("SELFREVIEW_TROUBLE_SECONDS", "120"))  # make proof's


@pytest.fixture
def bot(api: FakeBotApi, tmp_path: Path) -> Iterator[InProcessBot]:
    running = InProcessBot(api, tmp_path / "db").start()
    yield running
    running.stop()


def test_a_question_telegram_failed_to_take_is_sent_when_it_is_back(
    api: FakeBotApi, bot: InProcessBot
) -> None:
    anna = Official(api, 111)
    anna.send("/start")
    anna.tap("Börja")
    api.trouble = Trouble(error_502=1.0, methods=("sendMessage", "editMessageText"))
    anna.press(anna.option_data(1))  # its edit into the next question fails
    assert bot.engine.store.active_review("telegram:111")["state"] == "q.knowledge"  # saved
    assert step_of(anna.messages()[-1]) == "q.definition"  # but not yet shown
    api.trouble = None
    bot.run_job("owed questions")  # what the job queue does every few seconds
    api.wait_for(lambda _: step_of(anna.messages()[-1]) == "q.knowledge", timeout=20)
    api.idle(1)
    assert [step_of(m) for m in anna.messages()].count("q.knowledge") == 1


def test_an_owed_question_waits_for_the_persons_turn(api: FakeBotApi, bot: InProcessBot) -> None:
    """While an input of Anna's is being handled, her owed question is not sent: the input
    could move her review on, and the question sent then would be one she has passed."""
    anna = Official(api, 111)
    anna.send("/start")
    anna.tap("Börja")
    api.trouble = Trouble(error_502=1.0, methods=("sendMessage", "editMessageText"))
    anna.press(anna.option_data(1))  # its edit into the next question fails
    api.trouble = None
    (job,) = bot.application.job_queue.get_jobs_by_name("owed questions")

    async def pay_during_her_turn() -> tuple[bool, list[str | None]]:
        async with persons_turn(bot.application, 111):  # as while an update of hers runs
            paying = asyncio.create_task(job.run(bot.application))
            await asyncio.wait({paying}, timeout=1)
            meanwhile = (paying.done(), [step_of(m) for m in anna.messages()])
        await paying
        return meanwhile

    done, shown = bot.run(pay_during_her_turn())
    assert not done and "q.knowledge" not in shown
    assert [step_of(m) for m in anna.messages()].count("q.knowledge") == 1  # after her turn


def test_a_newcomers_welcome_is_owed_too_across_a_restart(api: FakeBotApi, tmp_path: Path) -> None:
    first = InProcessBot(api, tmp_path / "db").start()
    api.trouble = Trouble(error_500=1.0, methods=("sendMessage",))
    api.message(222, "/start")
    api.idle(0.5)
    first.stop()  # stopped while Telegram fails: what is owed is on disk, not only in memory
    assert first.engine.store.respondent("telegram:222")["telegram"]["owed"] is True
    api.trouble = None
    second = InProcessBot(api, tmp_path / "db").start()
    try:
        api.wait_for(lambda _: any(step_of(m) == "intro" for m in api.sent(222)), timeout=20)
        assert "owed" not in second.engine.store.respondent("telegram:222")["telegram"]
    finally:
        second.stop()


@pytest.mark.parametrize(
    ("seconds", "retry_seconds", "least"),
    [
        # make test: a short spell, owed questions tried again every second, as in the spell
        pytest.param(15.0, 1.0, 5, id="15s"),
        # make proof: two minutes, with the bot's own interval (catch_up.RETRY_SECONDS)
        pytest.param(TROUBLE_SECONDS, None, 11, id="2min", marks=pytest.mark.proof),
    ],
)
def test_minutes_of_failures_lose_nothing_and_send_nothing_twice(
    api: FakeBotApi, tmp_path: Path, seconds: float, retry_seconds: float | None, least: int
) -> None:
    """`seconds` of trouble, longer if need be until each kind was met `least` times."""
    expected = expected_reviews(tmp_path / "reference")
    folder = tmp_path / "db"
    env = {"SELFREVIEW_TEST_RETRY_SECONDS": str(retry_seconds)} if retry_seconds else {}
    bot = BotProcess(api, folder, tmp_path / "bot.log", env)
    try:
        bot.start()
        crowd = Crowd(api, 12)
        trouble = Trouble(flood=0.04, error_500=0.04, error_502=0.04, drop=0.04, slow=0.04)
        api.trouble = trouble
        crowd.run_for(seconds)
        kinds = ("flood", "error_500", "drop", "slow")
        deadline = time.monotonic() + 60  # on a slow machine fewer calls meet trouble
        while min(trouble.met.get(k, 0) for k in kinds) < least and time.monotonic() < deadline:
            crowd.run_for(1)
        api.trouble = None
        answered_in_trouble = sum(o.answered for o in crowd.everyone())
        crowd.finish(timeout=120)  # caught up: everyone finishes
        assert bot.process.poll() is None, "the bot stopped"
        assert bot.stop() == 0
    finally:
        bot.close()
    checked = crowd.check(Store(folder), expected)
    assert all(o.answered == len(SCRIPT) for o in crowd.everyone())
    asked = collections.Counter([*(step for _, step in SCRIPT[1:]), "done"])
    for official in crowd.everyone():  # each question shown as often as it was asked: once
        shown = collections.Counter(step_of(m) for m in api.shown(official.id) if step_of(m))
        assert shown == asked, f"official {official.id}: {shown - asked} sent twice"
    assert min(trouble.met.get(k, 0) for k in kinds) >= least, trouble.met  # each, many times
    print(
        f"\n{seconds:.0f} s of trouble {trouble.met}: {answered_in_trouble} answers "
        f"taken meanwhile; {len(crowd.everyone())} reviews finished, {checked} answers checked"
    )
