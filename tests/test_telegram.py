"""The Telegram bot: the real Application against a fake Bot API, in this process (each update
processed before the test goes on), and `selfreview run` as a process over HTTP on 127.0.0.1."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.telegram.callbacks import MAX_BYTES, Press
from dialogues.review.flow import linear_steps
from dialogues.review.loader import load_questionnaire
from tests.conftest import make_engine
from tests.crowd import step_of
from tests.fake_bot_api import FakeBotApi, plain_text
from tests.script import WHOLE_REVIEW
from tests.telegram_harness import TOKEN, InProcessBot, Official

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def bot(api: FakeBotApi, tmp_path: Path) -> Iterator[InProcessBot]:
    running = InProcessBot(api, tmp_path / "db").start()
    yield running
    running.stop()


def answer_like_a_phone(official: Official, typed: str, step: str) -> tuple[int, str | None]:
    """Buttons where the question has them, typed messages where it asks for text. Returns
    the inputs made (a tick is one) and the labels of the options chosen, if any."""
    if typed == "/skip":
        official.tap("Klar" if step == "letter.own" else "Hoppa över")
        return 1, None
    if re.fullmatch(r"\d(,\d)*", typed) and step != "q.assistance_count":
        numbers = [int(part) for part in typed.split(",")]
        labels = ", ".join(official.option_label(number) for number in numbers)
        if official.option_data(1).startswith("t|"):
            for number in numbers:
                official.press(official.option_data(number))
            official.tap("Klar")
            return len(numbers) + 1, labels
        official.press(official.option_data(numbers[0]))
        return 1, labels
    official.send(typed)
    return 1, None


def current_step(official: Official) -> str:
    return official.prompt().buttons[-1][0]["callback_data"].split("|")[1]


def test_a_whole_review_through_buttons_and_text(api: FakeBotApi, bot: InProcessBot) -> None:
    """A whole review costs about one request to Telegram's 30 a second per answer: a pressed
    question becomes the next one, headed by the answer given; a typed answer is answered by
    one message; an area's intro and recap ride with a question."""
    anna = Official(api, 111)
    anna.send("/start")
    welcome = anna.prompt()
    assert welcome.text.startswith("Hej!")
    inputs, ticks = 1, 0
    for typed, step in WHOLE_REVIEW:
        if step != "intro":
            assert current_step(anna) == step
        made, chosen = answer_like_a_phone(anna, typed, step)
        inputs, ticks = inputs + made, ticks + made - 1
        shown = api.messages[anna.prompt().params["message_id"]]  # as the phone shows it now
        if chosen and step.startswith(("q.", "letter.")):  # the answer heads the next question
            assert plain_text(shown["text"]).startswith(f"✅ {chosen}"), shown["text"]
    # The welcome stays, with what must never be written.
    assert "personnummer" in api.messages[welcome.params["message_id"]]["text"]
    texts = [call.text for call in anna.messages()]
    assert any("Tack! Självskattningen är klar." in text for text in texts)
    summary = next(text for text in texts if text.startswith("Sammanfattning av självskattningen"))
    assert "• Egna kartläggningar: ”Nej”" in summary
    assert "1. Inför rutiner så att inga barnfamiljer vräks." in summary
    # A short word on an answer comes in the next question's message, not a message of its own.
    q = bot.engine.questionnaire
    acks = [
        a for r in ("strength", "partial", "missing") for a in q.text(f"ack_{r}", "sv").split("|")
    ]
    with_ack = [text for text in texts if any(f"{ack}\n\n" in text for ack in acks)]
    assert len(with_ack) >= 5
    assert all("?" in text for text in with_ack)  # each with its question
    assert not [text for text in texts if text in acks]
    # Area intros and recaps come with a question, not in messages of their own.
    intro = q.text("area_intro", "sv", title="Planer", intro="")
    assert any(t.startswith("✅ Det finns direktiv") and "Klart med Överblick!" in t for t in texts)
    assert any(t.startswith(intro) and "<b>Finns det en skriftlig" in t for t in texts)
    # Requests to chats (python-telegram-bot's limiter holds them to 30 a second): one per
    # answer, the summary, and one per tick of a multiple choice (to show its mark).
    requests = api.to_chats(111)
    assert requests["editMessageReplyMarkup"] == ticks
    answers = inputs - ticks
    assert sum(requests.values()) - ticks <= 1.2 * answers, (requests, answers)
    # Every button press was answered (free: answerCallbackQuery carries no chat_id).
    presses = sum(1 for c in api.calls if c.method == "answerCallbackQuery")
    assert presses >= 40
    assert bot.engine.store.active_review("telegram:111")["state"] == "done"


