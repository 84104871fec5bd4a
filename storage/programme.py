"""The coordinators' programme: one small TinyDB file beside the respondents' files.

Tables of programme.json:
    coordinators    {"user_id", "added_by", "at"}
    municipalities  {"code", "token", "revoked_tokens", "round", "members", "added_by", "at"}
                    members: the respondent ids who joined it
    attempts        {"user_id", "wrong", "last"}  wrong invitation codes, for slowing down guessing
    schedules       weekly: {"id", "scope", "weekday", "time", "message", "created_by", "created"}
                    nudge:  {"id", "scope", "nudge_days", "created_by", "created"}
    sent            {"key", "group"?}  reminders and follow-ups already sent (see claim), so no
                    slot is sent twice across a restart; a new claim in a group replaces the old
    letters         a municipality's joint letter of intent, one per round: {"code", "round",
                    "contact", "status", "items", "decision", ...} (dialogues/programme/joint_letter.py)
    examples        a municipality's consent to be named as a learning example, one per municipality:
                    {"code", "shared": bool, "items": [{"key", "question", "text", "source", "at",
                    "removed"?}], "chosen": [keys ticked, not yet shared], "by", "at"}
                    (dialogues/programme/examples.py)

It changes when coordinators act and when reminders go out, not on every answer, so one
file is enough; every write is atomic and durable like the respondents' files. Every change
is one read-change-write (`ProgrammeStore.open`) under one lock per file in the process.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

from tinydb import Query, TinyDB

from storage.atomic import read_change_write


class _File:
    """What every store on one file shares in this process: its lock, and the file a thread
    has open, so that a change made inside another is part of it, not a second reader."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lock = threading.RLock()
        self.local = threading.local()


# Keyed by the file, so that two stores on one folder (the bot's and a command's, a test's)
# hold the same lock: a lock per store would let them overwrite each other's changes.
_FILES: dict[Path, _File] = {}
_FILES_LOCK = threading.Lock()


def _shared(path: Path) -> _File:
    path = path.resolve()
    with _FILES_LOCK:
        return _FILES.setdefault(path, _File(path))


@contextmanager
def _open(shared: _File) -> Iterator[ProgrammeFile]:
    """One programme file for a read-change-write: read once, written once when the block ends
    without an error (nothing is written if it raises, or if nothing changed)."""
    with shared.lock:
        already: ProgrammeFile | None = getattr(shared.local, "file", None)
        if already is not None:  # a change inside a change of the same file: one and the same
            yield already
            return
        try:
            with read_change_write(shared.path) as db:
                shared.local.file = ProgrammeFile(db)
                yield shared.local.file
        finally:
            shared.local.file = None


