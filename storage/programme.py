"""The coordinators' programme: one small TinyDB file beside the respondents' files.

Tables of programme.json:
    coordinators    {"user_id", "added_by", "at"}
    municipalities  {"code", "token", "revoked_tokens", "round", "members", "added_by", "at"}
                    members: the respondent ids who joined it
    attempts        {"user_id", "wrong", "last"}  wrong invitation codes, for slowing down guessing
    schedules       weekly: {"id", "scope", "weekday", "time", "message", "created_by", "created"}
                    nudge:  {"id", "scope", "nudge_days", "created_by", "created"}
    sent            {"key"}  reminders and follow-ups already sent (see claim), so no slot is
                    sent twice across a restart

It changes when coordinators act and when reminders go out, not on every answer, so one
file is enough; every write is atomic and durable like the respondents' files.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tinydb import Query, TinyDB

from storage.atomic import AtomicJSONStorage


class ProgrammeStore:
    def __init__(self, folder: str | Path) -> None:
        self.path = Path(folder) / "programme.json"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()

    @contextmanager
    def _db(self) -> Iterator[TinyDB]:
        with self._lock, TinyDB(self.path, storage=AtomicJSONStorage) as db:
            yield db

    # Coordinators.
    def coordinators(self) -> set[int]:
        with self._db() as db:
            return {row["user_id"] for row in db.table("coordinators").all()}

    def add_coordinator(self, user_id: int, added_by: int, at: str) -> None:
        with self._db() as db:
            row = {"user_id": user_id, "added_by": added_by, "at": at}
            db.table("coordinators").upsert(row, Query().user_id == user_id)

    def remove_coordinator(self, user_id: int) -> bool:
        with self._db() as db:
            return bool(db.table("coordinators").remove(Query().user_id == user_id))

    # Municipalities in the programme.
    def municipalities(self) -> list[dict[str, Any]]:
        with self._db() as db:
            return [dict(row) for row in db.table("municipalities").all()]

    def municipality(self, code: str) -> dict[str, Any] | None:
        with self._db() as db:
            found = db.table("municipalities").get(Query().code == code)
            return dict(found) if found else None

    def save_municipality(self, row: dict[str, Any]) -> None:
        with self._db() as db:
            db.table("municipalities").upsert(row, Query().code == row["code"])

    def municipality_by_token(self, token: str) -> tuple[dict[str, Any] | None, bool]:
        """The municipality an invitation code belongs to, and whether the code was revoked."""
        with self._db() as db:
            for row in db.table("municipalities").all():
                if row.get("token") == token:
                    return dict(row), False
                if token in row.get("revoked_tokens", []):
                    return dict(row), True
        return None, False

    # Wrong invitation codes.
    def attempts(self, user_id: int) -> dict[str, Any] | None:
        with self._db() as db:
            found = db.table("attempts").get(Query().user_id == user_id)
            return dict(found) if found else None

    def save_attempts(self, row: dict[str, Any]) -> None:
        with self._db() as db:
            db.table("attempts").upsert(row, Query().user_id == row["user_id"])

    def clear_attempts(self, user_id: int) -> None:
        with self._db() as db:
            db.table("attempts").remove(Query().user_id == user_id)

    # Scheduled reminders.
    def schedules(self) -> list[dict[str, Any]]:
        with self._db() as db:
            return [dict(row) for row in db.table("schedules").all()]

    def save_schedule(self, row: dict[str, Any]) -> None:
        with self._db() as db:
            db.table("schedules").upsert(row, Query().id == row["id"])

    def remove_schedule(self, schedule_id: str) -> bool:
        with self._db() as db:
            return bool(db.table("schedules").remove(Query().id == schedule_id))

    def forget_person(
        self, respondent_id: str, user_id: int | None, review_ids: Sequence[str] = ()
    ) -> None:
        """Erase someone from the programme, and from every copy of it in backups/: their
        place among a municipality's members, the reminders and follow-ups sent to them (by
        their id or their reviews'), their wrong invitation codes."""
        about_them = _sent_to(respondent_id, review_ids)
        for path in [self.path, *sorted(self.path.parent.glob("backups/*/programme.json"))]:
            with self._lock, TinyDB(path, storage=AtomicJSONStorage) as db:
                for row in db.table("municipalities").all():
                    if respondent_id in row.get("members", []):
                        members = [m for m in row["members"] if m != respondent_id]
                        db.table("municipalities").update(
                            {"members": members}, doc_ids=[row.doc_id]
                        )
                db.table("sent").remove(Query().key.test(about_them))
                if user_id is not None:
                    db.table("attempts").remove(Query().user_id == user_id)

    def about(
        self, respondent_id: str, user_id: int | None, review_ids: Sequence[str] = ()
    ) -> dict[str, Any]:
        """What the programme holds about someone, for their data export: the same records
        forget_person erases."""
        about_them = _sent_to(respondent_id, review_ids)
        with self._db() as db:
            sent = [row["key"] for row in db.table("sent").all() if about_them(row["key"])]
            attempts = db.table("attempts").get(Query().user_id == user_id) if user_id else None
        return {"reminders_sent": sent, "wrong_invitation_codes": dict(attempts or {})}

    def claim(self, key: str) -> bool:
        """Mark something as sent; False if it already was (so it is sent only once, ever)."""
        with self._db() as db:
            sent = db.table("sent")
            if sent.contains(Query().key == key):
                return False
            sent.insert({"key": key})
            return True


def _sent_to(respondent_id: str, review_ids: Sequence[str]) -> Callable[[str], bool]:
    """Whether a sent-key is about this person: it names them, or one of their reviews."""
    names = [f":{respondent_id}:", *(f":{review_id}:" for review_id in review_ids)]
    return lambda key: any(name in key for name in names)
