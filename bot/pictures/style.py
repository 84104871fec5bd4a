"""What every picture shares: the report chart's colours, type that reads on a phone, and a page
laid out in inches, made and saved without pyplot.

matplotlib is imported only here and only when a picture is drawn (it takes about a second to
import). Each picture is its own `Figure` on its own Agg canvas: nothing global is touched (no
pyplot, no rcParams), so pictures can be drawn in several threads at once (`off_loop`).

The colours are Okabe and Ito's blue and orange with a dark and a light grey, and an outlined
white: told apart with any colour vision, and in greyscale by their lightness (about 34, 64,
15, 85 and 100 %). The Word and PDF report's chart uses the same (bot/exports/chart.py).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from io import BytesIO
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

BLUE, ORANGE, DARK, LIGHT, WHITE = "#0072B2", "#E69F00", "#262626", "#D9D9D9", "#FFFFFF"
OUTLINE = "#555555"  # around white, so that an empty box still shows
# fill and outline, in the order of the report's segments (report.SEGMENTS): strength, to
# develop, to find out, to note (and own words), unanswered
PALETTE: tuple[tuple[str, str | None], ...] = (
    (BLUE, None),
    (ORANGE, None),
    (DARK, None),
    (LIGHT, None),
    (WHITE, OUTLINE),
)
INK, GRID, MUTED = "#222222", "#BBBBBB", "#555555"

DPI = 200  # 5.5 inches are 1100 pixels: below the 1280 Telegram keeps of a photo's long side
WIDTH = 5.5  # inches
TITLE, TEXT, SMALL = 13.0, 10.5, 9.0  # points; at DPI, 10.5 pt is 29 pixels high
LINE = 1.45  # a line of text, in its type's size


def on(fill: str) -> str:
    """The text colour that reads on a fill: white on the dark ones, ink on the light."""
    return "white" if fill in (BLUE, DARK) else INK


def line(size: float) -> float:
    """The height of a line of type of this size, in inches."""
    return size * LINE / 72


@cache
def _measurer() -> Any:
    from matplotlib.textpath import TextToPath

    return TextToPath()


@cache
def _font(size: float, bold: bool) -> Any:
    from matplotlib.font_manager import FontProperties

    return FontProperties(family="DejaVu Sans", size=size, weight="bold" if bold else "normal")


@lru_cache(maxsize=4096)  # the same words come back in every picture: the legends, the counties
def width_of(text: str, size: float, bold: bool = False) -> float:
    """How wide the text is set, in inches."""
    width, _, _ = _measurer().get_text_width_height_descent(text, _font(size, bold), ismath=False)
    return float(width) / 72


def fit(text: str, size: float, room: float, bold: bool = False) -> str:
    """The text, shortened with "…" where it is wider than `room` inches."""
    if width_of(text, size, bold) <= room:
        return text
    while text and width_of(text + "…", size, bold) > room:
        text = text[:-1]
    return text.rstrip() + "…"


def wrap(text: str, size: float, room: float, lines: int = 2) -> list[str]:
    """The text in at most `lines` lines of `room` inches, the last shortened where needed."""
    out: list[str] = []
    words = text.split()
    while words and len(out) < lines:
        taken = [words.pop(0)]
        while words and width_of(" ".join([*taken, words[0]]), size) <= room:
            taken.append(words.pop(0))
        out.append(" ".join(taken))
    if words:
        out[-1] = fit(out[-1] + " " + " ".join(words), size, room)
    return [fit(one, size, room) for one in out]


@dataclass
class Page:
    """A figure with one axes over all of it, measured in inches from the top left: y grows
    downwards, as text is read."""

    figure: Figure
    axes: Axes
    width: float
    height: float
    # x, y, width, height, fill, outline, line width: gathered and drawn as one collection,
    # hundreds of squares for about the cost of one
    boxes: list[tuple[float, float, float, float, str, str, float]] = field(default_factory=list)

    def text(self, x: float, y: float, text: str, size: float = TEXT, **options: Any) -> None:
        """Text as typed: never read as mathematics (a "$" in a name stays a "$")."""
        options.setdefault("color", INK)
        if "va" not in options:  # centred on y by its capitals: one baseline, whatever the
            options["va"] = "baseline"  # letters (matplotlib's centring moves with å and p)
            y += 0.36 * size / 72
        self.axes.text(x, y, text, fontsize=size, parse_math=False, family="DejaVu Sans", **options)

    def box(self, x: float, y: float, width: float, height: float, fill: str,
            outline: str | None = None, line: float = 0.8) -> None:  # fmt: skip
        """A filled box, its top left at (x, y); drawn under the text, in the order given."""
        self.boxes.append((x, y, width, height, fill, outline or "none", line if outline else 0))

    def rule(self, x1: float, y1: float, x2: float, y2: float, colour: str = GRID) -> None:
        self.axes.plot([x1, x2], [y1, y2], color=colour, linewidth=0.6, solid_capstyle="butt")

    def legend(self, x: float, y: float, room: float, items: Sequence[tuple[str, str, str | None]],
               size: float = SMALL) -> float:  # fmt: skip
        """Swatches with their labels (label, fill, outline) in rows within `room` inches;
        returns the height used."""
        swatch, gap, step = size / 72 * 1.05, 0.07, line(size) * 1.1
        rows: list[list[tuple[str, str, str | None, float]]] = [[]]
        used = 0.0
        for label, fill, outline in items:
            width = swatch + gap + width_of(label, size) + 0.22
            if used + width > room and rows[-1]:
                rows.append([])
                used = 0
            rows[-1].append((label, fill, outline, width))
            used += width
        for number, row in enumerate(rows):
            at, middle = x, y + number * step + step / 2
            for label, fill, outline, width in row:
                self.box(at, middle - swatch / 2, swatch, swatch, fill, outline or fill)
                self.text(at + swatch + gap, middle, label, size)
                at += width
        return len(rows) * step


def page(width: float = WIDTH, height: float = 20.0) -> Page:
    """A white page of this size in inches, ready to draw on; `png` cuts it to what was used."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=DPI, facecolor="white")
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(0, width)
    axes.set_ylim(height, 0)
    axes.set_axis_off()
    return Page(figure, axes, width, height)


def png(drawn: Page, height: float) -> bytes:
    """The page down to `height` inches, as PNG bytes at DPI."""
    from matplotlib.collections import PolyCollection

    if drawn.boxes:
        x, y, w, h, fills, outlines, lines = zip(*drawn.boxes, strict=True)
        corners = [
            ((a, b), (a + c, b), (a + c, b + d), (a, b + d))
            for a, b, c, d in zip(x, y, w, h, strict=True)
        ]
        boxes = PolyCollection(corners, facecolors=fills, edgecolors=outlines, linewidths=lines)
        drawn.axes.add_collection(boxes, autolim=False)
    drawn.figure.set_size_inches(drawn.width, height)
    drawn.axes.set_ylim(height, 0)  # the axes fill the figure: an inch stays an inch
    out = BytesIO()
    drawn.figure.savefig(
        out, format="png", dpi=DPI, facecolor="white", metadata={"Software": None},
        pil_kwargs={"compress_level": 1},  # flat colours pack well even so: 3× faster
    )  # fmt: skip
    return out.getvalue()


def per_cent(share: float, lang: str) -> str:
    """0.44 as "44 %" in Swedish (a no-break space), "44%" in English."""
    value = round(share * 100)
    return f"{value}\u00a0%" if lang == "sv" else f"{value}%"


def chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
