"""Learning examples between municipalities: a municipality's contact agrees to be named with
chosen follow-up words; an official weak on the same question is pointed to it in the summary
and the report, until the municipality withdraws or a coordinator removes the example."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from bot.exports.files import respondent_file
from dialogues.programme import examples, joint_letter
from dialogues.programme.programme import Programme, ProgrammeError
from storage.programme import ProgrammeStore
from tests.conftest import make_engine, play
from tests.fake_bot_api import Call, FakeBotApi
from tests.script import WHOLE_REVIEW
from tests.telegram_harness import InProcessBot, Official

BOSS = 900
AT = [step for _, step in WHOLE_REVIEW].index("q.owner_directives")
UP_TO, REST = WHOLE_REVIEW[:AT], WHOLE_REVIEW[AT + 1 :]
DIRECTIVES = "Bolaget ska erbjuda 30 lägenheter om året till dem som socialtjänsten stöder"
# Only finished reviews make a municipality's answer (as in the comparison): an example's
# municipality answers the whole review.
STRONG = [*UP_TO, ("1", "q.owner_directives"), (DIRECTIVES, "f.owner_directives"), *REST]
STRONG_QUIET = [*UP_TO, ("1", "q.owner_directives"), ("/skip", "f.owner_directives"), *REST]
STRONG_UNDER_WAY = STRONG[: AT + 2]  # answered strong, with words, and not finished
WEAK = [*UP_TO, ("2", "q.owner_directives")]  # directives, but not about this: to develop
WEAK_DONE = WHOLE_REVIEW  # the same answer, finished


def member(programme: Programme, user_id: int, municipality: str, steps: list) -> str:
    """A Telegram user who joined the municipality and answered as far as `steps` go."""
    rid = f"telegram:{user_id}"
    token = programme.invite(municipality, BOSS).token
    programme.join(rid, user_id, token)
    programme.set_organisation(rid, "social_services")
    play(programme.engine, rid, steps)
    return rid


@pytest.fixture
def bot(api: FakeBotApi, tmp_path: Path) -> Iterator[InProcessBot]:
    running = InProcessBot(api, tmp_path / "db", coordinators=frozenset({BOSS})).start()
    yield running
    running.stop()


def edited(api: FakeBotApi, user_id: int) -> Call:
    """The last message the bot edited in the user's chat (the sharing screen, redrawn)."""
    chat = str(user_id)
    return next(
        c
        for c in reversed(api.calls)
        if c.method == "editMessageText" and str(c.params["chat_id"]) == chat
    )


def report(programme: Programme, rid: str, fmt: str) -> str:
    """The official's PDF or Word report, as text."""
    _, data = respondent_file(programme.engine, programme, rid, fmt, date(2026, 11, 25))
    if fmt == "docx":
        return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    pages = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(pages.split())


def test_an_example_is_shown_only_while_the_municipality_agrees(
    api: FakeBotApi, bot: InProcessBot
) -> None:
    programme = bot.programme
    contact = member(programme, 111, "Uppsala", STRONG)
    weak = member(programme, 333, "Enköping", WEAK)
    joint_letter.set_contact(programme, "0380", contact, BOSS)
    boss, social, enkoping = (Official(api, n) for n in (BOSS, 111, 333))

    # Off by default: nobody is named.
    assert not [m for m in enkoping.send("/summary") if "Lärande exempel" in m.text]
    assert "Uppsala" not in report(programme, weak, "pdf")
    assert enkoping.send("/share")[-1].text.startswith("Det är kommunens kontaktperson")

    screen = social.send("/share")[-1]
    assert screen.text.startswith("Lärande exempel – Uppsala")
    assert "Just nu delar ni inget." in screen.text
    assert f"1. Ägardirektiv till bostadsbolaget: ”{DIRECTIVES}”" in screen.text
    # Two texts to offer (the whole review's own words on 3.3, too); nothing shared until ticked.
    assert len(screen.buttons) == 2
    social.tap("☐ 1.", screen)
    ticked = edited(api, 111)
    assert ticked.button("☑ 1.") and ticked.button("Dela valda (1)")
    assert "Uppsala" not in " ".join(m.text for m in enkoping.send("/summary"))  # not yet agreed
    social.press(ticked.button("Dela valda")["callback_data"], screen)
    assert social.messages()[-1].text.startswith("Tack! Uppsala är nu ett lärande exempel")

    told = enkoping.send("/summary")[-1].text
    assert told.startswith("Lärande exempel från andra kommuner")
    assert f"Uppsala: ”{DIRECTIVES}”" in told
    assert "Socialtjänsten" not in told  # never a person or an organisation
    assert f"Uppsala: ”{DIRECTIVES}”" in report(programme, weak, "docx")

    screen = social.send("/share")[-1]
    assert "Just nu delar ni 1 beskrivning under kommunens namn." in screen.text
    social.tap("Sluta dela", screen)
    assert social.messages()[-1].text.startswith("Klart. Uppsala nämns inte längre")
    assert "Uppsala" not in " ".join(m.text for m in enkoping.send("/summary"))
    assert "Uppsala" not in report(programme, weak, "pdf")

    # A coordinator may agree on the municipality's behalf, and remove one example.
    assert social.send("/examples")[-1].text == "Det här kommandot är för samordnare."
    assert boss.send("/examples")[-1].text.startswith("Inga lärande exempel ännu.")
    screen = boss.send("/share Uppsala")[-1]
    boss.tap("☐ 1.", screen)
    boss.press(edited(api, BOSS).button("Dela valda")["callback_data"], screen)
    assert f"Uppsala: ”{DIRECTIVES}”" in enkoping.send("/summary")[-1].text
    assert "• Ägardirektiv till bostadsbolaget (1)" in boss.send("/examples")[-1].text
    assert boss.send("/examples vräkningar")[-1].text.startswith("Inga lärande exempel om")
    found = boss.send("/examples ägardirektiv")[-1]
    assert f"1. Uppsala: ”{DIRECTIVES}”" in found.text
    boss.tap("Ta bort 1", found)
    assert boss.messages()[-1].text.startswith("Exemplet från Uppsala är borttaget")
    assert "Uppsala" not in " ".join(m.text for m in enkoping.send("/summary"))
    assert "Just nu delar ni inget." in social.send("/share")[-1].text  # not offered again
    # Presses not meant for the presser, or forged, change nothing.
    assert enkoping.press("h|0380|ok:", screen) == []
    assert enkoping.last_toast().startswith("Det är kommunens kontaktperson")
    assert social.press("h|9999|t:x", screen) == [] and social.press("w|0380|x.1", screen) == []
    assert social.last_toast() == "Det här kommandot är för samordnare."
    assert programme.store.example("0380")["shared"] is True