def test_a_typed_answer_costs_one_message(api: FakeBotApi, bot: InProcessBot) -> None:
    """Typed answers, as the crowd's odd officials give them: each is answered by one message,
    the next question (an area's intro and recap with it); the end brings the summary."""
    bo = Official(api, 112)
    bo.send("/start")
    for index, (typed, step) in enumerate(WHOLE_REVIEW):
        followed = bo.send(typed)
        following = WHOLE_REVIEW[index + 1][1] if index + 1 < len(WHOLE_REVIEW) else "done"
        if following != "done":
            assert [step_of(call) for call in followed] == [following], (step, followed)
    assert followed[-1].text.startswith("Sammanfattning av självskattningen")
    # and the summary, with its picture
    assert api.to_chats(112) == {"sendMessage": len(WHOLE_REVIEW) + 2, "sendPhoto": 1}


def test_the_command_menu_is_set_in_both_languages(api: FakeBotApi, bot: InProcessBot) -> None:
    menus = {
        c.params.get("language_code"): c.params["commands"]
        for c in api.calls
        if c.method == "setMyCommands"
    }
    assert set(menus) == {None, "en"}
    assert [c["command"] for c in menus[None]] == [
        "start", "resume", "back", "skip", "status", "summary", "letter", "export", "language",
        "delete", "help",
    ]  # fmt: skip
    assert menus[None][0]["description"] == "Börja eller fortsätt"  # Swedish by default
    assert menus["en"][0]["description"] == "Start or carry on"


def test_english_telegram_users_get_english(api: FakeBotApi, bot: InProcessBot) -> None:
    eve = Official(api, 222, language_code="en-GB")
    eve.send("/start")
    assert eve.prompt().text.startswith("Hi!")
    eve.tap("Start")
    assert "How does the municipality define" in eve.prompt().text
    assert eve.prompt().button("Back")["text"] == "⬅️ Back"


def test_users_in_other_languages_start_in_swedish(api: FakeBotApi, bot: InProcessBot) -> None:
    for user_id, code in ((333, "de"), (444, "")):
        fritz = Official(api, user_id, language_code=code)
        fritz.send("/start")
        assert fritz.prompt().text.startswith("Hej!")
        assert bot.engine.language(f"telegram:{user_id}") == "sv"


def test_language_can_be_changed(api: FakeBotApi, bot: InProcessBot) -> None:
    anna = Official(api, 111)
    anna.send("/start")
    anna.send("/language")
    anna.tap("English")
    assert anna.prompt().text.startswith("Hi!")
    assert bot.engine.language("telegram:111") == "en"


def test_two_users_at_once_never_see_each_others_state(api: FakeBotApi, bot: InProcessBot) -> None:
    anna, bo = Official(api, 111), Official(api, 333)
    anna.send("/start")
    bo.send("/start")
    anna.tap("Börja")
    bo.tap("Börja")
    anna.press(anna.option_data(2))  # own definition: a follow-up comes
    bo.press(bo.option_data(1))  # Socialstyrelsen's: no follow-up
    anna.send("Hemlig formulering från Anna")
    assert current_step(anna) == "q.knowledge"
    assert current_step(bo) == "q.knowledge"
    assert not any("Hemlig formulering" in call.text for call in bo.messages())
    assert bot.engine.store.active_review("telegram:333")["follow_ups"] == {}


def test_the_bot_restarted_mid_review_continues_where_the_user_was(
    api: FakeBotApi, tmp_path: Path
) -> None:
    first = InProcessBot(api, tmp_path / "db").start()
    anna = Official(api, 111)
    anna.send("/start")
    anna.tap("Börja")
    anna.press(anna.option_data(1))
    first.stop()  # nothing kept in memory survives this
    second = InProcessBot(api, tmp_path / "db").start()
    try:
        assert current_step(anna) == "q.knowledge"
        anna.press(anna.option_data(3))  # a button from before the restart still works
        assert current_step(anna) == "q.mapping"
        welcome_back = anna.send("/start")
        assert len(welcome_back) == 1  # in the question's message
        assert welcome_back[0].text.startswith("Välkommen tillbaka! Vi fortsätter där ni var.\n")
        assert current_step(anna) == "q.mapping"
    finally:
        second.stop()


