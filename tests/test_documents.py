"""The official's report as documents to adopt and sign, read back as a reader would: pypdf for
the PDF, python-docx for Word."""

from __future__ import annotations

import io
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

import docx
import pypdf
import pytest
from docx.oxml.ns import qn

from bot.exports.files import respondent_file
from dialogues.collation import swedish_key
from dialogues.programme.follow_up import record_comment, record_status
from dialogues.programme.programme import Programme
from dialogues.review.report import file_name
from storage.programme import ProgrammeStore
from tests.conftest import make_engine, play, play_until
from tests.script import WHOLE_REVIEW

TODAY = date(2026, 11, 24)
ANNA, BO = "telegram:111", "telegram:222"
OWN = "Inventera kommunens sociala kontrakt\noch hur de följs upp varje kvartal"
# Four of the themes offered and an own commitment, with roles that are long single words.
LETTER = [
    ("1,2,3,4", "letter.choose"),
    ("Kommundirektör", "letter.role"),
    ("2027-06-30", "letter.due"),
    ("Samverkansgruppen", "letter.role"),
    ("31/12 2027", "letter.due"),
    ("Socialnämndens ordförande", "letter.role"),
    ("Q4 2027", "letter.due"),
    ("Bostadsbolagets vd", "letter.role"),
    ("juni 2028", "letter.due"),
    (OWN, "letter.own"),
    ("Enhetschef vuxen", "letter.role"),
    ("30 juni 2027", "letter.due"),
    ("/skip", "letter.own"),
]
REVIEW = [step for step in WHOLE_REVIEW if not step[1].startswith("letter.")] + LETTER
FOLLOW_UPS = ("Vi räknar bara akut hemlöshet", "Brist på små lägenheter")


def whole(programme: Programme, respondent: str, organisation: str) -> None:
    programme.join(
        respondent, int(respondent.split(":")[1]), programme.invite("Uppsala", 900).token
    )
    programme.set_organisation(respondent, organisation)
    play(programme.engine, respondent, REVIEW)


@pytest.fixture
def programme(tmp_path: Path) -> Programme:
    programme = Programme(make_engine(tmp_path), ProgrammeStore(tmp_path), frozenset({900}))
    whole(programme, ANNA, "social_services")
    return programme


@pytest.fixture(scope="module")
def finished(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], Any]:
    """Anna's finished report, PDF pages and Word document: made once, only read."""
    folder = tmp_path_factory.mktemp("finished")
    programme = Programme(make_engine(folder), ProgrammeStore(folder), frozenset({900}))
    whole(programme, ANNA, "social_services")
    return files(programme)


def pdf_pages(data: bytes) -> list[str]:
    return [
        " ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(data)).pages
    ]


def docx_text(document: docx.document.Document) -> str:
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return " ".join(" ".join(parts).split())


def files(programme: Programme, respondent: str = ANNA) -> tuple[list[str], docx.document.Document]:
    _, pdf = respondent_file(programme.engine, programme, respondent, "pdf", TODAY)
    _, word = respondent_file(programme.engine, programme, respondent, "docx", TODAY)
    return pdf_pages(pdf), docx.Document(io.BytesIO(word))


def test_the_officials_own_words_are_with_their_answers(finished: tuple[list[str], Any]) -> None:
    pages, word = finished
    text, word_text = " ".join(pages), docx_text(word)
    for said in FOLLOW_UPS:
        assert f"”{said}”" in text and f"”{said}”" in word_text, said
    # in the readings too, after the answer they tell about
    assert "Bostadsmarknaden: Brist på bostäder – ”Brist på små lägenheter”" in text


def test_every_page_is_numbered_under_a_running_header(finished: tuple[list[str], Any]) -> None:
    pages, _ = finished
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert f"Sida {number} av {len(pages)}" in page
        assert "Självskattning av arbetet mot hemlöshet" in page and "Uppsala" in page
    assert not any("Preliminär" in page for page in pages)


def test_the_last_commitment_is_signed_on_its_own_page(finished: tuple[list[str], Any]) -> None:
    pages, _ = finished
    (page,) = [page for page in pages if "följs upp varje kvartal" in page]
    assert "Namn, befattning och datum" in page and "Underskrifter" in page
    for field in ("Beslutande organ", "Datum för beslut", "Diarienummer"):
        assert field in page
    assert "Åtagande Ansvarig Klart senast" in " ".join(pages)
    assert "Socialtjänsten i Uppsala avser att arbeta vidare" in page


