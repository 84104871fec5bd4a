"""The real bot process, killed (SIGKILL) at random moments while officials answer at once."""

from __future__ import annotations

import os
import random
from pathlib import Path

from storage.store import Store
from tests.bot_process import BotProcess
from tests.crowd import SCRIPT, Crowd, expected_reviews
from tests.fake_bot_api import FakeBotApi

KILLS = int(os.environ.get("SELFREVIEW_KILLS", "200"))
OFFICIALS = 12


def test_killed_at_random_moments_the_bot_loses_no_answer_and_records_none_twice(
    api: FakeBotApi, tmp_path: Path
) -> None:
    expected = expected_reviews(tmp_path / "reference")
    folder = tmp_path / "db"
    bot = BotProcess(api, folder, tmp_path / "bot.log")
    crowd = Crowd(api, OFFICIALS)
    chance = random.Random(200)
    bot.start()
    checked = 0
    for _ in range(KILLS):
        crowd.run_for(chance.uniform(0.05, 0.8))
        bot.kill()
        checked += crowd.check(Store(folder), expected)  # opened afresh: it must load
        bot.start()
        api.idle(0.3)  # what the killed bot had taken but not confirmed is handed over again
        crowd.resend_unanswered()
    while crowd.officials:  # everyone still under way finishes, with the bot left running
        crowd.step(keep_size=False)
        api.idle(0.05)
    assert bot.stop() == 0
    checked += crowd.check(Store(folder), expected)
    finished = crowd.everyone()
    assert all(official.answered == len(SCRIPT) for official in finished)
    assert len(finished) > OFFICIALS  # some went all the way through between the kills
    log = (tmp_path / "bot.log").read_text(encoding="utf-8")
    assert "ERROR" not in log and "Traceback" not in log, log[-3000:]
    print(f"\n{KILLS} kills, {len(finished)} whole reviews, {checked} stored answers checked")
