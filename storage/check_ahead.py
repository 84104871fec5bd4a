"""Start-up's check of a data folder (every respondent's file read once, see Store), done in
a child process from the moment the folder is locked, while the bot goes on loading the
Telegram library: on two cores, start-up takes the longer of the two, not both.

The child builds the Store as usual (listing, reading, upgrading, glancing) and hands back
what the glance found, or the error that stops the start, through a pipe. Without fork (not
POSIX), or where threads already run (fork would copy their locks as they stand), the check
runs in this process, as before.

The child shares the folder's lock: if the bot is stopped while it checks, the folder stays
locked until the child has finished (seconds), so that no other process upgrades it alongside."""

from __future__ import annotations

import os
import pickle
import sys
import threading
from pathlib import Path
from typing import NoReturn

from storage.store import Glance, StorageError, Store


class CheckAhead:
    def __init__(self, folder: Path, glance: Glance) -> None:
        self.folder, self.glance = folder, glance
        self._child: tuple[int, int] | None = None  # pid, the pipe's end to read
        if not hasattr(os, "fork") or threading.active_count() > 1:
            return
        reading, writing = os.pipe()
        for stream in (sys.stdout, sys.stderr):  # nothing buffered is written twice
            stream.flush()
        pid = os.fork()
        if pid == 0:
            os.close(reading)
            _check_and_tell(folder, glance, writing)  # never returns
        os.close(writing)
        self._child = (pid, reading)

    def store(self) -> Store:
        """The folder's Store once checked; raises what stops the start (a damaged file)."""
        if self._child is None:
            return Store(self.folder, glance=self.glance)
        pid, reading = self._child
        self._child = None
        with os.fdopen(reading, "rb") as pipe:
            told = pipe.read()
        _, status = os.waitpid(pid, 0)
        if not told:  # killed (out of memory?) before it could tell
            raise StorageError(
                f"the check of {self.folder} at start-up stopped before it finished (exit "
                f"status {os.waitstatus_to_exitcode(status)}); start again"
            )
        outcome = pickle.loads(told)  # from our own child, just forked
        if isinstance(outcome, BaseException):
            raise outcome
        return Store.checked_already(self.folder, self.glance, outcome)


def _check_and_tell(folder: Path, glance: Glance, writing: int) -> NoReturn:
    """In the child: check, write the outcome (what was glanced, or the error), exit, and
    never return into the parent's code, whatever happens."""
    try:
        try:
            outcome: object = Store(folder, glance=glance).glanced
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
