"""Coordinators in Telegram: roles, invitations by deep link, joining a municipality."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from bot.telegram.scheduled import ask_follow_ups, send_due
from tests.conftest import play, play_until
from tests.fake_bot_api import FakeBotApi, Trouble
from tests.script import WHOLE_REVIEW
from tests.telegram_harness import InProcessBot, Official

BOSS = 900
COORDINATOR_COMMANDS = [  # every command and form that is for coordinators only
    "/coordinator add 5",
    "/coordinator remove 900",
    "/coordinator",
    "/municipality add Uppsala",
    "/municipality revoke Uppsala",
    "/overview",
    "/overview Uppsala",
    "/overview Uppsala län",
    "/remind alla",
    "/remind Uppsala Hej",
    "/schedule weekly alla måndag 09:00",
    "/schedule nudge alla 7",
    "/schedule list",
    "/schedule remove 1",
    "/newround Uppsala",
    "/newround alla",
    "/export alla",
    "/export Uppsala län",
]


@pytest.fixture
def bot(api: FakeBotApi, tmp_path: Path) -> Iterator[InProcessBot]:
    running = InProcessBot(api, tmp_path / "db", coordinators=frozenset({BOSS})).start()
    yield running
    running.stop()


def invite(boss: Official, name: str) -> str:
    """The deep link a coordinator gets for a municipality."""
    text = boss.send(f"/municipality add {name}")[-1].text
    return text.split("\n")[-1]


def test_an_invited_official_joins_and_names_their_organisation(
    api: FakeBotApi, bot: InProcessBot
) -> None:
    boss, anna = Official(api, BOSS), Official(api, 111)
    link = invite(boss, "uppsla")  # a typo is fine
    assert link.startswith("https://t.me/selfreview_test_bot?start=")
    assert "Uppsala (Uppsala län) är med i programmet." in boss.messages()[-1].text
    token = link.split("=", 1)[1]
    assert len(f"/start {token}") <= 7 + 64
    # The same link as a QR code, to show on a screen: a PNG that opens, of a sensible size.
    api.idle()
    (photo,) = api.sent(BOSS, "sendPhoto")
    assert photo.params["caption"].startswith("Inbjudan till Uppsala som QR-kod")
    picture = Image.open(io.BytesIO(next(iter(photo.files.values()))))
    assert picture.format == "PNG" and 250 <= picture.width == picture.height <= 800
    welcome = anna.send(f"/start {token}")[-1]
    assert (
        welcome.text
        == "Välkommen! Ni är med i självskattningen för Uppsala. Vilken verksamhet företräder ni?"
    )
    shown = anna.tap("Bostadsbolaget")
    assert shown[-1].text.startswith("Hej!")  # straight on to the review
    municipality, organisation = bot.programme.membership("telegram:111")
    assert (municipality.code, organisation) == ("0380", "housing_company")
    edits = [c.text for c in api.calls if c.method == "editMessageText"]
    assert any(e.endswith("✅ Bostadsbolaget") for e in edits)


def test_a_wrong_and_a_revoked_code_are_refused(api: FakeBotApi, bot: InProcessBot) -> None:
    boss, anna = Official(api, BOSS), Official(api, 111)
    token = invite(boss, "Uppsala").split("=", 1)[1]
    assert anna.send("/start notARealCode12345")[-1].text.startswith(
        "Den inbjudningskoden känner jag inte igen"
    )
    boss.send("/municipality revoke Uppsala")
    assert boss.messages()[-1].text.startswith("Inbjudan till Uppsala gäller inte längre.")
    assert anna.send(f"/start {token}")[-1].text.startswith("Den inbjudan gäller inte längre")
    assert bot.programme.membership("telegram:111") == (None, None)


def test_guessing_codes_is_slowed_down(api: FakeBotApi, bot: InProcessBot) -> None:
    mallory = Official(api, 666)
    for attempt in range(5):
        mallory.send(f"/start guess{attempt:011d}")
    assert mallory.send("/start guess99999999999")[-1].text.startswith("För många felaktiga koder.")


@pytest.mark.parametrize("command", COORDINATOR_COMMANDS)
def test_officials_cannot_use_coordinator_commands(
    api: FakeBotApi, bot: InProcessBot, command: str
) -> None:
    anna = Official(api, 111)
    assert [c.text for c in anna.send(command)] == ["Det här kommandot är för samordnare."]
    assert bot.programme.store.municipalities() == []
    assert not bot.programme.is_coordinator(5)


def test_a_coordinator_adds_and_removes_another(api: FakeBotApi, bot: InProcessBot) -> None:
    boss, eva = Official(api, BOSS), Official(api, 555)
    assert boss.send("/coordinator add 555")[-1].text == "555 är nu samordnare."
    assert "https://t.me/" in invite(eva, "Umeå")
    assert boss.send("/coordinator remove 555")[-1].text == "555 är inte längre samordnare."
    assert eva.send("/municipality add Umeå")[-1].text == "Det här kommandot är för samordnare."
    assert boss.send("/coordinator remove 900")[-1].text.startswith(
        "Den samordnaren står i SELFREVIEW_COORDINATORS"
    )
    assert boss.send("/coordinator")[-1].text.startswith("Så här: /coordinator add")


def join(
    api: FakeBotApi, boss: Official, user_id: int, municipality: str, organisation: str
) -> Official:
    official = Official(api, user_id)
    token = invite(boss, municipality).split("=", 1)[1]
    official.send(f"/start {token}")
    official.tap(organisation)
    return official


def test_the_overview_shows_each_municipality_and_drills_down(
    api: FakeBotApi, bot: InProcessBot
) -> None:
    boss = Official(api, BOSS)
    join(api, boss, 111, "Uppsala", "Socialtjänsten")
    join(api, boss, 222, "Uppsala", "Bostadsbolaget")
    join(api, boss, 333, "Umeå", "Annan verksamhet")
    play(bot.engine, "telegram:111", WHOLE_REVIEW)
    play_until(bot.engine, "telegram:222", "q.mapping")
    text = boss.send("/overview")[-1].text
    assert text.startswith("Översikt: 2 kommuner i programmet")
    assert "Umeå (Västerbottens län) · 1 svarande, 0 klara" in text
    assert "Uppsala (Uppsala län) · 2 svarande, 1 klara" in text
    assert "Besvarat per område: 1: 9/14" in text
    detail = boss.send("/overview Uppsala")[-1].text
    assert detail.startswith("Uppsala (Uppsala län), omgång 1")
    assert "1. Socialtjänsten · 26 av 26 besvarade · senast 2026-" in detail
    assert detail.split("\n")[1].endswith(" · klar ✅")
    assert "2. Bostadsbolaget · 2 av 27 besvarade" in detail
    county = boss.send("/overview Västerbottens län")[-1].text
    assert "Umeå" in county and "Uppsala" not in county


def test_the_overview_pages_with_buttons(api: FakeBotApi, bot: InProcessBot) -> None:
    boss = Official(api, BOSS)
    names = [
        "Ale",
        "Alingsås",
        "Alvesta",
        "Aneby",
        "Arboga",
        "Arjeplog",
        "Arvidsjaur",
        "Arvika",
        "Askersund",
        "Avesta",
    ]
    for name in names:
        invite(boss, name)
    first = boss.send("/overview")[-1]
    assert "Sida 1 av 2" in first.text and "Askersund" not in first.text
    boss.tap("Nästa", first)
    page_two = [c for c in api.calls if c.method == "editMessageText"][-1]
    assert (
        "Sida 2 av 2" in page_two.text
        and "Askersund" in page_two.text
        and "Ale (" not in page_two.text
    )
    assert Official(api, 111).press(first.button("Nästa")["callback_data"], first) == []
    assert Official(api, 111).last_toast() == "Det här kommandot är för samordnare."


def test_the_consolidated_summary_shows_agreement_and_disagreement(
    api: FakeBotApi, bot: InProcessBot
) -> None:
    boss = Official(api, BOSS)
    social = join(api, boss, 111, "Uppsala", "Socialtjänsten")
    join(api, boss, 222, "Uppsala", "Bostadsbolaget")
    stranger = join(api, boss, 333, "Umeå", "Annan verksamhet")
    play(bot.engine, "telegram:111", WHOLE_REVIEW)
    until_letter = WHOLE_REVIEW[: [step for _, step in WHOLE_REVIEW].index("letter.choose")]
    housing = [
        (typed if step != "q.eviction_routines" else "4", step) for typed, step in until_letter
    ]
    play(bot.engine, "telegram:222", housing)
    summary = "\n".join(c.text for c in social.send("/consolidated"))
    assert summary.startswith("Sammanställning för Uppsala: 2 svarande")
    assert "• Rutiner mot vräkningar → olika svar – värt ett samtal" in summary
    assert "   Socialtjänsten: ”Ja, skriftliga och beslutade”" in summary
    assert "   Bostadsbolaget: ”Nej”" in summary
    assert "• Egna kartläggningar → samstämmigt" in summary
    assert "Socialtjänsten: Inför rutiner så att inga barnfamiljer vräks." in summary
    assert "inte uppföljt ännu" in summary
    assert (
        stranger.send("/consolidated Uppsala")[-1].text
        == "Ni kan bara läsa sammanställningen för er egen kommun."
    )
    assert "Sammanställning för Uppsala" in boss.send("/consolidated Uppsala")[0].text
    assert (
        Official(api, 444)
        .send("/consolidated")[-1]
        .text.startswith("Ni är inte med i någon kommun ännu.")
    )


def members(bot: InProcessBot, municipality: str, count: int, first_id: int = 10_000) -> list[int]:
    """Officials who joined and talked to the bot once (so it knows their chat), made fast."""
    programme = bot.programme
    token = programme.invite(municipality, added_by=BOSS).token
    ids = list(range(first_id, first_id + count))
    for user_id in ids:
        rid = f"telegram:{user_id}"
        programme.join(rid, user_id, token)
        programme.engine.store.update_respondent(rid, {"telegram": {"chat_id": user_id}})
    return ids


def reminders_to(api: FakeBotApi, chat: int) -> list[str]:
    return [
        c.text for c in api.sent(chat) if "självskattning av arbetet mot hemlöshet väntar" in c.text
    ]


@pytest.mark.proof  # ~30 s at Telegram's real rates; benchmarks/broadcast.py measures the rate
def test_a_reminder_broadcast_within_flood_limits(api: FakeBotApi, bot: InProcessBot) -> None:
    ids = members(bot, "Uppsala", 300)
    finished, quiet, blocked = ids[:3], ids[3:6], set(ids[6:10])
    for user_id in finished:
        play(bot.engine, f"telegram:{user_id}", WHOLE_REVIEW)
    for user_id in quiet:
        bot.programme.set_reminders(f"telegram:{user_id}", on=False)
    api.blocked |= blocked
    api.flood_limit = 30
    api.chat_limit = 1  # and about one a second to each chat
    api.message(BOSS, "/remind Uppsala Mötet är på fredag kl 10.")
    started = api.wait_for(lambda _: [c for c in api.sent(BOSS) if c.text.startswith("Skickar")])
    assert started[0].text.startswith("Skickar påminnelser till 294 personer")
    api.message(777, "/start")  # the bot answers others while the broadcast runs
    answered = api.wait_for(lambda _: api.sent(777))[0]
    report = api.wait_for(
        lambda _: next((c for c in api.sent(BOSS) if c.text.startswith("Påminnelser klara")), None),
        timeout=60,
    )
    assert (
        report.text
        == "Påminnelser klara: 290 levererade, 4 nås inte (har blockerat boten), 0 misslyckades."
    )
    assert answered.params["message_id"] < report.params["message_id"]
    for user_id in ids:
        expected = 0 if user_id in (*finished, *quiet, *blocked) else 1
        assert len(reminders_to(api, user_id)) == expected, user_id
    text = reminders_to(api, ids[-1])[0]
    assert text.startswith("Meddelande från samordnaren:\nMötet är på fredag kl 10.")
    assert all(status != 429 for status, _ in api.refused)  # paced below the ceiling
    unreachable = bot.engine.store.respondent(f"telegram:{ids[6]}")
    assert unreachable["unreachable"] is True
    Official(api, BOSS).send("/remind Uppsala")
    again = [c.text for c in api.sent(BOSS) if c.text.startswith("Skickar")][-1]
    assert again.startswith("Skickar påminnelser till 290 personer")  # the blocked are not retried


def test_a_flood_wait_is_honoured_and_nothing_is_lost(api: FakeBotApi, bot: InProcessBot) -> None:
    ids = members(bot, "Umeå", 40)
    api.flood_limit = 12  # much stricter than Telegram: many 429s
    boss = Official(api, BOSS)
    boss.send("/remind Umeå")
    report = api.wait_for(
        lambda _: next((c for c in api.sent(BOSS) if c.text.startswith("Påminnelser klara")), None),
        timeout=90,
    )
    assert report.text.startswith("Påminnelser klara: 40 levererade, 0 nås inte")
    assert any(status == 429 for status, _ in api.refused)
    assert all(len(reminders_to(api, user_id)) == 1 for user_id in ids)  # each once, none twice


def test_reminders_through_telegram_failures_arrive_once_each(
    api: FakeBotApi, bot: InProcessBot
) -> None:
    ids = members(bot, "Umeå", 20)
    trouble = Trouble(error_500=0.15, error_502=0.1, drop=0.1, chats=set(ids))
    api.trouble = trouble
    Official(api, BOSS).send("/remind Umeå")
    report = api.wait_for(
        lambda _: next((c for c in api.sent(BOSS) if c.text.startswith("Påminnelser klara")), None),
        timeout=120,
    )
    assert report.text.startswith("Påminnelser klara: 20 levererade, 0 nås inte")
    assert sum(trouble.met.values()) > 5  # many sends failed at first
    assert all(len(reminders_to(api, user_id)) == 1 for user_id in ids)  # then each went once


def test_continue_on_a_reminder_resumes_the_review(api: FakeBotApi, bot: InProcessBot) -> None:
    (user_id,) = members(bot, "Uppsala", 1, first_id=123)
    play_until(bot.engine, f"telegram:{user_id}", "q.mapping")
    bot.engine.pause(f"telegram:{user_id}")
    Official(api, BOSS).send("/remind alla")
    api.wait_for(lambda _: reminders_to(api, user_id))
    official = Official(api, user_id)
    shown = official.tap("Fortsätt")
    assert shown[0].text.startswith("Välkommen tillbaka! Vi fortsätter där ni var.\n")
    assert "Gör kommunen egna och kontinuerliga kartläggningar" in shown[-1].text
    assert shown[-1].method == "sendMessage"  # the reminder's own words stay


def test_officials_can_turn_reminders_off(api: FakeBotApi, bot: InProcessBot) -> None:
    (user_id,) = members(bot, "Uppsala", 1, first_id=124)
    official = Official(api, user_id)
    assert official.send("/reminders")[-1].text.startswith("Påminnelser är på.")
    assert official.send("/reminders off")[-1].text == "Påminnelser är nu av."
    assert (
        Official(api, BOSS).send("/remind Uppsala")[-1].text.startswith("Alla i urvalet är klara")
    )


def test_the_stop_button_under_a_reminder_turns_reminders_off(
    api: FakeBotApi, bot: InProcessBot
) -> None:
    (user_id,) = members(bot, "Uppsala", 1, first_id=125)
    Official(api, BOSS).send("/remind Uppsala")
    reminder = api.wait_for(lambda _: [c for c in api.sent(user_id) if "väntar på er" in c.text])[0]
    labels = [b["text"] for row in reminder.params["reply_markup"]["inline_keyboard"] for b in row]
    assert labels == ["▶️ Fortsätt", "🔕 Inga fler påminnelser"]
    official = Official(api, user_id)
    said = official.tap("🔕 Inga fler påminnelser")
    assert said[-1].text.startswith("Okej, inga fler påminnelser.")
    assert bot.engine.store.respondent(f"telegram:{user_id}")["reminders"] is False
    assert official.send("/reminders")[-1].text.startswith("Påminnelser är av.")
    assert (
        Official(api, BOSS).send("/remind Uppsala")[-1].text.startswith("Alla i urvalet är klara")
    )


def send_due_at(bot: InProcessBot, now: datetime) -> list:
    """Move time: run the scheduler's tick as if it were `now`, in the bot's own loop."""
    return bot.run(send_due(bot.application, now))


def test_scheduled_reminders_survive_a_restart_without_double_sends(
    api: FakeBotApi, tmp_path: Path
) -> None:
    first = InProcessBot(api, tmp_path / "db", coordinators=frozenset({BOSS})).start()
    ids = members(first, "Uppsala", 5)
    boss = Official(api, BOSS)
    saved = boss.send("/schedule weekly Uppsala måndag 09:00 Veckans påminnelse")[-1].text
    assert saved.startswith("Sparat: [") and "Uppsala: varje måndag kl. 09:00 (svensk tid)" in saved
    assert "Uppsala: varje måndag" in boss.send("/schedule list")[-1].text
    monday = datetime(2026, 11, 30, 8, 0, 20, tzinfo=UTC)
    assert len(send_due_at(first, monday)) == 1
    api.idle()
    assert all(len(reminders_to(api, user_id)) == 1 for user_id in ids)
    first.stop()
    second = InProcessBot(api, tmp_path / "db", coordinators=frozenset({BOSS})).start()
    try:
        assert send_due_at(second, monday + timedelta(minutes=1)) == []  # that slot is sent already
        api.idle()
        assert all(len(reminders_to(api, user_id)) == 1 for user_id in ids)
        send_due_at(second, monday + timedelta(days=7))
        api.idle()
        assert all(len(reminders_to(api, user_id)) == 2 for user_id in ids)
        schedule_id = saved.split("[")[1].split("]")[0]
        assert (
            boss.send(f"/schedule remove {schedule_id}")[-1].text
            == f"Schemat {schedule_id} är borttaget."
        )
        assert boss.send("/schedule list")[-1].text == "Inga schemalagda påminnelser ännu."
    finally:
        second.stop()


def test_schedule_usage_and_role(api: FakeBotApi, bot: InProcessBot) -> None:
    assert Official(api, BOSS).send("/schedule")[-1].text.startswith("Så här:\n/schedule weekly")
    assert (
        Official(api, 111).send("/schedule list")[-1].text == "Det här kommandot är för samordnare."
    )


def test_commitments_are_followed_up_at_their_date(api: FakeBotApi, bot: InProcessBot) -> None:
    boss = Official(api, BOSS)
    anna = join(api, boss, 111, "Uppsala", "Socialtjänsten")
    play(bot.engine, "telegram:111", WHOLE_REVIEW)
    before = datetime(2027, 6, 29, 9, 30, tzinfo=UTC)
    assert run_in_bot(bot, ask_follow_ups(bot.application, before)) == []  # nothing due yet
    first_day = datetime(2027, 7, 1, 5, 0, tzinfo=UTC)  # 07:00 in Sweden: too early
    assert run_in_bot(bot, ask_follow_ups(bot.application, first_day)) == []
    due = run_in_bot(bot, ask_follow_ups(bot.application, first_day + timedelta(hours=3)))
    assert sorted(item.due for item in due) == ["2027-06-30", "2027-06-30"]
    assert run_in_bot(bot, ask_follow_ups(bot.application, first_day + timedelta(hours=4))) == []
    api.idle()
    question = next(
        c for c in anna.messages() if c.text.startswith("Uppföljning av avsiktsförklaringen")
    )
    assert "skulle vara klart senast 2027-06-30. Hur har det gått?" in question.text
    assert anna.tap("Pågår", question)[-1].text.startswith("Tack! Skriv gärna en kort kommentar")
    assert anna.send("Vi har tillsatt en arbetsgrupp.")[-1].text == "Tack, det är noterat."
    assert bot.engine.store.respondent("telegram:111")["awaiting_comment"] is None
    items = bot.engine.store.active_review("telegram:111")["letter"]["items"]
    statuses = [item.get("follow_up") for item in items if item.get("follow_up")]
    assert [(f["status"], f["comment"]) for f in statuses] == [
        ("in_progress", "Vi har tillsatt en arbetsgrupp.")
    ]
    assert "pågår" in "\n".join(c.text for c in boss.send("/consolidated Uppsala"))
    overview = boss.send("/overview")[-1].text
    assert "Åtaganden: 0 klara, 1 pågår, 0 ej påbörjade, 3 ej uppföljda" in overview
    later = datetime(2028, 1, 2, 9, 0, tzinfo=UTC)
    assert [item.due for item in run_in_bot(bot, ask_follow_ups(bot.application, later))] == [
        "2027-12-31",
        "2027-12-31",
    ]


def test_a_new_round_starts_fresh_and_keeps_the_earlier(api: FakeBotApi, bot: InProcessBot) -> None:
    boss = Official(api, BOSS)
    join(api, boss, 111, "Uppsala", "Socialtjänsten")
    play_until(bot.engine, "telegram:111", "q.mapping")
    started = boss.send("/newround Uppsala")[-1].text
    assert started.startswith("Omgång 2 har börjat för Uppsala")
    reviews = bot.engine.store.reviews("telegram:111")
    assert [(r["status"], r.get("round")) for r in reviews] == [("archived", 1), ("active", 2)]
    assert reviews[0]["answers"]["definition"]["value"] == "own"
    assert bot.engine.current("telegram:111").prompt.step == "intro"
    assert boss.send("/overview Uppsala")[-1].text.startswith("Uppsala (Uppsala län), omgång 2")
    assert (
        Official(api, 111).send("/newround Uppsala")[-1].text
        == "Det här kommandot är för samordnare."
    )


def run_in_bot(bot: InProcessBot, coroutine: Any) -> Any:
    return bot.run(coroutine)


def test_help_shows_coordinators_their_commands(api: FakeBotApi, bot: InProcessBot) -> None:
    assert "För samordnare:" in Official(api, BOSS).send("/help")[-1].text
    official_help = Official(api, 111).send("/help")[-1].text
    assert "/consolidated –" in official_help and "/reminders off | on –" in official_help
    assert "För samordnare:" not in Official(api, 111).send("/help")[-1].text


def test_a_coordinator_exports_the_programme(api: FakeBotApi, bot: InProcessBot) -> None:
    boss = Official(api, BOSS)
    join(api, boss, 111, "Uppsala", "Socialtjänsten")
    play(bot.engine, "telegram:111", WHOLE_REVIEW)
    sent = boss.send("/export alla")
    assert sent[0].text == "Här är alla kommuner: kalkylblad, CSV och sammanställningarna som PDF."
    names = [c.params["filename"] for c in api.sent(BOSS, "sendDocument")]
    assert [name.rsplit(".", 1)[1] for name in names] == ["xlsx", "csv", "zip"]
    assert all(name.startswith("sjalvskattning-alla-kommuner-") for name in names)
    assert (
        Official(api, 111).send("/export alla")[-1].text == "Det här kommandot är för samordnare."
    )
    assert api.sent(111, "sendDocument") == []


def test_an_organisation_pressed_too_late_to_answer_is_still_recorded(
    api: FakeBotApi, bot: InProcessBot
) -> None:
    """After a restart Telegram refuses to answer older presses; the choice counts anyway."""
    boss, anna = Official(api, BOSS), Official(api, 111)
    token = invite(boss, "Uppsala").split("=", 1)[1]
    anna.send(f"/start {token}")
    api.presses_too_old = True
    shown = anna.tap("Bostadsbolaget")
    assert shown[-1].text.startswith("Hej!")
    assert bot.programme.membership("telegram:111")[1] == "housing_company"


def test_coordinators_see_their_commands_in_their_own_menu(
    api: FakeBotApi, bot: InProcessBot
) -> None:
    def as_data(value: Any) -> Any:
        return json.loads(value) if isinstance(value, str) else value

    def scoped(method: str, user: int) -> list[Any]:
        return [
            c
            for c in api.calls
            if c.method == method
            and int(as_data(c.params.get("scope") or {}).get("chat_id", 0)) == user
        ]

    started = scoped("setMyCommands", BOSS)  # at start, for each configured coordinator
    assert {c.params.get("language_code") for c in started} == {None, "en"}
    names = [command["command"] for command in as_data(started[0].params["commands"])]
    assert names[:2] == ["start", "resume"] and "overview" in names and "contact" in names
    boss = Official(api, BOSS)
    boss.send("/coordinator add 5")
    assert len(scoped("setMyCommands", 5)) == 2  # Swedish and English
    boss.send("/coordinator remove 5")
    assert len(scoped("deleteMyCommands", 5)) == 2  # back to everyone's menu
    everyone = [c for c in api.calls if c.method == "setMyCommands" and not c.params.get("scope")]
    assert all("overview" not in str(c.params["commands"]) for c in everyone)


def test_blocking_the_bot_is_noticed_at_once_and_unblocking_too(
    api: FakeBotApi, bot: InProcessBot
) -> None:
    boss = Official(api, BOSS)
    anna = join(api, boss, 111, "Uppsala", "Socialtjänsten")
    api.block(111)
    api.idle()
    assert bot.engine.store.respondent("telegram:111")["unreachable"] is True
    assert "nås inte (har blockerat boten)" in boss.send("/overview Uppsala")[-1].text
    api.block(111, blocked=False)
    api.idle()
    assert bot.engine.store.respondent("telegram:111")["unreachable"] is False
    api.block(999)  # someone the bot holds nothing about: nothing is stored for them
    api.idle()
    assert bot.engine.store.respondent("telegram:999") is None
    assert anna.send("/status")  # and Anna is answered as before
