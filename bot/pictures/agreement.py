"""Where a municipality's respondents agree and differ, as one picture: a row per question, a
column per respondent, each square coloured by how that answer reads, and a mark at the end of
the row: = where they gave the same answer, ≠ where a conversation is worth having."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.pictures import style
from bot.pictures.style import BLUE, DARK, LIGHT, MUTED, ORANGE, OUTLINE, SMALL, TEXT, TITLE, WHITE

WIDTH = 5.5
MARGIN = 0.25
MARK = 0.32  # the column of = and ≠
ROW = 0.27
# how an answer reads (the groups of summary.findings_of) -> its fill
FILLS = {
    "strengths": BLUE,
    "weaknesses": ORANGE,
    "to_find_out": DARK,
    "noted": LIGHT,
    "own_words": LIGHT,
}


@dataclass(frozen=True)
class Row:
    """One question: per respondent, how the answer reads (() where not answered), and whether
    they agree (None for own words, which people compare)."""

    question: str
    cells: tuple[tuple[str, ...], ...]
    agree: bool | None


@dataclass(frozen=True)
class Words:
    title: str
    readings: tuple[str, str, str, str, str]  # strength, to develop, to find out, note, open
    agree: str  # "= samstämmigt"
    differ: str  # "≠ olika svar"


def agreement_png(
    columns: Sequence[str], areas: Sequence[tuple[str, Sequence[Row]]], words: Words
) -> bytes:
    """`columns`: the respondents, by organisation; `areas`: each area's name and its rows."""
    page = style.page(WIDTH, 60)
    room = WIDTH - 2 * MARGIN
    cell = min(0.42, max(0.16, (room * 0.45) / max(len(columns), 1)))
    names = room - MARK - cell * len(columns)  # the column of questions
    y = MARGIN
    page.text(MARGIN, y + style.line(TITLE) / 2, style.fit(words.title, TITLE, room, True),
              TITLE, weight="bold")  # fmt: skip
    y += style.line(TITLE) + 0.04
    for number, column in enumerate(columns, start=1):  # who each numbered column is
        page.text(MARGIN, y + style.line(SMALL) / 2, style.fit(f"{number}  {column}", SMALL, room),
                  SMALL)  # fmt: skip
        y += style.line(SMALL)
    fills = (BLUE, ORANGE, DARK, LIGHT, WHITE)
    legend = [(label, fill, OUTLINE if fill == WHITE else None)
              for label, fill in zip(words.readings, fills, strict=True)]  # fmt: skip
    y += 0.08
    y += page.legend(MARGIN, y, room, legend) + 0.02
    marks = f"{words.agree}     {words.differ}"
    page.text(MARGIN, y + style.line(SMALL) / 2, style.fit(marks, SMALL, room), SMALL)
    y += style.line(SMALL)
    y += 0.1
    left = MARGIN + names
    for number in range(len(columns)):  # the columns' numbers, over the squares
        page.text(left + (number + 0.5) * cell, y + style.line(SMALL) / 2, str(number + 1), SMALL,
                  ha="center", weight="bold")  # fmt: skip
    y += style.line(SMALL)
    for title, rows in areas:
        if not rows:
            continue
        page.text(MARGIN, y + style.line(TEXT) / 2 + 0.04, style.fit(title, TEXT, names, True),
                  TEXT, weight="bold")  # fmt: skip
        y += style.line(TEXT) + 0.06
        for row in rows:
            middle = y + ROW / 2
            page.text(MARGIN, middle, style.fit(row.question, SMALL, names - 0.08), SMALL)
            for number, readings in enumerate(row.cells):
                _square(page, left + number * cell, y, cell, readings)
            answered = sum(1 for readings in row.cells if readings)
            if row.agree is not None and answered > 1:
                mark = "=" if row.agree else "≠"
                page.text(left + len(columns) * cell + MARK / 2, middle, mark, TEXT, ha="center",
                          weight="bold", color=style.INK if not row.agree else MUTED)  # fmt: skip
            y += ROW
    return style.png(page, y + MARGIN)


def _square(page: style.Page, x: float, y: float, size: float, readings: tuple[str, ...]) -> None:
    """One answer: white where not answered; an answer read several ways split between them."""
    inner = size - 0.04
    if not readings:
        page.box(x + 0.02, y + 0.02, inner, ROW - 0.04, WHITE, OUTLINE, 0.5)
        return
    part = inner / len(readings)
    for index, reading in enumerate(readings):
        page.box(x + 0.02 + index * part, y + 0.02, part, ROW - 0.04, FILLS.get(reading, LIGHT))
