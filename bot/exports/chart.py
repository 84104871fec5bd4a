"""The chart of the six areas, laid out once and drawn twice: as vector shapes in the PDF and as
a picture in the Word document. (The chat's pictures, bot/pictures, are laid out for a phone's
screen; this one for an A4 page, the same in both documents.)

Each bar is one round's answers in an area, as shares of the area's questions. The colours are
Okabe and Ito's blue and orange with a dark and a light grey, and an outlined white for the
unanswered: told apart with any colour vision, and in black-and-white print by their lightness.
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import cm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth

from bot.exports.fonts import font_files, fonts
from bot.pictures.style import GRID, INK, PALETTE  # one home for the colours: the chat's too
from dialogues.review.report import SEGMENTS, Report

WIDTH = 17 * cm
LABELS = 4.4 * cm  # the areas' names
ROUNDS = 1.4 * cm  # "Omg. 1", where two rounds are compared
SIZE = 8  # points, the labels' type
BAR, GAP, SPACE = 10, 3, 9  # a bar's height, between two rounds' bars, between areas
TICKS = (0, 25, 50, 75, 100)


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float
    fill: str
    outline: str | None = None


@dataclass(frozen=True)
class Label:
    x: float
    y: float  # the baseline
    text: str
    anchor: str = "start"  # start, middle or end, as in reportlab


@dataclass(frozen=True)
class Rule:
    x1: float
    y1: float
    x2: float
    y2: float
    colour: str = GRID


@dataclass(frozen=True)
class Chart:
    width: float
    height: float
    shapes: tuple[Box | Label | Rule, ...]  # in points, y upwards, drawn in this order


def _per_cent(value: int, lang: str) -> str:
    return f"{value}\u00a0%" if lang == "sv" else f"{value}%"


def layout(report: Report) -> Chart:
    """Where every bar, line and word of the chart goes."""
    regular, _ = fonts()
    rounds = max(len(area.bars) for area in report.areas)
    left = LABELS + (ROUNDS if rounds > 1 else 0.2 * cm)
    plot = WIDTH - left - 0.7 * cm  # room for half of "100 %"
    shapes: list[Box | Label | Rule] = []
    # Legend first, at the foot: a row of swatches, wrapped where it is full.
    legend: list[list[tuple[str, float]]] = [[]]
    used = 0.0
    for key in SEGMENTS:
        width = 14 + stringWidth(report.labels[key], regular, SIZE) + 12
        if used + width > WIDTH and legend[-1]:
            legend.append([])
            used = 0
        legend[-1].append((key, width))
        used += width
    legend_height = len(legend) * 14
    axis = legend_height + 14  # the value axis' baseline, above the legend and tick labels
    group = rounds * BAR + (rounds - 1) * GAP
    top = axis + 4 + len(report.areas) * (group + SPACE)
    for tick in TICKS:
        x = left + plot * tick / 100
        shapes.append(Rule(x, axis, x, top))
        shapes.append(Label(x, axis - 9, _per_cent(tick, report.lang), "middle"))
    y = top
    for area in report.areas:
        y -= SPACE
        names = simpleSplit(f"{area.number}. {area.title}", regular, SIZE, LABELS - 6)[:2]
        middle = y - group / 2
        first = middle + (len(names) - 1) * (SIZE + 1) / 2 - SIZE * 0.35
        for line, name in enumerate(names):
            shapes.append(Label(LABELS - 6, first - line * (SIZE + 1), name, "end"))
        for label, parts in area.bars:
            y -= BAR
            if rounds > 1:
                shapes.append(Label(left - 4, y + BAR / 2 - SIZE * 0.35, label, "end"))
            x = left
            for share, (fill, outline) in zip(parts, PALETTE, strict=True):
                if share > 0:
                    shapes.append(Box(x, y, plot * share, BAR, fill, outline))
                    x += plot * share
            y -= GAP
        y += GAP
    shapes.append(Rule(left, axis, left + plot, axis, INK))
    for row, items in enumerate(legend):  # each row centred under the bars
        x = max(0.0, left + plot / 2 - sum(width for _, width in items) / 2)
        base = legend_height - 14 * row - 10
        for key, width in items:
            fill, outline = PALETTE[SEGMENTS.index(key)]
            shapes.append(Box(x, base - 1, 9, 9, fill, outline or fill))
            shapes.append(Label(x + 13, base, report.labels[key]))
            x += width
    return Chart(WIDTH, top + 2, tuple(shapes))


def drawing(report: Report) -> Drawing:
    """The chart as reportlab shapes, for the PDF."""
    regular, _ = fonts()
    chart = layout(report)
    out = Drawing(chart.width, chart.height)
    for shape in chart.shapes:
        if isinstance(shape, Box):
            outline = colors.HexColor(shape.outline) if shape.outline else colors.white
            out.add(
                Rect(shape.x, shape.y, shape.width, shape.height,
                     fillColor=colors.HexColor(shape.fill), strokeColor=outline, strokeWidth=0.6)
            )  # fmt: skip
        elif isinstance(shape, Label):
            out.add(
                String(shape.x, shape.y, shape.text, fontName=regular, fontSize=SIZE,
                       textAnchor=shape.anchor, fillColor=colors.HexColor(INK))
            )  # fmt: skip
        else:
            out.add(
                Line(shape.x1, shape.y1, shape.x2, shape.y2,
                     strokeColor=colors.HexColor(shape.colour), strokeWidth=0.5)
            )  # fmt: skip
    return out


def picture(report: Report, dpi: int = 200) -> bytes:
    """The chart as a PNG, for the Word document: the same layout, drawn with Pillow."""
    from PIL import Image, ImageDraw, ImageFont  # Pillow comes with reportlab

    chart = layout(report)
    scale = dpi / 72
    height = round(chart.height * scale)
    image = Image.new("RGB", (round(chart.width * scale), height), "white")
    pen = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(font_files()[0]), round(SIZE * scale))
    anchors = {"start": "ls", "middle": "ms", "end": "rs"}

    def at(x: float, y: float) -> tuple[float, float]:
        return x * scale, height - y * scale

    for shape in chart.shapes:
        if isinstance(shape, Box):
            x0, y1 = at(shape.x, shape.y)
            x1, y0 = at(shape.x + shape.width, shape.y + shape.height)
            pen.rectangle(
                (x0, y0, x1, y1),
                fill=shape.fill,
                outline=shape.outline or "white",
                width=max(1, round(0.6 * scale)),
            )
        elif isinstance(shape, Label):
            pen.text(at(shape.x, shape.y), shape.text, fill=INK, font=font,
                     anchor=anchors[shape.anchor])  # fmt: skip
        else:
            pen.line((*at(shape.x1, shape.y1), *at(shape.x2, shape.y2)), fill=shape.colour,
                     width=max(1, round(0.5 * scale)))  # fmt: skip
    out = BytesIO()
    image.save(out, format="PNG", dpi=(dpi, dpi))
    return out.getvalue()
