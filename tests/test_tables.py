"""The coordinators' workbook, CSV and ZIP read back as a coordinator would: typed cells, codes
that keep their zero, a column per option, the commitments' codes, the areas' shares beside the
county and the country (at least five municipalities behind a figure), and "Om data"."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pypdf
import pytest

from bot.exports.files import municipality_files, programme_file
from dialogues.programme.programme import Programme
from storage.programme import ProgrammeStore
from tests.conftest import make_engine, play, play_until
from tests.script import WHOLE_REVIEW

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 24)
ANNA, BO, EVA = "telegram:111", "telegram:222", "telegram:333"
# How the tables name them: organisation and number within the municipality, never an id.
SHOWN = {ANNA: "Socialtjänsten 1", BO: "Bostadsbolaget 1", EVA: "Samhällsbyggnad och planering 1"}


@pytest.fixture
def programme(tmp_path: Path) -> Programme:
    """Anna (social services, Uppsala) has finished; Bo (housing company, Uppsala) joined and
    answered nothing; Eva (Umeå) is half way."""
    engine = make_engine(tmp_path)
    programme = Programme(engine, ProgrammeStore(tmp_path), frozenset({900}))
    for rid, user, name, organisation in (
        (ANNA, 111, "Uppsala", "social_services"),
        (BO, 222, "Uppsala", "housing_company"),
        (EVA, 333, "Umeå", "planning"),
    ):
        programme.join(rid, user, programme.invite(name, added_by=900).token)
        programme.set_organisation(rid, organisation)
    play(engine, ANNA, WHOLE_REVIEW)
    play_until(engine, EVA, "q.action_plan")
    return programme


def workbook(programme: Programme, scope: str = "all", lang: str = "sv") -> Any:
    _, data = programme_file(programme, scope, "xlsx", lang, TODAY)
    return openpyxl.load_workbook(io.BytesIO(data))


def records(sheet: Any) -> list[dict[str, Any]]:
    """A sheet's rows as {header: cell}, as a coordinator reads them under the header."""
    rows = list(sheet.iter_rows())
    header = [cell.value for cell in rows[0]]
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


def test_numbers_and_dates_are_typed_cells(programme: Programme) -> None:
    book = workbook(programme)
    anna = next(r for r in records(book["Svar"]) if r["Svarande"].value == SHOWN[ANNA])
    count = anna["1.4 Antal med ekonomiskt bistånd"]
    assert (count.value, count.data_type) == (1200, "n")
    assert count.number_format == "#,##0"  # "1 200" in Swedish Excel
    assert (anna["Omgång"].value, anna["Omgång"].data_type) == (1, "n")
    last = anna["Senast aktiv"]
    assert isinstance(last.value, datetime) and last.is_date
    assert last.number_format == "yyyy-mm-dd"
    dues = {r["Klart senast"].value for r in records(book["Åtaganden"])}
    assert datetime(2027, 6, 30) in dues and datetime(2027, 12, 31) in dues
    assert all(r["Klart senast"].number_format == "yyyy-mm-dd" for r in records(book["Åtaganden"]))


def test_codes_keep_their_leading_zero(programme: Programme) -> None:
    book = workbook(programme)
    code = next(r["Kommunkod"] for r in records(book["Svar"]) if r["Kommun"].value == "Uppsala")
    assert (code.value, code.data_type) == ("0380", "s")
    _, data = programme_file(programme, "all", "csv", "sv", TODAY)
    text = data.decode("utf-8-sig")
    assert '"Uppsala";"0380";"Uppsala län"' in text  # quoted: a text, for readers that ask
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert {row[1] for row in rows[1:]} == {"0380", "2480"}
    anna = next(row for row in rows if row[5] == SHOWN[ANNA])
    assert "telegram:" not in text
    assert anna[4] == "1" and ";1;" in text  # numbers unquoted, as numbers
    assert anna[rows[0].index("1.4 Antal med ekonomiskt bistånd")] == "1200"
    assert anna[rows[0].index("Senast aktiv")] == "2026-11-24"


