"""Following up the letter of intent: at each adopted commitment's target date the respondent
is asked how it went (done, in progress, not started) and may add a short comment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from dialogues.programme.labels import FOLLOW_UP_STATUSES
from dialogues.programme.programme import Programme, ProgrammeError
from dialogues.review import letter
from dialogues.review.inputs import clean_text


@dataclass(frozen=True)
class FollowUp:
    """One commitment to ask about."""

    respondent: dict[str, Any]
    review_id: str
    index: int
    text: str
    due: str


def due_follow_ups(programme: Programme, today: date) -> list[FollowUp]:
    """Adopted commitments whose date has come, not asked about before (claimed: asked once)."""
    candidates: dict[str, tuple[dict[str, Any], dict[str, Any], int, dict[str, Any]]] = {}
    store = programme.respondents
    for code in programme.scope_codes("all"):
        for respondent in programme.members(code):
            if respondent.get("unreachable"):
                continue
            for review in store.reviews(respondent["id"]):
                for index, item in enumerate(letter.items(review)):
                    if item in letter.adopted(review) and date.fromisoformat(item["due"]) <= today:
                        candidates[f"follow-up:{review['id']}:{index}"] = (
                            respondent,
                            review,
                            index,
                            item,
                        )
    with programme.store.open() as sent:  # all claimed in one change
        claimed = sent.claim(candidates)
    found = []
    for key in claimed:
        respondent, review, index, item = candidates[key]
        lang = respondent.get("lang", "sv")
        text = letter.commitment_text(programme.engine.questionnaire, item, lang)
        found.append(FollowUp(respondent, review["id"], index, text, item["due"]))
    return found


def _item(reviews: list[dict[str, Any]], review_id: str, index: int) -> tuple[dict, dict]:
    """The review (by its id or the start of it) and its letter item at `index`."""
    for review in reviews:
        if review["id"].startswith(review_id) and index < len(letter.items(review)):
            return review, letter.items(review)[index]
    raise ProgrammeError("err_stale")


def record_status(
    programme: Programme, respondent_id: str, review_id: str, index: int, status: str
) -> None:
    """The answer to a follow-up; the respondent's next message is taken as its comment."""
    if status not in FOLLOW_UP_STATUSES:
        raise ProgrammeError("err_stale")
    with programme.respondents.open(respondent_id) as file:
        review, item = _item(file.reviews(), review_id, index)
        item["follow_up"] = {
            "status": status,
            "at": programme.clock().isoformat(timespec="seconds"),
            "comment": None,
        }
        file.save_review(review)
        file.update_respondent({"awaiting_comment": [review["id"], index]})


def record_comment(programme: Programme, respondent_id: str, text: str | None) -> None:
    """The comment (or none, when skipped) on the follow-up just answered."""
    with programme.respondents.open(respondent_id) as file:
        awaited = (file.respondent() or {}).get("awaiting_comment")
        if awaited is not None and text is not None:
            comment = clean_text(text, 500)  # InvalidAnswer for a personnummer, too long ...
            review, item = _item(file.reviews(), awaited[0], awaited[1])
            item["follow_up"]["comment"] = comment
            file.save_review(review)
        file.update_respondent({"awaiting_comment": None})
