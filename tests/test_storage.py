"""Storage: durable, atomic, loadable after a crash at any moment, safe for threads."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from dialogues.review.engine import Engine
from storage.atomic import DamagedFileError
from storage.store import StorageError, Store
from tests.conftest import make_engine, play, play_until
from tests.script import WHOLE_REVIEW

ROOT = Path(__file__).resolve().parent.parent


def essence(review: dict[str, Any]) -> tuple:
    """What an answer changes, without time stamps."""
    return (
        review["state"],
        {question: entry["value"] for question, entry in review["answers"].items()},
        {question: entry["text"] for question, entry in review["follow_ups"].items()},
        review["letter"]["items"],
    )


def snapshots(folder: Path) -> list[tuple]:
    """The review after 0, 1, 2 ... inputs of the whole-review script."""
    engine = make_engine(folder)
    engine.current("model")
    seen = [essence(engine.store.active_review("model"))]
    for done in range(1, len(WHOLE_REVIEW) + 1):
        play(engine, "model", WHOLE_REVIEW[done - 1 : done])
        seen.append(essence(engine.store.active_review("model")))
    return seen


@pytest.mark.parametrize("runs", [6, pytest.param(25, marks=pytest.mark.proof)])
def test_answers_survive_the_writer_being_killed_at_any_moment(tmp_path: Path, runs: int) -> None:
    expected = snapshots(tmp_path / "model")
    folder = tmp_path / "db"
    rng = random.Random(20261124)
    checked = 0
    for run in range(runs):
        writer = subprocess.Popen(
            [sys.executable, "-m", "tests.crash_writer", str(folder), str(run)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert writer.stdout.readline().strip() == "ready"
        # Killed after some answers whatever the machine's load, at a random moment after.
        seen = [writer.stdout.readline() for _ in range(rng.randint(10, 40))]
        time.sleep(rng.uniform(0.0, 0.1))
        writer.send_signal(signal.SIGKILL)
        acks: dict[int, int] = {}
        for line in "".join([*seen, writer.communicate()[0]]).splitlines(keepends=True):
            if not line.endswith("\n"):
                continue  # killed while printing: that ack was never completed
            number, done = map(int, line.split())
            acks[number] = done
        store = Store(folder)  # loads, as the restarted bot would
        for number, done in acks.items():
            stored = essence(store.active_review(f"crash:{run}-{number}"))
            # Every acknowledged answer is there; at most one more was written but not acknowledged.
            assert stored in expected[done : done + 2], (
                f"run {run}, respondent {number}, {done} acks"
            )
            checked += done
    assert checked > 100  # the runs did answer a good deal before they were killed
    for path in (folder / "respondents").glob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))  # every file loads


def test_writes_replace_the_file_whole(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.save_respondent({"id": "telegram:1", "lang": "sv"})
    store.save_review("telegram:1", {"id": "r1", "status": "active", "answers": {"a": 1}})
    store.save_review("telegram:1", {"id": "r1", "status": "active", "answers": {"a": 2}})
    assert store.active_review("telegram:1")["answers"] == {"a": 2}
    assert [path.name.endswith(".json") for path in (tmp_path / "respondents").iterdir()] == [True]


def test_respondent_ids_of_any_kind_are_kept(tmp_path: Path) -> None:
    store = Store(tmp_path)
    ids = ["telegram:123456789", "terminal:Åsa Öberg", "terminal:../../etc/passwd", "x" * 150]
    for respondent_id in ids:
        store.save_respondent({"id": respondent_id, "lang": "sv"})
    assert store.respondent_ids() == sorted(ids)
    assert all(
        path.parent == tmp_path / "respondents" for path in (tmp_path / "respondents").iterdir()
    )
    with pytest.raises(StorageError):
        store.respondent("x" * 151)


def test_two_taps_at_once_record_one_answer(engine: Engine) -> None:
    play_until(engine, "t:1", "q.mapping")
    with ThreadPoolExecutor(max_workers=8) as pool:
        replies = list(
            pool.map(lambda _: engine.choose("t:1", ["never"], step="q.mapping"), range(8))
        )
    assert sum(reply.error is None for reply in replies) == 1
    review = engine.store.active_review("t:1")
    assert review["state"] == "q.assistance_count"
    assert review["history"] == []


def test_many_respondents_at_once_in_threads(engine: Engine) -> None:
    def whole_review(number: int) -> str:
        return play(engine, f"t:{number}", WHOLE_REVIEW).prompt.step

    with ThreadPoolExecutor(max_workers=6) as pool:
        assert set(pool.map(whole_review, range(12))) == {"done"}
    assert len(engine.store.respondent_ids()) == 12
    assert engine.sessions.held() == []


def test_a_damaged_file_is_named_not_silently_replaced(engine: Engine) -> None:
    engine.current("t:1")
    path = next((engine.store.folder / "respondents").glob("*.json"))
    path.write_text('{"reviews": {"1": {"answ', encoding="utf-8")
    with pytest.raises(DamagedFileError, match=str(path)):
        engine.current("t:1")
    assert path.read_text(encoding="utf-8") == '{"reviews": {"1": {"answ'


def test_a_database_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    (tmp_path / "selfreview.json").write_text('{"meta": {"1": {"schema_version": 99}}}')
    with pytest.raises(StorageError, match="newer version"):
        Store(tmp_path)


def test_a_respondent_can_be_deleted(engine: Engine) -> None:
    play_until(engine, "t:1", "q.mapping")
    engine.store.delete_respondent("t:1")
    assert engine.store.respondent_ids() == []
    assert os.listdir(engine.store.folder / "respondents") == []
