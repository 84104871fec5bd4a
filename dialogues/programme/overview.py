"""What coordinators see: each municipality's respondents and their progress per area."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dialogues.programme import joint_letter
from dialogues.programme.labels import FOLLOW_UP_STATUSES, follow_up_status
from dialogues.programme.municipalities import County, Municipality
from dialogues.programme.programme import Programme
from dialogues.review import letter
from dialogues.review.content import Questionnaire
from dialogues.review.summary import summarize


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
    joint_letter: str = "none"  # the municipality's letter: none, draft, agreed, followed_up

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
    store = programme.respondents
    pairs = []
    for respondent in programme.members(code):
        review = store.active_review(respondent["id"])
        if review is not None:
            pairs.append((respondent, review))
    return pairs


def municipality_status(
    programme: Programme, code: str, letters: dict[tuple[str, int], dict[str, Any]] | None = None
) -> MunicipalityStatus:
    """`letters`, the joint letters by (code, round) if the caller has read them all at once."""
    q = programme.engine.questionnaire
    pairs = member_reviews(programme, code)
    statuses = tuple(_status(q, r, review) for r, review in pairs)
    counts = dict.fromkeys((*FOLLOW_UP_STATUSES, "open"), 0)
    for _, review in pairs:
        for item in letter.adopted(review):
            counts[follow_up_status(item) or "open"] += 1
    municipality = programme.municipalities.by_code[code]
    round_number = programme.round_of(code)
    row = (
        letters.get((code, round_number))
        if letters is not None
        else programme.store.letter(code, round_number)
    )
    joint = joint_letter.status_of(row)
    return MunicipalityStatus(municipality, round_number, statuses, counts, joint)


def overview(programme: Programme, county: County | None = None) -> list[MunicipalityStatus]:
    """Every municipality in the programme (of one county, if given), by name."""
    chosen = [m for m in programme.in_programme() if county is None or m.county == county]
    letters = {(row["code"], row["round"]): row for row in programme.store.letters()}  # one read
    return [municipality_status(programme, m.code, letters) for m in chosen]
