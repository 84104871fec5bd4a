"""Target dates for commitments, typed the Swedish or the ISO way."""

from __future__ import annotations

import calendar
import re
from datetime import date

from dialogues.review.inputs import InvalidAnswer

MAX_YEARS_AHEAD = 10

_MONTHS = {
    "jan": 1, "januari": 1, "january": 1,
    "feb": 2, "februari": 2, "february": 2,
    "mar": 3, "mars": 3, "march": 3,
    "apr": 4, "april": 4,
    "maj": 5, "may": 5,
    "jun": 6, "juni": 6, "june": 6,
    "jul": 7, "juli": 7, "july": 7,
    "aug": 8, "augusti": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9,
    "okt": 10, "oktober": 10, "oct": 10, "october": 10,
    "nov": 11, "november": 11,
    "dec": 12, "december": 12,
}  # fmt: skip

_ISO = re.compile(r"^(\d{4})-?(\d{1,2})-?(\d{1,2})$")  # 2027-06-30, 20270630
_NUMERIC_DAY_FIRST = re.compile(r"^(\d{1,2})[/.](\d{1,2})(?:[-/. ]\s*(\d{2}|\d{4}))?$")  # 30/6 2027
_DAY_MONTH_NAME = re.compile(r"^(\d{1,2})\.?\s+([a-zåäö]+)\.?(?:\s+(\d{4}))?$")  # 30 juni 2027
_MONTH_NAME_DAY = re.compile(
    r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?(?:\s+(\d{4}))?$"
)  # June 30, 2027
_MONTH_YEAR = re.compile(
    r"^(?:(?:i|in|by|end of|slutet av)\s+)?([a-zåäö]+)\.?\s+(\d{4})$"
)  # juni 2027
_QUARTER = re.compile(
    r"^(?:q|kv|kvartal|quarter)\s*([1-4])[\s,/-]*(\d{4})$|^(\d{4})[\s,/-]*(?:q|kv)\s*([1-4])$"
)  # Q2 2027, kv 2 2027, kvartal 2 2027, 2027-Q2


def _end_of_month(year: int, month: int) -> date:
    """The last day of a month: where a plan says "juni 2027", it means by the end of it."""
    return date(year, month, calendar.monthrange(year, month)[1])


def _build(year: int | None, month: int, day: int, today: date) -> date:
    if year is None:
        # No year: the next time that day comes round.
        year = today.year
        if (month, day) <= (today.month, today.day):
            year += 1
    elif year < 100:
        year += 2000
    try:
        return date(year, month, day)
    except ValueError as error:
        raise InvalidAnswer("err_date") from error


def _read(text: str, today: date) -> date:
    if match := _ISO.match(text):
        year, month, day = map(int, match.groups())
        return _build(year, month, day, today)
    if match := _NUMERIC_DAY_FIRST.match(text):
        day, month = int(match[1]), int(match[2])
        return _build(int(match[3]) if match[3] else None, month, day, today)
    if (match := _DAY_MONTH_NAME.match(text)) and match[2] in _MONTHS:
        return _build(int(match[3]) if match[3] else None, _MONTHS[match[2]], int(match[1]), today)
    if (match := _MONTH_NAME_DAY.match(text)) and match[1] in _MONTHS:
        return _build(int(match[3]) if match[3] else None, _MONTHS[match[1]], int(match[2]), today)
    if (match := _MONTH_YEAR.match(text)) and match[1] in _MONTHS:
        return _end_of_month(int(match[2]), _MONTHS[match[1]])
    if match := _QUARTER.match(text):
        quarter, in_year = (match[1], match[2]) if match[1] else (match[4], match[3])
        return _end_of_month(int(in_year), 3 * int(quarter))
    raise InvalidAnswer("err_date")


def parse_due_date(raw: str, today: date) -> date:
    """A date after today and within ten years: 2027-06-30, 20270630, 30/6 2027, 30/6-27,
    30 juni 2027; a month or a quarter means its last day (juni 2027, June 2027, Q2 2027)."""
    parsed = _read(" ".join(raw.strip().casefold().split()), today)
    if parsed <= today:
        raise InvalidAnswer("err_date_past")
    if parsed.year > today.year + MAX_YEARS_AHEAD:
        raise InvalidAnswer("err_date_far")
    return parsed


def parse_past_day(raw: str, today: date) -> date:
    """A day that has come: today ("idag", "today") or earlier, e.g. when a body decided."""
    text = " ".join(raw.strip().casefold().split())
    if text in ("idag", "i dag", "today"):
        return today
    parsed = _read(text, today)
    if parsed > today:
        raise InvalidAnswer("err_date_future")
    return parsed
