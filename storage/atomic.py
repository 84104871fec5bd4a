"""A TinyDB storage that replaces its JSON file atomically, so a crash never leaves half a file."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from tinydb.storages import Storage


class DamagedFileError(RuntimeError):
    """A database file exists but cannot be parsed."""


def fsync_folder(folder: Path) -> None:
    """Make a rename inside the folder durable (the folder's entry list is data too)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomically(path: Path, text: str) -> None:
    """Write a temporary file, fsync it, rename it over the target, fsync the folder."""
    temporary = path.with_name(path.name + ".tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    # os.replace is atomic on POSIX: readers see the old file or the new one, never a mix.
    os.replace(temporary, path)
    fsync_folder(path.parent)


class AtomicJSONStorage(Storage):
    """TinyDB storage on one JSON file; every write is complete and on disk before it returns."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def read(self) -> dict[str, dict[str, Any]] | None:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        if not text:
            return None
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise DamagedFileError(f"{self.path}: damaged ({error})") from error

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        write_atomically(self.path, json.dumps(data, ensure_ascii=False, separators=(",", ":")))

    def close(self) -> None:
        """Nothing stays open between operations."""
