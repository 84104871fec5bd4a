"""Start-up's check of a data folder (every respondent's file read once, see Store), done by
child processes from the moment the folder is locked, a share of the files each, while the
bot goes on loading the Telegram library: on two cores, start-up takes about half of the
two together, not both one after the other.

The children read, check and glance at their shares and hand back what the glance found, or
the error that stops the start, through a pipe; the folder's version is then looked at here
(a new folder, or one to upgrade, is opened as Store() opens it, checking it again). Without
fork (not POSIX), or where threads already run (fork would copy their locks as they stand),
the check runs in this process, as before.

The children share the folder's lock: if the bot is stopped while they check, the folder
stays locked until they have finished (seconds), so that no other process opens it alongside."""

from __future__ import annotations

import os
import pickle
import sys
import threading
from pathlib import Path
from typing import NoReturn

from storage.store import Glance, StorageError, Store

PARTS = 2  # processes that check at once, a share of the files each: a small server's cores


class CheckAhead:
    def __init__(self, folder: Path, glance: Glance, parts: int = PARTS) -> None:
        self.folder, self.glance = folder, glance
        self._children: list[tuple[int, int]] = []  # pid, the pipe's end to read, by share
        if not hasattr(os, "fork") or threading.active_count() > 1:
            return
        for stream in (sys.stdout, sys.stderr):  # nothing buffered is written twice
            stream.flush()
        for part in range(parts):
            reading, writing = os.pipe()
            pid = os.fork()
            if pid == 0:
                for _, earlier in self._children:
                    os.close(earlier)
                os.close(reading)
                _check_and_tell(folder, glance, part, parts, writing)  # never returns
            os.close(writing)
            self._children.append((pid, reading))

    def store(self) -> Store:
        """The folder's Store once checked; raises what stops the start (the first damaged
        file, as Store() would name it)."""
        if not self._children:
            return Store(self.folder, glance=self.glance)
        glanced: dict[str, object] = {}
        failures: list[BaseException] = []
        for pid, reading in self._children:
            outcome = self._outcome(pid, reading)
            if isinstance(outcome, BaseException):
                failures.append(outcome)
            else:
                glanced.update(outcome)
        self._children = []
        if failures:
            raise failures[0]
        return Store.checked_already(self.folder, self.glance, glanced)

    def _outcome(self, pid: int, reading: int) -> dict[str, object] | BaseException:
        with os.fdopen(reading, "rb") as pipe:
            told = pipe.read()
        _, status = os.waitpid(pid, 0)
        if not told:  # killed (out of memory?) before it could tell
            return StorageError(
                f"the check of {self.folder} at start-up stopped before it finished (exit "
                f"status {os.waitstatus_to_exitcode(status)}); start again"
            )
        return pickle.loads(told)  # type: ignore[no-any-return]  # our own child's


def _check_and_tell(folder: Path, glance: Glance, part: int, parts: int, writing: int) -> NoReturn:
    """In a child: check a share, write the outcome (what was glanced, or the error), exit,
    and never return into the parent's code, whatever happens."""
    try:
        try:
            store = Store.unchecked(folder, glance)
            store.check_share(part, parts)
            outcome: object = store.glanced
        except BaseException as error:  # handed to the parent, which raises it
            outcome = error
        try:
            told = pickle.dumps(outcome)
        except Exception:  # an error that cannot be pickled: its words still can
            told = pickle.dumps(StorageError(str(outcome)))
        with os.fdopen(writing, "wb") as pipe:
            pipe.write(told)
        sys.stderr.flush()
    finally:
        os._exit(0)  # nothing of the parent's (atexit, buffers) runs here
