"""The letter of intent: commitments proposed from the weak answers, and what the respondent decided.

A review keeps its letter as `review["letter"]["items"]`, in the order decided:
    {"commitment": id or None (their own), "text": own wording or None,
     "adopted": bool, "role": str or None, "due": "YYYY-MM-DD" or None,
     "reopened": true while /back has taken the decision up again (it stays as it was, in
                 the letter too, until the person decides otherwise)}
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dialogues.review.content import Commitment, Question, Questionnaire, Text
from dialogues.review.stored import ReviewData, answer_values


@dataclass(frozen=True)
class Proposal:
    """A commitment to suggest, and the answer it comes from (an option, or a mix of options)."""

    commitment: Commitment
    question: Question
    answer: Text  # the option's label, or what the combination of options means


def proposals(questionnaire: Questionnaire, review: ReviewData) -> list[Proposal]:
    """Commitments that the answers call for, most important first, each once.

    Each is worded for how its answer reads: partial, missing, or not known ("Ta reda på").
    """
    answers = answer_values(review)
    found: dict[str, Proposal] = {}
    for question in questionnaire.questions:
        if not question.is_asked(answers):
            continue
        value = answers.get(question.id)
        sources = [(o.commitment, o.label) for o in question.chosen(value) if o.commitment]
        sources += [(c.commitment, c.label) for c in question.combined(value)]
        for commitment_id, answer in sources:
            if commitment_id not in found:
                commitment = questionnaire.commitments[commitment_id]
                found[commitment_id] = Proposal(commitment, question, answer)
    return sorted(found.values(), key=lambda proposal: proposal.commitment.rank)


def items(review: ReviewData) -> list[dict[str, Any]]:
    return review.setdefault("letter", {"items": []})["items"]


def _settled(item: dict[str, Any]) -> bool:
    """A decision on a suggestion, not taken up again."""
    return bool(item["commitment"]) and not item.get("reopened")


def open_proposals(questionnaire: Questionnaire, review: ReviewData) -> list[Proposal]:
    decided = {item["commitment"] for item in items(review) if _settled(item)}
    return [p for p in proposals(questionnaire, review) if p.commitment.id not in decided]


def decided_count(review: ReviewData) -> int:
    return sum(1 for item in items(review) if _settled(item))


def reopened(review: ReviewData, commitment_id: str) -> dict[str, Any] | None:
    """The earlier decision on a suggestion that /back has taken up again, if any."""
    return next(
        (i for i in items(review) if i["commitment"] == commitment_id and i.get("reopened")),
        None,
    )


def pending(review: ReviewData) -> dict[str, Any] | None:
    """The adopted commitment still waiting for its role or date, if any."""
    last = items(review)[-1] if items(review) else None
    if last and last["adopted"] and (last["role"] is None or last["due"] is None):
        return last
    return None


def decide(review: ReviewData, commitment_id: str, adopted: bool) -> None:
    """Decide on a suggestion. Taking up again one already in the letter keeps its role and
    date; a changed decision replaces the earlier one."""
    earlier = reopened(review, commitment_id)
    if earlier is not None:
        del earlier["reopened"]
        if adopted and earlier["adopted"] and earlier["role"] and earlier["due"]:
            return  # kept as it was
        items(review).remove(earlier)
    item = {
        "commitment": commitment_id,
        "text": None,
        "adopted": adopted,
        "role": None,
        "due": None,
    }
    items(review).append(item)


def add_own(review: ReviewData, text: str) -> None:
    items(review).append(
        {"commitment": None, "text": text, "adopted": True, "role": None, "due": None}
    )


def drop_pending(review: ReviewData) -> None:
    if pending(review) is not None:
        items(review).pop()


def reopen_last_decision(review: ReviewData) -> None:
    """Take the latest decision on a suggestion up again, so that it is asked again; until
    the person decides otherwise it stays as it was (an adopted one stays in the letter)."""
    for item in reversed(items(review)):
        if _settled(item):
            item["reopened"] = True
            return


def adopted(review: ReviewData) -> list[dict[str, Any]]:
    """The commitments of the letter: adopted, with role and date."""
    return [item for item in items(review) if item["adopted"] and item["role"] and item["due"]]


def commitment_text(questionnaire: Questionnaire, item: dict[str, Any], lang: str) -> str:
    if item["commitment"]:
        return questionnaire.commitments[item["commitment"]].text(lang)
    return item["text"]