def test_each_option_of_a_multiple_choice_has_a_column(programme: Programme) -> None:
    answers = records(workbook(programme)["Svar"])
    anna = next(r for r in answers if r["Svarande"].value == SHOWN[ANNA])
    bo = next(r for r in answers if r["Svarande"].value == SHOWN[BO])
    # WHOLE_REVIEW answers 5.1 with 1,3: the staircase and category housing.
    assert anna["5.1 Boendelösningar"].value == "Trappstegsboende, Kategoribostäder"
    assert anna["5.1 Boendelösningar: Trappstegsboende [staircase]"].value == 1
    assert anna["5.1 Boendelösningar: Bostad först [housing_first]"].value == 0
    assert anna["5.1 Boendelösningar: Kategoribostäder [category]"].value == 1
    assert anna["5.2 Ytterligare insatser: Boendestöd [housing_support]"].value == 1
    assert bo["5.1 Boendelösningar: Bostad först [housing_first]"].value is None  # not answered


def test_the_follow_up_texts_stand_beside_their_answers(programme: Programme) -> None:
    sheet = workbook(programme)["Svar"]
    header = [cell.value for cell in sheet[1]]
    place = header.index("1.1 Definition av hemlöshet")
    assert header[place + 1] == "1.1 Definition av hemlöshet – fritextsvar"
    anna = next(r for r in records(sheet) if r["Svarande"].value == SHOWN[ANNA])
    assert (
        anna["1.1 Definition av hemlöshet – fritextsvar"].value == "Vi räknar bara akut hemlöshet"
    )
    told = anna["3.3 Samverkan med externa aktörer – fritextsvar"].value
    assert told == "Stadsmissionen & <Frälsningsarmén>"


def test_each_respondent_has_a_status(programme: Programme) -> None:
    answers = records(workbook(programme)["Svar"])
    assert {r["Svarande"].value: r["Status"].value for r in answers} == {
        SHOWN[ANNA]: "klar",
        SHOWN[BO]: "inte påbörjad",
        SHOWN[EVA]: "pågår",
    }


def test_every_sheet_has_a_filter_a_frozen_header_and_fitting_columns(
    programme: Programme,
) -> None:
    book = workbook(programme)
    assert book.sheetnames == ["Svar", "Åtaganden", "Områden", "Frågor", "Om data"]
    for sheet in book:
        assert sheet.auto_filter.ref == sheet.dimensions, sheet.title
        assert sheet.auto_filter.ref.startswith("A1:")
        widths = [d.width for d in sheet.column_dimensions.values()]
        assert widths and max(widths) <= 50 and min(widths) >= 8
        assert all(cell.font.bold for cell in sheet[1])
    # The header row and the columns that say whose a row is stay in view.
    assert book["Svar"].freeze_panes == "F2"  # municipality, code, county, organisation, round
    assert book["Åtaganden"].freeze_panes == "F2"
    assert book["Områden"].freeze_panes == "C2"  # level and name
    assert book["Frågor"].freeze_panes == "E2"  # level, name, code and question
    long = [
        cell for row in book["Om data"].iter_rows() for cell in row if len(str(cell.value)) > 50
    ]
    assert long and all(cell.alignment.wrap_text for cell in long)


def test_the_commitments_sheet_has_theme_and_commitment_codes(programme: Programme) -> None:
    rows = records(workbook(programme)["Åtaganden"])
    found = {
        (r["Svarande"].value, r["Temakod"].value, r["Slag"].value, r["Ansvarig"].value)
        for r in rows
    }
    assert found == {
        (SHOWN[ANNA], "evictions", "utveckla", "Socialchef"),
        (SHOWN[ANNA], "plans", "utveckla", "Kommunstyrelsen"),
        (SHOWN[ANNA], "collaboration", "behålla", "Samverkansgruppen"),
        (SHOWN[ANNA], None, "egna ord", "Enhetschef vuxen"),
    }
    plans = next(r for r in rows if r["Temakod"].value == "plans")
    assert plans["Tema"].value == "Planer och riktlinjer"
    assert "action_plan" in plans["Åtagandekoder"].value.split(", ")
    ids = {r["Temakod"].value: r["Åtagandets id"].value for r in rows}
    assert ids["plans"] == "plans" and ids["collaboration"] == "keep.collaboration"
    own = next(r for r in rows if r["Slag"].value == "egna ord")
    assert own["Åtagandets id"].value.startswith("own.")
    assert own["Åtagande"].value == "Inventera kommunens sociala kontrakt"


