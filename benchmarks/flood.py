"""One person floods the bot; how long does everyone else wait?

A few officials answer the review through the real bot process and the local fake Bot API,
which keeps Telegram's limits (30 messages a second over all chats, about 1 a second per
chat, answered with 429s beyond). First they answer alone (idle), then while one other
chat sends FLOOD messages as fast as it can. The figure is the others' median reply time
during the flood as a ratio to idle, measured in the same run (the issue's bar: within 2×).

Run with `make bench`; SELFREVIEW_FLOOD_MESSAGES and SELFREVIEW_FLOOD_SECONDS change the size.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.bot_process import BotProcess  # noqa: E402
from tests.crowd import Crowd  # noqa: E402
from tests.fake_bot_api import TOKEN, FakeBotApi  # noqa: E402

FLOOD = int(os.environ.get("SELFREVIEW_FLOOD_MESSAGES", "2000"))
SECONDS = float(os.environ.get("SELFREVIEW_FLOOD_SECONDS", "30"))
OTHERS = 5
FLOODER = 1


def replies_for(crowd: Crowd, seconds: float) -> list[float]:
    """The reply times of the crowd's answers over `seconds`."""
    before = {o.id: len(o.latencies) for o in crowd.everyone()}
    crowd.run_for(seconds)
    return [t for o in crowd.everyone() for t in o.latencies[before.get(o.id, 0) :]]


def main() -> None:
    api = FakeBotApi(TOKEN).start()
    api.flood_limit, api.chat_limit = 30, 1
    with tempfile.TemporaryDirectory() as scratch:
        bot = BotProcess(api, Path(scratch) / "db", Path(scratch) / "bot.log")
        bot.start()
        crowd = Crowd(api, OTHERS)
        idle = replies_for(crowd, SECONDS)
        for n in range(FLOOD):
            api.message(FLOODER, f"hej {n}")
        flooded = replies_for(crowd, SECONDS)
        crowd.settle(timeout=60)
        assert bot.stop() == 0
        to_flooder = len(api.by_chat.get(FLOODER, []))
    api.stop()
    idle_median, flood_median = statistics.median(idle), statistics.median(flooded)
    print(f"{OTHERS} officials answering; one chat sends {FLOOD} messages at once")
    print(f"  idle:        median reply {idle_median:6.3f} s over {len(idle)} answers")
    print(f"  during flood median reply {flood_median:6.3f} s over {len(flooded)} answers")
    print(f"  ratio flood/idle: {flood_median / idle_median:.2f}× (bar: 2×)")
    print(f"  messages the flooder got back: {to_flooder} (the rest dropped, told once)")


if __name__ == "__main__":
    main()
