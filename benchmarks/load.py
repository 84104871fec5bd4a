"""500 officials answering at once, for minutes, through the real bot process and the local
fake Bot API: answers a second, reply latency (p50/p95/p99) and the bot's memory, per
interval, so that growth over time (or with the answers stored) would show.

Latency is from an official's input reaching the API to the bot sending the next question.
The bot keeps to Telegram's flood limit (about 30 requests a second, python-telegram-bot's
own limiter): with hundreds answering at once, that limit sets the pace, not the bot. So the
run counts the requests that limit holds (those to a chat: sends and edits; answering a
press is free) per answer, and prints them beside the ceiling of 30 a second.

Run with `make bench`; SELFREVIEW_LOAD_USERS and SELFREVIEW_LOAD_SECONDS change the size.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storage.store import Store  # noqa: E402
from tests.bot_process import BotProcess  # noqa: E402
from tests.crowd import Crowd, expected_reviews  # noqa: E402
from tests.fake_bot_api import TOKEN, FakeBotApi  # noqa: E402

USERS = int(os.environ.get("SELFREVIEW_LOAD_USERS", "500"))
SECONDS = float(os.environ.get("SELFREVIEW_LOAD_SECONDS", "180"))
CAPACITY_SECONDS = SECONDS / 3
INTERVAL = 30.0


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def memory_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def requests_to_chats(api: FakeBotApi, since: float, until: float) -> dict[str, int]:
    """Calls to chats the fake API took between the two moments, by method: the requests the
    bot's rate limiter holds to Telegram's ceiling."""
    counts: dict[str, int] = {}
    with api.changed:
        for call in api.calls:
            if since <= call.at < until and "chat_id" in call.params:
                counts[call.method] = counts.get(call.method, 0) + 1
    return counts


def percentiles(values: list[float]) -> str:
    if len(values) < 2:
        return "     -      -      -"
    cuts = statistics.quantiles(values, n=100)
    return f"{cuts[49]:6.2f} {cuts[94]:6.2f} {cuts[98]:6.2f}"


def thin_bot_cpu_ms(users: int, seconds: float) -> float:
    """The floor: CPU a reply of benchmarks/thin_bot.py (python-telegram-bot with the
    product's Telegram settings, no files), with `users` people each writing again as soon
    as their reply comes, as the crowd does."""
    api = FakeBotApi(TOKEN).start()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "SELFREVIEW_"))},
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": api.base_url,
        "SELFREVIEW_API_RATE": "30",
    }
    bot = subprocess.Popen([sys.executable, str(ROOT / "benchmarks" / "thin_bot.py")], env=env)
    try:
        api.wait_for(lambda _: api.polled or bot.poll() is not None, timeout=60)
        assert bot.poll() is None, "the thin bot did not start"
        for person in range(users):
            api.message(10_000 + person, "hej")
        seen, replies = 0, 0
        start, cpu_at_start = time.monotonic(), cpu_seconds(bot.pid)
        while time.monotonic() - start < seconds:
            with api.changed:
                new, seen = api.calls[seen:], len(api.calls)
            for call in new:
                if call.method == "sendMessage":
                    replies += 1
                    api.message(int(call.params["chat_id"]), "svar")
            time.sleep(0.01)
        return (cpu_seconds(bot.pid) - cpu_at_start) * 1000 / max(1, replies)
    finally:
        bot.kill()
        bot.wait()
        api.stop()


def run(users: int, seconds: float, env: dict[str, str]) -> float:
    """Prints the run's figures; returns the bot's CPU an answer, in ms."""
    api = FakeBotApi(TOKEN).start()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "db"
        expected = expected_reviews(Path(scratch) / "reference")
        bot = BotProcess(api, folder, Path(scratch) / "bot.log", env)
        bot.start()
        print("  time  answers/s  latency s p50    p95    p99  answers stored  memory MiB")
        crowd = Crowd(api, users)
        start, cpu_at_start = time.monotonic(), cpu_seconds(bot.process.pid)
        counted: dict[int, int] = {}
        every: list[float] = []
        while time.monotonic() - start < seconds:
            window_start = time.monotonic()
            window_end = min(start + seconds, window_start + INTERVAL)
            while time.monotonic() < window_end:
                if not crowd.step():
                    time.sleep(0.005)
            window = []
            for official in crowd.everyone():
                window += official.latencies[counted.get(official.id, 0) :]
                counted[official.id] = len(official.latencies)
            every += window
            stored = sum(o.answered for o in crowd.everyone())
            print(
                f"{time.monotonic() - start:6.0f} {len(window) / (window_end - window_start):10.1f}"
                f"     {percentiles(window)} {stored:15d} {memory_mib(bot.process.pid):11.1f}"
            )
        ended = time.monotonic()
        requests = requests_to_chats(api, start, ended)
        lost = crowd.settle(timeout=120)
        # CPU per answer: all the bot spent from the crowd's start until it settled, over every
        # input answered in that same time (those replied to after the last window included).
        cpu = cpu_seconds(bot.process.pid) - cpu_at_start
        answered = sum(o.answered for o in crowd.everyone())
        assert bot.stop() == 0
        checked = crowd.check(Store(folder), expected)
        p50, p95, p99 = percentiles(every).split()
        answers = max(1, len(every))
        print(
            f"overall: {len(every) / seconds:.1f} answers/s; latency p50 {p50} s, p95 {p95} s, "
            f"p99 {p99} s; {lost} replies lost; {checked} stored answers checked; "
            f"{len(crowd.finished)} reviews finished; the bot's CPU "
            f"{cpu * 1000 / max(1, answered):.1f} ms an answer ({cpu:.1f} s over {answered} "
            f"inputs answered from the crowd's start until it settled; start-up left out)"
        )
        ceiling = float(env.get("SELFREVIEW_API_RATE", "30"))
        total = sum(requests.values())
        by_method = ", ".join(f"{m} {n / answers:.2f}" for m, n in sorted(requests.items()))
        print(
            f"requests to chats: {total / answers:.2f} an answer ({by_method}), "
            f"{total / (ended - start):.1f}/s against the ceiling of {ceiling:.0f}/s (the bot's "
            f"limiter, Telegram's limit): at most {ceiling * answers / max(1, total):.1f} "
            f"answers/s"
        )
    api.stop()
    return cpu * 1000 / max(1, answered)


def main() -> None:
    print(f"{USERS} officials answering at once for {SECONDS:.0f} s, the bot as deployed")
    print("(within Telegram's 30 requests a second; about 1 request per answer):")
    deployed = run(USERS, SECONDS, {})
    floor = thin_bot_cpu_ms(USERS, CAPACITY_SECONDS)
    print(
        f"floor: the thinnest python-telegram-bot bot with the same Telegram settings "
        f"(benchmarks/thin_bot.py: one message with buttons for each message, no files), "
        f"{USERS} people, {CAPACITY_SECONDS:.0f} s: {floor:.1f} ms of CPU a reply; the bot's "
        f"{deployed:.1f} ms an answer is {deployed / floor:.2f}x that"
    )
    print(f"\nThe same, {CAPACITY_SECONDS:.0f} s, with the flood limit lifted to 1,000 requests a")
    print("second (SELFREVIEW_API_RATE=1000): what the bot itself can take")
    run(USERS, CAPACITY_SECONDS, {"SELFREVIEW_API_RATE": "1000"})


if __name__ == "__main__":
    main()
