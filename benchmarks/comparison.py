"""An official's summary beside the county and the country, for a national programme: 290
municipalities with three finished reviews each. Prints the time of the lines (`beside`, which
reads everything), of an official's lines in the chat with the programme's answers reused
(`Recent`, warm: only the official's own municipality is read) and of the coordinators' Frågor
sheet, each as a ratio to a floor measured in the same run: reading every member's file once,
as any count must."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dialogues.programme.comparison import Recent, beside  # noqa: E402
from dialogues.programme.municipalities import default_municipalities  # noqa: E402
from dialogues.programme.programme import Programme  # noqa: E402
from dialogues.programme.tables import programme_tables  # noqa: E402
from storage.programme import ProgrammeStore  # noqa: E402
from tests.conftest import make_engine, play  # noqa: E402
from tests.script import WHOLE_REVIEW  # noqa: E402

PER_MUNICIPALITY = 3
RUNS = 5


def seeded(folder: Path) -> Programme:
    """The programme, written without fsync: the seeding is not what is measured."""
    durable, os.fsync = os.fsync, lambda fd: None
    try:
        engine = make_engine(folder)
        play(engine, "template", WHOLE_REVIEW)
        review = engine.store.active_review("template")
        programme = Programme(engine, ProgrammeStore(folder), frozenset({1}))
        for number, municipality in enumerate(default_municipalities().all):
            token = programme.invite(municipality.code, added_by=1).token
            for seat in range(PER_MUNICIPALITY):
                user = 100_000 + number * 10 + seat
                programme.join(f"telegram:{user}", user, token)
                fresh = engine.store.active_review(f"telegram:{user}")
                engine.store.save_review(f"telegram:{user}", {**review, "id": fresh["id"]})
        return programme
    finally:
        os.fsync = durable


def median(work: Callable[[], object]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        programme = seeded(Path(scratch))
        store = programme.respondents
        members = [rid for row in programme.store.municipalities() for rid in row["members"]]

        def floor() -> None:
            for rid in members:
                with store.open(rid) as file:
                    file.respondent(), file.active_review()

        base = median(floor)
        lines = median(lambda: beside(programme, "0380", "sv"))
        recent = Recent(programme)
        official = programme.store.municipality("0380")["members"][0]
        recent.beside_respondent(official)  # the first official of the minute reads everyone
        warm = median(lambda: recent.beside_respondent(official))
        sheet = median(lambda: programme_tables(programme, "all", "sv", which=["questions"]))
        print(f"comparison beside the county and the country, {len(members)} finished reviews")
        print(f"  floor (each member's file read once): {base * 1000:.0f} ms")
        print(f"  an official's lines: {lines * 1000:.0f} ms, {lines / base:.1f} × the floor")
        print(
            f"  an official's lines in the chat, answers reused (warm): {warm * 1000:.1f} ms, "
            f"{warm / base:.3f} × the floor"
        )
        print(f"  the Frågor sheet: {sheet * 1000:.0f} ms, {sheet / base:.1f} × the floor")


if __name__ == "__main__":
    main()
