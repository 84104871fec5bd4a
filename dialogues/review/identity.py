"""Finds Swedish personal identity numbers (personnummer, samordningsnummer) in free text.

The rule: ten or twelve digits shaped as a birth date and four more digits are refused
when the date is a real one (a samordningsnummer adds 60 to the day), whatever stands
between the date and the last four: any dash (hyphen, en or em dash, minus sign,
non-breaking hyphen, figure dash), a plus (100 years or older), spaces, or nothing. The
date's own parts may be split by single spaces, evenly ("12 12 12-1212"). The check digit is
*not* required to be right: a mistyped check digit still points at a person, so any
date-shaped number is refused. Phone numbers written in their usual groups
("070-123 45 67", "+46 70 123 45 67") and case numbers ("Dnr 2013/123") do not have that
shape; a phone number written as ten bare digits that happen to form a date does, and is
refused too.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from datetime import date

# A date of six or eight digits, then an optional dash or plus between spaces, then four
# digits; never part of a longer run of digits. The date's year, month and day may be split
# by single spaces, but the same way throughout ("12 12 12", "121212", "1981 12 28"): an
# area code and a phone number ("0410 123456", "08 12012345") split them unevenly. Looked
# for at every starting digit (inside a lookahead), so that one shape cannot hide another.
_FOUR = r" *[-+]? *\d{4}(?!\d)"
_SHAPES = (
    re.compile(rf"(?<!\d)(?=(\d{{4}}(?P<s>[ ]?)\d\d(?P=s)\d\d{_FOUR}))"),  # 19811228-9874
    re.compile(rf"(?<!\d)(?=(\d\d(?P<s>[ ]?)\d\d(?P=s)\d\d{_FOUR}))"),  # 811228-9874
)
_CENTURIES = (18, 19, 20)
_MINUS_SIGNS = "\u2212\u2796\ufe63\uff0d"  # minus sign, heavy minus, small and full-width hyphen


def _plain(text: str) -> str:
    """The text with dashes as '-', spaces as ' ' and invisible characters dropped (each
    character told once: a text repeats its few dozen characters many times)."""
    text = unicodedata.normalize("NFKC", text)
    return text.translate({ord(char): _plain_char(char) for char in set(text)})


@functools.lru_cache(maxsize=4096)
def _plain_char(char: str) -> str | None:
    category = unicodedata.category(char)
    if category == "Cf":
        return None  # zero-width space, soft hyphen, direction marks: they hide nothing here
    if category == "Pd" or char in _MINUS_SIGNS:
        return "-"
    if char.isspace():
        return " "
    return char


def _is_real_date(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _is_date_shaped(digits: str) -> bool:
    """True when 10 or 12 digits begin with a real birth date (day + 60 for samordningsnummer)."""
    if len(digits) == 12:
        if int(digits[:2]) not in _CENTURIES:
            return False
        years = [int(digits[:4])]
        digits = digits[2:]
    else:  # the century is unknown: 29 February needs only one leap year among them
        years = [century * 100 + int(digits[:2]) for century in _CENTURIES]
    month, day = int(digits[2:4]), int(digits[4:6])
    if day > 60:
        day -= 60
    return any(_is_real_date(year, month, day) for year in years)


def contains_identity_number(text: str) -> bool:
    """True when the text holds something shaped as a personnummer or samordningsnummer."""
    plain = _plain(text)
    return any(
        _is_date_shaped(re.sub(r"\D", "", match.group(1)))
        for shape in _SHAPES
        for match in shape.finditer(plain)
    )
