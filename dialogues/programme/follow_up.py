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
    found = []
    store = programme.respondents
    for code in programme.scope_codes("all"):
        for respondent in programme.members(code):
            if respondent.get("unreachable"):
                continue
            lang = respondent.get("lang", "sv")
            for review in store.reviews(respondent["id"]):
                for index, item in enumerate(letter.items(review)):
                    if (
                        item not in letter.adopted(review)
                        or date.fromisoformat(item["due"]) > today
                    ):
                        continue
                    if programme.store.claim(f"follow-up:{review['id']}:{index}"):
                        text = letter.commitment_text(programme.engine.questionnaire, item, lang)
                        found.append(FollowUp(respondent, review["id"], index, text, item["due"]))
    return found


def _item(
    programme: Programme, respondent_id: str, review_id: str, index: int
) -> tuple[dict, dict]:
    for review in programme.respondents.reviews(respondent_id):
        if review["id"].startswith(review_id) and index < len(letter.items(review)):
            return review, letter.items(review)[index]
    raise ProgrammeError("err_stale")


def record_status(
    programme: Programme, respondent_id: str, review_id: str, index: int, status: str
) -> None:
    """The answer to a follow-up; the respondent's next message is taken as its comment."""
    if status not in FOLLOW_UP_STATUSES:
        raise ProgrammeError("err_stale")
    store = programme.respondents
    with store.locked(respondent_id):
        review, item = _item(programme, respondent_id, review_id, index)
        item["follow_up"] = {
            "status": status,
            "at": programme.clock().isoformat(timespec="seconds"),
            "comment": None,
        }
        store.save_review(respondent_id, review)
        store.update_respondent(respondent_id, {"awaiting_comment": [review["id"], index]})


def record_comment(programme: Programme, respondent_id: str, text: str | None) -> None:
    """The comment (or none, when skipped) on the follow-up just answered."""
    store = programme.respondents
    with store.locked(respondent_id):
        respondent = store.respondent(respondent_id) or {}
        review_id, index = respondent.get("awaiting_comment") or (None, None)
        if review_id is not None and text is not None:
            comment = clean_text(text, 500)  # InvalidAnswer for a personnummer, too long ...
            review, item = _item(programme, respondent_id, review_id, index)
            item["follow_up"]["comment"] = comment
            store.save_review(respondent_id, review)
        store.update_respondent(respondent_id, {"awaiting_comment": None})
