"""How the programme counts answers, for the areas' shares, the questions' comparison and the
learning examples alike: one reading per answer (`reading`), one answer per municipality (its
consolidated answer, `agreed`), and a county's or the country's figure only where at least
FEWEST municipalities stand behind it (as in Socialstyrelsen's Öppna jämförelser)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from typing import Any

from dialogues.review.content import Question, Questionnaire
from dialogues.review.stored import ReviewData, answer_values
from dialogues.review.summary import findings_of

FEWEST = 5  # municipalities behind a county's or the country's figure (Öppna jämförelser)
READINGS = ("strengths", "weaknesses", "to_find_out")  # groups of summary.findings_of
TITLES = ("doc_strong", "doc_weak", "summary_find_out")  # what the tables call them
# An answer read several ways (a strong option beside a missing part) counts once, as the
# first of these it has: something partial or missing is to develop, whatever else is there.
FIRST = ("weaknesses", "to_find_out", "strengths")


def enough(municipalities: int) -> bool:
    """Whether a county's or the country's figure may be shown."""
    return municipalities >= FEWEST


def too_few(municipalities: int) -> bool:
    """Some municipalities stand behind a figure, but too few to show it: a note says why."""
    return 0 < municipalities < FEWEST


def reading(question: Question, value: Any) -> str | None:
    """How one answer counts (one of READINGS), or None for what is only noted: a count,
    own words, a neutral option such as "Inget kommunalt bostadsbolag"."""
    groups = findings_of(question, value, None, "sv")
    return next((group for group in FIRST if group in groups), None)


def readings(
    q: Questionnaire, review: ReviewData, only: Collection[str] | None = None
) -> dict[str, str]:
    """Each asked and answered question's reading, by question id, where it has one (of the
    questions `only` names, if given)."""
    values = answer_values(review)
    found = {}
    for question in q.questions:
        if only is not None and question.id not in only:
            continue
        value = values.get(question.id)
        if value is None or not question.is_asked(values):
            continue
        read = reading(question, value)
        if read is not None:
            found[question.id] = read
    return found


def comparable(question: Question) -> bool:
    """A question whose answers can read as a strength: one a comparison can show."""
    return any(option.reading == "strength" for option in question.options)


def agreed(found: list[str]) -> str:
    """A municipality's consolidated answer to a question, from its respondents' readings: the
    one most of them give; where two readings are given equally often, to find out — its
    respondents do not agree, so that is what the municipality has to find out first."""
    ranked = Counter(found).most_common(2)
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return "to_find_out"
    return ranked[0][0]


def consolidate(each: Iterable[dict[str, str]]) -> dict[str, str]:
    """Per question, the consolidated reading (see `agreed`) of respondents' readings (each a
    `readings` result). Which respondents count is the caller's: finished ones, everywhere."""
    given: dict[str, list[str]] = defaultdict(list)
    for found in each:
        for question_id, read in found.items():
            given[question_id].append(read)
    return {question_id: agreed(found) for question_id, found in given.items()}


def consolidated_readings(
    q: Questionnaire, reviews: Iterable[ReviewData], only: Collection[str] | None = None
) -> dict[str, str]:
    """Per question (of those `only` names, if given), the municipality's consolidated
    reading from these reviews (see `agreed`)."""
    return consolidate(readings(q, review, only) for review in reviews)
