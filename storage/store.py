"""The database: one small TinyDB file per respondent, so the cost of an answer does not grow.

Layout of the folder:
    selfreview.json            the schema version (see migrations.py)
    .lock                      held by the one process using the folder (see folder_lock.py)
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
import hashlib
import logging
import os
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tinydb import Query, TinyDB

from storage import migrations
from storage.atomic import AtomicJSONStorage, read_change_write
from storage.migrations import SCHEMA_VERSION

log = logging.getLogger(__name__)

MAX_ID_LENGTH = 150
_LOCK_STRIPES = 64
_PATHS_KEPT = 4096
# A file name may have 255 bytes. An id's key up to this length is the id itself, encoded
# (every id of up to 150 bytes: all that worked before); a longer one is shortened (_long_key).
_KEY_LIMIT = 200
_LEGACY_KEY_LIMIT = 246  # the longest key that was written before keys were shortened
_LONG_KEY = re.compile(r"^[A-Za-z0-9_-]{160}~[A-Za-z0-9_-]{43}$")


class StorageError(RuntimeError):
    """The database cannot be used as it is (a newer schema, a bad respondent id)."""


def _encoded(respondent_id: str) -> str:
    """URL-safe base64 without padding: a file name that gives back the id."""
    return base64.urlsafe_b64encode(respondent_id.encode()).decode().rstrip("=")


def _long_key(respondent_id: str) -> str:
    """For an id too long for a file name (file names count bytes, and å takes two): its
    first 120 bytes encoded, then a hash of the whole id. The id itself is in the file."""
    raw = respondent_id.encode()
    digest = base64.urlsafe_b64encode(hashlib.sha256(raw).digest()).decode().rstrip("=")
    return f"{_encoded_bytes(raw[:120])}~{digest}"


def _encoded_bytes(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _file_key(respondent_id: str) -> str:
    key = _encoded(respondent_id)
    return key if len(key) <= _KEY_LIMIT else _long_key(respondent_id)


def _id_from_key(key: str) -> str | None:
    """The id a file name stands for; None for a name that is no respondent's (a stray copy
    such as "X - Kopia.json") and for a shortened key (its id is inside the file)."""
    try:
        respondent_id = base64.urlsafe_b64decode(key + "=" * (-len(key) % 4)).decode()
    except ValueError:  # binascii.Error and UnicodeDecodeError are both ValueErrors
        return None
    return respondent_id if respondent_id and _encoded(respondent_id) == key else None


def _id_in(path: Path) -> str | None:
    """The id a file with a shortened key holds."""
    person = ((AtomicJSONStorage(path).read() or {}).get("respondent") or {}).get("1") or {}
    respondent_id = person.get("id")
    return respondent_id if isinstance(respondent_id, str) else None


def is_respondent_file(path: Path) -> bool:
    """Whether a file's name is one this store gives a respondent."""
    key = path.name.removesuffix(".json")
    return path.name.endswith(".json") and (
        _LONG_KEY.match(key) is not None or _id_from_key(key) is not None
    )


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


class Snapshot:
    """A respondent's file as read at start-up: what RespondentFile tells, to read only (its
    dicts are the file's own, not copies: start-up reads 50,000 of them)."""

    def __init__(self, respondent_id: str, data: dict[str, Any]) -> None:
        self.id = respondent_id
        self._data = data

    def respondent(self) -> dict[str, Any] | None:
        return self._data.get("respondent", {}).get("1") or None

    def active_review(self) -> dict[str, Any] | None:
        reviews = self._data.get("reviews", {}).values()
        return next((r for r in reviews if r.get("status") == "active"), None)


Glance = Callable[[Snapshot], object]