def test_stale_and_forged_buttons_change_nothing(api: FakeBotApi, bot: InProcessBot) -> None:
    anna = Official(api, 111)
    anna.send("/start")
    anna.tap("Börja")
    first_question = anna.prompt()
    anna.press(anna.option_data(1))
    review = bot.engine.store.active_review("telegram:111")
    current = anna.prompt()
    followed = anna.press(first_question.button("Vet inte")["callback_data"], first_question)
    assert anna.last_toast() == "Den knappen hör till en tidigare fråga. Här är frågan ni är på nu."
    # ... and here it is, sent anew; the one shown before keeps no live buttons.
    assert [c.buttons for c in followed] == [current.buttons]
    assert current.text.endswith(followed[0].text)  # without the word on the answer given
    assert api.messages[current.params["message_id"]]["reply_markup"] is None
    anna.press("c|q.knowledge|drop_table")
    assert anna.last_toast() == "Välj ett av alternativen 1–4."
    anna.press("c|q.knowledge|" + "x" * 80)
    assert anna.last_toast().startswith("Den knappen hör till en tidigare fråga")
    anna.press("nonsense")
    assert anna.last_toast().startswith("Den knappen hör till en tidigare fråga")
    assert bot.engine.store.active_review("telegram:111")["answers"] == review["answers"]
    # A typed answer leaves the last question's buttons (taking them off would cost a request
    # an answer): a press on them is refused all the same, and the question on now shown.
    asked = anna.prompt()
    assert step_of(asked) == "q.knowledge"
    anna.send("4")
    assert api.messages[asked.params["message_id"]]["reply_markup"] is not None
    followed = anna.press(asked.button("Liten")["callback_data"], asked)
    assert anna.last_toast() == "Den knappen hör till en tidigare fråga. Här är frågan ni är på nu."
    assert [step_of(call) for call in followed] == ["f.knowledge"]
    assert api.messages[asked.params["message_id"]]["reply_markup"] is None
    assert bot.engine.store.active_review("telegram:111")["answers"]["knowledge"]["value"] == (
        "no_homelessness"
    )


def test_a_double_tap_records_one_answer(api: FakeBotApi, bot: InProcessBot) -> None:
    anna = Official(api, 111)
    anna.send("/start")
    anna.tap("Börja")
    data = anna.option_data(2)
    message = anna.prompt()
    api.press(111, message, data)
    api.press(111, message, data)
    api.idle()
    review = bot.engine.store.active_review("telegram:111")
    assert review["answers"]["definition"]["value"] == "own"
    assert review["history"] == []
    assert review["state"] == "f.definition"


def test_multiple_choice_ticks_survive_a_restart(api: FakeBotApi, tmp_path: Path) -> None:
    running = InProcessBot(api, tmp_path / "db").start()
    anna = Official(api, 111)
    anna.send("/start")
    for typed, step in WHOLE_REVIEW:
        if step == "q.planning_tools":
            break
        answer_like_a_phone(anna, typed, step)
    anna.press(anna.option_data(2))
    marks = api.calls[-1].buttons if api.calls[-1].method == "editMessageReplyMarkup" else []
    assert any(b["text"] == "✓ Exploateringsavtal" for row in marks for b in row)
    running.stop()
    running = InProcessBot(api, tmp_path / "db").start()
    try:
        anna.press(anna.option_data(3))
        anna.tap("Klar")
        value = running.engine.store.active_review("telegram:111")["answers"]["planning_tools"][
            "value"
        ]
        assert value == ["development_agreements", "detailed_plans"]
    finally:
        running.stop()


