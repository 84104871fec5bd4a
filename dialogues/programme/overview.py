"""What coordinators see: each municipality's respondents, their progress per area, and
a consolidated summary that shows where the respondents agree and where they do not."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dialogues.programme.municipalities import County, Municipality
from dialogues.programme.programme import Programme
from dialogues.review import letter
from dialogues.review.content import Questionnaire
from dialogues.review.summary import findings_of, format_date, summarize

# How an adopted commitment's follow-up is recorded in its letter item ("follow_up" key).
FOLLOW_UP_STATUSES = ("done", "in_progress", "not_started")


@dataclass(frozen=True)
class RespondentStatus:
    respondent_id: str
    organisation: str | None
    progress: tuple[tuple[int, int], ...]  # per area: (answered, asked)
    last_activity: str
    finished: bool
    unreachable: bool

    @property
    def answered(self) -> int:
        return sum(answered for answered, _ in self.progress)

    @property
    def asked(self) -> int:
        return sum(asked for _, asked in self.progress)


@dataclass(frozen=True)
class MunicipalityStatus:
    municipality: Municipality
    round: int
    respondents: tuple[RespondentStatus, ...]
    commitments: dict[str, int]  # follow-up status ("open" if not yet followed up) -> count

    @property
    def finished(self) -> int:
        return sum(r.finished for r in self.respondents)

    @property
    def last_activity(self) -> str:
        return max((r.last_activity for r in self.respondents), default="")

    @property
    def progress(self) -> tuple[tuple[int, int], ...]:
        """Per area, answered and asked questions over all respondents."""
        if not self.respondents:
            return ()
        columns = zip(*(r.progress for r in self.respondents), strict=True)
        return tuple((sum(a for a, _ in col), sum(b for _, b in col)) for col in columns)


def _status(
    q: Questionnaire, respondent: dict[str, Any], review: dict[str, Any]
) -> RespondentStatus:
    summary = summarize(q, review, "sv")
    return RespondentStatus(
        respondent_id=respondent["id"],
        organisation=respondent.get("organisation"),
        progress=tuple((area.asked - len(area.open), area.asked) for area in summary.areas),
        last_activity=review["updated"],
        finished=review.get("finished") is not None,
        unreachable=bool(respondent.get("unreachable")),
    )


def member_reviews(programme: Programme, code: str) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Each member of a municipality with their review of the current round."""
    store = programme.engine.store
    pairs = []
    for respondent in programme.members(code):
        review = store.active_review(respondent["id"])
        if review is not None:
            pairs.append((respondent, review))
    return pairs


def municipality_status(programme: Programme, code: str) -> MunicipalityStatus:
    q = programme.engine.questionnaire
    pairs = member_reviews(programme, code)
    statuses = tuple(_status(q, r, review) for r, review in pairs)
    counts = dict.fromkeys((*FOLLOW_UP_STATUSES, "open"), 0)
    for _, review in pairs:
        for item in letter.adopted(review):
            counts[(item.get("follow_up") or {}).get("status") or "open"] += 1
    municipality = programme.municipalities.by_code[code]
    return MunicipalityStatus(municipality, programme.round_of(code), statuses, counts)


def overview(programme: Programme, county: County | None = None) -> list[MunicipalityStatus]:
    """Every municipality in the programme (of one county, if given), by name."""
    chosen = [m for m in programme.in_programme() if county is None or m.county == county]
    return [municipality_status(programme, m.code) for m in chosen]


@dataclass(frozen=True)
class Comparison:
    """One question as the municipality's respondents answered it."""

    short: str
    answers: tuple[tuple[str, str], ...]  # (organisation, answer as quoted)
    agree: bool | None  # None for open questions, where words are compared by people


@dataclass(frozen=True)
class Consolidated:
    """A municipality's respondents side by side: per area, then their commitments."""

    respondents: int
    areas: list[tuple[str, list[Comparison]]]
    commitments: list[tuple[str, str, str, str]]  # organisation, text, due, follow-up status


def consolidated(programme: Programme, code: str, lang: str) -> Consolidated:
    """Read the members' reviews once, then compare their answers and list their commitments."""
    q = programme.engine.questionnaire
    pairs = member_reviews(programme, code)
    return Consolidated(len(pairs), _compare(q, pairs, lang), _commitments(q, pairs, lang))


Pairs = list[tuple[dict[str, Any], dict[str, Any]]]


def _compare(q: Questionnaire, pairs: Pairs, lang: str) -> list[tuple[str, list[Comparison]]]:
    """Per area, each question answered by anyone, with every respondent's answer side by side."""
    areas = []
    for area in q.areas:
        comparisons = []
        for question in area.questions:
            answers, values = [], []
            for respondent, review in pairs:
                given = letter.answer_values(review)
                value = given.get(question.id)
                if value is None or not question.is_asked(given):
                    continue
                organisation = q.text(f"org_{respondent.get('organisation') or 'other'}", lang)
                quoted = ", ".join(
                    f.answer for f in findings_of(question, value, None, lang).values()
                )
                answers.append((organisation, quoted))
                values.append(value)
            if answers:
                agree = None if question.kind == "text" else all(v == values[0] for v in values)
                comparisons.append(Comparison(question.short(lang), tuple(answers), agree))
        areas.append((f"{area.number}. {area.title(lang)}", comparisons))
    return areas


def _commitments(q: Questionnaire, pairs: Pairs, lang: str) -> list[tuple[str, str, str, str]]:
    """Every adopted commitment: (organisation, text, due, follow-up status)."""
    found = []
    for respondent, review in pairs:
        organisation = q.text(f"org_{respondent.get('organisation') or 'other'}", lang)
        for item in letter.adopted(review):
            status = (item.get("follow_up") or {}).get("status")
            shown = (
                q.text(f"follow_up_{status}", lang) if status else q.text("follow_up_none", lang)
            )
            text = letter.commitment_text(q, item, lang)
            found.append((organisation, text, format_date(item["due"], lang), shown))
    return found