def test_the_about_sheet_says_what_each_column_holds(programme: Programme) -> None:
    book = workbook(programme)
    about = [[cell.value for cell in row] for row in book["Om data"].iter_rows()]
    assert about[0] == ["Blad", "Kolumn", "Vad kolumnen innehåller"]
    described = {(sheet, column) for sheet, column, _ in about[1:]}
    for name in ("Svar", "Åtaganden", "Områden", "Frågor"):
        for cell in book[name][1]:
            assert (name, cell.value) in described, (name, cell.value)
    texts = " ".join(str(text) for _, _, text in about)
    assert (
        "minst 5 kommuner" in texts and "0380" in texts and "Format quoted field as text" in texts
    )
    english = workbook(programme, lang="en")
    assert english.sheetnames == ["Answers", "Commitments", "Areas", "Questions", "About the data"]


# Area 1 as three kinds of municipality answer it (the rest of the review as WHOLE_REVIEW):
# strong: 2 strengths; weak: 2 to develop; unsure: 1 strength, 1 to find out. The count of
# people with economic assistance is a fact to note and never counts.
AREA_1 = {
    "strong": {"definition": "sos", "mapping": "continuous", "assistance_count": 800},
    "weak": {"definition": "none", "mapping": "never", "assistance_count": 800},
    "unsure": {"definition": "dont_know", "mapping": "continuous", "assistance_count": 800},
}
UPPSALA_COUNTY = {  # six municipalities: enough for a county figure
    "Håbo": "strong",
    "Älvkarleby": "strong",
    "Knivsta": "weak",
    "Heby": "weak",
    "Tierp": "unsure",
    "Uppsala": "unsure",
}
VASTERBOTTEN = {"Umeå": "strong", "Skellefteå": "weak"}  # two: too few


def seed(programme: Programme, template: dict[str, Any], rid: str, kind: str) -> None:
    """The respondent's current review becomes the template with area 1 answered as `kind`."""
    store = programme.engine.store
    q = programme.engine.questionnaire
    area_1 = {question.id for question in q.areas[0].questions}
    answers = {k: v for k, v in template["answers"].items() if k not in area_1}
    answers |= {k: {"value": v, "at": template["updated"]} for k, v in AREA_1[kind].items()}
    follow_ups = {k: v for k, v in template["follow_ups"].items() if k not in area_1}
    fresh = store.active_review(rid)
    review = {**template, "answers": answers, "follow_ups": follow_ups, "id": fresh["id"]}
    if "round" in fresh:
        review["round"] = fresh["round"]
    store.save_review(rid, review)


@pytest.fixture
def counties(tmp_path: Path) -> Programme:
    """Eight municipalities with one respondent each; then a second round in Uppsala county,
    where every municipality answers area 1 as the strong ones did."""
    engine = make_engine(tmp_path)
    play(engine, "template", WHOLE_REVIEW)
    template = engine.store.active_review("template")
    programme = Programme(engine, ProgrammeStore(tmp_path), frozenset({900}))
    for number, (name, kind) in enumerate({**UPPSALA_COUNTY, **VASTERBOTTEN}.items()):
        rid = f"telegram:{1000 + number}"
        programme.join(rid, 1000 + number, programme.invite(name, added_by=900).token)
        seed(programme, template, rid, kind)
    for number, name in enumerate(UPPSALA_COUNTY):
        programme.new_round(name)
        seed(programme, template, f"telegram:{1000 + number}", "strong")
    return programme


def area_rows(programme: Programme, scope: str = "all") -> dict[tuple[str, str, int], dict]:
    rows = records(workbook(programme, scope)["Områden"])
    return {(r["Nivå"].value, r["Namn"].value, r["Omgång"].value): r for r in rows}


STRONG, WEAK, FIND_OUT = (
    "1. Överblick: Styrka (andel)",
    "1. Överblick: Att utveckla (andel)",
    "1. Överblick: Att ta reda på (andel)",
)


def shares(row: dict[str, Any]) -> tuple[Any, Any, Any]:
    return row[STRONG].value, row[WEAK].value, row[FIND_OUT].value