@pytest.mark.parametrize(
    "content",
    [
        {"photo": [{"file_id": "p1", "file_unique_id": "p1", "width": 90, "height": 90}]},
        {
            "sticker": {
                "file_id": "s1",
                "file_unique_id": "s1",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
                "type": "regular",
            }
        },
        {"voice": {"file_id": "v1", "file_unique_id": "v1", "duration": 3}},
        {"location": {"latitude": 59.33, "longitude": 18.06}},
        {"document": {"file_id": "d1", "file_unique_id": "d1", "file_name": "klienter.xlsx"}},
    ],
)
def test_non_text_messages_get_a_pointer(api: FakeBotApi, bot: InProcessBot, content: dict) -> None:
    anna = Official(api, 111)
    anna.send("/start")
    before = len(anna.messages())
    api.message(111, **content)
    api.idle()
    assert [c.text for c in anna.messages()[before:]] == [
        "Svara gärna med text eller med knapparna – bilder, ljud, platser och filer kan jag inte läsa."
    ]


def test_an_edited_message_does_not_change_the_answer(api: FakeBotApi, bot: InProcessBot) -> None:
    anna = Official(api, 111)
    anna.send("/start")
    anna.tap("Börja")
    anna.press(anna.option_data(2))
    anna.send("Vi räknar bara akut hemlöshet")
    api.message(111, "Ändrad text", kind="edited_message")
    api.idle()
    assert anna.messages()[-1].text.startswith("Jag läser bara nya meddelanden")
    follow_up = bot.engine.store.active_review("telegram:111")["follow_ups"]["definition"]["text"]
    assert follow_up == "Vi räknar bara akut hemlöshet"


def test_group_chats_get_a_pointer_to_a_private_chat(api: FakeBotApi, bot: InProcessBot) -> None:
    api.message(111, "/start", chat_id=-1001, chat_type="supergroup")
    api.idle()
    sent = api.sent(-1001)
    assert [c.text for c in sent] == [
        "Självskattningen görs i en privat chatt med mig: https://t.me/selfreview_test_bot"
    ]
    assert bot.engine.store.respondent_ids() == []


def test_changing_language_after_finishing_does_not_send_the_summary_again(
    api: FakeBotApi, bot: InProcessBot
) -> None:
    anna = Official(api, 111)
    anna.send("/start")
    for typed, step in WHOLE_REVIEW:
        answer_like_a_phone(anna, typed, step)
    before = len(anna.messages())
    anna.send("/language")
    anna.tap("English")
    after = [call.text for call in anna.messages()[before:]]
    assert after[-1].startswith("English it is.")
    assert not any(text.startswith(("Summary", "Sammanfattning")) for text in after)
    anna.send("/summary")
    assert anna.messages()[-1].text.startswith("Summary")


def test_user_text_is_escaped_for_html(api: FakeBotApi, bot: InProcessBot) -> None:
    anna = Official(api, 111)
    anna.send("/start")
    for typed, step in WHOLE_REVIEW:
        answer_like_a_phone(anna, typed, step)
        if step == "f.external_actors":
            break
    anna.send("/summary")
    summary = next(c for c in reversed(anna.messages()) if c.text.startswith("Sammanfattning"))
    assert summary.params["parse_mode"] == "HTML"
    assert "Stadsmissionen &amp; &lt;Frälsningsarmén&gt;" in summary.text


def test_a_long_summary_is_split_at_paragraphs(api: FakeBotApi, bot: InProcessBot) -> None:
    anna = Official(api, 111)
    anna.send("/start")
    for typed, step in WHOLE_REVIEW:
        if step.startswith("q.") and step[2:] in (
            "works_well",
            "works_less_well",
            "challenges",
            "next_year",
        ):
            typed = f"{step}: " + "Lång & utförlig text om arbetet. " * 25
        answer_like_a_phone(anna, typed, step)
        if step == "q.next_year":
            break
    before = len(anna.messages())
    anna.send("/summary")
    pieces = [c.text for c in anna.messages()[before:]]
    assert len(pieces) >= 2
    assert all(len(piece) <= 4096 for piece in pieces)
    assert pieces[0].startswith("Sammanfattning av självskattningen")
    assert all(not piece.startswith("\n") and not piece.endswith("\n") for piece in pieces)
    assert pieces[-1].split("\n")[0] in ("Avsiktsförklaring", "6. Styrkor och svagheter")


