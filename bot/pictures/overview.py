"""A coordinator's overview as one picture: how far each municipality has come, by county, and
the areas' strengths over the whole scope.

Up to ROWS municipalities get a row each, with their name, a bar of the questions answered and
how many reviews are finished. More (up to all 290) become a grid: a line of small squares per
county, one square per municipality, coloured by how far it has come, with the county's count
of municipalities that have a finished review."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby

from bot.pictures import style
from bot.pictures.style import BLUE, DARK, LIGHT, MUTED, ORANGE, OUTLINE, SMALL, TEXT, TITLE, WHITE

WIDTH = 6.0  # inches: 1200 pixels, within Telegram's 1280
MARGIN = 0.25
ROWS = 40  # up to this many municipalities, one row each with its name
NAMES = 2.0  # the column of names (rows) or counties (grid)
CELL, PITCH = 0.17, 0.2  # a square of the grid, and from one to the next
BAR = 0.24
KINDS = ((BLUE, None), (ORANGE, None), (LIGHT, None), (WHITE, OUTLINE))  # see Place.kind
READINGS = ((BLUE, None), (ORANGE, None), (DARK, None))  # strength, to develop, to find out


@dataclass(frozen=True)
class Place:
    """One municipality in the programme, as the overview counts it."""

    county: str
    name: str
    respondents: int
    finished: int  # reviews finished
    answered: int  # questions, over all its respondents
    asked: int

    @property
    def kind(self) -> int:
        """0: a review finished, 1: begun, 2: joined but not begun, 3: nobody has joined."""
        if self.finished:
            return 0
        if self.answered:
            return 1
        return 2 if self.respondents else 3

    @property
    def share(self) -> float:
        return self.answered / self.asked if self.asked else 0.0


@dataclass(frozen=True)
class Words:
    """The picture's words, in the coordinator's language."""

    title: str
    kinds: tuple[str, str, str, str]  # the legend of Place.kind
    finished: str  # "{finished} av {respondents} klara", beside a row
    county: str  # "{finished}/{count}", beside a county in the grid
    note: str  # under the grid's legend: what a square and the figures are
    areas: str  # the heading of the areas' strengths
    readings: tuple[str, str, str]  # strength, to develop, to find out
    too_few: str  # where an area has too few municipalities behind it
    none: str  # where no area has enough


def overview_png(
    places: Sequence[Place],
    areas: Sequence[tuple[str, Sequence[float] | None]],
    words: Words,
    lang: str,
) -> bytes:
    """`places` sorted by county, then name; `areas`: each area's name and its shares of
    strength, to develop and to find out (None where too few municipalities stand behind it)."""
    page = style.page(WIDTH, 40)
    room = WIDTH - 2 * MARGIN
    y = MARGIN
    page.text(MARGIN, y + style.line(TITLE) / 2, style.fit(words.title, TITLE, room, True),
              TITLE, weight="bold")  # fmt: skip
    y += style.line(TITLE) + 0.06
    legend = [
        (label, fill, outline) for label, (fill, outline) in zip(words.kinds, KINDS, strict=True)
    ]
    y += page.legend(MARGIN, y, room, legend)
    if len(places) > ROWS:
        for line in style.wrap(words.note, SMALL, room, 3):
            page.text(MARGIN, y + style.line(SMALL) / 2, line, SMALL, color=MUTED)
            y += style.line(SMALL)
    y += 0.12
    y = (_rows if len(places) <= ROWS else _grid)(page, places, words, y)
    y = _areas(page, areas, words, y + 0.22, lang)
    return style.png(page, y + MARGIN)


def _rows(page: style.Page, places: Sequence[Place], words: Words, y: float) -> float:
    """One row per municipality: name, a bar of its questions answered, finished reviews."""
    counts = [
        words.finished.format(finished=p.finished, respondents=p.respondents)
        if p.respondents
        else "–"
        for p in places
    ]
    right = max(style.width_of(count, SMALL) for count in counts) + 0.1
    bar = WIDTH - 2 * MARGIN - NAMES - right
    several = len({place.county for place in places}) > 1
    height = max(BAR, style.line(SMALL)) + 0.07
    for county, group in groupby(zip(places, counts, strict=True), key=lambda p: p[0].county):
        if several:
            page.text(MARGIN, y + style.line(SMALL) / 2, county, SMALL, weight="bold", color=MUTED)
            y += style.line(SMALL)
        for place, count in group:
            middle = y + height / 2
            page.text(MARGIN, middle, style.fit(place.name, TEXT, NAMES - 0.1), TEXT)
            x = MARGIN + NAMES
            fill, _ = KINDS[place.kind]
            empty = LIGHT if place.kind == 2 else WHITE  # joined, not begun: all of it grey
            page.box(x, middle - BAR / 2, bar, BAR, empty, OUTLINE, 0.5)
            if place.share > 0:
                page.box(x, middle - BAR / 2, bar * place.share, BAR, fill)
            page.text(x + bar + 0.1, middle, count, SMALL)
            y += height
        y += 0.06
    return y


def _grid(page: style.Page, places: Sequence[Place], words: Words, y: float) -> float:
    """A line of squares per county (more where it has many): one square per municipality."""
    columns = int((WIDTH - 2 * MARGIN - NAMES) // PITCH)
    for county, group in groupby(places, key=lambda p: p.county):
        members = list(group)
        count = words.county.format(
            finished=sum(1 for p in members if p.finished), count=len(members)
        )
        room = NAMES - style.width_of(count, SMALL, True) - 0.22
        page.text(MARGIN, y + PITCH / 2, style.fit(county, SMALL, room), SMALL)
        page.text(MARGIN + NAMES - 0.12, y + PITCH / 2, count, SMALL, ha="right", weight="bold")
        for line in style.chunks(members, columns):
            for column, place in enumerate(line):
                x = MARGIN + NAMES + column * PITCH
                fill, outline = KINDS[place.kind]
                if place.kind == 1:  # begun: filled from the bottom as far as it has come
                    page.box(x, y, CELL, CELL, WHITE, OUTLINE, 0.5)
                    height = CELL * max(place.share, 0.15)
                    page.box(x, y + CELL - height, CELL, height, fill)
                else:
                    page.box(x, y, CELL, CELL, fill, outline, 0.5)
            y += PITCH
        y += 0.07
    return y


def _areas(
    page: style.Page,
    areas: Sequence[tuple[str, Sequence[float] | None]],
    words: Words,
    y: float,
    lang: str,
) -> float:
    """Per area, a bar of its strength, to develop and to find out over the scope."""
    room = WIDTH - 2 * MARGIN
    page.rule(MARGIN, y - 0.12, WIDTH - MARGIN, y - 0.12)
    page.text(MARGIN, y + style.line(TEXT) / 2, style.fit(words.areas, TEXT, room, True), TEXT,
              weight="bold")  # fmt: skip
    y += style.line(TEXT) + 0.04
    if all(shares is None for _, shares in areas):
        for line in style.wrap(words.none, SMALL, room, 3):
            page.text(MARGIN, y + style.line(SMALL) / 2, line, SMALL, color=MUTED)
            y += style.line(SMALL)
        return y
    legend = [
        (label, fill, outline)
        for label, (fill, outline) in zip(words.readings, READINGS, strict=True)
    ]
    y += page.legend(MARGIN, y, room, legend) + 0.06
    bar = room - NAMES
    for name, shares in areas:
        middle = y + BAR / 2 + 0.04
        page.text(MARGIN, middle, style.fit(name, SMALL, NAMES - 0.1), SMALL)
        x = MARGIN + NAMES
        if shares is None:
            page.text(x, middle, style.fit(words.too_few, SMALL, bar), SMALL, color=MUTED)
        else:
            for share, (fill, _) in zip(shares, READINGS, strict=True):
                width = bar * share
                if width <= 0:
                    continue
                page.box(x, middle - BAR / 2, width, BAR, fill)
                value = style.per_cent(share, lang)
                if width >= style.width_of(value, SMALL) + 0.08:
                    page.text(x + width / 2, middle, value, SMALL, ha="center",
                              color=style.on(fill))  # fmt: skip
                x += width
        y += BAR + 0.1
    return y
