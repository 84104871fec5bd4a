"""The municipality's joint letter of intent as a PDF to adopt and sign: the commitments, the
decision (body, date, case number), signatures kept on the page of the last commitment, page
numbers, and a draft mark on every page until it is agreed."""

from __future__ import annotations

from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from bot.exports.fonts import fonts
from bot.exports.pages import marked
from bot.exports.pdf import _styles
from dialogues.programme.joint_document import LetterDocument


def _numbered(document: LetterDocument) -> type[Canvas]:
    """Every page: "Sida n av N" and the title at the foot, and the draft mark at the top."""
    regular, bold = fonts()

    def mark(canvas: Canvas, number: int, pages: int) -> None:
        canvas.setFont(regular, 8)
        canvas.setFillColor(colors.black)
        label = document.labels["jl_doc_page"].format(page=number, pages=pages)
        canvas.drawRightString(A4[0] - 2 * cm, 1.2 * cm, label)
        canvas.drawString(2 * cm, 1.2 * cm, document.title)
        if document.draft:
            canvas.setFont(bold, 10)
            canvas.setFillColor(colors.HexColor("#b71c1c"))
            canvas.drawString(2 * cm, A4[1] - 1.3 * cm, document.draft)

    return marked(mark)


def render_letter_pdf(document: LetterDocument) -> bytes:
    styles = _styles()
    body = styles["body"]
    labels = document.labels
    story: list = [
        Paragraph(escape(document.title), styles["title"]),
        Paragraph(escape(document.intro), body),
        Spacer(1, 10),
    ]
    if document.commitments:
        header = [
            "",
            labels["jl_doc_commitment"],
            labels["doc_responsible"],
            labels["doc_due"],
            labels["jl_doc_follow_up"],
        ]
        rows = [[Paragraph(f"<b>{escape(h)}</b>", body) for h in header]]
        rows += [
            [Paragraph(str(number), body)] + [Paragraph(escape(cell), body) for cell in line]
            for number, line in enumerate(document.commitments, start=1)
        ]
        table = Table(rows, colWidths=[0.7 * cm, 7.2 * cm, 3.4 * cm, 2.6 * cm, 3.1 * cm])
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                ]
            )
        )
        story.append(table)
    else:
        story.append(Paragraph(escape(labels["summary_letter_empty"]), body))
    decision = Table(
        [
            [Paragraph(escape(label), body), Paragraph(escape(value) or "_" * 40, body)]
            for label, value in document.decision
        ],
        colWidths=[4 * cm, 12 * cm],
        hAlign="LEFT",
    )
    signatures: list = [
        Spacer(1, 14),
        Paragraph(escape(labels["jl_doc_decision"]), styles["h3"]),
        decision,
        Spacer(1, 10),
        Paragraph(escape(labels["doc_signatures"]), styles["h3"]),
    ]
    for who in ("jl_doc_sign_municipality", "jl_doc_sign_coordinator"):
        signatures += [
            Spacer(1, 24),
            Paragraph("_" * 60, body),
            Paragraph(escape(f"{labels[who]} – {labels['doc_signature_line']}"), body),
        ]
    story.append(KeepTogether(signatures))  # the decision and signatures on one page
    out = BytesIO()
    template = SimpleDocTemplate(
        out, pagesize=A4, title=document.title, leftMargin=2 * cm, rightMargin=2 * cm
    )
    template.build(story, canvasmaker=_numbered(document))
    return out.getvalue()