def test_commands_on_the_way(api: FakeBotApi, bot: InProcessBot) -> None:
    anna = Official(api, 111)
    anna.send("/start")
    anna.tap("Börja")
    anna.press(anna.option_data(1))
    assert anna.send("/status")[0].text.startswith("1. Överblick: 1 av 7 besvarade")
    anna.send("/back")
    assert current_step(anna) == "q.definition"
    anna.send("/skip")
    assert current_step(anna) == "q.knowledge"
    anna.tap("Pausa")
    assert anna.prompt().text == "Pausat. Allt är sparat – skriv /resume när ni vill fortsätta."
    anna.send("/resume")
    assert current_step(anna) == "q.knowledge"
    assert anna.send("/help")[0].text.startswith("Svara med knapparna")
    assert anna.send("/hej")[0].text.startswith("Det kommandot känner jag inte till")
    info = anna.send("/start")
    assert info[0].text.startswith("Välkommen tillbaka! Vi fortsätter där ni var.\n\n<i>")


def test_more_info_button_shows_the_background(api: FakeBotApi, bot: InProcessBot) -> None:
    anna = Official(api, 111)
    anna.send("/start")
    anna.tap("Börja")
    shown = anna.tap("Mer info")
    assert "fyra situationer" in shown[0].text


def test_bad_input_gets_the_same_question_again(api: FakeBotApi, bot: InProcessBot) -> None:
    anna = Official(api, 111)
    anna.send("/start")
    anna.tap("Börja")
    assert "Välj ett av alternativen 1–4." in anna.send("kanske")[-1].text
    anna.press(anna.option_data(2))
    reply = anna.send("Vi följer 811228-9874 noga")
    assert "personnummer" in reply[-1].text
    assert "Berätta kort hur er egen definition ser ut." in reply[-1].text
    assert bot.engine.store.active_review("telegram:111")["follow_ups"] == {}


def test_export_offers_pdf_word_and_json(api: FakeBotApi, bot: InProcessBot) -> None:
    anna = Official(api, 111)
    anna.send("/start")
    anna.tap("Börja")
    anna.press(anna.option_data(2))
    Official(api, 333).send("/start")
    menu = anna.send("/export")[-1]
    assert menu.text == "Vilket format vill ni ha?"
    anna.tap("JSON", menu)
    document = api.sent(111, "sendDocument")[-1]
    assert re.fullmatch(r"sjalvskattning-data-\d{4}-\d{2}-\d{2}\.json", document.params["filename"])
    assert document.params["caption"] == "Allt som finns sparat om er."
    actions = [c for c in api.calls if c.method == "sendChatAction"]
    assert actions and actions[-1].params["action"] == "upload_document"  # "sending a file …"
    data = json.loads(document.files["document"])
    assert data["respondent"]["id"] == "telegram:111"
    assert data["reviews"][0]["answers"]["definition"]["value"] == "own"
    assert "telegram:333" not in json.dumps(data)
    anna.tap("PDF", menu)
    document = api.sent(111, "sendDocument")[-1]
    assert re.fullmatch(
        r"sjalvskattning-kommun-\d{4}-\d{2}-\d{2}\.pdf", document.params["filename"]
    )
    assert document.files["document"].startswith(b"%PDF-")
    anna.tap("Word", menu)
    assert api.sent(111, "sendDocument")[-1].params["filename"].endswith(".docx")


def test_delete_erases_everything_after_a_confirmation(api: FakeBotApi, bot: InProcessBot) -> None:
    anna = Official(api, 111)
    anna.send("/start")
    anna.tap("Börja")
    anna.send("/delete")
    anna.tap("Nej, behåll")
    assert anna.messages()[-1].text == "Inget raderades."
    assert bot.engine.store.respondent_ids() == ["telegram:111"]
    anna.send("/delete")
    anna.tap("Ja, radera allt")
    assert anna.messages()[-1].text == "Allt om er är raderat. Skriv /start om ni vill börja om."
    assert bot.engine.store.respondent_ids() == []


def test_every_button_fits_telegrams_64_bytes() -> None:
    q = load_questionnaire()
    longest = max(
        (
            Press("t", step, option.id).encode()
            for step in linear_steps(q)
            if step.startswith("q.")
            for option in q.question(step[2:]).options
        ),
        key=len,
    )
    assert len(longest.encode()) <= MAX_BYTES


