"""`selfreview run` as a real process against the fake Bot API: started, killed, stopped."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from tests.fake_bot_api import TOKEN, FakeBotApi

ROOT = Path(__file__).resolve().parent.parent
HOOKS = Path(__file__).resolve().parent / "bot_hooks"  # sitecustomize: kills, retry interval


class BotProcess:
    """`selfreview run` against the fake API; its log goes to a file that outlives each run.

    The bot imports tests/bot_hooks/sitecustomize.py at start; the environment variables it
    reads (SELFREVIEW_TEST_KILL, SELFREVIEW_TEST_RETRY_SECONDS) are given here, for every run,
    or to `start` for one run."""

    def __init__(
        self, api: FakeBotApi, folder: Path, log: Path, env: dict[str, str] | None = None
    ) -> None:
        self.api, self.folder, self.log = api, folder, log
        self.process: subprocess.Popen[bytes] | None = None
        clean = {
            k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "SELFREVIEW_"))
        }
        self.env = {
            **clean,
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": api.base_url,
            "PYTHONPATH": os.pathsep.join([str(HOOKS), str(ROOT)]),
            **(env or {}),
        }

    def start(self, env: dict[str, str] | None = None) -> bool:
        """Start, and wait until it has sent what it owed and taken the command menu up.
        False if it died first (a kill chosen for its start-up)."""
        menus = self._menus()
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot.cli", "run", "--db", str(self.folder)],
                env={**self.env, **(env or {})},
                cwd=self.folder.parent,
                stdout=log,
                stderr=log,
            )
        threading.Thread(target=self._tell_when_ended, args=(self.process,), daemon=True).start()
        self.api.wait_for(
            lambda _: self._menus() >= menus + 2 or self.process.poll() is not None, timeout=60
        )
        return self.process.poll() is None

    def _tell_when_ended(self, process: subprocess.Popen[bytes]) -> None:
        """Wakes whoever waits on the fake API for something the bot does: it has stopped."""
        process.wait()
        with self.api.changed:
            self.api.changed.notify_all()

    def _menus(self) -> int:
        return sum(1 for call in self.api.calls if call.method == "setMyCommands")

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def close(self) -> None:
        """After a test, passed or failed: no bot left running."""
        if self.running():
            self.kill()

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(30)
