"""Each municipality beside its county and the country: 30 municipalities in three counties,
their figures against a count by hand, the rule of at least five municipalities, a
municipality counted once by its consolidated answer, and no municipality ever named — in the
chat, the report and the coordinators' sheet."""

from __future__ import annotations

import collections
import io
import os
import shutil
import time
from pathlib import Path

import docx
import openpyxl
import pytest

from bot.exports.files import respondent_file
from bot.exports.sheets import render_xlsx
from dialogues.programme.comparison import Recent, Tally, beside, finished_now, tally
from dialogues.programme.counting import agreed
from dialogues.programme.programme import Programme
from dialogues.programme.tables import programme_tables
from dialogues.review.loader import CONTENT_DIR, ContentError, _load_area, default_questionnaire
from dialogues.review.stored import turn_of
from storage.atomic import AtomicJSONStorage
from storage.programme import ProgrammeStore
from tests.conftest import TODAY, make_engine, play
from tests.fake_bot_api import FakeBotApi
from tests.script import WHOLE_REVIEW
from tests.telegram_harness import InProcessBot, Official
from tests.test_documents import docx_text, pdf_pages

STRONG, WEAK, UNSURE = "written_adopted", "none", "dont_know"  # 4.5 Rutiner mot vräkningar
# Each municipality's finished respondents and how each answered 4.5; the rest of the review
# as WHOLE_REVIEW (4.5 strong there, too).
STOCKHOLMS = {  # 16 municipalities
    **{
        key: [STRONG]
        for key in [
            "Upplands Väsby",
            "Vallentuna",
            "Österåker",
            "Värmdö",
            "Järfälla",
            "Ekerö",
            "Huddinge",
            "Botkyrka",
            "Haninge",
        ]
    },
    **{key: [WEAK] for key in ["Tyresö", "Nykvarn", "Täby", "Sollentuna"]},
    **{key: [UNSURE] for key in ["Södertälje", "Nacka"]},
    "Danderyd": [STRONG, STRONG, WEAK],  # three respondents, most say strong: one strong
}
VASTRA_GOTALANDS = {  # 10 municipalities
    **{key: [STRONG] for key in ["Härryda", "Partille", "Stenungsund", "Tjörn"]},
    **{key: [WEAK] for key in ["Orust", "Sotenäs", "Munkedal", "Tanum"]},
    "Lerum": [UNSURE],
    "Vårgårda": [STRONG, WEAK],  # two respondents who disagree: the municipality finds out
}
UPPSALA = {"Håbo": [STRONG], "Knivsta": [STRONG], "Heby": [WEAK], "Tierp": [UNSURE]}  # four
# Not finished, so not counted: Enköping's only respondent, and a second one in Täby.
UNFINISHED = {"Enköping": STRONG, "Täby": STRONG}
FINISHED = {**STOCKHOLMS, **VASTRA_GOTALANDS, **UPPSALA}
NAMES = [*FINISHED, *UNFINISHED]

# By hand: (strong, to develop, to find out) municipalities, each counted once.
BY_HAND = {
    "01": (9 + 1, 4, 2),  # Danderyd strong; Täby's unfinished second respondent not counted
    "14": (4, 4, 1 + 1),  # Vårgårda split evenly: to find out
    "03": (2, 1, 1),  # four: too few for a figure; Enköping has not finished
}
COUNTRY = (10 + 4 + 2, 4 + 4 + 1, 2 + 2 + 1)  # (16, 9, 5) of 30

HARRYDA = "telegram:1000"  # the first respondent of Härryda: an official in Västra Götaland
PHRASE = "skriftliga och beslutade rutiner mot vräkningar"
LINE_14 = f"4. Rutiner och metoder: I Västra Götalands län har 4 av 10 kommuner {PHRASE}; i hela landet 16 av 30."
LINE_03 = (
    "4. Rutiner och metoder: I Uppsala län har färre än 5 kommuner svarat än; "
    f"i hela landet har 16 av 30 kommuner {PHRASE}."
)


