"""How the programme's codes read: a respondent's organisation, a commitment's follow-up."""

from __future__ import annotations

from typing import Any

from dialogues.review import Questionnaire

ORGANISATIONS = ("social_services", "housing_company", "planning", "voluntary", "other")
# How an adopted commitment's follow-up is recorded in its letter item ("follow_up" key).
FOLLOW_UP_STATUSES = ("done", "in_progress", "not_started")


def organisation_label(q: Questionnaire, organisation: str | None, lang: str) -> str | None:
    """The organisation's name; None if the respondent has not said."""
    return q.text(f"org_{organisation}", lang) if organisation else None


def follow_up_status(item: dict[str, Any]) -> str | None:
    """How a commitment was followed up (one of FOLLOW_UP_STATUSES), or None if not yet."""
    return (item.get("follow_up") or {}).get("status")


def follow_up_label(q: Questionnaire, status: str | None, lang: str) -> str:
    """A follow-up status in words ("not yet followed up" for None)."""
    return q.text(f"follow_up_{status}", lang) if status else q.text("follow_up_none", lang)