def test_consent_covers_only_standing_words_and_is_erased_with_their_writer(
    tmp_path: Path,
) -> None:
    engine = make_engine(tmp_path)
    programme = Programme(engine, ProgrammeStore(tmp_path), frozenset({BOSS}))
    contact = member(programme, 111, "Uppsala", STRONG)
    member(programme, 112, "Uppsala", STRONG_QUIET)
    neighbour = member(programme, 113, "Uppsala", WEAK_DONE)  # Uppsala: strong by two of three
    member(programme, 114, "Uppsala", WEAK)  # under way: not counted, not yet a tie
    weak = member(programme, 333, "Enköping", WEAK)
    assert not examples.may_share(programme, "0380", contact, 111)  # not yet the contact
    joint_letter.set_contact(programme, "0380", contact, BOSS)
    assert examples.may_share(programme, "0380", contact, 111)
    with pytest.raises(ProgrammeError):
        examples.confirm(programme, "0380", contact)  # nothing ticked: nothing agreed
    key = examples.sharing(programme, "0380").candidates[0].key
    examples.toggle(programme, "0380", key)
    assert examples.confirm(programme, "0380", contact) == 1
    assert [e.name for _, found in examples.for_respondent(programme, weak) for e in found] == [
        "Uppsala"
    ]
    assert examples.for_respondent(programme, neighbour) == []  # never one's own municipality
    # Another municipality agrees: the official's own county comes first (Uppsala before Umeå).
    north = member(programme, 444, "Umeå", STRONG)
    examples.toggle(programme, "2480", examples.sharing(programme, "2480").candidates[0].key)
    examples.confirm(programme, "2480", north)
    found = examples.for_respondent(programme, weak)
    assert [e.name for e in found[0][1]] == ["Uppsala", "Umeå"]
    text = examples.summary_text(engine.questionnaire, found, "en")
    assert text.startswith("Learning examples from other municipalities")
    assert f"Uppsala: “{DIRECTIVES}”" in text
    # A second respondent of Umeå finishes answering weak: split evenly, Umeå's answer is "to
    # find out" (as the comparison counts it), so it is neither pointed to nor offers the words.
    member(programme, 445, "Umeå", WEAK_DONE)
    found = examples.for_respondent(programme, weak)
    assert [e.name for e in found[0][1]] == ["Uppsala"]
    assert [c.question.id for c in examples.sharing(programme, "2480").candidates] == [
        "external_actors"  # both answered 3.3 strong, with their own words
    ]
    # A municipality whose respondents are still answering has nothing to offer yet.
    member(programme, 555, "Knivsta", STRONG_UNDER_WAY)
    assert examples.sharing(programme, "0330").candidates == ()
    examples.withdraw(programme, "2480", north)
    # Stored: a programme started again on the folder (a restart) knows the consent.
    again = Programme(make_engine(tmp_path), ProgrammeStore(tmp_path), frozenset({BOSS}))
    found = examples.for_respondent(again, weak)
    assert [(q.id, [(e.name, e.text) for e in shown]) for q, shown in found] == [
        ("owner_directives", [("Uppsala", DIRECTIVES)])
    ]
    # Words changed after agreeing are not what was agreed: the example lapses.
    for _ in range(len(REST) + 1):  # back from the end of the finished review
        if engine.back(contact).prompt.step == "f.owner_directives":
            break
    assert engine.current(contact).prompt.step == "f.owner_directives"
    assert engine.answer(contact, "Ett annat avtal").error is None
    assert examples.for_respondent(programme, weak) == []
    # Erasing the writer erases the shared words from the programme.
    programme.forget(contact)
    assert programme.store.example("0380")["items"] == []
