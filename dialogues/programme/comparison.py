"""Each municipality beside its county and the country, question by question, in the manner of
Socialstyrelsen's Öppna jämförelser: how many municipalities' answers read as a strength, to
develop or to find out.

Only finished reviews of each municipality's current round count, and a municipality counts
once, by its consolidated answer (counting.agreed, the rule the learning examples follow too).
The official's own municipality counts like any other, once it has finished. A county's or the
country's figure is shown only when at least FEWEST municipalities stand behind it, and no
municipality is ever named: the figures are per county and for the country, never per
municipality. The same tallies make an official's lines (in the summary and the report) and the
coordinators' sheet; in the chat they are reused for up to a minute (`Recent`)."""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from time import monotonic

from dialogues.programme.counting import FEWEST, READINGS, consolidated_readings, enough
from dialogues.programme.municipalities import County
from dialogues.programme.programme import Programme
from dialogues.programme.rows import Entry
from dialogues.review.content import Questionnaire
from dialogues.review.stored import ReviewData

Unit = tuple[str, str]  # ("county", "03") or ("country", "")
COUNTRY: Unit = ("country", "")
Finished = dict[str, list[ReviewData]]  # municipality code → its finished reviews this round
Answers = dict[str, dict[str, str]]  # municipality code → question id → its consolidated reading


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


def answers_of(
    q: Questionnaire, finished: Finished, only: Collection[str] | None = None
) -> Answers:
    """Each municipality's consolidated answers (to the questions `only` names, if given)."""
    return {code: consolidated_readings(q, reviews, only) for code, reviews in finished.items()}


def tally_answers(answers: Answers) -> Tallies:
    """Per county and for the country, per question, the municipalities reading each way."""
    counts: dict[tuple[Unit, str], list[int]] = defaultdict(lambda: [0] * len(READINGS))
    for code, found in answers.items():
        for question_id, reading in found.items():
            for unit in (("county", code[:2]), COUNTRY):
                counts[(unit, question_id)][READINGS.index(reading)] += 1
    return {key: Tally(tuple(found)) for key, found in counts.items()}


def tally(q: Questionnaire, finished: Finished, only: Collection[str] | None = None) -> Tallies:
    """Per county and for the country, per question (of those `only` names, if given), the
    municipalities reading each way."""
    return tally_answers(answers_of(q, finished, only))


def finished_now(programme: Programme, codes: Collection[str] | None = None) -> Finished:
    """Every municipality's (or those `codes` names') finished reviews of its current round,
    read from the store: the programme's file once, then each member's file once (an official's
    summary waits on it)."""
    found: Finished = defaultdict(list)
    store = programme.respondents
    rows = programme.store.municipalities()
    for row in rows if codes is None else [r for r in rows if r["code"] in codes]:
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


def compared(q: Questionnaire) -> set[str]:
    """The questions an official's lines compare (those with a `compare:` phrase)."""
    return {question.id for question in q.questions if question.compare}


def beside(programme: Programme, code: str, lang: str) -> Beside | None:
    """The municipality `code` beside its county and the country, from the store as it is now."""
    q = programme.engine.questionnaire
    county = programme.municipalities.by_code[code].county
    return beside_of(q, tally(q, finished_now(programme), compared(q)), county, lang)


class Recent:
    """The programme's consolidated answers for the officials' lines, read from the store at
    most once every `max_age` seconds and reused in between, so that a workshop where fifty
    finish within a minute reads every member's file once, not fifty times. A county's figure
    a minute old is fine; the asking official's own municipality is read afresh each time (a
    few files), so one who has just finished is counted at once. `clock` (seconds, monotonic)
    lets a test move time without sleeping. Safe to share between threads: one refresh at a
    time, the others wait for it and reuse it."""

    def __init__(
        self, programme: Programme, max_age: float = 60.0, clock: Callable[[], float] = monotonic
    ) -> None:
        self.programme, self.max_age, self.clock = programme, max_age, clock
        self._lock = threading.Lock()
        self._answers: Answers | None = None
        self._read_at = 0.0

    def answers(self) -> Answers:
        """Every municipality's consolidated answers to the compared questions, at most
        `max_age` seconds old."""
        with self._lock:
            now = self.clock()
            if self._answers is None or now - self._read_at >= self.max_age:
                q = self.programme.engine.questionnaire
                self._answers = answers_of(q, finished_now(self.programme), compared(q))
                self._read_at = now
            return self._answers

    def beside_respondent(self, respondent_id: str) -> Beside | None:
        """As `beside_respondent`, from the reused answers and the respondent's own
        municipality's as they are now."""
        programme = self.programme
        municipality, _ = programme.membership(respondent_id)
        if municipality is None:
            return None
        q = programme.engine.questionnaire
        answers = dict(self.answers())
        answers.pop(municipality.code, None)  # not finished any more: a new round
        own = finished_now(programme, {municipality.code})
        answers.update(answers_of(q, own, compared(q)))
        lang = programme.engine.language(respondent_id)
        return beside_of(q, tally_answers(answers), municipality.county, lang)


def beside_respondent(programme: Programme, respondent_id: str) -> Beside | None:
    """A respondent's municipality beside its county and the country, in their language; None
    for someone in no municipality of the programme. Reads every member's file: see `Recent`
    for the chat."""
    return Recent(programme).beside_respondent(respondent_id)
