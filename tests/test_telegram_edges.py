"""Telegram at its edges: replies within a message's length, button presses Telegram refuses
to answer, long lists, a failing menu, and a token revoked while the bot runs."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.config import ConfigError, Settings
from dialogues.programme.schedules import Schedules
from dialogues.review.loader import default_questionnaire
from tests.bot_process import BotProcess
from tests.fake_bot_api import MAX_TEXT_LENGTH, TOKEN, FakeBotApi, Trouble
from tests.telegram_harness import InProcessBot, Official

ROOT = Path(__file__).resolve().parent.parent
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


def test_a_list_of_many_schedules_is_split_to_fit(api: FakeBotApi, bot: InProcessBot) -> None:
    schedules = Schedules(bot.programme)
    rows = [schedules.add_weekly(["Västra", "Götalands", "län", "måndag", "09:00"], BOSS)]
    rows += [schedules.add_nudge(["Västra", "Götalands", "län", "7"], BOSS) for _ in range(99)]
    boss = Official(api, BOSS)
    pieces = boss.send("/schedule list")
    assert len(pieces) > 1 and all(len(piece.text) <= MAX_TEXT_LENGTH for piece in pieces)
    listed = "\n".join(piece.text for piece in pieces).splitlines()
    assert [line.split()[0] for line in listed] == [f"[{row['id']}]" for row in rows]


def test_a_failure_after_the_press_was_answered_is_still_told(
    api: FakeBotApi, bot: InProcessBot
) -> None:
    """The error handler answers a press only if it was not answered yet (Telegram refuses a
    second answer), and tells the user all the same."""
    anna = Official(api, 111)
    anna.send("/start")
    anna.tap("Börja")
    asked = anna.prompt()
    anna.send("2")  # typed: the question keeps its buttons
    api.trouble = Trouble(error_500=1.0, methods=("editMessageReplyMarkup",))
    stale = asked.button("Vet inte")["callback_data"]
    followed = anna.press(stale, asked)  # answered; then taking its buttons off fails
    assert [call.text for call in followed] == [TG_ERROR]


def test_a_press_too_old_to_answer_still_moves_on(api: FakeBotApi, bot: InProcessBot) -> None:
    """After a restart Telegram refuses to answer presses made meanwhile ("query is too old"):
    the answer is saved, and the pressed question turns into the next one at once, headed by
    the answer."""
    anna = Official(api, 111)
    anna.send("/start")
    anna.tap("Börja")
    pressed = anna.prompt()
    api.presses_too_old = True
    followed = anna.tap("En egen definition")
    assert [call.params["message_id"] for call in followed] == [pressed.params["message_id"]]
    assert followed[0].text.startswith("✅ En egen definition\n\n<i>")
    assert "Berätta kort" in followed[0].text
    shown = api.messages[pressed.params["message_id"]]
    assert shown["reply_markup"] == followed[0].params["reply_markup"]  # its buttons now
    assert bot.engine.store.active_review("telegram:111")["state"] == "f.definition"


def test_a_question_that_cannot_be_edited_comes_anew(api: FakeBotApi, bot: InProcessBot) -> None:
    """The pressed message deleted meanwhile ("message to edit not found"): the next question
    comes in a new message, noted as shown."""
    anna = Official(api, 111)
    anna.send("/start")
    anna.tap("Börja")
    pressed = anna.prompt()
    api.gone.add(pressed.params["message_id"])
    followed = anna.tap("En egen definition")
    assert [call.method for call in followed] == ["sendMessage"]
    assert followed[0].text.startswith("✅ En egen definition\n\n")
    person = bot.engine.store.respondent("telegram:111")["telegram"]
    assert person["prompt_message_id"] == followed[0].params["message_id"]
    assert person["prompt_turn"] == bot.engine.current("telegram:111").turn


def test_a_menu_telegram_refuses_does_not_stop_the_start(
    api: FakeBotApi, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The command menu is a convenience: a bot whose menu Telegram refuses starts anyway."""
    api.trouble = Trouble(error_500=1.0, methods=("setMyCommands",))
    running = InProcessBot(api, tmp_path / "db").start()
    try:
        assert Official(api, 111).send("/start")[-1].text.startswith("Hej!")
    finally:
        running.stop()
    assert "the command menu could not be set" in caplog.text


