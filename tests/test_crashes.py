"""The real bot process, killed (SIGKILL) while officials answer at once.

At chosen moments (`make test`): inside an atomic write, between saving an answer and
sending the next question, right after sending; tests/bot_hooks/sitecustomize.py kills the
bot there, from outside the product code. At random moments, 200 times: `make proof`.

After each kill the folder must load and hold every answer that was followed by its next
question, none twice; after the restart everyone carries on to the end of the review.

The crowd re-sends only what the killed bot took and lost (Crowd.resend_lost): a copy of an
input that was not lost is taken by the bot as the answer to the next question. Who was owed
a question and did not get it at start-up asks with /start; tests/test_crash_gaps.py pins
both gaps in the bot.
"""

from __future__ import annotations

import json
import os
import random
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from storage.store import Store
from tests.bot_process import BotProcess
from tests.crowd import SCRIPT, Crowd, expected_reviews
from tests.fake_bot_api import FakeBotApi

KILLS = int(os.environ.get("SELFREVIEW_KILLS", "200"))
OFFICIALS = 12

# Where each run of the bot is killed, run after run: the n-th such moment since it started
# (see tests/bot_hooks/sitecustomize.py). A first moment is often at start-up, in paying
# what the previous kill left owed.
#   write   any atomic write: the temporary file written, not yet renamed over the file
#   answer  the atomic write of an answer: taken, not stored
#   send    an answer saved, its next question not sent
#   sent    a question sent, not yet noted as shown
CHOSEN = [
    ("answer", 4),
    ("send", 6),
    ("sent", 6),
    ("write", 9),
    ("send", 1),
    ("sent", 1),
    ("write", 1),
    ("answer", 20),
]


@pytest.fixture
def run(api: FakeBotApi, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[CrashedBot]:
    crashed = CrashedBot(api, tmp_path, getattr(request, "param", OFFICIALS))
    yield crashed
    crashed.bot.close()


class CrashedBot:
    """The bot, the crowd answering it, and the checks after each kill and at the end."""

    def __init__(self, api: FakeBotApi, tmp_path: Path, officials: int) -> None:
        self.api, self.folder, self.log = api, tmp_path / "db", tmp_path / "bot.log"
        self.expected = expected_reviews(tmp_path / "reference")
        self.bot = BotProcess(api, self.folder, self.log)
        self.crowd = Crowd(api, officials)
        self.checked = 0

    def killed(self) -> None:
        """After the bot died: the folder loads (opened afresh) and holds what it must; whoever
        lost an input with the killed bot sends it again."""
        store = Store(self.folder)
        self.checked += self.crowd.check(store, self.expected)
        resent = self.crowd.resend_lost(store, self.expected)
        self.crowd.note(f"killed; sent again by {resent}")

    def started(self, env: dict[str, str] | None = None) -> bool:
        """The next bot started (False: killed at start-up); whoever it did not send the
        question it owed them asks where they are."""
        up = self.bot.start(env)
        if up:
            self.crowd.note(
                f"started; owed, not sent, to {self.crowd.ask_where_they_are(alive=self.bot.running)}"
            )
        return up

    def finish(self) -> None:
        """With the bot left running, everyone under way finishes; nothing was lost."""
        if not self.bot.running():
            assert self.started()
        self.crowd.finish(timeout=300)
        assert self.bot.stop() == 0
        self.checked += self.crowd.check(Store(self.folder), self.expected)
        finished = self.crowd.everyone()
        assert all(official.answered == len(SCRIPT) for official in finished)
        log = self.log.read_text(encoding="utf-8")
        assert "ERROR" not in log and "Traceback" not in log, log[-3000:]


def temporary_files(folder: Path) -> dict[Path, tuple[int, int]]:
    return {p: (p.stat().st_mtime_ns, p.stat().st_size) for p in folder.rglob("*.tmp")}


def sends(api: FakeBotApi) -> int:
    return sum(1 for call in api.calls if call.method == "sendMessage")


@pytest.mark.parametrize("run", [8], indirect=True)  # officials: fewer, to finish sooner
def test_killed_at_chosen_moments_the_bot_loses_no_answer_and_records_none_twice(
    api: FakeBotApi, run: CrashedBot
) -> None:
    for moment, number in CHOSEN:
        temporary, sent_before = temporary_files(run.folder), sends(api)
        chosen = f"{moment}:{number}"
        run.crowd.note(f"starting, to be killed at {chosen}")
        if run.started({"SELFREVIEW_TEST_KILL": chosen}):
            deadline = time.monotonic() + 60
            while run.bot.running() and time.monotonic() < deadline:
                run.crowd.run_for(0.02)
        assert run.bot.process.wait(10) == -signal.SIGKILL, f"not killed at {chosen}"
        if moment in ("write", "answer"):  # killed between the temporary file and the rename
            written = {
                p for p, seen in temporary_files(run.folder).items() if temporary.get(p) != seen
            }
            assert written, f"no temporary file written before the kill at {chosen}"
            if moment == "answer":
                assert any(answer_not_in_file(path) for path in written), chosen
        elif moment == "send":  # the n-th send never reached Telegram
            assert sends(api) - sent_before <= number - 1, chosen
        else:  # the n-th send did
            assert sends(api) - sent_before >= number, chosen
        run.killed()
    run.finish()
    print(
        f"\n{len(CHOSEN)} kills at chosen moments, {run.checked} stored answers checked; owed questions not sent: {run.crowd.unpaid}"
    )


def answer_not_in_file(temporary: Path) -> bool:
    """The temporary file holds a review the file itself does not: an answer not yet stored.
    (The kill may also cut another thread's write short: such a file holds no whole answer.)"""
    try:
        reviews: Any = json.loads(temporary.read_text(encoding="utf-8")).get("reviews")
    except json.JSONDecodeError:
        return False
    target = temporary.with_name(temporary.name.rsplit(".", 2)[0])  # <name>.<random>.tmp
    before = (
        json.loads(target.read_text(encoding="utf-8")).get("reviews") if target.exists() else None
    )
    return reviews != before


@pytest.mark.proof
def test_killed_at_random_moments_the_bot_loses_no_answer_and_records_none_twice(
    run: CrashedBot,
) -> None:
    chance = random.Random(200)
    run.started()
    for _ in range(KILLS):
        run.crowd.run_for(chance.uniform(0.05, 0.8))
        run.bot.kill()
        run.killed()
        run.started()
    run.finish()
    if KILLS >= 100:  # long enough that some went all the way through between the kills
        assert len(run.crowd.everyone()) > OFFICIALS
    print(
        f"\n{KILLS} kills, {len(run.crowd.everyone())} whole reviews, {run.checked} checked; owed questions not sent: {run.crowd.unpaid}"
    )
