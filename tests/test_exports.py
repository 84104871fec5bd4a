"""Exports for officials: every format read back with an independent reader."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import docx
import openpyxl
import pypdf
import pytest

from bot.exports.files import programme_files, respondent_file
from bot.exports.sheets import render_csv
from dialogues.errors import Refusal
from dialogues.programme.follow_up import record_comment, record_status
from dialogues.programme.programme import Programme
from dialogues.programme.tables import Table
from dialogues.review.report import file_name
from dialogues.review.summary import summarize
from storage.programme import ProgrammeStore
from tests.conftest import make_engine, play, play_until
from tests.script import WHOLE_REVIEW

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 24)
ANNA = "telegram:111"
TYPED = "Café «Härbärget» & <nattjour> – öppet 24/7"


@pytest.fixture
def programme(tmp_path: Path) -> Programme:
    engine = make_engine(tmp_path)
    programme = Programme(engine, ProgrammeStore(tmp_path), frozenset({900}))
    token = programme.invite("Uppsala", added_by=900).token
    programme.join(ANNA, 111, token)
    programme.set_organisation(ANNA, "social_services")
    script = [(TYPED if step == "q.works_well" else typed, step) for typed, step in WHOLE_REVIEW]
    play(engine, ANNA, script)
    return programme


def flat(text: str) -> str:
    return " ".join(text.split())


def pdf_text(data: bytes) -> str:
    return flat("\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages))


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return flat("\n".join(parts))


def expected_contents(programme: Programme) -> list[str]:
    review = programme.engine.store.active_review(ANNA)
    summary = summarize(programme.engine.questionnaire, review, "sv")
    lines = [
        "Uppsala",
        "Socialtjänsten",
        "2026-11-24",
        "Överblick",
        "Ägardirektiv till bostadsbolaget",
        TYPED,
    ]
    for area in summary.areas:
        read = area.strengths + area.weaknesses + area.to_find_out + area.noted
        lines += [f"{f.question.short('sv')}: {f.answer}" for f in read]
        lines += ["Att ta reda på"] * bool(area.to_find_out) + ["Att notera"] * bool(area.noted)
    lines += [c.text for c in summary.commitments] + [c.role for c in summary.commitments]
    return [flat(line) for line in lines]


def test_the_pdf_holds_the_summary_chart_and_letter(programme: Programme) -> None:
    name, data = respondent_file(programme.engine, programme, ANNA, "pdf", TODAY)
    assert name == "sjalvskattning-uppsala-socialtjansten-2026-11-24.pdf"
    text = pdf_text(data)
    for expected in expected_contents(programme):
        assert expected in text, expected
    assert "Svaren per område" in text and "Att utveckla" in text  # the chart and its legend
    assert "Underskrifter" in text
    assert "Preliminär" not in text
    annex = text[text.index("Bilaga: Övriga utvecklingsområden") :]
    assert "Kunskap och kartläggning Inför en egen regelbunden kartläggning" in annex
    assert "Vräkningar och barn" not in annex  # in the letter, not the annex


def test_the_word_document_holds_the_same(programme: Programme) -> None:
    name, data = respondent_file(programme.engine, programme, ANNA, "docx", TODAY)
    assert name == "sjalvskattning-uppsala-socialtjansten-2026-11-24.docx"
    text = docx_text(data)
    for expected in expected_contents(programme):
        assert expected in text, expected
    assert "Underskrifter" in text and "Namn, befattning och datum" in text


def test_the_json_holds_every_answer_of_that_user_and_nothing_of_others(
    programme: Programme,
) -> None:
    play_until(programme.engine, "telegram:222", "q.mapping")
    name, data = respondent_file(programme.engine, programme, ANNA, "json", TODAY)
    assert name == "sjalvskattning-data-2026-11-24.json"
    exported = json.loads(data)
    stored = programme.engine.store.active_review(ANNA)
    assert exported["reviews"][-1]["answers"] == stored["answers"]
    assert exported["respondent"]["municipality"] == "0380"
    assert "telegram:222" not in data.decode()


def test_an_interim_export_is_marked_as_such(tmp_path: Path) -> None:
    engine = make_engine(tmp_path)
    play_until(engine, "terminal:bo", "q.action_plan")
    _, data = respondent_file(engine, None, "terminal:bo", "pdf", TODAY)
    assert "Preliminär – självskattningen är inte klar: 7 av 27 frågor besvarade." in pdf_text(data)
    _, data = respondent_file(engine, None, "terminal:bo", "docx", TODAY)
    assert "Preliminär" in docx_text(data)


def test_a_later_round_shows_the_change_per_area(programme: Programme) -> None:
    programme.new_round("Uppsala")
    play_until(programme.engine, ANNA, "q.action_plan")
    _, data = respondent_file(programme.engine, programme, ANNA, "pdf", TODAY)
    # Area 1 is answered as in round 1; the areas not answered yet in round 2 are not compared.
    assert pdf_text(data).count("Samma svar som i omgång 1.") == 1


def test_file_names_are_plain() -> None:
    assert (
        file_name("Upplands Väsby", TODAY, "pdf") == "sjalvskattning-upplands-vasby-2026-11-24.pdf"
    )
    assert file_name(None, TODAY, "docx") == "sjalvskattning-kommun-2026-11-24.docx"


def test_unknown_respondents_and_formats_are_refused(tmp_path: Path) -> None:
    engine = make_engine(tmp_path)
    with pytest.raises(Refusal):
        respondent_file(engine, None, "terminal:nobody", "pdf", TODAY)
    engine.current("terminal:bo")
    with pytest.raises(Refusal):
        respondent_file(engine, None, "terminal:bo", "xls", TODAY)


def test_the_command_line_writes_the_same_files(programme: Programme, tmp_path: Path) -> None:
    out = tmp_path / "rapport.pdf"
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "export", "--format", "pdf", "--respondent", ANNA, "--out", str(out),
         "--db", str(programme.engine.store.folder)],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Uppsala" in pdf_text(out.read_bytes())
    missing = subprocess.run(
        [sys.executable, "-m", "bot.cli", "export", "--format", "json", "--respondent", "x:y", "--out", str(out),
         "--db", str(tmp_path / "empty")],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert missing.returncode == 2
    assert missing.stderr.strip() == "selfreview: Nothing is stored for x:y."
    assert re.match(r"%PDF-", out.read_text(encoding="latin-1"))


def coordinator_data(programme: Programme) -> Programme:
    """Anna (finished, Uppsala) is joined by Bo (half way, Uppsala) and Eva (Umeå)."""
    engine = programme.engine
    programme.join("telegram:222", 222, programme.invite("Uppsala", added_by=900).token)
    programme.set_organisation("telegram:222", "housing_company")
    play_until(engine, "telegram:222", "q.action_plan")
    programme.join("telegram:333", 333, programme.invite("Umeå", added_by=900).token)
    play_until(engine, "telegram:333", "q.mapping")
    return programme


def files_of(programme: Programme, scope: str = "all") -> dict[str, bytes]:
    return {
        name.rsplit(".", 1)[1]: data
        for name, data in programme_files(programme, scope, "sv", TODAY)
    }


def test_the_workbook_has_answers_commitments_and_area_figures(programme: Programme) -> None:
    coordinator_data(programme)
    programme.new_round("Umeå")
    book = openpyxl.load_workbook(io.BytesIO(files_of(programme)["xlsx"]))
    assert book.sheetnames == ["Svar", "Åtaganden", "Områden", "Frågor", "Om data"]
    answers = [list(row) for row in book["Svar"].iter_rows(values_only=True)]
    header = answers[0]
    assert header[:8] == [
        "Kommun",
        "Kommunkod",
        "Län",
        "Verksamhet",
        "Omgång",
        "Svarande",
        "Status",
        "Senast aktiv",
    ]
    assert "1.1 Definition av hemlöshet" in header and "4.5 Rutiner mot vräkningar" in header
    rows = {(row[5], row[4]): row for row in answers[1:]}
    assert set(rows) == {  # organisation and a number within the municipality, never an id
        ("Socialtjänsten 1", 1),
        ("Bostadsbolaget 1", 1),
        ("Annan verksamhet 1", 1),
        ("Annan verksamhet 1", 2),
    }
    anna = rows[("Socialtjänsten 1", 1)]
    assert anna[:4] == ["Uppsala", "0380", "Uppsala län", "Socialtjänsten"]
    assert anna[6] == "klar"
    assert anna[header.index("1.3 Egna kartläggningar")] == "Nej"
    assert anna[header.index("6.1 Det här fungerar bra")] == TYPED
    commitments = [list(row) for row in book["Åtaganden"].iter_rows(values_only=True)]
    head = commitments[0]
    for title in ("Åtagande", "Ansvarig", "Klart senast", "Uppföljning", "Kommentar"):
        assert title in head
    assert {row[head.index("Ansvarig")] for row in commitments[1:]} == {
        "Socialchef",
        "Kommunstyrelsen",
        "Samverkansgruppen",
        "Enhetschef vuxen",
    }
    assert {row[head.index("Uppföljning")] for row in commitments[1:]} == {"inte uppföljt ännu"}
    areas = [list(row) for row in book["Områden"].iter_rows(values_only=True)]
    places = [(row[0], row[1], row[4]) for row in areas[1:]]  # level, name, round
    assert places == [
        ("Riket", "Riket", 1),
        ("Län", "Uppsala län", 1),
        ("Kommun", "Uppsala", 1),
        ("Kommun", "Umeå", 1),  # Eva's answers so far are facts to note: no county figure
        ("Riket", "Riket", 2),
        ("Kommun", "Umeå", 2),
    ]
    assert areas[0][7] == "1. Överblick: Styrka (andel)"
    uppsala = areas[3]
    assert uppsala[5] == 2  # respondents in the round


def test_the_csv_opens_in_swedish_excel(programme: Programme) -> None:
    coordinator_data(programme)
    data = files_of(programme)["csv"]
    assert data.startswith(b"\xef\xbb\xbf")  # the byte-order mark
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Kommun" and "1.1 Definition av hemlöshet" in rows[0]
    assert len(rows) == 4 and {row[5] for row in rows[1:]} == {
        "Socialtjänsten 1",
        "Bostadsbolaget 1",
        "Annan verksamhet 1",
    }
    assert any(TYPED in row for row in rows)


def test_the_zip_has_each_municipalitys_consolidated_summary(programme: Programme) -> None:
    coordinator_data(programme)
    archive = zipfile.ZipFile(io.BytesIO(files_of(programme)["zip"]))
    assert sorted(archive.namelist()) == [
        "0380-sjalvskattning-uppsala-2026-11-24.pdf",
        "2480-sjalvskattning-umea-2026-11-24.pdf",
    ]
    text = pdf_text(archive.read("0380-sjalvskattning-uppsala-2026-11-24.pdf"))
    assert "Sammanställning för Uppsala: 2 svarande" in text
    assert "Socialtjänsten" in text and "Bostadsbolaget" in text
    county = zipfile.ZipFile(io.BytesIO(files_of(programme, "county:24")["zip"]))
    assert county.namelist() == ["2480-sjalvskattning-umea-2026-11-24.pdf"]


def test_the_command_line_writes_the_coordinators_files(
    programme: Programme, tmp_path: Path
) -> None:
    coordinator_data(programme)
    out = tmp_path / "alla.xlsx"
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "export", "--format", "xlsx", "--municipality", "Uppsala", "--out", str(out),
         "--db", str(programme.engine.store.folder)],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    rows = list(openpyxl.load_workbook(out)["Svar"].iter_rows(values_only=True))
    assert {row[0] for row in rows[1:]} == {"Uppsala"}


PLANTED = {
    "f.definition": "@SUM(A1)",
    "q.works_well": '=HYPERLINK("http://x","y")',
    "q.works_less_well": "\t=1+1",
    "q.challenges": "+1",
    "q.next_year": "-1+2",
    "letter.own": "=1+1",
}


def test_what_officials_type_never_becomes_a_formula(tmp_path: Path) -> None:
    """An answer, a role, an own commitment and a follow-up comment that look like formulas
    are text in the workbook and quoted in the CSV: the coordinator who opens them runs nothing."""
    engine = make_engine(tmp_path)
    programme = Programme(engine, ProgrammeStore(tmp_path), frozenset({900}))
    programme.join(ANNA, 111, programme.invite("Uppsala", added_by=900).token)
    roles = iter(["=1+1", "@SUM(A1)", "+1", "-1+2"])
    script = [
        (next(roles) if step == "letter.role" else PLANTED.get(step, typed), step)
        if typed != "/skip"
        else (typed, step)
        for typed, step in WHOLE_REVIEW
    ]
    play(engine, ANNA, script)
    review = programme.respondents.reviews(ANNA)[-1]
    record_status(programme, ANNA, review["id"], 0, "in_progress")
    record_comment(programme, ANNA, '=HYPERLINK("http://x","y")')
    files = files_of(programme)

    book = openpyxl.load_workbook(io.BytesIO(files["xlsx"]))
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    texts = [cell.value for cell in cells if cell.data_type == "s"]
    planted = {*PLANTED.values(), "=1+1", "-1+2"}
    found = {text for text in planted if text in texts}
    assert found >= planted - {"\t=1+1"}  # each as typed (a leading tab may be trimmed)
    assert texts.count('=HYPERLINK("http://x","y")') == 2  # an answer and a comment
    assert all(cell.quotePrefix for cell in cells if cell.value in planted)

    rows = list(csv.reader(io.StringIO(files["csv"].decode("utf-8-sig")), delimiter=";"))
    fields = [field for row in rows for field in row]
    assert not [f for f in fields if f.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert '\'=HYPERLINK("http://x","y")' in fields and "'-1+2" in fields
    assert "'+1" in fields  # the CSV holds the answers; roles and comments are in the workbook


def test_numbers_stay_numbers_in_the_csv() -> None:
    """Numbers are numbers; a text that a spreadsheet would read as a formula is quoted, even
    one that reads as a number (it was typed as text, and stays as typed)."""
    table = Table("T", ["a"], [[-5, 2, "-5", "+46 70", "1 200", "a=b", "\rx"]])
    (row,) = list(csv.reader(io.StringIO(render_csv(table).decode("utf-8-sig")), delimiter=";"))[1:]
    assert row == ["-5", "2", "'-5", "'+46 70", "1 200", "a=b", "'\rx"]
