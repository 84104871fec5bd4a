"""A reminder broadcast to 1,000 respondents against a local Bot API that enforces Telegram's
flood limit (30 messages a second): the sustained rate, messages lost, and how fast the bot
answers someone else meanwhile compared with when it is idle.

Run with `make bench`. Uses the tests' fake Bot API server on 127.0.0.1.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dialogues.review.loader import default_questionnaire  # noqa: E402
from tests.fake_bot_api import FakeBotApi  # noqa: E402
from tests.telegram_harness import TOKEN, RunningBot  # noqa: E402

RESPONDENTS = 1_000
BOSS, OTHER = 900, 777
SAMPLES = 15


def answer_time(api: FakeBotApi) -> float:
    """Milliseconds from a user's /status until the bot's answer is at the API."""
    before = len(api.sent(OTHER))
    start = time.monotonic()
    api.message(OTHER, "/status")
    reply = api.wait_for(lambda _: len(api.sent(OTHER)) > before and api.sent(OTHER)[before])
    return (reply.at - start) * 1000


def main() -> None:
    api = FakeBotApi(TOKEN).start()
    api.flood_limit = 30
    api.chat_limit = 1
    with tempfile.TemporaryDirectory() as scratch:
        bot = RunningBot(api, Path(scratch) / "db", coordinators=frozenset({BOSS})).start()
        try:
            programme = bot.programme
            token = programme.invite("Uppsala", added_by=BOSS).token
            for user_id in range(10_000, 10_000 + RESPONDENTS):
                programme.join(f"telegram:{user_id}", user_id, token)
                programme.engine.store.update_respondent(
                    f"telegram:{user_id}", {"telegram": {"chat_id": user_id}}
                )
            api.message(OTHER, "/start")
            api.wait_for(lambda _: api.sent(OTHER))
            idle = []
            for _ in range(SAMPLES):
                time.sleep(1.0)  # one question a second, within the per-chat limit
                idle.append(answer_time(api))
            api.message(BOSS, "/remind Uppsala")
            api.wait_for(lambda _: [c for c in api.sent(BOSS) if c.text.startswith("Skickar")])
            busy = []
            for _ in range(SAMPLES):
                time.sleep(1.0)
                busy.append(answer_time(api))
            report = api.wait_for(
                lambda _: next(
                    (c for c in api.sent(BOSS) if c.text.startswith("Påminnelser klara")), None
                ),
                timeout=300,
            )
            wording = default_questionnaire().text("reminder", "sv")  # the content's, as it is now
            reminders = [
                c for c in api.calls
                if c.method == "sendMessage" and int(c.params["chat_id"]) >= 10_000 and wording in c.text
            ]  # fmt: skip
            chats = {int(c.params["chat_id"]) for c in reminders}
            seconds = reminders[-1].at - reminders[0].at
            rate = (len(reminders) - 1) / seconds
            flood_waits = sum(1 for status, _ in api.refused if status == 429)
            idle_ms, busy_ms = statistics.median(idle), statistics.median(busy)
            print(
                f"broadcast to {RESPONDENTS:,} respondents; API limits: 30 messages/s, 1/s per chat"
            )
            print(f"  {report.text}")
            print(f"  sustained rate: {rate:.1f} messages/s over {seconds:.1f} s (target >= 27)")
            print(
                f"  lost: {RESPONDENTS - len(chats)}   sent twice: {len(reminders) - len(chats)}   429s: {flood_waits}"
            )
            print(f"  answer to another user: idle median {idle_ms:.0f} ms, during broadcast {busy_ms:.0f} ms"
                  f" (ratio {busy_ms / idle_ms:.2f}, target <= 2)")  # fmt: skip
        finally:
            bot.stop()
            api.stop()


if __name__ == "__main__":
    main()
