"""Logs an operator can search: one JSON object a line on request, readable text by default,
never the token."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from bot.config import ConfigError, Settings
from bot.logs import HashedUser, JsonLines, follow_respondents, key_from_token, note_user
from bot.telegram.app import RedactToken
from tests.fake_bot_api import TOKEN, FakeBotApi, Trouble
from tests.telegram_harness import InProcessBot, Official

ROOT = Path(__file__).resolve().parent.parent


def chat_with_a_stray_file(tmp_path: Path, **env: str) -> list[str]:
    """The terminal chat on a folder holding a stray copy, which is logged as a warning."""
    folder = tmp_path / "data"
    (folder / "respondents").mkdir(parents=True)
    (folder / "respondents" / "anna - Kopia.json").write_text("{}", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "chat", "--db", str(folder), "--as", "anna"],
        input="",
        capture_output=True,
        text=True,
        cwd=tmp_path,  # no .env from the repository
        env={**{k: v for k, v in os.environ.items() if not k.startswith("SELFREVIEW_")}, **env},
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return [line for line in result.stderr.splitlines() if line]


def test_json_logs_are_one_object_a_line(tmp_path: Path) -> None:
    lines = chat_with_a_stray_file(tmp_path, SELFREVIEW_LOG_FORMAT="json", PYTHONPATH=str(ROOT))
    assert lines
    for line in lines:
        record = json.loads(line)
        assert set(record) >= {"time", "level", "logger", "event"}
        assert record["time"].endswith("+00:00")
    assert any("anna - Kopia.json" in json.loads(line)["event"] for line in lines)


def test_text_logs_by_default(tmp_path: Path) -> None:
    lines = chat_with_a_stray_file(tmp_path, PYTHONPATH=str(ROOT))
    assert lines and lines[0].startswith("WARNING ")


def test_an_unknown_log_format_is_refused_by_name() -> None:
    with pytest.raises(ConfigError) as refused:
        Settings.load({"SELFREVIEW_LOG_FORMAT": "xml"}, dotenv=Path("/nonexistent"))
    assert "SELFREVIEW_LOG_FORMAT" in str(refused.value)
    assert Settings.load({"SELFREVIEW_LOG_FORMAT": "JSON"}, dotenv=Path("/x")).log_format == "json"


ANNA, BERIT = 48151623, 42424242
ANSWER = "Alla utan eget kontrakt, enligt vår egen kartläggning 2026"


def test_a_json_line_of_a_handled_input_names_the_person_by_a_hashed_id_only(
    api: FakeBotApi, tmp_path: Path
) -> None:
    """Lines written while a person's update is handled carry the same hashed id, another
    person's another; never their Telegram id, what they typed, or the token."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)  # as `selfreview run` sets up the root's handlers
    handler.setFormatter(JsonLines())
    handler.addFilter(RedactToken(TOKEN))
    follow_respondents(TOKEN, [handler])
    logging.getLogger().addHandler(handler)
    bot = InProcessBot(api, tmp_path / "db").start()
    try:
        for user in (ANNA, BERIT):
            official = Official(api, user)
            official.send("/start")
            official.tap("Börja")
            official.tap("En egen definition")  # then a question answered by typing
            typed = official.prompt()
            official.send(ANSWER)
            # A press on that question's buttons (stale now), and Telegram fails taking them
            # off: an unexpected error, which the error handler logs.
            api.trouble = Trouble(error_500=1.0, methods=("editMessageReplyMarkup",))
            official.press(typed.buttons[0][0]["callback_data"], typed)
            api.trouble = None
        logging.getLogger("bot.test").warning("outside any update")
    finally:
        bot.stop()
        logging.getLogger().removeHandler(handler)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    failed = [line for line in lines if line["event"] == "handling an update failed: NetworkError"]
    assert len(failed) == 2
    anna, berit = (line["respondent"] for line in failed)
    assert re.fullmatch("[0-9a-f]{16}", anna) and anna != berit
    assert [line.get("respondent") for line in lines if line["event"] == "outside any update"] == [
        None
    ]
    for line in lines:
        text = json.dumps(line, ensure_ascii=False)
        assert str(ANNA) not in text and str(BERIT) not in text
        assert ANSWER not in text and "kartläggning" not in text and TOKEN not in text


def test_the_hash_is_keyed_by_the_token() -> None:
    async def hashed(user: int, token: str) -> str | None:
        await note_user(SimpleNamespace(effective_user=SimpleNamespace(id=user)))
        return HashedUser(key_from_token(token))()

    one = asyncio.run(hashed(ANNA, TOKEN))
    assert one == asyncio.run(hashed(ANNA, TOKEN))
    assert one != asyncio.run(hashed(ANNA, TOKEN + "x"))
    assert one != asyncio.run(hashed(BERIT, TOKEN))
