"""An official's six areas, the picture that opens their summary: per area one bar of how its
questions read (strength, to develop, to find out, to note, unanswered), as shares."""

from __future__ import annotations

from collections.abc import Sequence

from bot.pictures import style
from bot.pictures.style import PALETTE, SMALL, TEXT, TITLE, WIDTH

MARGIN = 0.25  # inches around the picture
BAR = 0.36  # a bar's height
SPACE = 0.2  # below a bar


def areas_png(
    areas: Sequence[tuple[str, Sequence[float]]],
    labels: Sequence[str],
    title: str,
    lang: str,
) -> bytes:
    """`areas`: each area's name and its shares in PALETTE's order (they add up to 1);
    `labels`: the legend's words in the same order."""
    page = style.page()
    room = WIDTH - 2 * MARGIN
    y = MARGIN
    page.text(MARGIN, y + style.line(TITLE) / 2, style.fit(title, TITLE, room, True), TITLE,
              weight="bold")  # fmt: skip
    y += style.line(TITLE) + 0.06
    items = [(label, fill, outline) for label, (fill, outline) in zip(labels, PALETTE, strict=True)]
    y += page.legend(MARGIN, y, room, items) + 0.14
    for name, shares in areas:
        page.text(MARGIN, y + style.line(TEXT) / 2, style.fit(name, TEXT, room), TEXT)
        y += style.line(TEXT) + 0.02
        x = MARGIN
        for share, (fill, outline) in zip(shares, PALETTE, strict=True):
            if share <= 0:
                continue
            width = room * share
            page.box(x, y, width, BAR, fill, outline)
            value = style.per_cent(share, lang)
            if width >= style.width_of(value, SMALL) + 0.1:  # a value only where it fits
                page.text(x + width / 2, y + BAR / 2, value, SMALL, ha="center",
                          color=style.on(fill))  # fmt: skip
            x += width
        y += BAR + SPACE
    return style.png(page, y - SPACE + MARGIN)
