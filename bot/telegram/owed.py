"""Who is owed a question (see catch_up.py), told from a respondent's file alone.

Free of the Telegram library, so that start-up can look while it still loads that library
(storage.check_ahead)."""

from __future__ import annotations

from dialogues.review.stored import turn_of
from storage.store import RespondentFile, Snapshot, Store


def chat_of(rid: str) -> int:
    """The private chat of a Telegram respondent: Telegram numbers it as the user."""
    return int(rid.removeprefix("telegram:"))


def owed_chat(store: Store, rid: str) -> int | None:
    """The chat of a respondent owed a question, or None (see owed_in)."""
    with store.open(rid) as file:
        return owed_in(file)


def owed_in(file: RespondentFile | Snapshot) -> int | None:
    """The chat of a respondent owed a question, or None: a send of their question failed,
    or their review has moved on since the question they were last shown (or since their
    first input, when the bot was killed before it noted what it showed them)."""
    shown = ((file.respondent() or {}).get("telegram")) or {}
    review = file.active_review()
    if review is None:
        return None
    chat = shown.get("chat_id") or chat_of(file.id)
    if shown.get("owed"):
        return chat
    if not shown.get("prompt_turn"):
        return chat if review.get("turn", 0) > 0 else None
    same_review = shown["prompt_turn"].split(":")[0] == review["id"]  # not a new round's
    return chat if same_review and shown["prompt_turn"] != turn_of(review) else None


def glance(file: Snapshot) -> int | None:
    """For Store(glance=...): whether a respondent read at start-up is owed a question."""
    return owed_in(file) if file.id.startswith("telegram:") else None