def _run_cli(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "SELFREVIEW_"))}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "run", "--db", str(tmp_path / "db")],
        env={**clean, **env},
        cwd=tmp_path,  # no .env here
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_refused_token_is_one_line_not_a_traceback(api: FakeBotApi, tmp_path: Path) -> None:
    other = TOKEN.replace("fake", "nope")
    result = _run_cli(
        {
            "TELEGRAM_BOT_TOKEN": other,
            "TELEGRAM_API_BASE_URL": api.base_url,
            "PYTHONPATH": str(ROOT),
        },
        tmp_path,
    )
    assert result.returncode == 2
    assert (
        result.stderr.strip().splitlines()[-1]
        == "selfreview: Telegram refused the bot token (check TELEGRAM_BOT_TOKEN)"
    )
    assert "Traceback" not in result.stderr
    assert other not in result.stderr + result.stdout


def test_a_malformed_token_is_one_line(tmp_path: Path) -> None:
    result = _run_cli({"TELEGRAM_BOT_TOKEN": "not-a-token", "PYTHONPATH": str(ROOT)}, tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "selfreview: TELEGRAM_BOT_TOKEN does not look like a bot token (digits, a colon, then letters)"
    )


def test_an_unreachable_api_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    env = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{port}/bot",
        "PYTHONPATH": str(ROOT),
    }
    result = _run_cli(env, tmp_path)
    assert result.returncode == 2
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(
        f"selfreview: cannot reach the Telegram Bot API at http://127.0.0.1:{port}/bot"
    )
    assert "Traceback" not in result.stderr
    assert TOKEN not in result.stderr


def _start_cli(api: FakeBotApi, tmp_path: Path, *args: str) -> subprocess.Popen[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "SELFREVIEW_"))}
    env = {
        **clean,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": api.base_url,
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run", "--db", str(tmp_path / "db"), *args],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _stop_with_ctrl_c(process: subprocess.Popen[str]) -> None:
    """Ctrl-C ends the bot cleanly: exit 0, no traceback, no token."""
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0
    assert "Traceback" not in stderr
    assert TOKEN not in stderr


def test_selfreview_run_polls_and_stops_cleanly_on_ctrl_c(api: FakeBotApi, tmp_path: Path) -> None:
    process = _start_cli(api, tmp_path)
    try:
        api.wait_for(lambda calls: any(c.method == "setMyCommands" for c in calls), timeout=30)
        api.message(111, "/start")
        api.wait_sent(111, 1)
        assert api.sent(111)[0].text.startswith("Hej!")
    finally:
        _stop_with_ctrl_c(process)


def test_selfreview_run_serves_a_webhook(api: FakeBotApi, tmp_path: Path) -> None:
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    url = f"http://127.0.0.1:{port}/selfreview-hook"
    process = _start_cli(api, tmp_path, "--webhook-url", url, "--port", str(port))
    try:
        hook = api.wait_for(
            lambda calls: next((c for c in calls if c.method == "setWebhook"), None), timeout=30
        )
        assert hook.params["url"] == url
        update = {
            "update_id": 1,
            "message": {
                "message_id": 1,
                "date": 0,
                "chat": {"id": 111, "type": "private"},
                "from": FakeBotApi.user(111),
                "text": "/start",
                "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
            },
        }

        def post(secret: str) -> int:
            request = urllib.request.Request(
                url,
                data=json.dumps(update).encode(),
                headers={
                    "Content-Type": "application/json",
                    "X-Telegram-Bot-Api-Secret-Token": secret,
                },
            )
            deadline = time.monotonic() + 15
            while (
                True
            ):  # the hook may be registered a moment before it listens: retry, as Telegram does
                try:
                    with urllib.request.urlopen(request, timeout=10) as response:
                        return response.status
                except urllib.error.HTTPError as error:
                    return error.code
                except urllib.error.URLError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.1)

        assert post("guessed") == 403  # only Telegram knows the secret
        assert post(hook.params["secret_token"]) == 200
        api.wait_sent(111, 1)
        assert api.sent(111)[0].text.startswith("Hej!")
    finally:
        _stop_with_ctrl_c(process)


def test_a_failure_is_logged_without_answers_and_the_user_told(
    api: FakeBotApi, bot: InProcessBot, caplog: pytest.LogCaptureFixture
) -> None:
    anna = Official(api, 111)
    anna.send("/start")
    anna.tap("Börja")
    anna.press(anna.option_data(2))
    path = next((bot.db / "respondents").glob("*.json"))
    path.write_text("{damaged", encoding="utf-8")
    reply = anna.send("Vår hemliga definition")
    assert (
        reply[-1].text
        == "Oj, något gick fel hos mig. Era svar är sparade – försök igen om en stund."
    )
    logged = "\n".join(record.getMessage() + str(record.exc_info) for record in caplog.records)
    assert "handling an update failed: DamagedFileError" in logged
    assert "Vår hemliga definition" not in logged
    assert TOKEN not in logged


