"""The municipality's letter as documents to adopt and sign, read back as their readers would."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import docx
import pypdf
import pytest

from bot.exports.files import programme_file
from bot.exports.letter_files import letter_file
from dialogues.errors import Refusal
from dialogues.programme import joint_letter
from dialogues.programme.programme import Programme
from tests.test_joint_letter import SOCIAL, settle_all
from tests.test_joint_letter import programme as programme  # the fixture, shared

TODAY = date(2026, 11, 25)


def pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def test_no_document_before_anyone_began_the_letter(programme: Programme) -> None:
    with pytest.raises(Refusal) as refused:
        letter_file(programme, "0380", "pdf", "sv", TODAY)
    assert refused.value.key == "err_no_joint_letter"


def test_a_draft_is_marked_on_every_page_with_lines_for_the_decision(
    programme: Programme,
) -> None:
    joint_letter.set_contact(programme, "0380", SOCIAL)
    settle_all(programme, SOCIAL)
    name, data = letter_file(programme, "0380", "pdf", "sv", TODAY)
    assert name == "avsiktsforklaring-0380-uppsala-2026-11-25.pdf"
    texts = pages(data)
    for number, text in enumerate(texts, start=1):
        assert "UTKAST – ännu inte beslutad" in text
        assert f"Sida {number} av {len(texts)}" in text
    assert "Beslutande organ" in texts[-1] and "____" in texts[-1]


def test_the_agreed_letter_carries_the_decision_and_its_signatures_on_one_page(
    programme: Programme,
) -> None:
    joint_letter.set_contact(programme, "0380", SOCIAL)
    settle_all(programme, SOCIAL)
    joint_letter.agree(
        programme, "0380", SOCIAL, "sv", "Socialnämnden", "2026-11-20", "SN 2026/112"
    )
    texts = pages(letter_file(programme, "0380", "pdf", "sv", TODAY)[1])
    whole = "\n".join(texts)
    assert "UTKAST" not in whole
    for expected in ("Beslutande organ", "Socialnämnden", "2026-11-20", "SN 2026/112"):
        assert expected in whole
    last_commitment = max(i for i, text in enumerate(texts) if "Socialchef" in text)
    assert "För samordnaren – Namn, befattning och datum" in texts[last_commitment]

    name, data = letter_file(programme, "0380", "docx", "sv", TODAY)
    assert name.endswith(".docx")
    document = docx.Document(io.BytesIO(data))
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    defaults = document.styles.element.find(docx.oxml.ns.qn("w:docDefaults"))
    lang = defaults.find(".//" + docx.oxml.ns.qn("w:lang"))
    assert lang.get(docx.oxml.ns.qn("w:val")) == "sv-SE"
    assert document.core_properties.title == "Avsiktsförklaring – Uppsala"
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert {"Socialnämnden", "2026-11-20", "SN 2026/112", "Åtagande"} <= set(cells)


def test_english_for_an_english_reader(programme: Programme) -> None:
    joint_letter.set_contact(programme, "0380", SOCIAL)
    settle_all(programme, SOCIAL)
    whole = "\n".join(pages(letter_file(programme, "0380", "pdf", "en", TODAY)[1]))
    assert "Letter of intent – Uppsala" in whole and "Page 1 of" in whole


def test_the_coordinators_zip_holds_each_begun_letter(programme: Programme) -> None:
    _, before = programme_file(programme, "all", "zip", "sv", TODAY)
    assert not [n for n in zipfile.ZipFile(io.BytesIO(before)).namelist() if "avsikts" in n]
    joint_letter.set_contact(programme, "0380", SOCIAL)
    settle_all(programme, SOCIAL)
    _, data = programme_file(programme, "all", "zip", "sv", TODAY)
    bundle = zipfile.ZipFile(io.BytesIO(data))
    assert "avsiktsforklaring-0380-uppsala-2026-11-25.pdf" in bundle.namelist()
    letter_pages = pages(bundle.read("avsiktsforklaring-0380-uppsala-2026-11-25.pdf"))
    assert "UTKAST – ännu inte beslutad" in letter_pages[0]
