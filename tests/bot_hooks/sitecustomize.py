"""Test-only hooks inside a `selfreview run` subprocess, chosen by environment variables.

tests/bot_process.py puts this folder first on the bot's PYTHONPATH; Python imports this
module when it starts (site.py's `sitecustomize`). Without its variables it changes nothing,
and product code has no hooks for tests: what is changed is changed from outside, after
the module concerned has been imported.

SELFREVIEW_TEST_KILL=<moment>:<n>   SIGKILL this process at the n-th such moment (from 1):
    write    inside storage.atomic.write_atomically, any write: the temporary file
             written and fsynced, the rename over the real file not yet done
    answer   the same, in a write that changes a review (an answer being saved)
    send     just before a message goes to Telegram (sendMessage); in the middle of a
             review that is after an answer was saved and before its next question is sent
    sent     just after Telegram took a message, before the bot has noted it as shown
SELFREVIEW_TEST_RETRY_SECONDS=<s>   bot.telegram.catch_up.RETRY_SECONDS: how often questions
    owed after a failed send are tried again
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import os
import signal
import sys
import threading
from collections.abc import Callable
from importlib.abc import MetaPathFinder
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import Any

MOMENTS = ("write", "answer", "send", "sent")


class AfterImport(MetaPathFinder):
    """Runs a function on a module right after it is first imported (and before anything
    that imported it can use it)."""

    def __init__(self) -> None:
        self.patches: dict[str, Callable[[ModuleType], None]] = {}

    def find_spec(self, name: str, path: Any, target: Any = None) -> ModuleSpec | None:
        patch = self.patches.pop(name, None)
        if patch is None:
            return None
        spec = importlib.util.find_spec(name)  # the other finders: this one has let go
        if spec is None or spec.loader is None:
            return spec
        loader, load = spec.loader, spec.loader.exec_module

        def exec_module(module: ModuleType) -> None:
            load(module)
            patch(module)

        loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


class Killer:
    """Counts moments of one kind and kills this process at the chosen one."""

    def __init__(self, chosen: str) -> None:
        moment, _, number = chosen.partition(":")
        if moment not in MOMENTS or not number.isdigit() or int(number) < 1:
            raise SystemExit(f"SELFREVIEW_TEST_KILL={chosen!r}: expected <{'|'.join(MOMENTS)}>:<n>")
        self.moment, self.number = moment, int(number)
        self.counter = itertools.count(1)
        self.lock = threading.Lock()

    def reached(self, *moments: str) -> bool:
        """Counts this moment if it is of the chosen kind (it may be of several)."""
        if self.moment not in moments:
            return False
        with self.lock:
            return next(self.counter) == self.number

    @staticmethod
    def kill() -> None:
        sys.stderr.flush()
        os.kill(os.getpid(), signal.SIGKILL)


def changes_a_review(path: Any, text: str) -> bool:
    try:
        with open(path, encoding="utf-8") as handle:
            before = json.load(handle).get("reviews")
    except (OSError, ValueError):
        before = None
    return json.loads(text).get("reviews") != before


def patch_atomic(killer: Killer) -> Callable[[ModuleType], None]:
    """storage.atomic's rename kills the process when the write it belongs to is the chosen one."""
    chosen = threading.local()

    def patch(atomic: ModuleType) -> None:
        write_atomically, real_os = atomic.write_atomically, atomic.os

        def choosing(path: Any, text: str) -> None:
            answer = killer.moment == "answer" and changes_a_review(path, text)
            chosen.now = killer.reached("write", "answer") if answer else killer.reached("write")
            try:
                write_atomically(path, text)
            finally:
                chosen.now = False

        class Os:
            def __getattr__(self, name: str) -> Any:
                return getattr(real_os, name)

            @staticmethod
            def replace(source: Any, target: Any) -> None:
                if getattr(chosen, "now", False):
                    assert os.path.exists(source), source  # the temporary file is there
                    killer.kill()
                real_os.replace(source, target)

        atomic.os = Os()
        atomic.write_atomically = choosing

    return patch


def patch_send(killer: Killer) -> Callable[[ModuleType], None]:
    def patch(bot_module: ModuleType) -> None:
        send_message = bot_module.Bot.send_message

        async def sending(self: Any, *args: Any, **kwargs: Any) -> Any:
            if killer.reached("send"):
                killer.kill()
            message = await send_message(self, *args, **kwargs)
            if killer.reached("sent"):
                killer.kill()
            return message

        bot_module.Bot.send_message = sending

    return patch


def install(environ: dict[str, str] | os._Environ[str]) -> None:
    hooks = AfterImport()
    if chosen := environ.get("SELFREVIEW_TEST_KILL"):
        killer = Killer(chosen)
        if killer.moment in ("write", "answer"):
            hooks.patches["storage.atomic"] = patch_atomic(killer)
        else:
            hooks.patches["telegram._bot"] = patch_send(killer)
    if seconds := environ.get("SELFREVIEW_TEST_RETRY_SECONDS"):

        def retry_sooner(catch_up: ModuleType) -> None:
            catch_up.RETRY_SECONDS = float(seconds)

        hooks.patches["bot.telegram.catch_up"] = retry_sooner
    if hooks.patches:
        sys.meta_path.insert(0, hooks)


install(os.environ)
