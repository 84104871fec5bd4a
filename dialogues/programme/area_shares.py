"""The areas in the manner of Socialstyrelsen's Öppna jämförelser: per municipality, county and
country, per round, the share of the answers that read as a strength, to develop and to find
out, and the change since the round before.

A municipality's share counts the answers of all its respondents in that round, each answer
once (see counting.py). A county's or the country's figure is the mean of its municipalities'
shares, each municipality counting once, and is shown only when at least FEWEST municipalities
with answers stand behind it. "The country" is every municipality in the programme, whatever
part of it is exported."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from statistics import fmean

from dialogues.collation import swedish_key
from dialogues.programme.counting import FEWEST, READINGS, TITLES, enough, readings
from dialogues.programme.counting import too_few as few
from dialogues.programme.programme import Programme
from dialogues.programme.rows import Columns, Entry, Table
from dialogues.review.content import Questionnaire

Shares = list[float | None]  # per area and reading, in that order; None: no answer to read
Unit = tuple[str, str]  # ("municipality", code), ("county", code), ("country", "")


def _counts(q: Questionnaire, entry: Entry, places: dict[str, int]) -> list[int]:
    """Per area and reading, how many of the review's answers read that way (`places`: each
    question's area, by its index)."""
    counts = [0] * (len(q.areas) * len(READINGS))
    for question_id, group in readings(q, entry.review).items():
        counts[places[question_id] * len(READINGS) + READINGS.index(group)] += 1
    return counts


def _shares(counts: list[int]) -> Shares:
    """Each reading's share of the readable answers in its area."""
    shares: Shares = []
    for start in range(0, len(counts), len(READINGS)):
        part = counts[start : start + len(READINGS)]
        total = sum(part)
        shares += [round(count / total, 4) if total else None for count in part]
    return shares


def _mean(members: list[Shares], width: int) -> tuple[Shares, bool]:
    """Per column, the mean of the municipalities' shares when at least FEWEST stand behind it;
    and whether a figure was left out for want of them (not for want of any answer)."""
    figures: Shares = []
    too_few = False
    for column in range(width):
        known = [share for share in (shares[column] for shares in members) if share is not None]
        figures.append(round(fmean(known), 4) if enough(len(known)) else None)
        too_few = too_few or few(len(known))
    return figures, too_few


@dataclass
class Figures:
    """Every municipality's, county's and the country's shares per round, who stands behind
    each county and the country, and how many respondents had begun in each municipality."""

    shares: dict[tuple[Unit, int], Shares] = field(default_factory=dict)
    behind: dict[tuple[Unit, int], list[str]] = field(default_factory=lambda: defaultdict(list))
    begun: dict[tuple[str, int], int] = field(default_factory=lambda: defaultdict(int))
    too_few: set[tuple[Unit, int]] = field(default_factory=set)  # a figure left blank


def figures(q: Questionnaire, everyone: list[Entry]) -> Figures:
    """The shares of every municipality in the programme (`everyone`: the reviews of all its
    members), and the means of its counties and of the whole programme where at least FEWEST
    municipalities stand behind them."""
    width = len(q.areas) * len(READINGS)
    places = {
        question.id: index for index, area in enumerate(q.areas) for question in area.questions
    }
    counts: dict[tuple[str, int], list[int]] = {}
    found = Figures()
    for entry in everyone:
        at = (entry.municipality.code, entry.round)
        own = _counts(q, entry, places)
        counts[at] = [a + b for a, b in zip(counts.get(at, [0] * width), own, strict=True)]
        found.begun[at] += bool(entry.review["answers"])
    for (code, number), counted in counts.items():
        found.shares[(("municipality", code), number)] = _shares(counted)
        if any(counted):
            found.behind[(("county", code[:2]), number)].append(code)
            found.behind[(("country", ""), number)].append(code)
    for (unit, number), codes in found.behind.items():
        members = [found.shares[(("municipality", code), number)] for code in codes]
        found.shares[(unit, number)], too_few = _mean(members, width)
        if too_few:
            found.too_few.add((unit, number))
    return found


def _columns(q: Questionnaire, lang: str) -> Columns:
    text = q.text
    columns = Columns()
    for key in ("level", "name", "unit_code", "county", "round", "respondents", "behind"):
        columns.add(text(f"col_{key}", lang), text(f"about_area_{key}", lang))
    for area in q.areas:
        titles = [f"{area.number}. {area.title(lang)}: {text(r, lang)}" for r in TITLES]
        for title in titles:
            columns.add(text("col_share", lang, title=title), text("about_share", lang), "share")
        for title in titles:
            columns.add(text("col_change", lang, title=title), text("about_change", lang), "change")
    columns.add(text("col_note", lang), text("about_note", lang))
    return columns


def _units(in_scope: list[str], current: dict[str, int], number: int, known: Figures) -> list[Unit]:
    """The rows of a round: the country, then each county in the scope with its municipalities
    that had that round (or have it now)."""
    units: list[Unit] = [("country", "")]
    for county in sorted({code[:2] for code in in_scope}):
        if (("county", county), number) in known.shares:
            units.append(("county", county))
        units += [
            ("municipality", code)
            for code in in_scope
            if code.startswith(county)
            and ((("municipality", code), number) in known.shares or current[code] == number)
        ]
    return units


def areas_table(programme: Programme, scope: str, everyone: list[Entry], lang: str) -> Table:
    """Per round: the country, each county in the scope and its municipalities, with their
    shares per area and reading and the change since the round before."""
    q = programme.engine.questionnaire
    text = q.text
    width = len(q.areas) * len(READINGS)
    known = figures(q, everyone)
    municipalities = programme.municipalities
    counties = {c.code: c for c in municipalities.counties}
    in_scope = sorted(
        programme.scope_codes(scope), key=lambda c: swedish_key(municipalities.by_code[c].name)
    )
    current = {code: programme.round_of(code) for code in in_scope}
    rounds = {number for _, number in known.shares} | set(current.values())
    rows = []
    for number in sorted(rounds):
        for unit in _units(in_scope, current, number, known):
            kind, code = unit
            now = known.shares.get((unit, number), [None] * width)
            before = known.shares.get((unit, number - 1), [None] * width)
            cells: list[object] = []
            for start in range(0, width, len(READINGS)):
                part = range(start, start + len(READINGS))
                cells += [now[i] for i in part] + [_change(now[i], before[i]) for i in part]
            behind = known.behind.get((unit, number), [])
            if kind == "municipality":
                m = municipalities.by_code[code]
                lead = [m.name, code, m.county.name, number, known.begun[(code, number)], ""]
            else:
                county = counties[code].name if kind == "county" else ""
                name = county or text("level_country", lang)
                begun = sum(known.begun[(c, number)] for c in behind)
                lead = [name, code, county, number, begun, len(behind)]
            few = (unit, number) in known.too_few
            note = text("note_too_few", lang, fewest=FEWEST) if few else ""
            rows.append([text(f"level_{kind}", lang), *lead, *cells, note])
    return _columns(q, lang).table(text("sheet_areas", lang), rows, keys=2)


def _change(now: float | None, before: float | None) -> float | None:
    """The change in percentage points since the round before, when both are known."""
    if now is None or before is None:
        return None
    return round((now - before) * 100, 1)
