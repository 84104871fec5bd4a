"""The report as a Word document, to edit, adopt and sign: A4, in the respondent's language, in
the PDF's order, with the chart as a picture."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO

from docx import Document
from docx.document import Document as WordDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

from bot.exports.chart import picture
from dialogues.programme.examples import Block
from dialogues.review.report import Report

LANGUAGES = {"sv": "sv-SE", "en": "en-GB"}  # so that Word checks the spelling in that language
RED = RGBColor(0xB7, 0x1C, 0x1C)


def _language(document: WordDocument, lang: str) -> None:
    """The language of the default run properties and of Normal, which every style builds on."""
    tag = LANGUAGES.get(lang, "sv-SE")
    defaults = document.styles.element.find(qn("w:docDefaults"))
    holders = [document.styles["Normal"].element.get_or_add_rPr()]
    if defaults is not None:
        holders += defaults.findall(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    for rpr in holders:
        found = rpr.find(qn("w:lang"))
        if found is None:
            found = OxmlElement("w:lang")
            rpr.append(found)
        found.set(qn("w:val"), tag)


def _field(paragraph: Paragraph, code: str) -> None:
    """A field Word fills in (PAGE, NUMPAGES), showing 1 until it does."""
    run = paragraph.add_run()._r
    for tag, value in (("begin", None), ("w:instrText", f" {code} "), ("separate", None),
                       ("w:t", "1"), ("end", None)):  # fmt: skip
        if value is None:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), tag)
        else:
            element = OxmlElement(tag)
            element.set(qn("xml:space"), "preserve")
            element.text = value
        run.append(element)


def _page_marks(document: WordDocument, report: Report) -> None:
    """The running header (title and municipality), "Sida 2 av 4", and an interim report's mark."""
    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.text = " · ".join(filter(None, (report.title, report.municipality)))
    footer = section.footer.paragraphs[0]
    if report.interim:
        footer.add_run(report.labels["doc_interim_mark"] + "    ").font.color.rgb = RED
    before, _, rest = report.page.partition("{page}")
    between, _, after = rest.partition("{pages}")
    footer.add_run(before)
    _field(footer, "PAGE")
    footer.add_run(between)
    _field(footer, "NUMPAGES")
    footer.add_run(after)
    for paragraph in (header, footer):
        for run in paragraph.runs:
            run.font.size = Pt(8)


def _table(document: WordDocument, rows: list[tuple[str, ...]], widths: list[float]) -> Table:
    table = document.add_table(rows=0, cols=len(widths))
    table.style = "Table Grid"
    for row in rows:
        for cell, text, width in zip(table.add_row().cells, row, widths, strict=True):
            cell.text = text
            cell.width = Cm(width)
    return table


def _set_up(report: Report) -> WordDocument:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    document.styles["Normal"].font.size = Pt(10)
    _language(document, report.lang)
    now = datetime.now(UTC).replace(microsecond=0)
    core = document.core_properties
    core.title = report.title
    core.author = core.last_modified_by = report.municipality or report.labels["doc_creator"]
    core.comments = core.subject = core.keywords = ""
    core.category = report.labels["doc_creator"]
    core.language = LANGUAGES.get(report.lang, "sv-SE")
    core.created = core.modified = now
    core.revision = 1
    _page_marks(document, report)
    return document


def _areas(document: WordDocument, report: Report) -> None:
    for area in report.areas:
        document.add_heading(f"{area.number}. {area.title}", level=2)
        if area.change:
            document.add_paragraph(area.change)
            for line in area.changes:
                document.add_paragraph(line, style="List Bullet")
        for key, items in area.readings():
            document.add_heading(report.labels[key], level=3)
            for item in items:
                document.add_paragraph(item, style="List Bullet")
        if area.answers:
            document.add_heading(report.labels["doc_answers"], level=3)
            rows = [(q, a + (f"\n{said}" if said else "")) for q, a, said in area.answers]
            _table(document, rows, [6, 11])


def _beside(document: WordDocument, report: Report) -> None:
    """The municipality beside its county and the country: a line per area, then who counts."""
    if not report.beside:
        return
    document.add_heading(report.beside_title, level=2)
    for line in report.beside:
        document.add_paragraph(line)  # led by its area's number: a list already
    document.add_paragraph(report.beside_note).runs[0].font.size = Pt(8)


def _letter(document: WordDocument, report: Report) -> None:
    labels = report.labels
    if report.earlier:  # a new round starts from the commitments of the one before
        document.add_heading(report.earlier_title, level=2)
        keys = ("doc_commitment", "doc_responsible", "doc_due", "doc_how_it_went")
        header = tuple(labels[key] for key in keys)
        _table(document, [header, *report.earlier], [7, 3.6, 2.6, 3.8])
    document.add_heading(labels["summary_letter"], level=2)
    document.add_paragraph(report.letter_intro)
    if report.commitments:
        header = tuple(labels[key] for key in ("doc_commitment", "doc_responsible", "doc_due"))
        table = _table(document, [header, *report.commitments], [8.7, 4.8, 3.5])
        for cell in table.rows[0].cells:
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for row in table.rows:  # the rows, and the table with what follows, on one page
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True
    else:
        document.add_paragraph(labels["summary_letter_empty"])
    document.add_heading(labels["doc_decision"], level=3).paragraph_format.keep_with_next = True
    for key in ("doc_decision_body", "doc_decision_date", "doc_case_number"):
        line = document.add_paragraph(f"{labels[key]}: " + "_" * 40)
        line.paragraph_format.keep_with_next = True
    document.add_heading(labels["doc_signatures"], level=3)
    for number in range(2):
        line = document.add_paragraph("\n\n" + "_" * 50)
        line.paragraph_format.keep_with_next = True
        said = document.add_paragraph(labels["doc_signature_line"])
        said.paragraph_format.keep_with_next = number == 0


def _learning(document: WordDocument, learning: Block) -> None:
    """Other municipalities' learning examples, on a page of their own at the end."""
    document.add_page_break()
    document.add_heading(learning.title, level=2)
    document.add_paragraph(learning.intro)
    for question, shown in learning.questions:
        document.add_heading(question, level=3)
        for name, words in shown:
            paragraph = document.add_paragraph()
            paragraph.add_run(name).bold = True
            paragraph.add_run(f": {words}")


def render_docx(report: Report, learning: Block | None = None) -> bytes:
    document = _set_up(report)
    document.add_heading(report.title, level=1)
    if report.interim:
        document.add_paragraph(report.interim).runs[0].font.color.rgb = RED
    _table(document, list(report.details), [4, 13])
    document.add_heading(report.labels["doc_chart"], level=2)
    document.add_paragraph(report.labels["doc_chart_note"]).runs[0].font.size = Pt(8)
    document.add_picture(BytesIO(picture(report)), width=Cm(17))
    _beside(document, report)
    _areas(document, report)
    document.add_page_break()  # the letter on a page of its own, as in the PDF
    _letter(document, report)
    if report.annex:
        document.add_page_break()
        document.add_heading(report.labels["doc_annex"], level=2)
        document.add_paragraph(report.labels["doc_annex_intro"])
        for title, text in report.annex:
            document.add_paragraph().add_run(title).bold = True
            document.add_paragraph(text)
    if learning is not None:
        _learning(document, learning)
    out = BytesIO()
    document.save(out)
    return out.getvalue()
