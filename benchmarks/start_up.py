"""How soon the real `selfreview run` serves, with 10,000 and 50,000 respondents stored.

Run with `make bench`. The bot is started with a token against the local fake Bot API, on a
folder of Telegram respondents a dozen answers into their reviews (each shown its current
question, so none is owed), and timed from the start of its process to its first getUpdates:
the moment it begins taking new input. The floor is a process that only imports what the bot
must load before it can poll (the `selfreview` command and the Telegram bot, with
python-telegram-bot and httpx), measured in the same run: the start-up costs what is above it.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.answer_cost import mid_review  # noqa: E402
from dialogues.review.stored import turn_of  # noqa: E402
from storage.migrations import SCHEMA_VERSION, write_version  # noqa: E402
from storage.store import _file_key  # noqa: E402
from tests.fake_bot_api import TOKEN, FakeBotApi  # noqa: E402

SIZES = (10_000, 50_000)
RUNS = 3
BARS = {10_000: 0.6, 50_000: 2.5}


def populate(folder: Path, count: int, template: tuple[dict[str, Any], dict[str, Any]]) -> None:
    """`count` respondents' files, written plainly (durability is not what is measured here)."""
    respondents = folder / "respondents"
    respondents.mkdir(parents=True)
    write_version(folder, SCHEMA_VERSION)
    person, review = template
    for number in range(count):
        rid = f"telegram:{100000 + number}"
        mine = {**review, "id": f"review-{number}"}
        shown = {"chat_id": 100000 + number, "prompt_message_id": 1, "prompt_turn": turn_of(mine)}
        data = {
            "respondent": {"1": {**person, "id": rid, "telegram": shown}},
            "reviews": {"1": mine},
        }
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        (respondents / f"{_file_key(rid)}.json").write_text(text, encoding="utf-8")


def serving_after(api: FakeBotApi, folder: Path, env: dict[str, str]) -> float:
    """Seconds from the process's start to its first getUpdates; then it is stopped."""
    polls = len(api.polled)
    command = [sys.executable, "-m", "bot.cli", "run", "--db", str(folder)]
    started = time.monotonic()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    threading.Thread(target=_tell_when_ended, args=(api, process), daemon=True).start()
    try:
        api.wait_for(lambda _: len(api.polled) > polls or process.poll() is not None, 120)
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        return api.polled[polls] - started
    finally:
        process.terminate()
        process.wait(30)


def _tell_when_ended(api: FakeBotApi, process: subprocess.Popen[bytes]) -> None:
    """Wakes the wait for a poll: the process has died first."""
    process.wait()
    with api.changed:
        api.changed.notify_all()


def import_floor(env: dict[str, str]) -> float:
    started = time.perf_counter()
    code = "import bot.cli, bot.telegram.app"
    subprocess.run([sys.executable, "-c", code], env=env, check=True)
    return time.perf_counter() - started


def main() -> None:
    api = FakeBotApi(TOKEN).start()
    # As deployed, Python's compiled bytecode is kept (pip compiles it at install): a shell
    # that turns that off would make both figures pay for compiling every module each time.
    dropped = ("TELEGRAM_", "SELFREVIEW_", "PYTHONDONTWRITEBYTECODE")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(dropped)}
    env = {
        **clean,
        "PYTHONPATH": str(ROOT),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": api.base_url,
    }
    print(f"`selfreview run` from process start to its first getUpdates (median of {RUNS}):")
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        template = mid_review(root / "template")
        for size in SIZES:
            folder = root / f"db{size}"
            populate(folder, size, template)
            floor, serving = [], []
            for _ in range(RUNS):  # interleaved, so that both see the same load
                floor.append(import_floor(env))
                serving.append(serving_after(api, folder, env))
            low, high = statistics.median(floor), statistics.median(serving)
            print(
                f"  {size:>6,} stored: {high:.2f} s (bar {BARS[size]} s); importing the command "
                f"and the Telegram bot alone: {low:.2f} s; ratio {high / low:.1f}"
            )
    api.stop()


if __name__ == "__main__":
    main()
