"""What one answer costs (engine plus durable write) as the number of stored respondents grows.

Run with `make bench`. Prints, for 10, 1,000 and 10,000 stored respondents, the median
and p95 time of one answer, beside its floor (one atomic fsync'd replace of the same file,
timed in turns with the answers) and their ratio; the ratio of the medians at 10,000 and 10; the memory kept
per 1,000 respondents served; the start-up time of a process with 10,000 stored; and the
cost of an answer changed 10,000 times against a fresh one.
"""

from __future__ import annotations

import gc
import random
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dialogues.review.engine import Engine  # noqa: E402
from dialogues.review.prompts import Prompt  # noqa: E402
from storage.atomic import write_atomically  # noqa: E402
from storage.store import Store  # noqa: E402

SIZES = (10, 1_000, 10_000)
SAMPLES = 400
WARM_UP = 5_000
SEED_INPUTS = 12  # each stored respondent is a dozen answers into the review


def typed_for(prompt: Prompt) -> str | None:
    """A valid input for any prompt, as an official might type it."""
    return {
        "single": "1",
        "multi": "1",
        "number": "1 200",
        "text": "Samverkan med bostadsbolaget fungerar bra.",
        "date": "2027-06-30",
    }.get(prompt.kind)


def mid_review(folder: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """A respondent and review a dozen answers in, to copy as the stored population."""
    engine = Engine(Store(folder))
    engine.current("seed")
    for _ in range(SEED_INPUTS):
        engine.answer("seed", typed_for(engine.current("seed").prompt))
    return engine.store.respondent("seed"), engine.store.active_review("seed")


def populate(folder: Path, count: int, template: tuple[dict[str, Any], dict[str, Any]]) -> None:
    store = Store(folder)
    respondent, review = template
    for number in range(count):
        respondent_id = f"telegram:{100000 + number}"
        store.save_respondent({**respondent, "id": respondent_id})
        store.save_review(respondent_id, {**review, "id": f"review-{number}"})


def time_answers(
    engine: Engine, ids: list[str], template: dict[str, Any] | None = None
) -> list[float]:
    """Time one answer per id; with a template, each respondent is first put back to it
    (untimed, all of them before the first answer: someone answers seconds after their file
    was last written, not in the same millisecond), so that every size times the same
    answer, not ever later ones."""
    if template is not None:
        for respondent_id in ids:
            review = engine.store.active_review(respondent_id)
            engine.store.save_review(respondent_id, {**template, "id": review["id"]})
    timings = []
    for respondent_id in ids:
        prompt = engine.current(respondent_id).prompt
        typed = typed_for(prompt)
        if typed is None:  # finished or paused: start that respondent over, untimed
            engine.restart(respondent_id)
            continue
        start = time.perf_counter()
        reply = engine.answer(respondent_id, typed)
        timings.append((time.perf_counter() - start) * 1000)
        assert reply.error is None, reply.error
    return timings


def replace_floor_ms(engine: Engine, ids: list[str]) -> list[float]:
    """The floor: one atomic, fsync'd replace of each respondent's file as it is (the write
    an answer cannot do without), timed in the same run as the answers."""
    timings = []
    for respondent_id in ids:
        path = engine.store._path(respondent_id)
        text = path.read_text(encoding="utf-8")
        start = time.perf_counter()
        write_atomically(path, text)
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def kept_memory_per_thousand(engine: Engine, ids: list[str]) -> float:
    """KiB that stay allocated per 1,000 respondents served, from the 5,000th on.

    The first few thousand grow the interpreter's own tables once (interned file names);
    what is kept after that is what would grow with the number of respondents.
    """
    tracemalloc.start()
    time_answers(engine, ids[:WARM_UP])
    gc.collect()
    after_warm_up = tracemalloc.get_traced_memory()[0]
    time_answers(engine, ids[WARM_UP:])
    gc.collect()
    after_all = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return (after_all - after_warm_up) / 1024 / ((len(ids) - WARM_UP) / 1000)


def start_up_seconds(folder: Path) -> float:
    """A new process: import, load the content, open the store, show one respondent's question."""
    code = (
        "from dialogues.review.engine import Engine; from storage.store import Store; "
        f"Engine(Store({str(folder)!r})).current('telegram:100000')"
    )
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
    return time.perf_counter() - start


CHANGES = 10_000


def changed_answer_ms(engine: Engine, respondent_id: str, count: int, timed: bool) -> list[float]:
    """Change the answer to "what works well" `count` times (answer it, go back)."""
    timings = []
    for number in range(count):
        start = time.perf_counter()
        engine.answer(respondent_id, f"Det som fungerar, version {number}: " + "x" * 1000)
        timings.append((time.perf_counter() - start) * 1000)
        engine.back(respondent_id)
    return timings if timed else []


def cost_after_many_changes(folder: Path) -> None:
    """One person changes one answer CHANGES times; then their answers are timed against a
    fresh person's at the same question, in turns, so that both meet the same machine."""
    engine = Engine(Store(folder))
    changer, fresh = "terminal:changer", "terminal:fresh"
    for respondent_id in (changer, fresh):
        engine.current(respondent_id)
        while engine.current(respondent_id).prompt.step != "q.works_well":
            engine.answer(respondent_id, typed_for(engine.current(respondent_id).prompt))
    changed_answer_ms(engine, changer, CHANGES, False)
    timings: dict[str, list[float]] = {changer: [], fresh: []}
    for _ in range(10):
        for respondent_id, kept in timings.items():
            kept += changed_answer_ms(engine, respondent_id, SAMPLES // 20, True)
    after, before = statistics.median(timings[changer]), statistics.median(timings[fresh])
    size = engine.store._path(changer).stat().st_size / 1024
    print(
        f"an answer changed {CHANGES:,} times (1,000 characters each): median {after:.2f} ms "
        f"against {before:.2f} ms fresh, ratio {after / before:.2f} (bar 1.5); file {size:.0f} KiB"
    )


def main() -> None:
    rng = random.Random(1)
    medians, floors = {}, {}
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        template = mid_review(root / "template")
        print(f"one answer = engine + durable write; {SAMPLES} answers per size")
        print("floor = one atomic fsync'd replace of the same file, median, in the same run;")
        print("ratio = answer / floor (bar 1.5)")
        print(
            f"{'respondents':>12} {'median ms':>10} {'p95 ms':>8} {'seeded in s':>12} "
            f"{'floor ms':>9} {'ratio':>6}"
        )
        for size in SIZES:
            folder = root / f"db{size}"
            start = time.perf_counter()
            populate(folder, size, template)
            seeded = time.perf_counter() - start
            engine = Engine(Store(folder))
            ids = [f"telegram:{100000 + rng.randrange(size)}" for _ in range(SAMPLES)]
            timings, floor = [], []
            for part in range(0, SAMPLES, 50):  # in turns, so that both see the same load
                timings += time_answers(engine, ids[part : part + 50], template[1])
                floor += replace_floor_ms(engine, ids[part : part + 50])
            medians[size] = statistics.median(timings)
            floors[size] = statistics.median(floor)
            p95 = percentile(timings, 0.95)
            print(
                f"{size:>12,} {medians[size]:>10.2f} {p95:>8.2f} {seeded:>12.1f} "
                f"{floors[size]:>9.2f} {medians[size] / floors[size]:>6.2f}"
            )
            if size == SIZES[-1]:
                every = [f"telegram:{100000 + number}" for number in range(size)]
                memory = kept_memory_per_thousand(engine, every)
                startup = start_up_seconds(folder)
        print(
            f"ratio of medians {SIZES[-1]:,} / {SIZES[0]}: {medians[SIZES[-1]] / medians[SIZES[0]]:.2f}"
        )
        print(f"memory kept per 1,000 more respondents served: {memory:.1f} KiB")
        print(
            f"start-up with {SIZES[-1]:,} stored (new process, first question shown): {startup:.2f} s"
        )
        cost_after_many_changes(root / "changes")


if __name__ == "__main__":
    main()
