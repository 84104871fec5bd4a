"""The municipality's joint letter in Telegram: the coordinator names a contact, the contact
settles every line and marks it agreed, members read it, the coordinator is told."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from bot.exports.files import respondent_file
from bot.telegram.scheduled import ask_joint_follow_ups
from tests.conftest import play
from tests.fake_bot_api import FakeBotApi
from tests.script import WHOLE_REVIEW
from tests.telegram_harness import InProcessBot, Official
from tests.test_telegram_coordinators import BOSS, join

UNTIL_LETTER = WHOLE_REVIEW[: [step for _, step in WHOLE_REVIEW].index("letter.choose")]


@pytest.fixture
def bot(api: FakeBotApi, tmp_path: Path) -> Iterator[InProcessBot]:
    running = InProcessBot(api, tmp_path / "db", coordinators=frozenset({BOSS})).start()
    yield running
    running.stop()


def test_a_contact_settles_the_letter_and_marks_it_agreed(
    api: FakeBotApi, bot: InProcessBot
) -> None:
    boss = Official(api, BOSS)
    social = join(api, boss, 111, "Uppsala", "Socialtjänsten")
    housing = join(api, boss, 222, "Uppsala", "Bostadsbolaget")
    play(bot.engine, "telegram:111", WHOLE_REVIEW)  # evictions, plans, keep collaboration, own
    play(bot.engine, "telegram:222", UNTIL_LETTER)
    for typed in ("1", "Bostadschef", "Q3 2027"):  # evictions and children
        assert bot.engine.answer("telegram:222", typed).error is None
    bot.engine.skip("telegram:222")

    assert housing.send("/letter")[-1].text.startswith("Uppsala har ingen gemensam")
    assert social.send("/contact Uppsala")[-1].text == "Det här kommandot är för samordnare."
    assert "Kommunens avsiktsförklaring: ingen ännu" in boss.send("/overview")[-1].text
    choose = boss.send("/contact Uppsala")[-1]
    assert choose.text.startswith("Vem ska sammanställa den gemensamma avsiktsförklaringen")
    labels = [b["text"] for row in choose.buttons for b in row]
    assert len([label for label in labels if label.endswith(" – föreslås, klar först")]) == 1
    boss.tap("Socialtjänsten", choose)
    assert boss.messages()[-1].text.startswith("Socialtjänsten i Uppsala är nu kontaktperson")
    assert social.messages()[-1].text.startswith("Ni är kontaktperson")

    line = social.send("/letter")[-1]
    assert line.text.startswith("Att ta ställning till (4 kvar):")
    assert "Inför rutiner så att inga barnfamiljer vräks." in line.text
    assert "Socialtjänsten (Socialchef, 2027-06-30); Bostadsbolaget (Bostadschef, 2027-09-30)" in (
        line.text
    )
    assert housing.tap("Behåll", line) == []  # only the contact: a toast, nothing else
    assert api.calls[-1].params.get("text", "").startswith("Det är kommunens kontaktperson")
    asked = social.tap("Behåll", line)[-1]
    assert asked.text.endswith("Skriv en roll eller funktion – inget namn.")
    assert social.send("Socialchef")[-1].text.startswith("När ska det vara klart?")
    assert social.send("igår")[-1].text.startswith("Jag förstår inte datumet")
    social.send("juni 2027")
    social.tap("Ändra lydelse")  # plans: in their own words
    social.send("Anta en handlingsplan mot hemlöshet i kommunfullmäktige.")
    social.send("Kommundirektör")
    social.send("Q4 2027")
    while (prompt := social.prompt()).text.startswith("Att ta ställning till"):
        if "Inventera" in prompt.text:  # their own one left out, the collaboration kept
            social.tap("Ta bort", prompt)
        else:
            social.tap("Behåll", prompt)
            social.send("Samverkansgruppen")
            social.send("2027-12-31")
    ready = social.messages()[-1]
    assert ready.text.startswith("Varje rad har ett ställningstagande.")
    assert (
        "2. Anta en handlingsplan mot hemlöshet i kommunfullmäktige. Ansvarig: Kommundirektör."
        in (ready.text)
    )
    assert housing.send("/letter")[-1].text.startswith("Kommunens avsiktsförklaring – Uppsala")
    social.tap("Markera som beslutad", ready)
    social.send("Socialnämnden")
    social.send("2026-11-20")
    assert social.send("SN 2026/112")[-1].text.startswith("Avsiktsförklaringen är beslutad.")
    told = boss.messages()[-1].text
    overview = boss.send("/overview")[-1].text
    assert "Kommunens avsiktsförklaring: beslutad" in overview
    assert told == (
        "Avsiktsförklaringen för Uppsala är beslutad av Socialnämnden 2026-11-20 "
        "(diarienummer SN 2026/112), med 3 åtaganden."
    )
    reading = housing.send("/letter")[-1]
    read = reading.text
    housing.tap("PDF", reading)
    sent = [c for c in api.calls if c.method == "sendDocument" and c.params["chat_id"] == "222"]
    assert len(sent) == 1 and next(iter(sent[0].files.values())).startswith(b"%PDF")
    assert "Beslutad av Socialnämnden 2026-11-20, diarienummer SN 2026/112." in read
    assert "Inventera" not in read
    assert social.send("/letter")[-1].text == read  # agreed: the contact reads it too

    # At the first commitment's date, the contact is asked how it went.
    early = datetime(2027, 6, 29, 9, 0, tzinfo=UTC)
    assert bot.run(ask_joint_follow_ups(bot.application, early)) == []
    due = bot.run(ask_joint_follow_ups(bot.application, datetime(2027, 6, 30, 9, tzinfo=UTC)))
    assert [item.due for item in due] == ["2027-06-30"]
    later = datetime(2027, 7, 2, 9, 0, tzinfo=UTC)
    assert bot.run(ask_joint_follow_ups(bot.application, later)) == []  # asked once
    question = social.messages()[-1]
    assert question.text.startswith("Uppföljning av kommunens avsiktsförklaring för Uppsala:")
    assert social.tap("Pågår", question)[-1].text.startswith("Tack! Skriv gärna en kort kommentar")
    assert social.send("Rutinerna är på remiss.")[-1].text == "Tack, det är noterat."
    letter_row = bot.programme.store.letter("0380", 1)
    follow_up = letter_row["items"][0]["follow_up"]
    assert (follow_up["status"], follow_up["comment"]) == ("in_progress", "Rutinerna är på remiss.")
    assert "beslutad och uppföljd" in boss.send("/overview")[-1].text
    summary = "\n".join(c.text for c in boss.send("/consolidated Uppsala"))
    assert "Kommunens avsiktsförklaring (omgång 1)\nBeslutad av Socialnämnden 2026-11-20" in summary
    assert (
        "• Inför rutiner så att inga barnfamiljer vräks. Ansvarig: Socialchef. Klart senast "
        in (summary)
    )
    assert "– pågår. (”Rutinerna är på remiss.”)" in summary

    # The next round starts from the agreed letter: it is there, with how it went.
    boss.send("/newround Uppsala")
    summary = "\n".join(c.text for c in housing.send("/consolidated"))
    assert "Förra omgångens avsiktsförklaring (omgång 1) och hur det gick" in summary
    assert "pågår. (”Rutinerna är på remiss.”)" in summary
    assert housing.send("/letter")[-1].text.startswith("Uppsala har ingen gemensam")  # round 2
    # ... and each official's report of round 2 starts its letter from it.
    _, pdf = respondent_file(bot.engine, bot.programme, "telegram:222", "pdf", date(2027, 7, 2))
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Kommunens avsiktsförklaring från omgång 1 och hur det gick" in text
    assert "pågår – ”Rutinerna är på remiss.”" in text


def test_a_contact_who_turns_back_to_the_review_is_not_caught_by_the_letter(
    api: FakeBotApi, bot: InProcessBot
) -> None:
    """A contact who chose to reword a line, then went on with their own review: their next
    answer is the review's, and /letter shows the same line again."""
    boss = Official(api, BOSS)
    social = join(api, boss, 111, "Uppsala", "Socialtjänsten")
    play(bot.engine, "telegram:111", WHOLE_REVIEW)
    boss.tap("Socialtjänsten", boss.send("/contact Uppsala")[-1])
    line = social.send("/letter")[-1]
    assert social.tap("Ändra lydelse", line)[-1].text == "Skriv den nya lydelsen av åtagandet."
    social.send("/back")  # the review again: the letter's question is left
    social.send("Något helt annat")
    assert bot.programme.store.letter("0380", 1)["items"] == []  # not taken as a wording
    assert bot.engine.store.respondent("telegram:111")["awaiting_letter"] is None
    again = social.send("/letter")[-1]
    assert again.text == line.text  # the same line, still to decide on
