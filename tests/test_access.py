"""Who may see and do what, and that /delete leaves nothing of a person on disk."""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.telegram.app import quiet_logging
from storage import migrations
from tests.conftest import play
from tests.fake_bot_api import TOKEN, FakeBotApi
from tests.script import WHOLE_REVIEW
from tests.telegram_harness import InProcessBot, Official
from tests.test_telegram_coordinators import BOSS, invite, join

ANNA, BO = 777123, 888456
ANNA_TEXT = "Vi räknar bara akut hemlöshet, sa Anna"
BO_TEXT = "Bo tycker att definitionen är för snäv"


@pytest.fixture
def bot(api: FakeBotApi, tmp_path: Path) -> Iterator[InProcessBot]:
    running = InProcessBot(api, tmp_path / "db", coordinators=frozenset({BOSS})).start()
    yield running
    running.stop()


def file_key(user_id: int) -> str:
    """The name of a person's file under respondents/ (their id, base64url)."""
    return base64.urlsafe_b64encode(f"telegram:{user_id}".encode()).decode().rstrip("=")


def answer_definition(official: Official, text: str) -> None:
    official.tap("Börja")
    official.press(official.option_data(2))  # "our own definition", then its follow-up
    official.send(text)


def traces(folder: Path, *needles: str) -> list[str]:
    """Every file under the folder whose name or content holds one of the needles."""
    found = []
    for path in folder.rglob("*"):
        if path.is_file():
            content = path.read_text(encoding="utf-8", errors="replace")
            found += [f"{path}: {n}" for n in needles if n in content or n in path.name]
    return found


def test_delete_leaves_no_trace_on_disk_and_the_export_holds_all_and_only_ones_own(
    api: FakeBotApi, bot: InProcessBot
) -> None:
    boss = Official(api, BOSS)
    anna = Official(api, ANNA)
    token = invite(boss, "Uppsala").split("=", 1)[1]
    anna.send(f"/start {token}")
    anna.tap("Socialtjänsten")
    anna.send("/start notTheRightCode1")  # a wrong code: kept, to slow guessing down
    answer_definition(anna, ANNA_TEXT)
    bo = join(api, boss, BO, "Uppsala", "Socialtjänsten")
    answer_definition(bo, BO_TEXT)
    boss.send("/schedule nudge Uppsala 1")
    bot.programme.store.claim(f"nudge:x:telegram:{ANNA}:2026-11-01")  # a nudge sent to her
    review_id = bot.engine.store.active_review(f"telegram:{ANNA}")["id"]
    bot.programme.store.claim(f"follow-up:{review_id}:0")  # and a follow-up question
    migrations.backup(bot.db, 2)  # a copy of the folder, as an upgrade makes

    anna.send("/export")
    anna.tap("JSON")
    (sent,) = [c for c in api.sent(ANNA, "sendDocument")]
    exported = json.loads(sent.files["document"])
    assert exported["respondent"]["municipality"] == "0380"
    assert exported["reviews"][0]["follow_ups"]["definition"]["text"] == ANNA_TEXT
    assert exported["programme"]["reminders_sent"] == [
        f"nudge:x:telegram:{ANNA}:2026-11-01",
        f"follow-up:{review_id}:0",
    ]
    assert exported["programme"]["wrong_invitation_codes"]["wrong"] == 1
    text = sent.files["document"].decode()
    assert str(BO) not in text and BO_TEXT not in text and TOKEN not in text

    key = file_key(ANNA)
    assert len(traces(bot.db, str(ANNA), key, ANNA_TEXT)) >= 4  # live, backup, programme...
    anna.send("/delete")
    anna.tap("Ja, radera allt")
    assert traces(bot.db, str(ANNA), key, ANNA_TEXT) == []
    assert traces(bot.db, str(BO), BO_TEXT)  # the others' answers are all still there
    assert bot.programme.store.schedules()  # and the coordinator's schedule


def test_one_municipality_cannot_reach_anothers_data(api: FakeBotApi, bot: InProcessBot) -> None:
    boss = Official(api, BOSS)
    anna = join(api, boss, ANNA, "Uppsala", "Socialtjänsten")
    bo = join(api, boss, BO, "Umeå", "Socialtjänsten")
    answer_definition(bo, BO_TEXT)
    play(bot.engine, f"telegram:{BO}", WHOLE_REVIEW[3:])  # on from where the buttons left off
    review_id = bot.engine.store.active_review(f"telegram:{BO}")["id"]
    assert (
        anna.send("/consolidated Umeå")[-1].text
        == "Ni kan bara läsa sammanställningen för er egen kommun."
    )
    assert anna.send("/export Umeå")[-1].text == "Det här kommandot är för samordnare."
    toast = anna.press("o|24|0")  # the overview of Västerbotten, forged
    assert not toast and anna.last_toast() == "Det här kommandot är för samordnare."
    anna.press(f"f|{review_id[:8]}.0|done")  # forged: someone else's commitment
    assert all(
        "follow_up" not in item
        for item in bot.engine.store.active_review(f"telegram:{BO}")["letter"]["items"]
    )
    everything = "\n".join(c.text for c in anna.messages())
    assert BO_TEXT not in everything and "Umeå" not in everything.replace("/consolidated Umeå", "")


def test_logs_hold_neither_the_token_nor_answers(
    api: FakeBotApi, bot: InProcessBot, caplog: pytest.LogCaptureFixture
) -> None:
    quiet_logging(TOKEN)  # as `selfreview run` sets logging up
    caplog.set_level(logging.INFO)
    boss = Official(api, BOSS)
    anna = join(api, boss, ANNA, "Uppsala", "Socialtjänsten")
    answer_definition(anna, ANNA_TEXT)
    anna.send("19750101-1236")  # refused: a personal identity number
    anna.send("/export")
    anna.tap("PDF")
    boss.send("/remind Uppsala Hej")
    boss.send("/export alla")
    (bot.db / "respondents" / f"{file_key(ANNA)}.json").write_text("{damaged", encoding="utf-8")
    anna.send(ANNA_TEXT)  # fails: logged with its traceback, which must not hold the answer
    logged = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    assert "handling an update failed: DamagedFileError" in logged  # logged, but nothing private
    chatter = [r.name for r in caplog.records if r.name.startswith(("transitions", "apscheduler"))]
    assert chatter == []  # not a line for every move through the questions or every job run
    for private in (TOKEN, ANNA_TEXT, "19750101-1236", str(ANNA)):
        assert private not in logged
    for document in api.calls:
        for content in document.files.values():
            assert TOKEN.encode() not in content
