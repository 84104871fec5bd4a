"""The report as a PDF, with a chart of the six areas and a letter of intent to sign."""

from __future__ import annotations

from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from bot.exports.chart import drawing
from bot.exports.fonts import fonts
from bot.exports.pages import marked
from dialogues.programme.examples import Block
from dialogues.review.report import Report

MARGIN = 2 * cm
WIDTH = A4[0] - 2 * MARGIN  # 17 cm of text
RED, GREY = colors.HexColor("#b71c1c"), colors.HexColor("#555555")
LANGUAGES = {"sv": "sv-SE", "en": "en-GB"}
GRID = ("GRID", (0, 0), (-1, -1), 0.25, colors.grey)


def _styles() -> dict[str, ParagraphStyle]:
    regular, bold = fonts()
    base = getSampleStyleSheet()
    return {
        "title": ParagraphStyle(
            "title", parent=base["Title"], fontName=bold, fontSize=16, leading=20
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base["Heading2"],
            fontName=bold,
            fontSize=13,
            spaceBefore=10,
            keepWithNext=1,
        ),
        "h3": ParagraphStyle(
            "h3",
            parent=base["Heading3"],
            fontName=bold,
            fontSize=10.5,
            spaceBefore=6,
            keepWithNext=1,
        ),
        "body": ParagraphStyle(
            "body", parent=base["BodyText"], fontName=regular, fontSize=9.5, leading=12.5
        ),
        "small": ParagraphStyle(
            "small", parent=base["BodyText"], fontName=regular, fontSize=8, textColor=GREY
        ),
        "note": ParagraphStyle(
            "note", parent=base["BodyText"], fontName=regular, fontSize=9.5, textColor=RED
        ),
    }


def _text(text: str) -> str:
    """Typed text as paragraph markup: nothing in it is taken as markup, its line breaks kept."""
    return escape(text).replace("\n", "<br/>")


def _lines(items: tuple[str, ...], style: ParagraphStyle) -> list[Paragraph]:
    return [Paragraph("• " + _text(item), style) for item in items]


def _table(rows: list[list[Any]], widths: list[float], **options: Any) -> Table:
    table = Table(rows, colWidths=widths, **options)
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), GRID]))
    return table


def _page_marks(report: Report) -> type[Canvas]:
    """A canvas that, once every page is laid out, marks each: the running header (title and
    municipality), "Sida 2 av 4", and on an interim report its mark."""
    regular, _ = fonts()
    header = " · ".join(filter(None, (report.title, report.municipality)))

    def mark(canvas: Canvas, number: int, pages: int) -> None:
        width, height = A4
        canvas.setFont(regular, 7.5)
        canvas.setFillColor(GREY)
        canvas.drawString(MARGIN, height - 1.2 * cm, header)
        canvas.drawRightString(
            width - MARGIN, 1.2 * cm, report.page.format(page=number, pages=pages)
        )
        canvas.setStrokeColor(colors.lightgrey)
        canvas.line(MARGIN, height - 1.35 * cm, width - MARGIN, height - 1.35 * cm)
        if report.interim:
            canvas.setFillColor(RED)
            canvas.drawString(MARGIN, 1.2 * cm, report.labels["doc_interim_mark"])

    return marked(mark)


def _area(report: Report, styles: dict[str, ParagraphStyle]) -> list[Any]:
    body, story = styles["body"], []
    for area in report.areas:
        story.append(Paragraph(_text(f"{area.number}. {area.title}"), styles["h2"]))
        if area.change:
            story.append(Paragraph(_text(area.change), body))
            story += _lines(area.changes, body)
        for key, items in area.readings():
            story += [Paragraph(_text(report.labels[key]), styles["h3"]), *_lines(items, body)]
        if area.answers:
            story.append(Paragraph(_text(report.labels["doc_answers"]), styles["h3"]))
            rows = [
                [
                    Paragraph(_text(question), body),
                    Paragraph(_text(answer) + (f"<br/>{_text(said)}" if said else ""), body),
                ]
                for question, answer, said in area.answers
            ]
            story.append(_table(rows, [6 * cm, WIDTH - 6 * cm]))
    return story


def _beside(report: Report, styles: dict[str, ParagraphStyle]) -> list[Any]:
    """The municipality beside its county and the country: a line per area, then who counts."""
    if not report.beside:
        return []
    return [
        Paragraph(_text(report.beside_title), styles["h2"]),
        *(Paragraph(_text(line), styles["body"]) for line in report.beside),  # led by an area
        Paragraph(_text(report.beside_note), styles["small"]),
    ]


