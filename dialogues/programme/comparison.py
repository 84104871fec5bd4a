"""Each municipality beside its county and the country, question by question, in the manner of
Socialstyrelsen's Öppna jämförelser: how many municipalities' answers read as a strength, to
develop or to find out.

Only finished reviews of each municipality's current round count, and a municipality counts
once, by its consolidated answer (see `agreed`). The official's own municipality counts like any
other, once it has finished. A county's or the country's figure is shown only when at least
FEWEST municipalities stand behind it, and no municipality is ever named: the figures are per
county and for the country, never per municipality. The same tallies make an official's lines
(in the summary and the report) and the coordinators' sheet."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from dialogues.programme.counting import FEWEST, READINGS, enough, readings
from dialogues.programme.municipalities import County
from dialogues.programme.programme import Programme
from dialogues.programme.rows import Entry
from dialogues.review.content import Questionnaire
from dialogues.review.stored import ReviewData

Unit = tuple[str, str]  # ("county", "03") or ("country", "")
COUNTRY: Unit = ("country", "")
Finished = dict[str, list[ReviewData]]  # municipality code → its finished reviews this round


@dataclass(frozen=True)
class Tally:
    """How many municipalities' consolidated answers to one question read each way."""

    counts: tuple[int, ...] = (0,) * len(READINGS)  # per READINGS

    @property
    def behind(self) -> int:
        """The municipalities that gave a readable answer: those the figure stands on."""
        return sum(self.counts)

    @property
    def shown(self) -> bool:
        return enough(self.behind)

    def count(self, reading: str) -> int:
        return self.counts[READINGS.index(reading)]

    def shares(self) -> list[float | None]:
        """Each reading's share of the municipalities behind it; none when they are too few."""
        if not self.shown:
            return [None] * len(READINGS)
        return [round(count / self.behind, 4) for count in self.counts]


Tallies = dict[tuple[Unit, str], Tally]  # (county or country, question id) → its tally


def agreed(found: list[str]) -> str:
    """A municipality's consolidated answer to a question, from its respondents' readings: the
    one most of them give; where two readings are given equally often, to find out — its
    respondents do not agree, so that is what the municipality has to find out first."""
    ranked = Counter(found).most_common(2)
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return "to_find_out"
    return ranked[0][0]


def consolidated_readings(
    q: Questionnaire, reviews: list[ReviewData], only: Collection[str] | None = None
) -> dict[str, str]:
    """Per question (of those `only` names, if given), the municipality's consolidated
    reading (see `agreed`)."""
    given: dict[str, list[str]] = defaultdict(list)
    for review in reviews:
        for question_id, reading in readings(q, review, only).items():
            given[question_id].append(reading)
    return {question_id: agreed(found) for question_id, found in given.items()}


def tally(q: Questionnaire, finished: Finished, only: Collection[str] | None = None) -> Tallies:
    """Per county and for the country, per question (of those `only` names, if given), the
    municipalities reading each way."""
    counts: dict[tuple[Unit, str], list[int]] = defaultdict(lambda: [0] * len(READINGS))
    for code, reviews in finished.items():
        for question_id, reading in consolidated_readings(q, reviews, only).items():
            for unit in (("county", code[:2]), COUNTRY):
                counts[(unit, question_id)][READINGS.index(reading)] += 1
    return {key: Tally(tuple(found)) for key, found in counts.items()}


def finished_now(programme: Programme) -> Finished:
    """Every municipality's finished reviews of its current round, read from the store: the
    programme's file once, then each member's file once (an official's summary waits on it)."""
    found: Finished = defaultdict(list)
    store = programme.respondents
    for row in programme.store.municipalities():
        for rid in row.get("members", []):
            with store.open(rid) as file:
                respondent, review = file.respondent(), file.active_review()
            if (respondent or {}).get("municipality") != row["code"] or review is None:
                continue  # one who left, as Programme.members leaves them out
            if review.get("finished"):
                found[row["code"]].append(review)
    return dict(found)


def finished_among(everyone: Iterable[Entry]) -> Finished:
    """The same, from the reviews of every round a coordinators' table has read already: the
    active review is the current round's."""
    found: Finished = defaultdict(list)
    for entry in everyone:
        if entry.review["status"] == "active" and entry.review.get("finished"):
            found[entry.municipality.code].append(entry.review)
    return dict(found)


@dataclass(frozen=True)
class Beside:
    """An official's municipality beside its county and the country: one line per area."""

    title: str
    lines: tuple[str, ...]
    note: str  # who is counted, and the rule of FEWEST

    def text(self) -> str:
        """For a chat: the title, each line (led by its area), the note, in paragraphs."""
        return "\n\n".join([self.title, *self.lines, self.note])


def beside_of(q: Questionnaire, tallies: Tallies, county: County, lang: str) -> Beside | None:
    """A line for each area with a question to compare (its `compare:` phrase): the county's
    and the country's count of municipalities with that strength; None if the content has no
    such question."""
    lines, any_figure = [], False
    for area in q.areas:
        question = next((item for item in area.questions if item.compare), None)
        if question is None or question.compare is None:
            continue
        here = tallies.get((("county", county.code), question.id), Tally())
        there = tallies.get((COUNTRY, question.id), Tally())
        any_figure = any_figure or there.shown
        key = "compare_line" if here.shown else "compare_line_few"
        if not here.shown and there.shown:
            key = "compare_line_county_few"
        lines.append(
            q.text(
                key,
                lang,
                area=f"{area.number}. {area.title(lang)}",
                county=county.name,
                phrase=question.compare(lang),
                count=here.count("strengths"),
                total=here.behind,
                country_count=there.count("strengths"),
                country_total=there.behind,
                fewest=FEWEST,
            )
        )
    if not lines:
        return None
    if not any_figure:  # the first to finish: one line, not one "too few" per area
        lines = [q.text("compare_none", lang, fewest=FEWEST)]
    note = q.text("compare_note", lang, fewest=FEWEST)
    return Beside(q.text("compare_title", lang), tuple(lines), note)


def beside(programme: Programme, code: str, lang: str) -> Beside | None:
    """The municipality `code` beside its county and the country, from the store as it is now."""
    q = programme.engine.questionnaire
    county = programme.municipalities.by_code[code].county
    compared = {question.id for question in q.questions if question.compare}
    return beside_of(q, tally(q, finished_now(programme), compared), county, lang)


def beside_respondent(programme: Programme, respondent_id: str) -> Beside | None:
    """A respondent's municipality beside its county and the country, in their language; None
    for someone in no municipality of the programme."""
    municipality, _ = programme.membership(respondent_id)
    if municipality is None:
        return None
    return beside(programme, municipality.code, programme.engine.language(respondent_id))
