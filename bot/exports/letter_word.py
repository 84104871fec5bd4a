"""The municipality's joint letter of intent as a Word document: the same content as the PDF,
on A4, in Swedish (or English), with lines to fill in where it is not yet decided."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from dialogues.programme.joint_document import LetterDocument

LANGUAGE_TAGS = {"sv": "sv-SE", "en": "en-GB"}  # so that Word checks the spelling right


def _language(document: Document, lang: str) -> None:
    """The document's language on its default run properties."""
    properties = document.styles.element.find(qn("w:docDefaults"))
    run = properties.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    tag = run.find(qn("w:lang"))
    if tag is None:
        tag = OxmlElement("w:lang")
        run.append(tag)
    tag.set(qn("w:val"), LANGUAGE_TAGS.get(lang, "sv-SE"))


def render_letter_docx(letter: LetterDocument) -> bytes:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    _language(document, letter.lang)
    properties = document.core_properties
    properties.title, properties.author = letter.title, letter.title
    properties.created = properties.modified = datetime.now(UTC)
    document.styles["Normal"].font.size = Pt(10)
    if letter.draft:
        section.header.paragraphs[0].text = letter.draft
        section.header.paragraphs[0].runs[0].font.color.rgb = RGBColor(0xB7, 0x1C, 0x1C)
    document.add_heading(letter.title, level=1)
    document.add_paragraph(letter.intro)
    labels = letter.labels
    if letter.commitments:
        table = document.add_table(rows=1, cols=5)
        table.style = "Table Grid"
        header = ("", labels["jl_doc_commitment"], labels["doc_responsible"], labels["doc_due"],
                  labels["jl_doc_follow_up"])  # fmt: skip
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.paragraphs[0].add_run(text).bold = True
        for number, line in enumerate(letter.commitments, start=1):
            for cell, text in zip(table.add_row().cells, (str(number), *line), strict=True):
                cell.text = text
    else:
        document.add_paragraph(labels["summary_letter_empty"])
    document.add_heading(labels["jl_doc_decision"], level=2)
    decision = document.add_table(rows=0, cols=2)
    decision.style = "Table Grid"
    for label, value in letter.decision:
        cells = decision.add_row().cells
        cells[0].text, cells[1].text = label, value
    document.add_heading(labels["doc_signatures"], level=2)
    for who in ("jl_doc_sign_municipality", "jl_doc_sign_coordinator"):
        document.add_paragraph("\n\n" + "_" * 50)
        document.add_paragraph(f"{labels[who]} – {labels['doc_signature_line']}")
    out = BytesIO()
    document.save(out)
    return out.getvalue()
