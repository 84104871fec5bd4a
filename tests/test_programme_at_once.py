"""Many changes to the programme at the same moment, in threads as the bot makes them
(`off_loop`): officials joining while coordinators invite and start new rounds. Every
change must be recorded; none may overwrite another."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from dialogues.programme.programme import Programme
from storage.programme import ProgrammeStore
from tests.conftest import make_engine

BOSS = 900
JOINERS, ROUNDS = 50, 3
INVITED = ["Umeå"] * 5  # five coordinators adding one municipality at once


@pytest.fixture
def no_fsync(monkeypatch: pytest.MonkeyPatch) -> None:
    """What is under test is who overwrites whom, not what reaches the disk (fsync takes ~8 ms
    here: hundreds of writes a run). Every write still replaces its file as it does."""
    monkeypatch.setattr(os, "fsync", lambda fd: None)


def _all_at_once(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run every call in a thread of its own, all let go at the same moment."""
    start = threading.Barrier(len(calls))

    def when_all_ready(call: Callable[[], Any]) -> Any:
        start.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        futures: list[Future[Any]] = [pool.submit(when_all_ready, call) for call in calls]
        return [future.result() for future in futures]


def _joins_invites_and_rounds(folder: Path) -> None:
    engine = make_engine(folder)
    programme = Programme(engine, ProgrammeStore(folder), frozenset({BOSS}))
    token = programme.invite("Uppsala", added_by=BOSS).token
    joiners = [f"telegram:{n}" for n in range(1, JOINERS + 1)]
    calls: list[Callable[[], Any]] = [
        *(lambda rid=rid, n=n: programme.join(rid, n, token) for n, rid in enumerate(joiners, 1)),
        *(lambda name=name: programme.invite(name, added_by=BOSS) for name in INVITED),
        *(lambda: programme.new_round("Uppsala") for _ in range(ROUNDS)),
    ]
    results = _all_at_once(calls)

    uppsala = programme.store.municipality("0380")
    assert uppsala is not None
    assert sorted(uppsala["members"]) == sorted(joiners), "a member was lost"
    assert uppsala["round"] == 1 + ROUNDS, "a new round was lost"
    assert sorted(number for _, number in results[-ROUNDS:]) == [2, 3, 4]
    for invitation in results[JOINERS : JOINERS + len(INVITED)]:
        stored = programme.store.municipality(invitation.municipality.code)
        assert stored is not None and stored["token"] == invitation.token, "a link not stored"
    # Everyone is in the municipality's round, whether they joined before a new round or after.
    assert {engine.store.active_review(rid).get("round", 1) for rid in joiners} == {1 + ROUNDS}


def test_joins_invitations_and_new_rounds_at_once_are_all_recorded(
    tmp_path: Path, no_fsync: None
) -> None:
    for attempt in range(3):  # about half a second each; the proof below runs it 20 times
        _joins_invites_and_rounds(tmp_path / str(attempt))


def test_coordinators_adding_one_municipality_and_starting_rounds_at_once(
    tmp_path: Path, no_fsync: None
) -> None:
    for attempt in range(10):
        folder = tmp_path / str(attempt)
        engine = make_engine(folder)
        programme = Programme(engine, ProgrammeStore(folder), frozenset({BOSS}))
        # A second store on the same file (as a command run beside the bot has): one lock.
        beside = Programme(engine, ProgrammeStore(folder), frozenset({BOSS}))
        programme.invite("Uppsala", added_by=BOSS)
        results = _all_at_once(
            [
                *(partial(p.invite, "Umeå", added_by=BOSS) for p in [programme, beside] * 5),
                *(partial(p.new_round, "Uppsala") for p in [programme, beside] * 5),
            ]
        )
        stored = programme.store.municipality("2480")
        assert stored is not None
        assert {invitation.token for invitation in results[:10]} == {stored["token"]}
        assert programme.round_of("0380") == 11


@pytest.mark.proof  # the same 20 times, every write on disk as in production: about a minute
def test_joins_invitations_and_new_rounds_at_once_are_all_recorded_durably(
    tmp_path: Path,
) -> None:
    for attempt in range(20):
        _joins_invites_and_rounds(tmp_path / str(attempt))