def test_a_token_revoked_while_running_ends_the_process(api: FakeBotApi, tmp_path: Path) -> None:
    """Polling stops for good when Telegram refuses the token: the process must not live on
    looking healthy, but exit non-zero so that a supervisor sees it (and says why)."""
    bot = BotProcess(api, tmp_path / "db", tmp_path / "bot.log")
    try:
        assert bot.start()
        api.message(111, "/start")
        api.wait_sent(111, 1)  # it polls
        api.token = "revoked"  # from now on every call is 401 Unauthorized
        assert bot.process.wait(60) == 2
    finally:
        bot.close()
    log = (tmp_path / "bot.log").read_text(encoding="utf-8")
    assert log.strip().splitlines()[-1] == (
        "selfreview: Telegram refused the bot token (check TELEGRAM_BOT_TOKEN)"
    )
    assert TOKEN not in log


def test_a_plain_http_webhook_url_is_refused(tmp_path: Path) -> None:
    """Telegram calls webhooks over HTTPS only; plain HTTP only a self-hosted Bot API server."""
    settings = Settings.load({"TELEGRAM_BOT_TOKEN": TOKEN}, tmp_path / "none")
    for url in ("http://bot.example.se/hook", "bot.example.se/hook", "https:///hook"):
        with pytest.raises(ConfigError, match="Telegram calls webhooks over HTTPS only"):
            settings.checked_webhook_url(url)
    assert settings.checked_webhook_url("https://bot.example.se/hook")
    local = Settings.load({"TELEGRAM_API_BASE_URL": "http://127.0.0.1:8081/bot"}, tmp_path / "none")
    assert local.checked_webhook_url("http://127.0.0.1:8443/hook")
    with pytest.raises(ConfigError) as refused:  # one line, as `selfreview run` prints it
        settings.checked_webhook_url("http://bot.example.se/hook")
    assert str(refused.value) == (
        "--webhook-url 'http://bot.example.se/hook': Telegram calls webhooks over HTTPS only;"
        " give an https:// URL"
    )


def _clean_env() -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "SELFREVIEW_"))}
    return {**clean, "PYTHONPATH": str(ROOT)}


def _post_headers(port: int, secret: str, length: int) -> bytes:
    """Headers of a post with a body of `length` bytes, and none of the body: what the server
    answers now is what it answers before reading any of it (b"" if it hangs up)."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(
            (
                f"POST /hook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                f"X-Telegram-Bot-Api-Secret-Token: {secret}\r\nContent-Length: {length}\r\n\r\n"
            ).encode()
        )
        return sock.recv(100)


def test_the_webhook_checks_the_secret_before_the_body_and_caps_it(
    api: FakeBotApi, tmp_path: Path
) -> None:
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    url = f"http://127.0.0.1:{port}/hook"
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run", "--db", str(tmp_path / "db"),
         "--webhook-url", url, "--port", str(port)],
        env={**_clean_env(), "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": api.base_url},
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        hook = api.wait_for(
            lambda calls: next((c for c in calls if c.method == "setWebhook"), None), timeout=30
        )
        secret = hook.params["secret_token"]
        for _ in range(100):  # registered a moment before it listens
            with contextlib.suppress(ConnectionRefusedError):
                answer = _post_headers(port, "guessed", 90 * 1024 * 1024)
                break
            time.sleep(0.1)
        assert answer.startswith(b"HTTP/1.1 403")  # refused on its headers: nothing read
        assert not _post_headers(port, secret, 2 * 1024 * 1024).startswith(b"HTTP/1.1 200")
        update = json.dumps({"update_id": 1, "message": {
            "message_id": 1, "date": 0, "chat": {"id": 111, "type": "private"},
            "from": FakeBotApi.user(111), "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}]}}).encode()  # fmt: skip
        request = urllib.request.Request(
            url,
            data=update,
            headers={"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200
        assert api.wait_sent(111, 1)[0].text.startswith("Hej!")
    finally:
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0 and "Traceback" not in stderr
