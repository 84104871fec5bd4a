"""Scheduled reminders: weekly ones at a set hour, and nudges after days without activity.

Each send is claimed in the programme's store before it goes out, under a key naming its
slot, so that no slot is ever sent twice, not even across a restart. A claim is kept as long
as its slot could still come round, and no longer (see `_expired`), so the record of what
was sent stays as small as the programme.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from dialogues.programme.programme import Programme, ProgrammeError

STOCKHOLM = ZoneInfo("Europe/Stockholm")
GRACE = timedelta(hours=6)  # a slot missed while the bot was down is still sent this late
WEEK = timedelta(days=7)  # a weekly schedule's period: an older slot can never be due again
WEEKDAYS = {
    "måndag": 0, "monday": 0, "tisdag": 1, "tuesday": 1, "onsdag": 2, "wednesday": 2,
    "torsdag": 3, "thursday": 3, "fredag": 4, "friday": 4, "lördag": 5, "saturday": 5,
    "söndag": 6, "sunday": 6,
}  # fmt: skip


@dataclass(frozen=True)
class Due:
    """Reminders to send now: to whom, and with which coordinator message."""

    key: str
    respondents: list[dict[str, Any]]
    message: str | None
    nudge: bool


def _parse_time(text: str) -> time:
    try:
        hours, minutes = (int(part) for part in text.replace(".", ":").split(":"))
        return time(hours, minutes)
    except ValueError as error:
        raise ProgrammeError("schedule_usage") from error


class Schedules:
    def __init__(self, programme: Programme) -> None:
        self.programme = programme
        self.store = programme.store

    def add_weekly(self, words: list[str], created_by: int) -> dict[str, Any]:
        """weekly <scope> <weekday> <HH:MM> [message]"""
        scope, rest = self.programme.parse_scope(words)
        if len(rest) < 2 or rest[0].casefold() not in WEEKDAYS:
            raise ProgrammeError("schedule_usage")
        at = _parse_time(rest[1])
        row = self._row(scope, created_by) | {
            "weekday": WEEKDAYS[rest[0].casefold()],
            "time": at.strftime("%H:%M"),
            "message": " ".join(rest[2:]) or None,
        }
        return self._add(row)

    def add_nudge(self, words: list[str], created_by: int) -> dict[str, Any]:
        """nudge <scope> <days>"""
        scope, rest = self.programme.parse_scope(words)
        if len(rest) != 1 or not rest[0].isdigit() or not 1 <= int(rest[0]) <= 365:
            raise ProgrammeError("schedule_usage")
        row = self._row(scope, created_by) | {"nudge_days": int(rest[0])}
        return self._add(row)

    def _row(self, scope: str, created_by: int) -> dict[str, Any]:
        return {
            "scope": scope,
            "created_by": created_by,
            "created": self.programme.clock().isoformat(timespec="seconds"),
        }

    def _add(self, row: dict[str, Any]) -> dict[str, Any]:
        """Store a new schedule under an id no other schedule has."""
        with self.store.open() as programme:
            taken = {other["id"] for other in programme.schedules()}
            row = {"id": next(i for i in iter(_new_id, None) if i not in taken), **row}
            programme.save_schedule(row)
        return row

    def remove(self, schedule_id: str) -> None:
        """The schedule, and the record of what it sent: nothing of it can be due any more."""
        with self.store.open() as programme:
            removed = programme.remove_schedule(schedule_id)
            if removed:
                programme.remove_sent(lambda sent: _schedule_of(sent["key"]) == schedule_id)
        if not removed:
            raise ProgrammeError("schedule_unknown", id=schedule_id)

    def latest_slot(self, row: dict[str, Any], now: datetime) -> datetime | None:
        """The weekly slot that is due now: the latest at or before now, not before the
        schedule was made, and not longer ago than the grace period."""
        local = now.astimezone(STOCKHOLM)
        hour = _parse_time(row["time"])
        day = local.date() - timedelta(days=(local.weekday() - row["weekday"]) % 7)
        slot = datetime.combine(day, hour, tzinfo=STOCKHOLM)
        if slot > local:
            slot -= timedelta(days=7)
        if slot < datetime.fromisoformat(row["created"]) or local - slot > GRACE:
            return None
        return slot

    def due(self, now: datetime) -> list[Due]:
        """Everything to send at this moment, each claimed so that it goes out only once."""
        rows = self.store.schedules()
        weekly = {}
        for row in rows:
            slot = self.latest_slot(row, now) if "weekday" in row else None
            if slot is not None:
                weekly[f"weekly:{row['id']}:{slot.isoformat()}"] = row
        schedule_ids = {row["id"] for row in rows}
        with self.store.open() as programme:  # claims made here drop those that ran out
            programme.remove_sent(partial(_expired, now=now, schedule_ids=schedule_ids))
            claimed = programme.claim(weekly)
        found = [
            Due(key, self.programme.unfinished(weekly[key]["scope"]), weekly[key]["message"], False)
            for key in claimed
        ]
        for row in rows:
            if "nudge_days" in row:
                found.extend(self._nudges(row, now))
        return found

    def _nudges(self, row: dict[str, Any], now: datetime) -> list[Due]:
        quiet_since = now - timedelta(days=row["nudge_days"])
        quiet: dict[str, dict[str, Any]] = {}  # claim key → respondent
        groups = {}
        for respondent in self.programme.unfinished(row["scope"]):
            review = self.programme.respondents.active_review(respondent["id"])
            if review is None:  # unfinished() found one: erased since
                continue
            if datetime.fromisoformat(review["updated"]) <= quiet_since:
                # Once per quiet spell: a later spell's claim replaces this one.
                key = f"nudge:{row['id']}:{respondent['id']}:{review['updated']}"
                quiet[key] = respondent
                groups[key] = f"nudge:{row['id']}:{respondent['id']}"
        if not quiet:
            return []
        with self.store.open() as programme:
            chosen = [quiet[key] for key in programme.claim(quiet, groups)]
        return [Due(f"nudge:{row['id']}:{now.isoformat()}", chosen, None, True)] if chosen else []

    def describe(self, row: dict[str, Any], lang: str) -> str:
        """One schedule as a line: its id, whom it reaches and when."""
        q = self.programme.engine.questionnaire
        scope = self.programme.scope_name(row["scope"], lang)
        if "weekday" in row:
            weekday = q.text(f"weekday_{row['weekday']}", lang)
            return q.text(
                "schedule_weekly_line",
                lang,
                id=row["id"],
                scope=scope,
                weekday=weekday,
                time=row["time"],
            )
        return q.text(
            "schedule_nudge_line", lang, id=row["id"], scope=scope, days=row["nudge_days"]
        )


def _new_id() -> str:
    return secrets.token_hex(3)


def _schedule_of(key: str) -> str | None:
    """The schedule a sent-key belongs to (weekly:<id>:<slot>, nudge:<id>:<whom>:<when>)."""
    kind, _, rest = key.partition(":")
    return rest.partition(":")[0] if kind in ("weekly", "nudge") else None


def _expired(sent: dict[str, Any], now: datetime, schedule_ids: set[str]) -> bool:
    """Whether a record of a send can no longer matter: its schedule is gone, its weekly slot
    lies more than a week back (a slot is due only within GRACE of it), or it is the day's
    follow-up round (follow-up-day:<date>) of a day gone by."""
    kind, _, rest = sent["key"].partition(":")
    try:
        if kind in ("weekly", "nudge"):
            schedule_id, _, detail = rest.partition(":")
            if schedule_id not in schedule_ids:
                return True
            return kind == "weekly" and datetime.fromisoformat(detail) < now - WEEK
        if kind == "follow-up-day":
            return date.fromisoformat(rest) < now.astimezone(STOCKHOLM).date() - timedelta(days=1)
    except ValueError:  # a key of another shape: kept
        return False
    return False
