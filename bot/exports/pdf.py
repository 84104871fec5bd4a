"""The report as a PDF, with a chart of the six areas and a letter of intent to sign."""

from __future__ import annotations

from functools import cache
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from dialogues.review.report import Report

# DejaVu covers far more scripts than the Vera that ships with reportlab; both have å ä ö.
FONT_CANDIDATES = (
    (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    ),
    (
        Path(reportlab.__file__).parent / "fonts" / "Vera.ttf",
        Path(reportlab.__file__).parent / "fonts" / "VeraBd.ttf",
    ),
)
COLOURS = (
    colors.HexColor("#2e7d32"),
    colors.HexColor("#c62828"),
    colors.HexColor("#9e9e9e"),
    colors.HexColor("#e0e0e0"),
)


@cache
def _fonts() -> tuple[str, str]:
    """Embedded TrueType fonts, so every character typed shows as typed."""
    for regular, bold in FONT_CANDIDATES:
        if Path(regular).exists() and Path(bold).exists():
            pdfmetrics.registerFont(TTFont("Body", str(regular)))
            pdfmetrics.registerFont(TTFont("Body-Bold", str(bold)))
            # so that <b> in a paragraph finds the bold face (table headers, annex titles)
            pdfmetrics.registerFontFamily(
                "Body", normal="Body", bold="Body-Bold", italic="Body", boldItalic="Body-Bold"
            )
            return "Body", "Body-Bold"
    raise RuntimeError("no TrueType font found for the PDF")


def _styles() -> dict[str, ParagraphStyle]:
    regular, bold = _fonts()
    base = getSampleStyleSheet()
    return {
        "title": ParagraphStyle(
            "title", parent=base["Title"], fontName=bold, fontSize=16, leading=20
        ),
        "h2": ParagraphStyle(
            "h2", parent=base["Heading2"], fontName=bold, fontSize=13, spaceBefore=10
        ),
        "h3": ParagraphStyle(
            "h3", parent=base["Heading3"], fontName=bold, fontSize=10.5, spaceBefore=6
        ),
        "body": ParagraphStyle(
            "body", parent=base["BodyText"], fontName=regular, fontSize=9.5, leading=12.5
        ),
        "note": ParagraphStyle(
            "note",
            parent=base["BodyText"],
            fontName=regular,
            fontSize=9.5,
            textColor=colors.HexColor("#b71c1c"),
        ),
    }


def _chart(report: Report) -> Drawing:
    """Per area, how the answers read: strong, to develop, other, unanswered (stacked bars)."""
    regular, _ = _fonts()
    drawing = Drawing(16 * cm, 7.5 * cm)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 4.2 * cm, 1.6 * cm, 11 * cm, 5.6 * cm
    chart.categoryAxis.style = "stacked"
    areas = list(reversed(report.areas))
    chart.data = [[area.shares[kind] for area in areas] for kind in range(4)]
    chart.categoryAxis.categoryNames = [f"{a.number}. {a.title}"[:28] for a in areas]
    chart.categoryAxis.labels.fontName = regular
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = regular
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueStep = 1
    for kind, colour in enumerate(COLOURS):
        chart.bars[kind].fillColor = colour
        chart.bars[kind].strokeColor = None
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = 4.2 * cm, 0.6 * cm
    legend.fontName, legend.fontSize = regular, 7.5
    legend.columnMaximum, legend.deltax, legend.alignment = 1, 85, "right"  # swatch, then words
    keys = ("doc_strong", "doc_weak", "doc_neutral", "doc_open")
    legend.colorNamePairs = [
        (colour, report.labels[key]) for colour, key in zip(COLOURS, keys, strict=True)
    ]
    drawing.add(legend)
    return drawing


def _lines(items: tuple[str, ...], style: ParagraphStyle) -> list[Paragraph]:
    return [Paragraph("• " + escape(item), style) for item in items]


