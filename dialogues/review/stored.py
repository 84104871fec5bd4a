"""A review as it is stored: its shape, and the rules that every part of the product uses to
read it, record an answer in it, or put it aside for a fresh one.

    {"id", "status": "active" | "archived", "state", "resume_to", "answers", "follow_ups",
     "history", "letter": {"items": [...]}, "started", "updated", "finished",
     "turn": changes saved, "last_delivery": the channel's number of the last input taken,
     "round": the programme's review round (absent in a first round), "drafts": ticks so far,
     "put_aside": true on a review archived by starting over, not as a round's result}
"""

from __future__ import annotations

from typing import Any

ReviewData = dict[str, Any]

INTRO = "intro"  # the step a fresh review starts at
KEPT_CHANGES = 5  # per question, the history keeps its first change and this many latest ones
KEPT_PUT_ASIDE = 10  # reviews put aside by starting over, beyond which the oldest go


def new_review(review_id: str, now: str) -> ReviewData:
    return {
        "id": review_id,
        "status": "active",
        "state": INTRO,
        "resume_to": None,
        "answers": {},
        "follow_ups": {},
        "history": [],
        "letter": {"items": []},
        "started": now,
        "updated": now,
        "finished": None,
    }


def start_over(
    review: ReviewData, new_id: str, now: str, next_round: int | None = None
) -> tuple[ReviewData, ReviewData]:
    """The review put aside (kept, archived) and a fresh one. With `next_round`, the review
    is kept as the result of the round before it and the fresh one begins that round; without,
    the fresh one goes on in the same round."""
    archived = {**review, "status": "archived", "updated": now}
    fresh = new_review(new_id, now)
    if next_round is not None:
        archived["round"], fresh["round"] = next_round - 1, next_round
    else:
        archived["put_aside"] = True  # not a round's result
        if "round" in review:
            fresh["round"] = review["round"]
    return archived, fresh


def answer_values(review: ReviewData) -> dict[str, object]:
    """Question id → the answer's value (None where skipped)."""
    return {question_id: entry["value"] for question_id, entry in review["answers"].items()}


def record_answer(review: ReviewData, question_id: str, value: object, now: str) -> None:
    """Store an answer; a changed answer leaves its old value (and follow-up) in the history."""
    old = review["answers"].get(question_id)
    if old is not None and old["value"] != value:
        change = {"question": question_id, "old": old["value"], "new": value, "at": now}
        dropped = review["follow_ups"].pop(question_id, None)
        if dropped is not None:
            change["old_follow_up"] = dropped["text"]
        review["history"].append(change)
        _trim_history(review["history"], question_id)
    review["answers"][question_id] = {"value": value, "at": now}


def _trim_history(history: list[dict[str, Any]], question_id: str) -> None:
    """Keep the question's first change (which holds its first answer) and its latest few,
    so that what one answer costs stays the same however often a person changes it."""
    changes = [index for index, change in enumerate(history) if change["question"] == question_id]
    dropped = set(changes[1:-KEPT_CHANGES])
    if dropped:
        history[:] = [change for index, change in enumerate(history) if index not in dropped]


def surplus_put_aside(reviews: list[ReviewData]) -> list[str]:
    """The reviews put aside by starting over (not a round's result, which stays), oldest
    first, beyond the KEPT_PUT_ASIDE latest: a person who starts over and over keeps a file
    of bounded size."""
    put_aside = [
        r["id"]
        for r in reviews
        if r["status"] == "archived" and (r.get("put_aside") or "round" not in r)
    ]
    return put_aside[: max(0, len(put_aside) - KEPT_PUT_ASIDE)]


def turn_of(review: ReviewData) -> str:
    """Which review, and how many changes into it: what a reply made now belongs to."""
    return f"{review['id']}:{review.get('turn', 0)}"
