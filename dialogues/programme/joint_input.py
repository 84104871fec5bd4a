"""What the contact of a joint letter types next (a new wording, a role, a date, the decision,
a comment on a follow-up), awaited in their respondent record so that a restart between two
messages loses nothing."""

from __future__ import annotations

from typing import Any

from dialogues.programme.joint_follow_up import record_comment, record_follow_up
from dialogues.programme.joint_letter import MAX_FIELD, agree, set_due, set_role, settle
from dialogues.programme.programme import Programme
from dialogues.review.dates import parse_past_day
from dialogues.review.inputs import clean_text


def expect(
    programme: Programme, contact: str, code: str, key: str, field: str, **collected: str
) -> None:
    awaiting = {"code": code, "key": key, "field": field, "collected": collected}
    programme.respondents.update_respondent(contact, {"awaiting_letter": awaiting})


def expected(respondent: dict[str, Any] | None) -> dict[str, Any] | None:
    return (respondent or {}).get("awaiting_letter")


def forget_awaited(programme: Programme, contact: str) -> None:
    programme.respondents.update_respondent(contact, {"awaiting_letter": None})


def take(programme: Programme, contact: str, lang: str, text: str) -> str | None:
    """The awaited input; the field awaited next, if any (the rest the flow works out)."""
    awaiting = expected(programme.respondents.respondent(contact))
    if awaiting is None:
        return None
    code, key, field = awaiting["code"], awaiting["key"], awaiting["field"]
    collected = dict(awaiting.get("collected") or {})
    following = None
    if field == "wording":
        settle(programme, code, contact, key, lang, keep=True, wording=text)
        following = "role"
    elif field == "role":
        set_role(programme, code, contact, key, text)
        following = "due"
    elif field == "due":
        set_due(programme, code, contact, key, text)
    elif field == "body":
        collected["body"], following = clean_text(text, MAX_FIELD), "date"
    elif field == "date":
        collected["date"] = parse_past_day(text, programme.clock().date()).isoformat()
        following = "case"
    elif field == "case":
        agree(programme, code, contact, lang, collected["body"], collected["date"], text)
    elif field == "comment":
        record_comment(programme, code, key, int(collected["round"]), text)
    if following is None:
        programme.respondents.update_respondent(contact, {"awaiting_letter": None})
    else:
        expect(programme, contact, code, key, following, **collected)
    return following


def answer_follow_up(
    programme: Programme, contact: str, code: str, round_number: int, index: int, status: str
) -> None:
    """How a commitment went; the contact's next message is taken as a short comment."""
    key = record_follow_up(programme, contact, code, round_number, index, status)
    expect(programme, contact, code, key, "comment", round=str(round_number))