def render_pdf(report: Report) -> bytes:
    styles = _styles()
    body = styles["body"]
    story: list = [Paragraph(escape(report.title), styles["title"])]
    if report.interim:
        story.append(Paragraph(escape(report.interim), styles["note"]))
    details = Table(
        [[Paragraph(escape(k), body), Paragraph(escape(v), body)] for k, v in report.details],
        colWidths=[4 * cm, 12 * cm],
    )
    story += [
        details,
        Spacer(1, 8),
        Paragraph(escape(report.labels["doc_chart"]), styles["h2"]),
        _chart(report),
    ]
    for area in report.areas:
        story.append(Paragraph(escape(f"{area.number}. {area.title}"), styles["h2"]))
        if area.change:
            story.append(Paragraph(escape(area.change), body))
        for key, items in area.readings():
            story += [Paragraph(escape(report.labels[key]), styles["h3"]), *_lines(items, body)]
        story.append(Paragraph(escape(report.labels["doc_answers"]), styles["h3"]))
        rows = [[Paragraph(escape(q), body), Paragraph(escape(a), body)] for q, a in area.answers]
        if rows:
            table = Table(rows, colWidths=[6 * cm, 10 * cm])
            table.setStyle(
                TableStyle(
                    [
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.lightgrey),
                    ]
                )
            )
            story.append(table)
    story += [
        Paragraph(escape(report.labels["summary_letter"]), styles["h2"]),
        Paragraph(escape(report.labels["doc_letter_intro"]), body),
    ]
    if report.commitments:
        header = [
            report.labels["summary_letter"],
            report.labels["doc_responsible"],
            report.labels["doc_due"],
        ]
        rows = [[Paragraph(f"<b>{escape(h)}</b>", body) for h in header]]
        rows += [
            [
                Paragraph(escape(text), body),
                Paragraph(escape(role), body),
                Paragraph(escape(due), body),
            ]
            for text, role, due in report.commitments
        ]
        table = Table(rows, colWidths=[9 * cm, 4.5 * cm, 2.5 * cm])  # room for a compound role
        table.setStyle(
            TableStyle(
                [("VALIGN", (0, 0), (-1, -1), "TOP"), ("GRID", (0, 0), (-1, -1), 0.25, colors.grey)]
            )
        )
        story.append(table)
    else:
        story.append(Paragraph(escape(report.labels["summary_letter_empty"]), body))
    story += [Spacer(1, 14), Paragraph(escape(report.labels["doc_signatures"]), styles["h3"])]
    for _ in range(2):
        story += [
            Spacer(1, 26),
            Paragraph("_" * 60, body),
            Paragraph(escape(report.labels["doc_signature_line"]), body),
        ]
    if report.annex:
        story += [
            PageBreak(),
            Paragraph(escape(report.labels["doc_annex"]), styles["h2"]),
            Paragraph(escape(report.labels["doc_annex_intro"]), body),
        ]
        for title, text in report.annex:
            story += [Paragraph(f"<b>{escape(title)}</b>", body), Paragraph(escape(text), body)]
            story.append(Spacer(1, 6))
    out = BytesIO()
    document = SimpleDocTemplate(
        out, pagesize=A4, title=report.title, leftMargin=2 * cm, rightMargin=2 * cm
    )
    document.build(story)
    return out.getvalue()


def render_text_pdf(title: str, text: str) -> bytes:
    """A plain-text document (paragraphs apart by blank lines, each led by its heading) as a PDF."""
    styles = _styles()
    story: list = [Paragraph(escape(title), styles["title"])]
    for block in text.split("\n\n"):
        head, *lines = block.split("\n")
        story.append(Paragraph(escape(head), styles["h2"]))
        story += [
            Paragraph(escape(line).replace("   ", "&nbsp;" * 6), styles["body"]) for line in lines
        ]
    out = BytesIO()
    SimpleDocTemplate(out, pagesize=A4, title=title, leftMargin=2 * cm, rightMargin=2 * cm).build(
        story
    )
    return out.getvalue()
