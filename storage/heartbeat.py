"""The running bot's heartbeat in its data folder, and `selfreview health`, which reads it.

The bot notes in `<folder>/heartbeat.json` when it last heard from Telegram (a poll answered,
a webhook call taken) and its process id, at most every INTERVAL seconds, so that the note
costs nothing per update. The health check only reads: it never takes the folder's lock (a
bot starting at that moment would be refused), and it writes nothing but a probe file of its
own, removed at once (named *.tmp, so that a check killed half-way leaves nothing a start
does not clear).
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from storage.atomic import TEMPORARY_SUFFIX, write_atomically
from storage.folder_lock import LOCK_NAME

log = logging.getLogger(__name__)

HEARTBEAT_NAME = "heartbeat.json"
INTERVAL = 10.0  # seconds between two notes at most: one fsync'd write, off the answers' path
DEFAULT_MAX_AGE = 180.0  # seconds: PTB polls every 10 s when idle, so a bot alive is far younger


class Heartbeat:
    """Notes that the bot heard from Telegram; a note within INTERVAL of the last is skipped."""

    def __init__(self, folder: Path, interval: float = INTERVAL) -> None:
        self.path = Path(folder) / HEARTBEAT_NAME
        self.interval = interval
        self._last: float | None = None
        self._claim = threading.Lock()

    def due(self) -> bool:
        """Whether a note is due now; if so it is claimed, so that calls at once write it once."""
        now = time.monotonic()
        with self._claim:
            if self._last is not None and now - self._last < self.interval:
                return False
            self._last = now
            return True

    def write(self, via: str) -> None:
        """The note itself (atomic: a reader sees the last whole note). A full or read-only
        disk must not stop the bot from answering: it is logged, and health reports it."""
        note = {"time": datetime.now(UTC).isoformat(timespec="seconds"), "pid": os.getpid()}
        try:
            write_atomically(self.path, json.dumps({**note, "via": via}))
        except OSError as error:
            log.warning("the heartbeat could not be written to %s (%s)", self.path, error)

    def beat(self, via: str) -> None:
        if self.due():
            self.write(via)


def holder(folder: Path) -> int | None:
    """The process id the folder's lock file names (its holder, or its last holder)."""
    try:
        text = (folder / LOCK_NAME).read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() and int(text) > 0 else None


def alive(pid: int) -> bool:
    """Whether a process with this id runs (signal 0 only asks; nothing is sent)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it runs, as another user
        return True
    return True


def last_beat(folder: Path) -> tuple[datetime, int] | None:
    """The time and process id of the last note, or None if there is none (or none readable)."""
    try:
        note = json.loads((folder / HEARTBEAT_NAME).read_text(encoding="utf-8"))
        return datetime.fromisoformat(note["time"]), int(note["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def unwritable(folder: Path) -> str | None:
    """Why a file cannot be written into the folder, or None if it can (a probe, removed)."""
    try:
        fd, name = tempfile.mkstemp(dir=folder, prefix=".health-", suffix=TEMPORARY_SUFFIX)
    except OSError as error:
        return error.strerror or type(error).__name__
    try:
        os.write(fd, b"probe")  # a full disk takes an empty file, not data
        os.fsync(fd)
    except OSError as error:
        return error.strerror or type(error).__name__
    finally:
        os.close(fd)
        os.unlink(name)
    return None


def problem(folder: Path, max_age: float = DEFAULT_MAX_AGE) -> str | None:
    """One line on what is wrong with the bot on this folder; None when it is healthy."""
    pid = holder(folder)
    if pid is None or not alive(pid):
        return f"no bot holds {folder}"
    beat = last_beat(folder)
    if beat is None:
        return f"no heartbeat from the bot holding {folder} (pid {pid}) yet"
    at, beat_pid = beat
    shown = at.strftime("%Y-%m-%d %H:%M:%S UTC")
    if beat_pid != pid:
        return f"no heartbeat from the bot holding {folder} (pid {pid}) yet (last {shown}, pid {beat_pid})"
    age = time.time() - at.timestamp()
    if age > max_age:
        return f"no heartbeat for {age:.0f} s (last {shown})"
    reason = unwritable(folder)
    if reason is not None:
        return f"{folder} is not writable: {reason}"
    return None


def describe(folder: Path) -> str:
    """One line for a healthy bot: who holds the folder and when it last heard from Telegram."""
    beat = last_beat(folder)
    age = f", heard from Telegram {time.time() - beat[0].timestamp():.0f} s ago" if beat else ""
    return f"healthy: pid {holder(folder)} holds {folder}{age}"