class Store:
    """Respondents and their reviews, as plain dicts. Safe for threads of one process."""

    def __init__(
        self, folder: str | Path, *, writes: bool = True, glance: Glance | None = None
    ) -> None:
        """`writes=False`: only read a folder another process holds, which must then be up
        to date already (it is never created or upgraded from here).

        Every respondent's file is read at start-up, to check it loads; `glance` sees each
        then, so that start-up reads a file once however many things look at it: what it
        returns, where not None, is kept in `glanced` by respondent id."""
        self._set_up(Path(folder), writes, glance)
        try:
            if writes:
                self._respondents.mkdir(parents=True, exist_ok=True)
            self._check_schema()
        except OSError as error:  # a file where the folder should be, a read-only disk
            raise StorageError(
                f"the data folder {self.folder} cannot be used ({error.strerror or error}); "
                "check that it is a folder you may write to"
            ) from error

    def _set_up(self, folder: Path, writes: bool, glance: Glance | None) -> None:
        self.folder = folder
        self._writes = writes
        self._respondents = self.folder / "respondents"
        self._glance = glance
        self._listed: dict[str, str | None] = {}  # file name: id, while start-up reads them
        self._paths: dict[str, Path] = {}  # the files of those served lately
        self.glanced: dict[str, object] | None = None if glance is None else {}
        # A fixed set of locks, picked by respondent: bounded memory however many respondents.
        self._locks = [threading.RLock() for _ in range(_LOCK_STRIPES)]

    @classmethod
    def unchecked(cls, folder: Path, glance: Glance) -> Store:
        """A Store whose files are checked by storage.check_ahead's processes, a share each
        (check_share), and handed over with checked_already."""
        store = cls.__new__(cls)
        store._set_up(Path(folder), True, glance)
        return store

    def check_share(self, part: int, parts: int) -> None:
        """Start-up's check of one of `parts` runs of the respondents' files, glanced at (the
        first share also checks the folder's other files): in the order Store() reads them,
        so that the first share's damaged file is the one Store() would name."""
        files = self._files(warn=part == 0)
        size = -(-len(files) // parts)
        share = files[part * size : (part + 1) * size]
        migrations.check(self.folder, share, self._glance_at, others=part == 0)
        self._listed.clear()

    @classmethod
    def checked_already(cls, folder: Path, glance: Glance, glanced: dict[str, object]) -> Store:
        """The Store of a folder whose files storage.check_ahead has just checked for this
        process, which holds its lock; `glanced` is what they saw. A folder not at this
        version (new, or to upgrade) is opened as Store() opens it."""
        if migrations.stored_version(Path(folder), []) != SCHEMA_VERSION:
            return cls(folder, glance=glance)
        store = cls.unchecked(folder, glance)
        store.glanced = glanced
        return store

    def _files(self, warn: bool = True) -> list[str]:
        """The names of the respondents' files; any other file in respondents/ is named once
        (where `warn`) and left alone. (Names, not paths: at 50,000 files paths cost a second.)"""
        files: list[str] = []
        self._listed.clear()
        try:
            names = sorted(name for name in os.listdir(self._respondents) if name.endswith(".json"))
        except (FileNotFoundError, NotADirectoryError):  # a folder only read, never made
            return files
        for name in names:
            key = name[:-5]
            respondent_id = _id_from_key(key)
            if respondent_id is not None or _LONG_KEY.match(key):
                files.append(name)
                self._listed[name] = respondent_id
            elif warn:
                log.warning(
                    "%s is not a respondent's file (a copy?): left alone, not read",
                    self._respondents / name,
                )
        return files

    def _glance_at(self, name: str, data: dict[str, Any]) -> None:
        if self._glance is None or self.glanced is None:
            return
        respondent_id = self._listed.get(name)
        if respondent_id is None:  # a shortened key: the id is in the file
            respondent_id = ((data.get("respondent") or {}).get("1") or {}).get("id")
        if isinstance(respondent_id, str):
            seen = self._glance(Snapshot(respondent_id, data))
            if seen is not None:
                self.glanced[respondent_id] = seen

    def _check_schema(self) -> None:
        """Every file must load, and the folder be at this version (migrated after a copy)."""
        files = self._files()
        migrations.check(self.folder, files, self._glance_at if self._glance else None)
        version = migrations.stored_version(self.folder, files)
        if version != SCHEMA_VERSION and not self._writes:
            raise StorageError(f"{self.folder} is not up to date; the process using it upgrades it")
        if version is None:
            migrations.write_version(self.folder, SCHEMA_VERSION)
        elif version > SCHEMA_VERSION:
            raise StorageError(f"{self.folder}: written by a newer version (schema {version})")
        elif version < SCHEMA_VERSION:
            try:
                migrations.migrate(self.folder, [self._respondents / f for f in files], version)
            except migrations.MigrationError as error:
                raise StorageError(str(error)) from error
            if self.glanced is not None:  # what was glanced at was before the upgrade
                self.glanced.clear()
                for name in files:
                    self._glance_at(name, AtomicJSONStorage(self._respondents / name).read() or {})
        self._listed.clear()

    def _path(self, respondent_id: str) -> Path:
        path = self._paths.get(respondent_id)
        if path is not None:
            return path
        if not respondent_id or len(respondent_id) > MAX_ID_LENGTH:
            raise StorageError(f"respondent id must be 1 to {MAX_ID_LENGTH} characters")
        path = self._respondents / f"{_file_key(respondent_id)}.json"
        legacy = self._respondents / f"{_encoded(respondent_id)}.json"
        if path != legacy:  # a long id: whether it is still under its legacy name can change
            if len(legacy.name) <= _LEGACY_KEY_LIMIT + 5 and legacy.exists():
                return legacy  # written before long keys were shortened: still theirs
            return path
        if len(self._paths) >= _PATHS_KEPT:
            self._paths.clear()
        self._paths[respondent_id] = path  # building paths was a tenth of an answer's work
        return path

    @contextmanager
    def locked(self, respondent_id: str) -> Iterator[None]:
        """Hold one respondent for a read-change-write, so two messages at once cannot interleave."""
        with self._locks[hash(respondent_id) % _LOCK_STRIPES]:
            yield

    @contextmanager
    def open(self, respondent_id: str) -> Iterator[RespondentFile]:
        """One respondent's file for a read-change-write: read at most once, written at most
        once, when the block ends without an error (nothing is written if it raises)."""
        with self.locked(respondent_id), read_change_write(self._path(respondent_id)) as db:
            yield RespondentFile(respondent_id, db)

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
        ids = []
        for path in self._respondents.glob("*.json"):
            key = path.name.removesuffix(".json")
            respondent_id = _id_in(path) if _LONG_KEY.match(key) else _id_from_key(key)
            if respondent_id is not None:
                ids.append(respondent_id)
        return sorted(ids)

    def delete_respondent(self, respondent_id: str) -> None:
        """Their file and their file in every backup copy. (A temporary file a crash left is
        removed at the next start, before anyone is served: see folder_lock.py.)"""
        with self.locked(respondent_id):
            path = self._path(respondent_id)
            for copy in self.folder.glob(f"backups/*/respondents/{path.name}"):
                copy.unlink()
            path.unlink(missing_ok=True)
