"""What claiming a reminder slot costs (one locked read-change-write of programme.json,
durable on disk): on a fresh programme, after half a year of reminders, and on a file an
older build let grow to 50,000 records of sends, before and after the first tick prunes it.

Run with `make bench`. Prints the median claim in ms for each, and each as a ratio to a
fresh programme's claims made in turn with it (the disk's pace drifts; the ratio does not).
"""

from __future__ import annotations

import contextlib
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dialogues.programme.programme import Programme, ProgrammeError  # noqa: E402
from dialogues.programme.schedules import STOCKHOLM, Schedules  # noqa: E402
from dialogues.review.engine import Engine  # noqa: E402
from storage.programme import ProgrammeStore  # noqa: E402
from storage.store import Store  # noqa: E402

SAMPLES = 30
OLD_RECORDS = 50_000
WEEKS = 26
MEMBERS = 2
MONDAY_0900 = datetime(2026, 11, 30, 8, 0, 30, tzinfo=UTC)  # 09:00:30 in Stockholm


class Clock:
    def __init__(self) -> None:
        self.now = MONDAY_0900

    def __call__(self) -> datetime:
        return self.now


def programme_in(folder: Path, clock: Clock) -> tuple[Programme, Schedules]:
    programme = Programme(
        Engine(Store(folder)), ProgrammeStore(folder), frozenset({1}), clock=clock
    )
    token = programme.invite("Uppsala", added_by=1).token
    for number in range(MEMBERS):
        programme.join(f"telegram:{number}", number, token)
    schedules = Schedules(programme)
    schedules.add_weekly(["Uppsala", "måndag", "09:00"], 1)
    schedules.add_nudge(["Uppsala", "1"], 1)
    return programme, schedules


def claim_ms(
    label: str, store: ProgrammeStore, fresh: ProgrammeStore, samples: int = SAMPLES
) -> tuple[float, float]:
    """The median claim of a new follow-up (a key never pruned by age) on `store`, and on
    `fresh` in turn with it."""
    timings: dict[ProgrammeStore, list[float]] = {store: [], fresh: []}
    for number in range(samples):
        for which in (store, fresh):
            start = time.perf_counter()
            assert which.claim(f"follow-up:{label}:{number}")
            timings[which].append((time.perf_counter() - start) * 1000)
    return statistics.median(timings[store]), statistics.median(timings[fresh])


def half_a_year(programme: Programme, schedules: Schedules, clock: Clock) -> None:
    """Daily ticks: the weekly reminder, nudges after each member's quiet day, the day's
    follow-up round, a wrong invitation code."""
    for day in range(7 * WEEKS):
        clock.now = MONDAY_0900 + timedelta(days=day)
        for number in range(MEMBERS):  # active a little each day: each quiet spell is new
            rid = f"telegram:{number}"
            review = programme.engine.store.active_review(rid)
            updated = (clock.now - timedelta(days=1 + number)).isoformat(timespec="seconds")
            programme.engine.store.save_review(rid, {**review, "updated": updated})
        schedules.due(clock.now)
        programme.store.claim(f"follow-up-day:{clock.now.astimezone(STOCKHOLM).date()}")
        with contextlib.suppress(ProgrammeError):
            programme.join(f"telegram:{1000 + day}", 1000 + day, "wrong-code-0000")


def grown_by_an_older_build(programme: Programme) -> None:
    """Records of a few years of sends that an older build never removed."""
    days = 3 * 365
    old = MONDAY_0900 - timedelta(days=days)
    keys = [f"follow-up-day:{(old + timedelta(days=day)).date()}" for day in range(days)]
    for number in range(OLD_RECORDS - days):
        at = old + timedelta(hours=number % (24 * days))
        if number % 2:
            keys.append(f"weekly:gone{number % 50}:{at.isoformat()}")
        else:
            keys.append(f"nudge:gone{number % 50}:telegram:{number}:{at.isoformat()}")
    with programme.store.open() as file:
        file.claim(keys)


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        clock = Clock()
        fresh = programme_in(root / "fresh", clock)[0].store
        programme, schedules = programme_in(root / "months", clock)
        start = time.perf_counter()
        half_a_year(programme, schedules, clock)
        simulated = time.perf_counter() - start
        months = claim_ms("months", programme.store, fresh)
        months_kib = programme.store.path.stat().st_size / 1024

        clock.now = MONDAY_0900
        old, old_schedules = programme_in(root / "old", clock)
        grown_by_an_older_build(old)
        grown_kib = old.store.path.stat().st_size / 1024
        grown = claim_ms("grown", old.store, fresh, samples=5)
        start = time.perf_counter()
        old_schedules.due(MONDAY_0900)  # the first tick of this build prunes what ran out
        pruning = (time.perf_counter() - start) * 1000
        pruned = claim_ms("pruned", old.store, fresh)
        pruned_kib = old.store.path.stat().st_size / 1024

    print("claiming a reminder slot (durable write of programme.json); ratio to a fresh one")
    print(
        f"  after {WEEKS} weeks of daily ticks:        {months[0]:8.2f} ms  "
        f"{months[0] / months[1]:6.2f}×  (file {months_kib:.1f} KiB; simulated in {simulated:.0f} s)"
    )
    print(
        f"  {OLD_RECORDS:,} records an older build kept: {grown[0]:8.2f} ms  "
        f"{grown[0] / grown[1]:6.2f}×  (file {grown_kib:,.0f} KiB)"
    )
    print(
        f"  after the first tick pruned them:      {pruned[0]:8.2f} ms  "
        f"{pruned[0] / pruned[1]:6.2f}×  (file {pruned_kib:.1f} KiB; that tick {pruning:.0f} ms)"
    )


if __name__ == "__main__":
    main()
