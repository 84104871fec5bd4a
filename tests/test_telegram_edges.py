"""Telegram at its edges: replies within a message's length, button presses Telegram refuses
to answer, long lists, a failing menu, and a token revoked while the bot runs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dialogues.review.loader import default_questionnaire
from tests.fake_bot_api import MAX_TEXT_LENGTH, FakeBotApi
from tests.telegram_harness import InProcessBot, Official

BOSS = 900
LONG = "Å" * 4000  # about the longest message Telegram lets anyone send
TG_ERROR = default_questionnaire().text("tg_error", "sv")


@pytest.fixture
def bot(api: FakeBotApi, tmp_path: Path) -> Iterator[InProcessBot]:
    running = InProcessBot(api, tmp_path / "db", coordinators=frozenset({BOSS})).start()
    yield running
    running.stop()


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (f"/consolidated {LONG}", "Jag hittar ingen kommun som heter ”ÅÅÅ"),
        (f"/municipality add {LONG}", "Jag hittar ingen kommun som heter ”ÅÅÅ"),
        (f"/municipality revoke {LONG}", "Jag hittar ingen kommun som heter ”ÅÅÅ"),
        (f"/overview {LONG}", "Jag hittar ingen kommun som heter ”ÅÅÅ"),
        (f"/newround {LONG}", "Jag hittar ingen kommun som heter ”ÅÅÅ"),
        (f"/schedule remove {'x' * 4000}", "xxx"),
        (f"/coordinator add {'9' * 4000}", "Så här: /coordinator add"),
        ("/coordinator add ²", "Så här: /coordinator add"),
        (f"/remind Uppsala {LONG}", "Meddelandet är för långt: högst 1000 tecken."),
    ],
    ids=[
        "consolidated",
        "municipality-add",
        "municipality-revoke",
        "overview",
        "newround",
        "schedule-remove",
        "coordinator-long",
        "coordinator-superscript",
        "remind",
    ],
)
def test_a_reply_repeating_what_was_typed_fits_one_message(
    api: FakeBotApi, bot: InProcessBot, command: str, expected: str
) -> None:
    boss = Official(api, BOSS)
    boss.send("/municipality add Uppsala")
    (reply,) = boss.send(command)
    assert expected in reply.text
    assert len(reply.text) <= 200  # what was typed is cut, the rest of the answer stays
    assert all(len(c.text) <= MAX_TEXT_LENGTH for c in api.calls if c.method == "sendMessage")
