"""The report as a Word document, to edit, adopt and sign."""

from __future__ import annotations

from io import BytesIO

from docx import Document
from docx.shared import Pt

from dialogues.review.report import Report

BAR = 20  # characters in the widest bar of the text chart


def _bar(count: int, total: int, mark: str) -> str:
    return mark * round(BAR * count / total) if total else ""


def render_docx(report: Report) -> bytes:
    document = Document()
    document.styles["Normal"].font.size = Pt(10)
    document.add_heading(report.title, level=1)
    if report.interim:
        document.add_paragraph(report.interim).runs[0].italic = True
    details = document.add_table(rows=0, cols=2)
    for key, value in report.details:
        cells = details.add_row().cells
        cells[0].text, cells[1].text = key, value
    document.add_heading(report.labels["doc_chart"], level=2)
    labels = [report.labels[key] for key in ("doc_strong", "doc_weak", "doc_neutral", "doc_open")]
    marks = ("█", "▓", "▒", "░")
    document.add_paragraph(
        "   ".join(f"{mark} {label}" for mark, label in zip(marks, labels, strict=True))
    )
    chart = document.add_table(rows=0, cols=2)
    for area in report.areas:
        total = sum(area.shares)
        cells = chart.add_row().cells
        cells[0].text = f"{area.number}. {area.title}"
        cells[1].text = "".join(_bar(n, total, m) for n, m in zip(area.shares, marks, strict=True))
    for area in report.areas:
        document.add_heading(f"{area.number}. {area.title}", level=2)
        if area.change:
            document.add_paragraph(area.change)
        for key, items in area.readings():
            document.add_heading(report.labels[key], level=3)
            for item in items:
                document.add_paragraph(item, style="List Bullet")
        if area.answers:
            document.add_heading(report.labels["doc_answers"], level=3)
            table = document.add_table(rows=0, cols=2)
            for question, answer in area.answers:
                cells = table.add_row().cells
                cells[0].text, cells[1].text = question, answer
    document.add_heading(report.labels["summary_letter"], level=2)
    document.add_paragraph(report.labels["doc_letter_intro"])
    if report.commitments:
        table = document.add_table(rows=1, cols=3)
        table.style = "Table Grid"
        header = (
            report.labels["summary_letter"],
            report.labels["doc_responsible"],
            report.labels["doc_due"],
        )
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.text = text
        for commitment in report.commitments:
            for cell, text in zip(table.add_row().cells, commitment, strict=True):
                cell.text = text
    else:
        document.add_paragraph(report.labels["summary_letter_empty"])
    document.add_heading(report.labels["doc_signatures"], level=3)
    for _ in range(2):
        document.add_paragraph("\n\n" + "_" * 50)
        document.add_paragraph(report.labels["doc_signature_line"])
    if report.annex:
        document.add_page_break()
        document.add_heading(report.labels["doc_annex"], level=2)
        document.add_paragraph(report.labels["doc_annex_intro"])
        for title, text in report.annex:
            document.add_paragraph().add_run(title).bold = True
            document.add_paragraph(text)
    out = BytesIO()
    document.save(out)
    return out.getvalue()