def build(folder: Path) -> Programme:
    """The 30 municipalities, each respondent's review copied from one played review with 4.5
    answered their way (playing 35 reviews would take seconds)."""
    engine = make_engine(folder)
    play(engine, "template", WHOLE_REVIEW)
    template = engine.store.active_review("template")
    engine.forget("template")
    programme = Programme(engine, ProgrammeStore(folder), frozenset({900}))
    respondents = [(name, value, True) for name, values in FINISHED.items() for value in values]
    respondents += [(name, value, False) for name, value in UNFINISHED.items()]
    tokens: dict[str, str] = {}
    order = sorted(respondents, key=lambda r: r[0] != "Härryda")  # Härryda's comes first
    for user, (name, value, finished) in enumerate(order, start=1000):
        rid = f"telegram:{user}"
        if name not in tokens:
            tokens[name] = programme.invite(name, added_by=900).token
        programme.join(rid, user, tokens[name])
        fresh = engine.store.active_review(rid)
        answers = {
            **template["answers"],
            "eviction_routines": {"value": value, "at": template["updated"]},
        }
        review = {**template, "id": fresh["id"], "answers": answers}
        review["finished"] = template["finished"] if finished else None
        engine.store.save_review(rid, review)
        # As if the bot had shown them their last message: nothing owed when it starts.
        shown = {"chat_id": user, "prompt_message_id": None, "prompt_turn": turn_of(review)}
        engine.store.update_respondent(rid, {"telegram": shown})
    return programme


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once and only read: copy it before writing. What is under test is how the reviews
    are counted, not what reaches the disk: no fsync (~8 ms each, some 400 of them)."""
    path = tmp_path_factory.mktemp("thirty")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "fsync", lambda fd: None)
        build(path)
    return path


@pytest.fixture(scope="module")
def programme(folder: Path) -> Programme:
    return Programme(make_engine(folder), ProgrammeStore(folder), frozenset({900}))


def code_of(programme: Programme, name: str) -> str:
    return programme.find(name).code


def named(text: str, allowed: tuple[str, ...] = ()) -> list[str]:
    """The municipalities of the programme that a text names (but those allowed)."""
    return [name for name in NAMES if name in text and name not in allowed]


def test_the_county_and_country_figures_are_the_hand_count(programme: Programme) -> None:
    q = programme.engine.questionnaire
    finished = finished_now(programme)
    assert len(finished) == 30  # Enköping has not finished
    assert len(finished[code_of(programme, "Danderyd")]) == 3
    assert len(finished[code_of(programme, "Täby")]) == 1  # its second respondent is under way
    tallies = tally(q, finished)
    for county, counts in BY_HAND.items():
        assert tallies[(("county", county), "eviction_routines")] == Tally(counts), county
    country = tallies[(("country", ""), "eviction_routines")]
    assert country == Tally(COUNTRY) and country.behind == 30
    assert country.shares() == [0.5333, 0.3, 0.1667]
    assert tallies[(("county", "14"), "eviction_routines")].shares() == [0.4, 0.4, 0.2]
    # Four municipalities stand behind Uppsala län's figure: too few to show it.
    uppsala = tallies[(("county", "03"), "eviction_routines")]
    assert uppsala.behind == 4 and not uppsala.shown and uppsala.shares() == [None] * 3
    # Every municipality answered 1.3 "no mapping" (WHOLE_REVIEW): all 30 to develop.
    assert tallies[(("country", ""), "mapping")] == Tally((0, 30, 0))


def test_a_municipality_counts_once_by_its_consolidated_answer() -> None:
    assert agreed(["strengths", "strengths", "weaknesses"]) == "strengths"
    assert agreed(["strengths", "weaknesses"]) == "to_find_out"  # they do not agree
    assert agreed(["weaknesses", "to_find_out", "weaknesses", "strengths"]) == "weaknesses"
    assert agreed(["strengths"]) == "strengths"


def test_the_officials_lines_one_per_area_never_naming_a_municipality(
    programme: Programme,
) -> None:
    shown = beside(programme, code_of(programme, "Härryda"), "sv")
    assert shown is not None
    assert shown.title == "Er kommun bredvid länet och landet"
    assert LINE_14 in shown.lines
    assert len(shown.lines) == 5  # areas 1–5; area 6 is own words, with nothing to compare
    assert shown.lines[0].startswith("1. Överblick: I Västra Götalands län har 0 av 10 kommuner")
    assert "er egen kommun också" in shown.note and "minst 5 kommuner" in shown.note
    uppsala = beside(programme, code_of(programme, "Håbo"), "sv")
    assert uppsala is not None and LINE_03 in uppsala.lines  # four: says so, and no figure
    english = beside(programme, code_of(programme, "Härryda"), "en")
    assert english is not None
    assert (
        "4. Routines and methods: In Västra Götalands län, 4 of 10 municipalities have written, "
        "adopted routines for eviction prevention; in the whole country 16 of 30." in english.lines
    )
    for lines in (shown, uppsala, english):
        assert named(lines.text()) == []


def test_fewer_than_five_in_the_whole_country_is_one_line(
    programme: Programme, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "fsync", lambda fd: None)  # the figures under test, not the disk
    alone = Programme(make_engine(tmp_path), ProgrammeStore(tmp_path), frozenset({900}))
    alone.join("telegram:1", 1, alone.invite("Habo", added_by=900).token)
    finished = programme.engine.store.active_review(HARRYDA)  # the only one, finished
    store = alone.engine.store
    store.save_review("telegram:1", {**finished, "id": store.active_review("telegram:1")["id"]})
    shown = beside(alone, code_of(alone, "Habo"), "sv")
    assert shown is not None and shown.lines == (
        "Jämförelsen med länet och landet visas när minst 5 kommuner har svarat – hittills har "
        "färre gjort det.",
    )


def test_the_coordinators_sheet_has_the_same_figures_and_no_municipality(
    programme: Programme,
) -> None:
    tables = programme_tables(programme, "all", "sv", which=["questions"])
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(tables)))
    rows = [list(row) for row in book["Frågor"].iter_rows(values_only=True)]
    header, body = rows[0], rows[1:]
    assert header[:5] == ["Nivå", "Namn", "Kod", "Fråga", "Kommuner bakom siffran"]
    found = {(row[1], row[3]): row for row in body}
    assert {level for level, *_ in body} == {"Riket", "Län"}  # never a municipality's row
    assert {name for name, _ in found} == {
        "Riket", "Stockholms län", "Uppsala län", "Västra Götalands län"
    }  # fmt: skip
    question = "4.5 Rutiner mot vräkningar"
    assert found[("Riket", question)][4:] == [30, 0.5333, 0.3, 0.1667, None]
    assert found[("Västra Götalands län", question)][4:] == [10, 0.4, 0.4, 0.2, None]
    assert found[("Stockholms län", question)][4:8] == [16, 0.625, 0.25, 0.125]
    uppsala = found[("Uppsala län", question)]
    assert uppsala[4:8] == [4, None, None, None]
    assert uppsala[8].startswith("Färre än 5 kommuner")
    assert ("Riket", "6.1 Det här fungerar bra") not in found  # own words: nothing to compare
    assert named(" ".join(str(cell) for row in rows for cell in row)) == []


@pytest.fixture(scope="module")
def documents(programme: Programme) -> tuple[list[str], str]:
    _, pdf = respondent_file(programme.engine, programme, HARRYDA, "pdf", TODAY)
    _, word = respondent_file(programme.engine, programme, HARRYDA, "docx", TODAY)
    return pdf_pages(pdf), docx_text(docx.Document(io.BytesIO(word)))


def test_the_report_has_the_lines_and_names_no_other_municipality(
    documents: tuple[list[str], str],
) -> None:
    pages, word = documents
    pdf = " ".join(pages)
    for text in (pdf, word):
        assert "Er kommun bredvid länet och landet" in text
        assert LINE_14 in text
        assert named(text, allowed=("Härryda",)) == []  # their own, in the details, only


def test_the_summary_in_telegram_ends_with_the_lines(
    api: FakeBotApi, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "fsync", lambda fd: None)
    db = tmp_path / "db"
    shutil.copytree(folder, db)
    bot = InProcessBot(api, db).start()
    try:
        official = Official(api, int(HARRYDA.removeprefix("telegram:")))
        official.send("/summary")
        texts = [call.text for call in official.messages()]
        # Someone else's file spoilt: the summary still comes, without the lines.
        other = next(
            path
            for path in (db / "respondents").glob("*.json")
            if HARRYDA not in path.read_text(encoding="utf-8")
        )
        other.write_bytes(b"")
        official.send("/summary")  # within the minute: the figures read before, reused
        reused = [call.text for call in official.messages()][len(texts) :]
        assert LINE_14 in reused[-1]
        recent = bot.application.bot_data["comparison"]
        later = time.monotonic() + 60
        recent.clock = lambda: later  # a minute later: read again
        texts = [call.text for call in official.messages()]
        official.send("/summary")
        after = [call.text for call in official.messages()][len(texts) :]
    finally:
        bot.stop()
    assert any(text.startswith("Sammanfattning av självskattningen") for text in texts)
    last = texts[-1]
    assert last.startswith("Er kommun bredvid länet och landet")
    assert LINE_14 in last
    assert named(last) == []
    assert after and after[0].startswith("Sammanfattning av självskattningen")
    assert not any("bredvid länet" in text or "gick fel" in text for text in after)


def test_the_chat_reads_the_programme_once_a_minute(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "fsync", lambda fd: None)
    shutil.copytree(folder, tmp_path / "db")
    programme = Programme(
        make_engine(tmp_path / "db"), ProgrammeStore(tmp_path / "db"), frozenset()
    )
    reads: collections.Counter[str] = collections.Counter()
    read = AtomicJSONStorage.read

    def counted(storage: AtomicJSONStorage) -> object:
        if storage.path.parent.name == "respondents":
            reads[storage.path.name] += 1
        return read(storage)

    monkeypatch.setattr(AtomicJSONStorage, "read", counted)
    now = [1000.0]
    recent = Recent(programme, max_age=60, clock=lambda: now[0])
    first = recent.beside_respondent(HARRYDA)
    assert first is not None and LINE_14 in first.lines
    assert len(reads) == 35  # every member's file
    own = programme.respondents._path(HARRYDA).name  # Härryda's only respondent
    # Enköping's respondent finishes: Uppsala län, so Härryda's county line stays, the country's
    # grows from 30 to 31 municipalities.
    enkoping = programme.members(code_of(programme, "Enköping"))[0]["id"]
    review = programme.respondents.active_review(enkoping)
    programme.respondents.save_review(enkoping, {**review, "finished": review["updated"]})
    reads.clear()
    now[0] += 59  # within the minute: only the official's own municipality is read again
    second = recent.beside_respondent(HARRYDA)
    assert second is not None and second.lines == first.lines
    assert set(reads) == {own}
    reads.clear()
    now[0] += 1  # a minute after the first reading: everyone is read again, Enköping counted
    third = recent.beside_respondent(HARRYDA)
    assert third is not None and len(reads) == 35
    assert LINE_14.replace("16 av 30", "17 av 31") in third.lines


def load_area(path: Path) -> None:
    """The loader's check of one area file, with the rest of the content as it is (loading all
    of it takes a second)."""
    q = default_questionnaire()
    number = int(path.name[4])
    known = {question.id: question for area in q.areas[: number - 1] for question in area.questions}
    _load_area(path, number, known, q.commitments, q.texts)


@pytest.mark.parametrize(
    ("name", "old", "new", "message"),
    [
        (
            "area6_analysis.yaml",
            "  - id: works_well\n    kind: text\n",
            "  - id: works_well\n    kind: text\n    compare: {sv: något, en: something}\n",
            "area6_analysis.yaml: question 'works_well': compare needs an option that reads as "
            "strength",
        ),
        (
            "area4_routines.yaml",
            "  - id: outreach\n    kind: scale\n",
            "  - id: outreach\n    kind: scale\n    compare: {sv: uppsökande, en: outreach}\n",
            "area4_routines.yaml: question 'eviction_routines': compare is on one question per "
            "area, and 'outreach' has it already",
        ),
        (
            "area4_routines.yaml",
            "rutiner mot vräkningar\n",
            "rutiner mot vräkningar.\n",
            "area4_routines.yaml: question 'eviction_routines': compare 'sv' is part of a sentence",
        ),
        (
            "area4_routines.yaml",
            "      en: written, adopted routines for eviction prevention\n",
            "",
            "area4_routines.yaml: question 'eviction_routines': compare: missing translation 'en'",
        ),
    ],
)
def test_a_broken_compare_entry_names_its_file_and_question(
    tmp_path: Path, name: str, old: str, new: str, message: str
) -> None:
    text = (CONTENT_DIR / name).read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ContentError) as error:
        load_area(path)
    assert str(error.value).startswith(message)


def test_the_area_files_load_as_they_are(tmp_path: Path) -> None:
    """The check above fails for what was changed, not for how it loads one file."""
    for name in ("area4_routines.yaml", "area6_analysis.yaml"):
        load_area(CONTENT_DIR / name)
