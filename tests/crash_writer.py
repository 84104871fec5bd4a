"""Run by test_storage as a subprocess: plays whole reviews and prints an ack after each reply.

    python -m tests.crash_writer DB_FOLDER RUN

Prints "ready", then "<respondent number> <inputs answered>" after each reply the
engine gives, i.e. after the answer was acknowledged. The test kills it at random.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

from tests.conftest import make_engine
from tests.script import WHOLE_REVIEW


def main(folder: str, run: str) -> None:
    engine = make_engine(Path(folder))
    print("ready", flush=True)
    for number in itertools.count():
        respondent = f"crash:{run}-{number}"
        engine.current(respondent)
        print(f"{number} 0", flush=True)
        for done, (typed, _) in enumerate(WHOLE_REVIEW, start=1):
            engine.skip(respondent) if typed == "/skip" else engine.answer(respondent, typed)
            print(f"{number} {done}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