@contextlib.contextmanager
def small_file_system(folder: Path) -> Iterator[Path]:
    """A 512 KiB file system of its own at `folder`, to fill up or make read-only."""
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip("no small file system can be mounted here")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


def test_a_full_disk_is_said_plainly_and_recovered_from_without_a_restart(
    api: FakeBotApi, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with small_file_system(tmp_path / "db") as folder:
        running = InProcessBot(api, folder).start()
        try:
            anna = Official(api, 111)
            anna.send("/start")
            anna.tap("Börja")
            filler = folder / "filler"
            with open(filler, "wb") as handle, contextlib.suppress(OSError):
                while True:
                    handle.write(b"\0" * 65536)
                    handle.flush()
            anna.press(anna.option_data(1))
            assert anna.messages()[-1].text.startswith("Svaret kunde inte sparas just nu")
            assert running.engine.store.active_review("telegram:111")["state"] == "q.definition"
            assert f"{folder} refused the write (No space left on device)" in caplog.text
            filler.unlink()  # space again: no restart needed
            anna.press(anna.option_data(1))
            assert running.engine.store.active_review("telegram:111")["state"] == "q.knowledge"
        finally:
            running.stop()


def test_a_read_only_disk_is_said_plainly_and_recovered_from_without_a_restart(
    api: FakeBotApi, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with small_file_system(tmp_path / "db") as folder:
        running = InProcessBot(api, folder).start()
        try:
            anna = Official(api, 111)
            anna.send("/start")
            anna.tap("Börja")
            anna.press(anna.option_data(2))
            subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
            reply = anna.send("Vi räknar bara akut hemlöshet")
            assert len(reply) == 1 and reply[0].text.startswith("Svaret kunde inte sparas just nu")
            assert not reply[0].buttons  # the question is not shown as if it had been saved
            assert running.engine.store.active_review("telegram:111")["state"] == "f.definition"
            assert f"{folder} refused the write (Read-only file system)" in caplog.text
            assert "akut hemlöshet" not in caplog.text
            subprocess.run(["mount", "-o", "remount,rw", str(folder)], check=True)
            anna.send("Vi räknar bara akut hemlöshet")
            review = running.engine.store.active_review("telegram:111")
            assert review["follow_ups"]["definition"]["text"] == "Vi räknar bara akut hemlöshet"
            assert step_of(anna.messages()[-1]) == "q.knowledge"
        finally:
            running.stop()


def test_an_answer_typed_before_its_question_arrived_is_not_taken(
    api: FakeBotApi, bot: InProcessBot
) -> None:
    anna = Official(api, 111)
    anna.send("/start")
    anna.tap("Börja")
    assert current_step(anna) == "q.definition"
    # Written before it reached her: before the review moved on to it (by the tests' clock,
    # 2026-11-24 from 10:00 on).
    api.message(111, "2", date=int(datetime(2026, 11, 24, 9, 59, tzinfo=UTC).timestamp()))
    api.idle()
    assert "definition" not in bot.engine.store.active_review("telegram:111")["answers"]
    refused = anna.messages()[-1]
    assert refused.text.startswith("⚠️ Det där skrev ni innan frågan nedan kom fram")
    assert step_of(refused) == "q.definition"
    anna.send("2")  # written now, with the question in front of her: taken
    assert bot.engine.store.active_review("telegram:111")["answers"]["definition"]["value"] == "own"


def test_a_first_answer_whose_question_was_never_noted_is_owed_the_next(
    api: FakeBotApi, tmp_path: Path
) -> None:
    # A bot killed after sending the welcome but before noting it, then again after saving
    # the answer to it but before sending the next question, leaves just this on disk.
    engine = make_engine(tmp_path / "db")
    engine.current("telegram:111", "sv")
    engine.answer("telegram:111", "1")
    running = InProcessBot(api, tmp_path / "db").start()  # pays what is owed, as at start-up
    try:
        assert step_of(Official(api, 111).prompt()) == "q.definition"
    finally:
        running.stop()
