"""Scheduled reminders: weekly ones at a set hour, and nudges after days without activity.

Each send is claimed in the programme's store before it goes out, under a key naming its
slot, so that no slot is ever sent twice, not even across a restart.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from dialogues.programme.programme import Programme, ProgrammeError

STOCKHOLM = ZoneInfo("Europe/Stockholm")
GRACE = timedelta(hours=6)  # a slot missed while the bot was down is still sent this late
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
        self.store.save_schedule(row)
        return row

    def add_nudge(self, words: list[str], created_by: int) -> dict[str, Any]:
        """nudge <scope> <days>"""
        scope, rest = self.programme.parse_scope(words)
        if len(rest) != 1 or not rest[0].isdigit() or not 1 <= int(rest[0]) <= 365:
            raise ProgrammeError("schedule_usage")
        row = self._row(scope, created_by) | {"nudge_days": int(rest[0])}
        self.store.save_schedule(row)
        return row

    def _row(self, scope: str, created_by: int) -> dict[str, Any]:
        return {
            "id": secrets.token_hex(3),
            "scope": scope,
            "created_by": created_by,
            "created": self.programme.clock().isoformat(timespec="seconds"),
        }

    def remove(self, schedule_id: str) -> None:
        if not self.store.remove_schedule(schedule_id):
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
        found = []
        for row in self.store.schedules():
            if "weekday" in row:
                slot = self.latest_slot(row, now)
                key = f"weekly:{row['id']}:{slot.isoformat()}" if slot else None
                if key and self.store.claim(key):
                    found.append(
                        Due(key, self.programme.unfinished(row["scope"]), row["message"], False)
                    )
            else:
                found.extend(self._nudges(row, now))
        return found

    def _nudges(self, row: dict[str, Any], now: datetime) -> list[Due]:
        quiet_since = now - timedelta(days=row["nudge_days"])
        chosen = []
        for respondent in self.programme.unfinished(row["scope"]):
            review = self.programme.respondents.active_review(respondent["id"])
            if review is None:  # unfinished() found one: erased since
                continue
            last = datetime.fromisoformat(review["updated"])
            key = (
                f"nudge:{row['id']}:{respondent['id']}:{review['updated']}"  # once per quiet spell
            )
            if last <= quiet_since and self.store.claim(key):
                chosen.append(respondent)
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
