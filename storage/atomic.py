"""A TinyDB storage that replaces its JSON file atomically, so a crash never leaves half a file."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import orjson
from tinydb import TinyDB
from tinydb.middlewares import CachingMiddleware
from tinydb.storages import Storage

TEMPORARY_SUFFIX = ".tmp"
_PREFIX_LIMIT = 200  # keeps a temporary file's name within the 255 bytes a file name may have


class DamagedFileError(RuntimeError):
    """A database file exists but cannot be used: empty, cut short, not JSON, or foreign."""


def parse_json(raw: bytes) -> Any:
    """A file's UTF-8 JSON: by orjson, a third of the standard library's time. What orjson
    refuses (NaN, bad JSON) goes to the standard library, so that the same files load as
    before and a damaged one fails with the same error. (orjson reads an integer beyond 64
    bits as a float; none is stored: the numbers asked for are bounded by the content.)"""
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return json.loads(raw.decode("utf-8"))


def dump_json(data: Any) -> bytes:
    """Compact UTF-8 JSON, by orjson (a tenth of the standard library's time), as
    json.dumps(ensure_ascii=False, separators=(",", ":")) writes it."""
    return orjson.dumps(data)


def fsync_folder(folder: Path) -> None:
    """Make a rename inside the folder durable (the folder's entry list is data too)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def temporary_files(folder: Path) -> list[Path]:
    """Temporary files a write cut short (by a crash) left in a folder."""
    return sorted(folder.glob(f"*{TEMPORARY_SUFFIX}"))


def write_atomically(path: Path, content: str | bytes) -> None:
    """Write a temporary file of its own, fsync it, rename it over the target, fsync the folder.

    The temporary file's name is unique to this write (`<name>.<random>.tmp`), so two writes
    of one file at once, even from two processes, never write into the same temporary file.
    Text is written as UTF-8."""
    data = memoryview(content.encode("utf-8") if isinstance(content, str) else content)
    fd, name = tempfile.mkstemp(
        dir=path.parent, prefix=f"{path.name}."[:_PREFIX_LIMIT], suffix=TEMPORARY_SUFFIX
    )
    temporary = Path(name)
    try:
        try:
            while data:  # a plain write may take only part (a signal): go on from there
                data = data[os.write(fd, data) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        # os.replace is atomic on POSIX: readers see the old file or the new one, never a mix.
        os.replace(temporary, path)
    except BaseException:
        with suppress(OSError):  # a full disk: leave no temporary file behind
            temporary.unlink()
        raise
    fsync_folder(path.parent)


def is_tinydb(data: Any) -> bool:
    """TinyDB's shape: tables of documents, each document an object under its number.
    (Plain loops: start-up checks every file, and generators took twice as long.)"""
    if not isinstance(data, dict):
        return False
    for table in data.values():
        if not isinstance(table, dict):
            return False
        for key, doc in table.items():
            if not (key.isdigit() and isinstance(doc, dict)):
                return False
    return True


class AtomicJSONStorage(Storage):
    """TinyDB storage on one JSON file; every write is complete and on disk before it returns.

    Only a missing file is a new, empty database: an empty, cut-short or foreign one is
    damaged, never taken as empty (that would silently start over)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def read(self) -> dict[str, dict[str, Any]] | None:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        if not raw:
            raise DamagedFileError(f"{self.path}: damaged (empty)")
        try:
            data = parse_json(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise DamagedFileError(f"{self.path}: damaged ({error})") from error
        if not is_tinydb(data):
            raise DamagedFileError(f"{self.path}: damaged (not a database of this bot)")
        return data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        write_atomically(self.path, dump_json(data))

    def close(self) -> None:
        """Nothing stays open between operations."""


class _OneWrite(CachingMiddleware):
    """Every change of a block kept in memory until the block ends (TinyDB's own cache
    flushes after 1,000 changes, which would write half a block)."""

    WRITE_CACHE_SIZE = sys.maxsize


@contextmanager
def read_change_write(path: Path) -> Iterator[TinyDB]:
    """A database file for one read-change-write: read at most once, and written once,
    atomically, when the block ends without an error (not at all if nothing changed)."""
    buffered = _OneWrite(AtomicJSONStorage)
    yield TinyDB(path, storage=buffered)
    buffered.flush()
