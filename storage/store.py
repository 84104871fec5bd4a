"""The database: one small TinyDB file per respondent, so the cost of an answer does not grow.

Layout of the folder:
    selfreview.json            the schema version (see migrations.py)
    backups/                   copies of the folder made before each upgrade
    respondents/<key>.json     one respondent: table "respondent" (one document)
                               and table "reviews" (the active review and earlier ones)

TinyDB rewrites and re-reads a whole file on every operation. With one file for
everything, an answer costs more the more respondents there are; with a file per
respondent it costs the same at 10 or 10,000. Every write goes to disk before it
returns (see atomic.py): nothing is buffered that a crash could lose. A read-change-write
(`Store.open`) reads the file once and writes it once.
"""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tinydb import Query, TinyDB
from tinydb.middlewares import CachingMiddleware

from storage import migrations
from storage.atomic import AtomicJSONStorage
from storage.migrations import SCHEMA_VERSION

MAX_ID_LENGTH = 150
_LOCK_STRIPES = 64


class StorageError(RuntimeError):
    """The database cannot be used as it is (a newer schema, a bad respondent id)."""


def _file_key(respondent_id: str) -> str:
    """A file name that gives back the id: URL-safe base64 without padding."""
    return base64.urlsafe_b64encode(respondent_id.encode()).decode().rstrip("=")


def _id_from_key(key: str) -> str:
    return base64.urlsafe_b64decode(key + "=" * (-len(key) % 4)).decode()


class RespondentFile:
    """A respondent's profile and reviews, as plain dicts, within one Store.open block."""

    def __init__(self, respondent_id: str, db: TinyDB) -> None:
        self.id = respondent_id
        self._db = db

    def respondent(self) -> dict[str, Any] | None:
        found = self._db.table("respondent").get(doc_id=1)
        return dict(found) if found else None

    def save_respondent(self, respondent: dict[str, Any]) -> None:
        table = self._db.table("respondent")
        if table.contains(doc_id=1):
            table.update(respondent, doc_ids=[1])
        else:
            table.insert(respondent)

    def update_respondent(self, fields: dict[str, Any]) -> None:
        """Change some fields of an existing respondent."""
        self._db.table("respondent").update(fields, doc_ids=[1])

    def reviews(self) -> list[dict[str, Any]]:
        """All reviews, oldest first."""
        return [dict(review) for review in self._db.table("reviews").all()]

    def active_review(self) -> dict[str, Any] | None:
        found = self._db.table("reviews").get(Query().status == "active")
        return dict(found) if found else None

    def save_review(self, review: dict[str, Any]) -> None:
        """Insert or replace one review (by its "id")."""
        self._db.table("reviews").upsert(review, Query().id == review["id"])

    def remove_review(self, review_id: str) -> None:
        self._db.table("reviews").remove(Query().id == review_id)


class Store:
    """Respondents and their reviews, as plain dicts. Safe for threads of one process."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self._respondents = self.folder / "respondents"
        self._respondents.mkdir(parents=True, exist_ok=True)
        # A fixed set of locks, picked by respondent: bounded memory however many respondents.
        self._locks = [threading.RLock() for _ in range(_LOCK_STRIPES)]
        self._check_schema()

    def _check_schema(self) -> None:
        """Every file must load, and the folder be at this version (migrated after a copy)."""
        files = sorted(self._respondents.glob("*.json"))
        migrations.check(self.folder, files)
        version = migrations.stored_version(self.folder, files)
        if version is None:
            migrations.write_version(self.folder, SCHEMA_VERSION)
        elif version > SCHEMA_VERSION:
            raise StorageError(f"{self.folder}: written by a newer version (schema {version})")
        elif version < SCHEMA_VERSION:
            migrations.migrate(self.folder, files, version)

    def _path(self, respondent_id: str) -> Path:
        if not respondent_id or len(respondent_id) > MAX_ID_LENGTH:
            raise StorageError(f"respondent id must be 1 to {MAX_ID_LENGTH} characters")
        return self._respondents / f"{_file_key(respondent_id)}.json"

    @contextmanager
    def locked(self, respondent_id: str) -> Iterator[None]:
        """Hold one respondent for a read-change-write, so two messages at once cannot interleave."""
        with self._locks[hash(respondent_id) % _LOCK_STRIPES]:
            yield

    @contextmanager
    def open(self, respondent_id: str) -> Iterator[RespondentFile]:
        """One respondent's file for a read-change-write: read at most once, written at most
        once, when the block ends without an error (nothing is written if it raises)."""
        with self.locked(respondent_id):
            buffered = CachingMiddleware(AtomicJSONStorage)
            db = TinyDB(self._path(respondent_id), storage=buffered)
            yield RespondentFile(respondent_id, db)
            buffered.flush()  # one atomic, durable write of everything changed

    def respondent(self, respondent_id: str) -> dict[str, Any] | None:
        with self.open(respondent_id) as file:
            return file.respondent()

    def save_respondent(self, respondent: dict[str, Any]) -> None:
        with self.open(respondent["id"]) as file:
            file.save_respondent(respondent)

    def update_respondent(self, respondent_id: str, fields: dict[str, Any]) -> None:
        """Change some fields of an existing respondent (one durable write)."""
        with self.open(respondent_id) as file:
            file.update_respondent(fields)

    def reviews(self, respondent_id: str) -> list[dict[str, Any]]:
        """All reviews of a respondent, oldest first."""
        with self.open(respondent_id) as file:
            return file.reviews()

    def active_review(self, respondent_id: str) -> dict[str, Any] | None:
        with self.open(respondent_id) as file:
            return file.active_review()

    def save_review(self, respondent_id: str, review: dict[str, Any]) -> None:
        """Insert or replace one review (by its "id"): one durable write."""
        with self.open(respondent_id) as file:
            file.save_review(review)

    def respondent_ids(self) -> list[str]:
        return sorted(_id_from_key(path.stem) for path in self._respondents.glob("*.json"))

    def delete_respondent(self, respondent_id: str) -> None:
        """Their file, any temporary file a crash left, and their file in every backup copy."""
        with self.locked(respondent_id):
            path = self._path(respondent_id)
            path.with_name(path.name + ".tmp").unlink(missing_ok=True)
            for copy in self.folder.glob(f"backups/*/respondents/{path.name}"):
                copy.unlink()
            path.unlink(missing_ok=True)