def _letter(report: Report, styles: dict[str, ParagraphStyle]) -> list[Any]:
    """The letter, its decision and its signatures; the last commitment is kept on the page
    with the lines to sign, so that no one signs a page that shows none of what they sign."""
    body, labels = styles["body"], report.labels
    story: list[Any] = []
    if report.earlier:  # a new round starts from the commitments of the one before
        rows = [[Paragraph(_text(cell), body) for cell in row] for row in report.earlier]
        header = [
            Paragraph(f"<b>{_text(labels[key])}</b>", body)
            for key in ("doc_commitment", "doc_responsible", "doc_due", "doc_how_it_went")
        ]
        widths = [7 * cm, 3.6 * cm, 2.6 * cm, WIDTH - 13.2 * cm]
        story += [
            Paragraph(_text(report.earlier_title), styles["h2"]),
            _table([header, *rows], widths, repeatRows=1),
        ]
    story += [
        Paragraph(_text(labels["summary_letter"]), styles["h2"]),
        Paragraph(_text(report.letter_intro), body),
        Spacer(1, 6),
    ]
    # room for a role such as Samverkansgruppen, and for "31 December 2027" on two lines
    widths = [8.7 * cm, 4.8 * cm, WIDTH - 13.5 * cm]
    header = [
        Paragraph(f"<b>{_text(labels[key])}</b>", body)
        for key in ("doc_commitment", "doc_responsible", "doc_due")
    ]
    rows = [[Paragraph(_text(cell), body) for cell in row] for row in report.commitments]
    kept: list[Any] = []
    if len(rows) > 1:
        story.append(_table([header, *rows[:-1]], widths, repeatRows=1))
        kept.append(_table(rows[-1:], widths))
    elif rows:
        kept.append(_table([header, *rows], widths))
    else:
        kept.append(Paragraph(_text(labels["summary_letter_empty"]), body))
    blank = "_" * 34
    decision = [
        [Paragraph(_text(labels[key]), body), Paragraph(blank, body)]
        for key in ("doc_decision_body", "doc_decision_date", "doc_case_number")
    ]
    kept += [
        Paragraph(_text(labels["doc_decision"]), styles["h3"]),
        Table(
            decision,
            colWidths=[4.5 * cm, 9 * cm],
            hAlign="LEFT",
            style=[("LEFTPADDING", (0, 0), (0, -1), 0)],
        ),
        Spacer(1, 8),
        Paragraph(_text(labels["doc_signatures"]), styles["h3"]),
    ]
    for _ in range(2):
        kept += [
            Spacer(1, 26),
            Paragraph("_" * 60, body),
            Paragraph(_text(labels["doc_signature_line"]), body),
        ]
    return [*story, KeepTogether(kept)]


def _learning(learning: Block, styles: dict[str, ParagraphStyle]) -> list[Any]:
    """Other municipalities' learning examples, on a page of their own at the end."""
    body = styles["body"]
    story: list[Any] = [
        PageBreak(),
        Paragraph(_text(learning.title), styles["h2"]),
        Paragraph(_text(learning.intro), body),
    ]
    for question, shown in learning.questions:
        story.append(Paragraph(_text(question), styles["h3"]))
        story += [Paragraph(f"<b>{_text(name)}</b>: {_text(words)}", body) for name, words in shown]
    return story


def render_pdf(report: Report, learning: Block | None = None) -> bytes:
    styles = _styles()
    body = styles["body"]
    story: list[Any] = [Paragraph(_text(report.title), styles["title"])]
    if report.interim:
        story.append(Paragraph(_text(report.interim), styles["note"]))
    details = [[Paragraph(_text(k), body), Paragraph(_text(v), body)] for k, v in report.details]
    story += [
        Table(details, colWidths=[4 * cm, WIDTH - 4 * cm]),
        Spacer(1, 8),
        Paragraph(_text(report.labels["doc_chart"]), styles["h2"]),
        Paragraph(_text(report.labels["doc_chart_note"]), styles["small"]),
        Spacer(1, 4),
        drawing(report),
        *_beside(report, styles),
        *_area(report, styles),
        PageBreak(),  # the letter on a page of its own, to adopt and sign
        *_letter(report, styles),
    ]
    if report.annex:
        story += [
            PageBreak(),
            Paragraph(_text(report.labels["doc_annex"]), styles["h2"]),
            Paragraph(_text(report.labels["doc_annex_intro"]), body),
        ]
        for title, text in report.annex:
            story += [Paragraph(f"<b>{_text(title)}</b>", body), Paragraph(_text(text), body)]
            story.append(Spacer(1, 6))
    if learning is not None:
        story += _learning(learning, styles)
    return _build(story, report.title, report.lang, _page_marks(report), report)


def _build(
    story: list[Any],
    title: str,
    lang: str | None,
    canvas: type[Canvas] | None = None,
    report: Report | None = None,
) -> bytes:
    out = BytesIO()
    author = (report.municipality or report.labels["doc_creator"]) if report else ""
    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        title=title,
        author=author,
        creator=report.labels["doc_creator"] if report else "",
        lang=LANGUAGES.get(lang or ""),
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
    )
    if canvas is None:
        document.build(story)
    else:
        document.build(story, canvasmaker=canvas)
    return out.getvalue()


def render_text_pdf(title: str, text: str) -> bytes:
    """A plain-text document (paragraphs apart by blank lines, each led by its heading) as a PDF."""
    styles = _styles()
    story: list[Any] = [Paragraph(escape(title), styles["title"])]
    for block in text.split("\n\n"):
        head, *lines = block.split("\n")
        story.append(Paragraph(escape(head), styles["h2"]))
        story += [
            Paragraph(escape(line).replace("   ", "&nbsp;" * 6), styles["body"]) for line in lines
        ]
    return _build(story, title, None)
