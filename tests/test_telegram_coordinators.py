"""Coordinators in Telegram: roles, invitations by deep link, joining a municipality."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import play, play_until
from tests.fake_bot_api import FakeBotApi
from tests.script import WHOLE_REVIEW
from tests.telegram_harness import TOKEN, Official, RunningBot

BOSS = 900
COORDINATOR_COMMANDS = [
    "/coordinator add 5",
    "/municipality add Uppsala",
    "/overview",
    "/overview Uppsala",
]


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    server = FakeBotApi(TOKEN).start()
    yield server
    server.stop()


@pytest.fixture
def bot(api: FakeBotApi, tmp_path: Path) -> Iterator[RunningBot]:
    running = RunningBot(api, tmp_path / "db", coordinators=frozenset({BOSS})).start()
    yield running
    running.stop()


def invite(boss: Official, name: str) -> str:
    """The deep link a coordinator gets for a municipality."""
    text = boss.send(f"/municipality add {name}")[-1].text
    return text.split("\n")[-1]


def test_an_invited_official_joins_and_names_their_organisation(
    api: FakeBotApi, bot: RunningBot
) -> None:
    boss, anna = Official(api, BOSS), Official(api, 111)
    link = invite(boss, "uppsla")  # a typo is fine
    assert link.startswith("https://t.me/selfreview_test_bot?start=")
    assert "Uppsala (Uppsala län) är med i programmet." in boss.messages()[-1].text
    token = link.split("=", 1)[1]
    assert len(f"/start {token}") <= 7 + 64
    welcome = anna.send(f"/start {token}")[-1]
    assert (
        welcome.text
        == "Välkommen! Du är med i självskattningen för Uppsala. Vilken verksamhet företräder du?"
    )
    shown = anna.tap("Bostadsbolaget")
    assert shown[-1].text.startswith("Hej!")  # straight on to the review
    municipality, organisation = bot.programme.membership("telegram:111")
    assert (municipality.code, organisation) == ("0380", "housing_company")
    edits = [c.text for c in api.calls if c.method == "editMessageText"]
    assert any(e.endswith("✅ Bostadsbolaget") for e in edits)


def test_a_wrong_and_a_revoked_code_are_refused(api: FakeBotApi, bot: RunningBot) -> None:
    boss, anna = Official(api, BOSS), Official(api, 111)
    token = invite(boss, "Uppsala").split("=", 1)[1]
    assert anna.send("/start notARealCode12345")[-1].text.startswith(
        "Den inbjudningskoden känner jag inte igen"
    )
    boss.send("/municipality revoke Uppsala")
    assert boss.messages()[-1].text.startswith("Inbjudan till Uppsala gäller inte längre.")
    assert anna.send(f"/start {token}")[-1].text.startswith("Den inbjudan gäller inte längre")
    assert bot.programme.membership("telegram:111") == (None, None)


def test_guessing_codes_is_slowed_down(api: FakeBotApi, bot: RunningBot) -> None:
    mallory = Official(api, 666)
    for attempt in range(5):
        mallory.send(f"/start guess{attempt:011d}")
    assert mallory.send("/start guess99999999999")[-1].text.startswith("För många felaktiga koder.")


@pytest.mark.parametrize("command", COORDINATOR_COMMANDS)
def test_officials_cannot_use_coordinator_commands(
    api: FakeBotApi, bot: RunningBot, command: str
) -> None:
    anna = Official(api, 111)
    assert [c.text for c in anna.send(command)] == ["Det här kommandot är för samordnare."]
    assert bot.programme.store.municipalities() == []
    assert not bot.programme.is_coordinator(5)


def test_a_coordinator_adds_and_removes_another(api: FakeBotApi, bot: RunningBot) -> None:
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
    api: FakeBotApi, bot: RunningBot
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


def test_the_overview_pages_with_buttons(api: FakeBotApi, bot: RunningBot) -> None:
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
    api: FakeBotApi, bot: RunningBot
) -> None:
    boss = Official(api, BOSS)
    social = join(api, boss, 111, "Uppsala", "Socialtjänsten")
    join(api, boss, 222, "Uppsala", "Bostadsbolaget")
    stranger = join(api, boss, 333, "Umeå", "Annan verksamhet")
    play(bot.engine, "telegram:111", WHOLE_REVIEW)
    until_letter = WHOLE_REVIEW[: [step for _, step in WHOLE_REVIEW].index("letter.propose")]
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
    assert "Socialtjänsten: Inför skriftliga rutiner så att inga barnfamiljer vräks" in summary
    assert "inte uppföljt ännu" in summary
    assert (
        stranger.send("/consolidated Uppsala")[-1].text
        == "Du kan bara läsa sammanställningen för din egen kommun."
    )
    assert "Sammanställning för Uppsala" in boss.send("/consolidated Uppsala")[0].text
    assert (
        Official(api, 444)
        .send("/consolidated")[-1]
        .text.startswith("Du är inte med i någon kommun ännu.")
    )
