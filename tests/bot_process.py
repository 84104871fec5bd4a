"""`selfreview run` as a real process against the fake Bot API: started, killed, stopped."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.fake_bot_api import TOKEN, FakeBotApi

ROOT = Path(__file__).resolve().parent.parent


class BotProcess:
    """`selfreview run` against the fake API; its log goes to a file that outlives each run."""

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
            "PYTHONPATH": str(ROOT),
            **(env or {}),
        }

    def start(self) -> None:
        """Start, and wait until it has sent what it owed and taken the command menu up."""
        menus = self._menus()
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot.cli", "run", "--db", str(self.folder)],
                env=self.env,
                cwd=self.folder.parent,
                stdout=log,
                stderr=log,
            )
        self.api.wait_for(lambda _: self._menus() >= menus + 2, timeout=60)

    def _menus(self) -> int:
        return sum(1 for call in self.api.calls if call.method == "setMyCommands")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(30)