def test_county_and_country_figures_need_five_municipalities(counties: Programme) -> None:
    rows = area_rows(counties)
    # Each municipality's own shares: strong 2/2; weak 2/2 to develop; unsure 1/2 and 1/2.
    assert shares(rows[("Kommun", "Håbo", 1)]) == (1, 0, 0)
    assert shares(rows[("Kommun", "Heby", 1)]) == (0, 1, 0)
    assert shares(rows[("Kommun", "Tierp", 1)]) == (0.5, 0, 0.5)
    # Uppsala county, by hand: strong (1+1+0+0+.5+.5)/6, to develop (1+1)/6, to find out 1/6.
    county = rows[("Län", "Uppsala län", 1)]
    assert shares(county) == (0.5, 0.3333, 0.1667)
    assert county["Kommuner bakom siffran"].value == 6
    assert county["Kod"].value == "03" and county["Kod"].data_type == "s"
    assert county[STRONG].number_format == "0%"
    assert county["Anmärkning"].value is None
    # Västerbotten has two: no figure, and the note says why.
    north = rows[("Län", "Västerbottens län", 1)]
    assert shares(north) == (None, None, None)
    assert north["Kommuner bakom siffran"].value == 2
    assert "Färre än 5 kommuner" in north["Anmärkning"].value
    # The country, all eight: strong (3+1)/8, to develop (2+1)/8, to find out 1/8.
    assert shares(rows[("Riket", "Riket", 1)]) == (0.5, 0.375, 0.125)
    assert rows[("Riket", "Riket", 1)]["Kommuner bakom siffran"].value == 8


def test_the_change_since_the_round_before_is_in_percentage_points(counties: Programme) -> None:
    rows = area_rows(counties)
    change = "1. Överblick: Styrka, förändring sedan förra omgången (procentenheter)"
    county = rows[("Län", "Uppsala län", 2)]
    assert shares(county) == (1, 0, 0)
    assert county[change].value == 50  # 50 % → 100 %
    assert county[change].number_format == "+0.0;-0.0;0.0"
    assert rows[("Kommun", "Heby", 2)][change].value == 100
    assert rows[("Kommun", "Håbo", 2)][change].value == 0
    assert rows[("Riket", "Riket", 2)][change].value == 50  # six behind it in round 2
    assert rows[("Kommun", "Umeå", 1)][change].value is None  # no round before


def test_a_county_export_keeps_the_country_beside_it(counties: Programme) -> None:
    rows = area_rows(counties, "county:24")
    assert {name for _, name, _ in rows} == {"Riket", "Västerbottens län", "Umeå", "Skellefteå"}
    assert shares(rows[("Riket", "Riket", 1)]) == (0.5, 0.375, 0.125)  # the whole programme


def pdf_text(data: bytes) -> str:
    pages = pypdf.PdfReader(io.BytesIO(data)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def test_the_zip_dates_each_summary_with_its_round_and_respondents(programme: Programme) -> None:
    programme.new_round("Umeå")
    _, data = programme_file(programme, "all", "zip", "sv", TODAY)
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert sorted(archive.namelist()) == [
        "0380-sjalvskattning-uppsala-2026-11-24.pdf",
        "2480-sjalvskattning-umea-2026-11-24.pdf",
    ]
    uppsala = pdf_text(archive.read("0380-sjalvskattning-uppsala-2026-11-24.pdf"))
    assert "Uppsala, omgång 1, 2026-11-24" in uppsala
    assert "Socialtjänsten: klar, 26 av 26 frågor besvarade" in uppsala
    assert "Bostadsbolaget: inte påbörjad, 0 av" in uppsala
    assert "Sammanställning för Uppsala: 1 svarande" in uppsala  # Bo has not begun
    umea = pdf_text(archive.read("2480-sjalvskattning-umea-2026-11-24.pdf"))
    assert (
        "Umeå, omgång 2, 2026-11-24" in umea
        and "Samhällsbyggnad och planering: inte påbörjad" in umea
    )
    # The files of one municipality, where its joint letter will join the summary.
    assert [name for name, _ in municipality_files(programme, "0380", "sv", TODAY)] == [
        "0380-sjalvskattning-uppsala-2026-11-24.pdf"
    ]


def test_a_csv_export_builds_no_pdf(programme: Programme) -> None:
    """Only what is asked for is built: a CSV never loads the PDF library, let alone renders."""
    folder = programme.engine.store.folder
    probe = (
        "import sys; from datetime import date; from pathlib import Path\n"
        "from dialogues.programme.programme import Programme\n"
        "from dialogues.review.engine import Engine\n"
        "from storage.programme import ProgrammeStore\nfrom storage.store import Store\n"
        "from bot.exports.files import programme_file\n"
        f"folder = Path({str(folder)!r})\n"
        "programme = Programme(Engine(Store(folder)), ProgrammeStore(folder))\n"
        "name, data = programme_file(programme, 'all', 'csv', 'sv', date(2026, 11, 24))\n"
        "print(name, len(data) > 0, 'reportlab' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["sjalvskattning-alla-kommuner-2026-11-24.csv", "True", "False"]
