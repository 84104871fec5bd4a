"""One process per data folder: an OS lock on `<folder>/.lock`, held for the process's life.

Two bots on one folder would each read, change and write the same files, and one's writes
would undo the other's. The lock is the operating system's (flock), not a pid file, so a
crash or a SIGKILL releases it and the next start needs no clean-up. The holder writes its
process id into the file only so that the one refused can name it. (The `filelock` library
truncates the file when it tries the lock, which would wipe that id, hence fcntl here.)
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from storage.atomic import temporary_files
from storage.store import StorageError

LOCK_NAME = ".lock"


class FolderInUseError(StorageError):
    """Another process holds the data folder."""


class FolderLock:
    """Held from `acquire` until `release` or the end of the process, whichever comes first."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.path = self.folder / LOCK_NAME
        self._fd: int | None = None

    def acquire(self) -> FolderLock:
        """Take the folder, or refuse at once; then clear what a crash left (no one writes now)."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as error:
            raise StorageError(unusable(self.folder, error)) from error
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode("ascii", "replace").strip() or "unknown"
            os.close(fd)
            raise FolderInUseError(
                f"{self.folder} is in use by another selfreview process (pid {holder}); "
                "stop it first, or give this one another data folder"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        self._fd = fd
        for leftover in [
            *temporary_files(self.folder),
            *temporary_files(self.folder / "respondents"),
        ]:
            leftover.unlink(missing_ok=True)
        return self

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the file releases the lock
            self._fd = None

    def __enter__(self) -> FolderLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def unusable(folder: Path, error: OSError) -> str:
    """One line for an operating-system refusal: the folder, and the reason in plain words."""
    reason = error.strerror or type(error).__name__
    return f"the data folder {folder} cannot be used ({reason}); check that it is a folder you may write to"