class ProgrammeFile:
    """The programme as plain dicts, within one ProgrammeStore.open block."""

    def __init__(self, db: TinyDB) -> None:
        self._db = db

    # Coordinators.
    def coordinators(self) -> set[int]:
        return {row["user_id"] for row in self._db.table("coordinators").all()}

    def add_coordinator(self, user_id: int, added_by: int, at: str) -> None:
        row = {"user_id": user_id, "added_by": added_by, "at": at}
        self._db.table("coordinators").upsert(row, Query().user_id == user_id)

    def remove_coordinator(self, user_id: int) -> bool:
        return bool(_remove(self._db.table("coordinators"), lambda row: row["user_id"] == user_id))

    # Municipalities in the programme.
    def municipalities(self) -> list[dict[str, Any]]:
        return [dict(row) for row in self._db.table("municipalities").all()]

    def municipality(self, code: str) -> dict[str, Any] | None:
        found = self._db.table("municipalities").get(Query().code == code)
        return dict(found) if found else None

    def save_municipality(self, row: dict[str, Any]) -> None:
        self._db.table("municipalities").upsert(row, Query().code == row["code"])

    def municipality_by_token(self, token: str) -> tuple[dict[str, Any] | None, bool]:
        """The municipality an invitation code belongs to, and whether the code was revoked."""
        for row in self._db.table("municipalities").all():
            if row.get("token") == token:
                return dict(row), False
            if token in row.get("revoked_tokens", []):
                return dict(row), True
        return None, False

    # Wrong invitation codes.
    def attempts(self, user_id: int) -> dict[str, Any] | None:
        found = self._db.table("attempts").get(Query().user_id == user_id)
        return dict(found) if found else None

    def save_attempts(self, row: dict[str, Any]) -> None:
        self._db.table("attempts").upsert(row, Query().user_id == row["user_id"])

    def remove_attempts(self, expired: Callable[[dict[str, Any]], bool]) -> int:
        """Drop the rows of wrong codes that no longer count (e.g. someone's, once they got in)."""
        return len(_remove(self._db.table("attempts"), expired))

    # Scheduled reminders.
    def schedules(self) -> list[dict[str, Any]]:
        return [dict(row) for row in self._db.table("schedules").all()]

    def save_schedule(self, row: dict[str, Any]) -> None:
        self._db.table("schedules").upsert(row, Query().id == row["id"])

    def remove_schedule(self, schedule_id: str) -> bool:
        return bool(_remove(self._db.table("schedules"), lambda row: row["id"] == schedule_id))

    # Joint letters of intent.
    def letter(self, code: str, round_number: int) -> dict[str, Any] | None:
        found = self._db.table("letters").get(
            (Query().code == code) & (Query().round == round_number)
        )
        return dict(found) if found else None

    def letters(self) -> list[dict[str, Any]]:
        return [dict(row) for row in self._db.table("letters").all()]

    def save_letter(self, row: dict[str, Any]) -> None:
        match = (Query().code == row["code"]) & (Query().round == row["round"])
        self._db.table("letters").upsert(row, match)

    # Learning examples: a municipality's consent and the follow-up texts it shares.
    def example(self, code: str) -> dict[str, Any] | None:
        found = self._db.table("examples").get(Query().code == code)
        return dict(found) if found else None

    def examples(self) -> list[dict[str, Any]]:
        return [dict(row) for row in self._db.table("examples").all()]

    def save_example(self, row: dict[str, Any]) -> None:
        self._db.table("examples").upsert(row, Query().code == row["code"])

    # What was sent.
    def sent(self) -> list[dict[str, Any]]:
        return [dict(row) for row in self._db.table("sent").all()]

    def claim(self, keys: Iterable[str], groups: Mapping[str, str] | None = None) -> list[str]:
        """Mark each key as sent; the keys that were not already (so each is sent once, ever).
        A key with a group (in `groups`) replaces the earlier claim of that group."""
        sent = self._db.table("sent")
        known = {row["key"] for row in sent.all()}
        new = [key for key in dict.fromkeys(keys) if key not in known]
        grouped = {key: groups[key] for key in new if groups and key in groups}
        if grouped:
            replaced = set(grouped.values())
            _remove(sent, lambda row: row.get("group") in replaced)
        if new:  # one change of the table, however many keys
            sent.insert_multiple(
                {"key": key, "group": grouped[key]} if key in grouped else {"key": key}
                for key in new
            )
        return new

    def remove_sent(self, expired: Callable[[dict[str, Any]], bool]) -> int:
        """Drop the records of sends that can no longer matter."""
        return len(_remove(self._db.table("sent"), expired))


def _remove(table: Any, match: Callable[[dict[str, Any]], bool]) -> list[int]:
    """Remove the matching rows, without writing anything when none matches."""
    ids = [row.doc_id for row in table.all() if match(row)]
    return table.remove(doc_ids=ids) if ids else []


