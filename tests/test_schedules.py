"""Scheduled reminders: due at their slot, never twice, not even across a restart."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from dialogues.programme.programme import Programme, ProgrammeError
from dialogues.programme.schedules import STOCKHOLM, Schedules
from storage.programme import ProgrammeStore
from tests.conftest import make_engine, play_until

BOSS = 900
MONDAY_0900_STOCKHOLM = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # winter time: UTC+1


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def programme_at(folder: Path, clock: Clock) -> Programme:
    """A programme as a freshly started bot has it: nothing in memory."""
    return Programme(make_engine(folder), ProgrammeStore(folder), frozenset({BOSS}), clock=clock)


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 11, 24, 12, 0, tzinfo=UTC))


def with_members(folder: Path, clock: Clock, count: int) -> Programme:
    programme = programme_at(folder, clock)
    token = programme.invite("Uppsala", added_by=BOSS).token
    for number in range(count):
        programme.join(f"telegram:{number}", number, token)
    return programme


def test_a_weekly_reminder_is_due_once_per_slot_across_restarts(
    tmp_path: Path, clock: Clock
) -> None:
    programme = with_members(tmp_path, clock, 3)
    row = Schedules(programme).add_weekly(["Uppsala", "måndag", "09:00", "Mötet", "i", "dag"], BOSS)
    assert (row["weekday"], row["time"], row["message"]) == (0, "09:00", "Mötet i dag")
    assert Schedules(programme).due(MONDAY_0900_STOCKHOLM - timedelta(minutes=1)) == []
    due = Schedules(programme).due(MONDAY_0900_STOCKHOLM + timedelta(seconds=30))
    assert [len(d.respondents) for d in due] == [3]
    assert due[0].message == "Mötet i dag"
    assert Schedules(programme).due(MONDAY_0900_STOCKHOLM + timedelta(minutes=1)) == []
    restarted = programme_at(tmp_path, clock)  # the bot restarted: the slot stays sent
    assert Schedules(restarted).due(MONDAY_0900_STOCKHOLM + timedelta(minutes=5)) == []
    next_week = Schedules(restarted).due(MONDAY_0900_STOCKHOLM + timedelta(days=7, seconds=10))
    assert [len(d.respondents) for d in next_week] == [3]


def test_a_slot_missed_long_ago_is_not_sent_late(tmp_path: Path, clock: Clock) -> None:
    programme = with_members(tmp_path, clock, 1)
    Schedules(programme).add_weekly(["alla", "måndag", "09:00"], BOSS)
    assert (
        Schedules(programme).due(MONDAY_0900_STOCKHOLM + timedelta(hours=2)) != []
    )  # within grace
    Schedules(programme).add_weekly(["alla", "tisdag", "09:00"], BOSS)
    assert Schedules(programme).due(MONDAY_0900_STOCKHOLM + timedelta(days=1, hours=7)) == []


def test_summer_time_is_swedish_time(tmp_path: Path) -> None:
    clock = Clock(datetime(2027, 6, 1, tzinfo=UTC))
    programme = with_members(tmp_path, clock, 1)
    Schedules(programme).add_weekly(["alla", "måndag", "09:00"], BOSS)
    monday_0900_summer = datetime(2027, 6, 7, 7, 0, 5, tzinfo=UTC)  # UTC+2
    assert Schedules(programme).due(monday_0900_summer - timedelta(minutes=1)) == []
    assert Schedules(programme).due(monday_0900_summer) != []


def test_finished_and_quiet_respondents_get_no_reminder(tmp_path: Path, clock: Clock) -> None:
    programme = with_members(tmp_path, clock, 3)
    programme.set_reminders("telegram:1", on=False)
    review = programme.engine.store.active_review("telegram:2")
    programme.engine.store.save_review(
        "telegram:2", {**review, "finished": "2026-11-25T10:00:00+00:00"}
    )
    Schedules(programme).add_weekly(["Uppsala", "måndag", "09:00"], BOSS)
    (due,) = Schedules(programme).due(MONDAY_0900_STOCKHOLM)
    assert [r["id"] for r in due.respondents] == ["telegram:0"]


def test_a_nudge_comes_once_per_quiet_spell(tmp_path: Path, clock: Clock) -> None:
    programme = with_members(tmp_path, clock, 2)
    Schedules(programme).add_nudge(["Uppsala", "7"], BOSS)
    joined = datetime.fromisoformat(programme.engine.store.active_review("telegram:0")["updated"])
    assert Schedules(programme).due(joined + timedelta(days=6)) == []
    (due,) = Schedules(programme).due(joined + timedelta(days=7, minutes=1))
    assert {r["id"] for r in due.respondents} == {"telegram:0", "telegram:1"}
    assert Schedules(programme_at(tmp_path, clock)).due(joined + timedelta(days=8)) == []
    play_until(programme.engine, "telegram:0", "q.knowledge")  # active again: a new quiet spell
    later = datetime.fromisoformat(programme.engine.store.active_review("telegram:0")["updated"])
    (due,) = Schedules(programme).due(later + timedelta(days=7, minutes=1))
    assert [r["id"] for r in due.respondents] == ["telegram:0"]


def test_bad_schedules_are_explained(tmp_path: Path, clock: Clock) -> None:
    schedules = Schedules(with_members(tmp_path, clock, 0))
    for words in (
        ["Uppsala", "blursday", "09:00"],
        ["Uppsala", "måndag", "9"],
        ["Narnia", "måndag", "09:00"],
    ):
        with pytest.raises(ProgrammeError) as refused:
            schedules.add_weekly(words, BOSS)
        assert refused.value.key in ("schedule_usage", "remind_usage")
    with pytest.raises(ProgrammeError):
        schedules.add_nudge(["Uppsala", "0"], BOSS)
    with pytest.raises(ProgrammeError) as refused:
        schedules.remove("nope")
    assert refused.value.key == "schedule_unknown"


def test_forgetting_someone_leaves_no_trace_in_the_programme(tmp_path: Path, clock: Clock) -> None:
    programme = with_members(tmp_path, clock, 2)
    with pytest.raises(ProgrammeError):
        programme.join("telegram:0", 0, "wrong-code-0000")
    Schedules(programme).add_nudge(["Uppsala", "7"], BOSS)
    joined = datetime.fromisoformat(programme.engine.store.active_review("telegram:0")["updated"])
    Schedules(programme).due(joined + timedelta(days=8))
    assert "telegram:0" in (tmp_path / "programme.json").read_text(encoding="utf-8")
    programme.forget("telegram:0", 0)
    on_disk = (tmp_path / "programme.json").read_text(encoding="utf-8")
    assert "telegram:0" not in on_disk and '"user_id":0' not in on_disk
    assert "telegram:1" in on_disk  # the others stay
    assert programme.engine.store.respondent_ids() == ["telegram:1"]


def _a_programme_over(weeks: int, folder: Path, clock: Clock) -> list[tuple[int, int]]:
    """Weeks of a weekly reminder, daily nudges, daily follow-up rounds and a wrong code a
    day: how many records of sends and of wrong codes the programme's file holds each day."""
    programme = with_members(folder, clock, 2)
    schedules = Schedules(programme)
    schedules.add_weekly(["Uppsala", "måndag", "09:00"], BOSS)
    schedules.add_nudge(["Uppsala", "1"], BOSS)
    removed = schedules.add_nudge(["alla", "2"], BOSS)
    sizes = []
    for day in range(7 * weeks):
        now = MONDAY_0900_STOCKHOLM + timedelta(days=day, seconds=30)
        clock.now = now
        for number in range(2):  # each active a little, so each quiet spell is a new one
            review = programme.engine.store.active_review(f"telegram:{number}")
            updated = (now - timedelta(days=1 + number)).isoformat(timespec="seconds")
            programme.engine.store.save_review(f"telegram:{number}", {**review, "updated": updated})
        assert schedules.due(now)
        assert programme.store.claim(f"follow-up-day:{now.astimezone(STOCKHOLM).date()}")
        with pytest.raises(ProgrammeError):
            programme.join(f"telegram:{1000 + day}", 1000 + day, "wrong-code-0000")
        if day == 10:
            schedules.remove(removed["id"])
        stored = json.loads((folder / "programme.json").read_text(encoding="utf-8"))
        sizes.append((len(stored["sent"]), len(stored["attempts"])))
    return sizes


@pytest.fixture
def no_fsync(monkeypatch: pytest.MonkeyPatch) -> None:
    """Weeks of writes; what is tested is what stays in the file, not that it reaches the disk."""
    monkeypatch.setattr(os, "fsync", lambda fd: None)


def test_what_was_sent_and_wrong_codes_are_kept_only_while_they_matter(
    tmp_path: Path, clock: Clock, no_fsync: None
) -> None:
    sizes = _a_programme_over(8, tmp_path, clock)
    assert max(sent for sent, _ in sizes[14:]) <= 5  # a slot, a nudge each, two follow-up days
    assert max(attempts for _, attempts in sizes) <= 2  # today's wrong codes, and yesterday's


@pytest.mark.proof  # the same over a year
def test_a_year_of_reminders_leaves_the_programme_as_small(
    tmp_path: Path, clock: Clock, no_fsync: None
) -> None:
    sizes = _a_programme_over(52, tmp_path, clock)
    assert max(sent for sent, _ in sizes[14:]) <= 5
    assert max(attempts for _, attempts in sizes) <= 2