def test_every_page_of_an_interim_report_is_marked(programme: Programme) -> None:
    play_until(programme.engine, BO, "q.action_plan")
    programme.join(BO, 222, programme.invite("Uppsala", 900).token)
    pages, word = files(programme, BO)
    assert len(pages) >= 2
    assert all("Preliminär – inte klar" in page for page in pages)
    assert "Preliminär" in docx_text(word)


def test_the_word_document_is_a4_in_swedish_with_what_the_pdf_has(
    finished: tuple[list[str], Any],
) -> None:
    _, word = finished
    section = word.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert round(section.left_margin.cm, 2) == round(section.right_margin.cm, 2) == 2
    lang = word.styles["Normal"].element.rPr.find(qn("w:lang"))
    assert lang.get(qn("w:val")) == "sv-SE"
    defaults = word.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(".//" + qn("w:lang")).get(qn("w:val")) == "sv-SE"
    core = word.core_properties
    assert core.title.startswith("Självskattning av arbetet mot hemlöshet")
    assert core.author == "Uppsala" and core.created.year >= 2026
    assert all(table.style.name == "Table Grid" for table in word.tables)
    assert len(word.inline_shapes) == 1  # the chart, as a picture
    text = docx_text(word)
    for field in ("Åtagande", "Beslutande organ", "Datum för beslut", "Diarienummer", OWN):
        assert " ".join(field.split()) in text, field


def test_a_changed_answer_shows_both_labels(programme: Programme) -> None:
    programme.new_round("Uppsala")
    play_until(programme.engine, ANNA, "q.action_plan")  # round 2: area 1 answered alike
    programme.engine.answer(ANNA, "1")  # the plan is adopted now
    pages, word = files(programme)
    text = " ".join(pages)
    change = "Handlingsplan mot hemlöshet: Nej → Ja, beslutad på ledningsnivå"
    assert "Ändrade svar sedan omgång 1:" in text
    assert change in text and change in docx_text(word)
    assert text.count("Samma svar som i omgång 1.") == 1  # area 1
    # areas 3 to 6 are not answered in round 2: no comparison (the third is the heading of
    # round 1's commitments)
    assert text.count("omgång 1") == 3
    assert "Omg. 1" in text and "Omg. 2" in text  # both rounds' bars in the chart


def test_a_new_round_shows_the_round_befores_commitments_and_how_they_went(
    programme: Programme,
) -> None:
    review = programme.respondents.active_review(ANNA)
    record_status(programme, ANNA, review["id"], 0, "done")
    record_comment(programme, ANNA, "Rutinerna är beslutade.")
    programme.new_round("Uppsala")
    pages, word = files(programme)
    text = " ".join(pages)
    assert "Förra omgångens åtaganden (omgång 1) och hur det gick" in text
    assert "Hur det gick" in text and "klart – ”Rutinerna är beslutade.”" in text
    assert "inte uppföljt ännu" in text  # the others
    assert "klart – ”Rutinerna är beslutade.”" in docx_text(word)


def test_each_official_gets_their_own_file_name() -> None:
    assert (
        file_name("Upplands Väsby", TODAY, "pdf", "Samhällsbyggnad och planering")
        == "sjalvskattning-upplands-vasby-samhallsbyggnad-och-planering-2026-11-24.pdf"
    )
    assert file_name("Håbo", TODAY, "docx", "../<Bolaget>") == (
        "sjalvskattning-habo-bolaget-2026-11-24.docx"
    )
    assert file_name(None, TODAY, "pdf") == "sjalvskattning-kommun-2026-11-24.pdf"


def test_lists_sort_the_swedish_way() -> None:
    names = ["Örebro", "Älvdalen", "Åre", "Uppsala", "Zinkgruvan", "Eskilstuna", "Ödeshög", "ale"]
    names.append(unicodedata.normalize("NFD", "Åstorp"))
    assert [unicodedata.normalize("NFC", n) for n in sorted(names, key=swedish_key)] == [
        "ale", "Eskilstuna", "Uppsala", "Zinkgruvan", "Åre", "Åstorp", "Älvdalen", "Ödeshög", "Örebro",
    ]  # fmt: skip
    assert sorted(["Malmö", "Mölndal", "Motala", "Méthode"], key=swedish_key) == [
        "Malmö", "Méthode", "Motala", "Mölndal",
    ]  # fmt: skip