class ProgrammeStore:
    """The programme file. Change it only inside `open()`: one read, one write, one lock."""

    def __init__(self, folder: str | Path) -> None:
        self.path = Path(folder) / "programme.json"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file = _shared(self.path)

    def open(self) -> AbstractContextManager[ProgrammeFile]:
        """The programme for a read-change-write, held against every other change meanwhile."""
        return _open(self._file)

    def locked(self) -> threading.RLock:
        """Hold the programme across several steps (a change, then work on respondents' files
        that must not interleave with another change)."""
        return self._file.lock

    # Reads, each a block of its own.
    def coordinators(self) -> set[int]:
        with self.open() as programme:
            return programme.coordinators()

    def municipalities(self) -> list[dict[str, Any]]:
        with self.open() as programme:
            return programme.municipalities()

    def municipality(self, code: str) -> dict[str, Any] | None:
        with self.open() as programme:
            return programme.municipality(code)

    def attempts(self, user_id: int) -> dict[str, Any] | None:
        with self.open() as programme:
            return programme.attempts(user_id)

    def schedules(self) -> list[dict[str, Any]]:
        with self.open() as programme:
            return programme.schedules()

    def letter(self, code: str, round_number: int) -> dict[str, Any] | None:
        with self.open() as programme:
            return programme.letter(code, round_number)

    def letters(self) -> list[dict[str, Any]]:
        with self.open() as programme:
            return programme.letters()

    def example(self, code: str) -> dict[str, Any] | None:
        with self.open() as programme:
            return programme.example(code)

    def examples(self) -> list[dict[str, Any]]:
        with self.open() as programme:
            return programme.examples()

    def claim(self, key: str) -> bool:
        """Mark something as sent; False if it already was (so it is sent only once, ever)."""
        with self.open() as programme:
            return bool(programme.claim([key]))

    def forget_person(
        self, respondent_id: str, user_id: int | None, review_ids: Sequence[str] = ()
    ) -> None:
        """Erase someone from the programme, and from every copy of it in backups/: their
        place among a municipality's members, the reminders and follow-ups sent to them (by
        their id or their reviews'), their wrong invitation codes, the learning examples in
        their words."""
        about_them = _sent_to(respondent_id, review_ids)
        for path in [self.path, *sorted(self.path.parent.glob("backups/*/programme.json"))]:
            with _open(_shared(path)) as programme:
                for row in programme.municipalities():
                    if respondent_id in row.get("members", []):
                        members = [m for m in row["members"] if m != respondent_id]
                        programme.save_municipality({**row, "members": members})
                programme.remove_sent(lambda row: about_them(row["key"]))
                for row in programme.letters():
                    if row.get("contact") == respondent_id:
                        programme.save_letter({**row, "contact": None})
                for row in programme.examples():
                    theirs = [i for i in row.get("items", []) if i.get("source") == respondent_id]
                    if theirs or row.get("by") == respondent_id:
                        items = [i for i in row.get("items", []) if i not in theirs]
                        by = None if row.get("by") == respondent_id else row.get("by")
                        programme.save_example({**row, "items": items, "by": by})
                if user_id is not None:
                    programme.remove_attempts(lambda row: row["user_id"] == user_id)

    def about(
        self, respondent_id: str, user_id: int | None, review_ids: Sequence[str] = ()
    ) -> dict[str, Any]:
        """What the programme holds about someone, for their data export: the same records
        forget_person erases."""
        about_them = _sent_to(respondent_id, review_ids)
        with self.open() as programme:
            sent = [row["key"] for row in programme.sent() if about_them(row["key"])]
            attempts = programme.attempts(user_id) if user_id else None
            examples = [
                {"municipality": row["code"], "question": item["question"], "text": item["text"]}
                for row in programme.examples()
                for item in row.get("items", [])
                if item.get("source") == respondent_id
            ]
        return {
            "reminders_sent": sent,
            "wrong_invitation_codes": dict(attempts or {}),
            "learning_examples": examples,
        }


def _sent_to(respondent_id: str, review_ids: Sequence[str]) -> Callable[[str], bool]:
    """Whether a sent-key is about this person: it names them, or one of their reviews."""
    names = [f":{respondent_id}:", *(f":{review_id}:" for review_id in review_ids)]
    return lambda key: any(name in key for name in names)
