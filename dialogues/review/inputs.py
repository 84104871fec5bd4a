"""Turns what a respondent typed into an answer, or says in which way it is not one."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from stdnum import luhn
from stdnum.se import personnummer

from dialogues.errors import Refusal

MAX_TEXT_LENGTH = 1000

# Ten or twelve digits, optionally split by '-', '+' or a space before the last four:
# 811228-9874, 8112289874, 19811228-9874, 811228+9874, 811228 9874.
_IDENTITY_NUMBER = re.compile(r"(?<![\d-])(?:\d{8}|\d{6}) ?[-+]? ?\d{4}(?![\d-])")
_NUMBER = re.compile(
    r"^(?:ca\.?|cirka|about|approx\.?|~)?\s*(\d{1,3}(?:[ \u00a0\u202f.,]\d{3})+|\d+)$"
)


class InvalidAnswer(Refusal):
    """Bad input: the same question is asked again, with the explanation."""


@dataclass(frozen=True)
class Choice:
    """One option as a front end shows it."""

    id: str
    label: str
    exclusive: bool = False


def _is_coordination_number(candidate: str) -> bool:
    """Samordningsnummer: a personnummer whose day has 60 added (python-stdnum knows only the first)."""
    digits = re.sub(r"\D", "", candidate)[-10:]
    day = int(digits[4:6])
    if day <= 60:
        return False
    as_birth_date = f"{digits[:4]}{day - 60:02d}-{digits[6:]}"
    try:
        personnummer.get_birth_date(as_birth_date)
    except ValueError:
        return False
    return luhn.is_valid(digits)


def contains_identity_number(text: str) -> bool:
    """True when the text holds a valid Swedish personnummer or samordningsnummer."""
    for match in _IDENTITY_NUMBER.finditer(text):
        candidate = match.group(0)
        if personnummer.is_valid(candidate) or _is_coordination_number(candidate):
            return True
    return False


def clean_text(raw: str, limit: int = MAX_TEXT_LENGTH) -> str:
    """A free-text answer as it may be stored: not empty, printable, not too long, nobody's id."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise InvalidAnswer("err_empty")
    if any(unicodedata.category(char) == "Cc" and char not in "\n\t" for char in text):
        raise InvalidAnswer("err_control")
    if len(text) > limit:
        raise InvalidAnswer("err_too_long", limit=limit, length=len(text))
    if contains_identity_number(text):
        raise InvalidAnswer("err_personnummer")
    return text


def _label_match(text: str, choices: tuple[Choice, ...]) -> Choice | None:
    wanted = text.casefold()
    return next((choice for choice in choices if choice.label.casefold() == wanted), None)


def parse_single(raw: str, choices: tuple[Choice, ...]) -> str:
    """An option by its number (1-based) or its label."""
    text = raw.strip()
    if not text:
        raise InvalidAnswer("err_empty")
    if text.isdigit() and 1 <= int(text) <= len(choices):
        return choices[int(text) - 1].id
    match = _label_match(text, choices)
    if match is None:
        raise InvalidAnswer("err_choice", count=len(choices))
    return match.id


def check_multi(chosen: list[str], choices: tuple[Choice, ...]) -> list[str]:
    """A set of option ids in the options' order; an exclusive option stands alone."""
    by_id = {choice.id: choice for choice in choices}
    if not chosen or any(option_id not in by_id for option_id in chosen):
        raise InvalidAnswer("err_choices", count=len(choices))
    ordered = [choice.id for choice in choices if choice.id in chosen]
    for option_id in ordered:
        if by_id[option_id].exclusive and len(ordered) > 1:
            raise InvalidAnswer("err_exclusive", label=by_id[option_id].label)
    return ordered


def parse_multi(raw: str, choices: tuple[Choice, ...]) -> list[str]:
    """Options by their numbers ("1,3", "1 3", "1;3") or one option by its label."""
    text = raw.strip()
    if not text:
        raise InvalidAnswer("err_empty")
    match = _label_match(text, choices)
    if match is not None:
        return check_multi([match.id], choices)
    parts = [part for part in re.split(r"[,;\s]+", text) if part]
    if not all(part.isdigit() and 1 <= int(part) <= len(choices) for part in parts):
        raise InvalidAnswer("err_choices", count=len(choices))
    return check_multi([choices[int(part) - 1].id for part in parts], choices)


def parse_number(raw: str, minimum: int, maximum: int, choices: tuple[Choice, ...]) -> int | str:
    """A whole number ("1200", "1 200", "ca 1200") within bounds, or an option by its label."""
    text = raw.strip()
    if not text:
        raise InvalidAnswer("err_empty")
    match = _label_match(text, choices)
    if match is not None:
        return match.id
    negative = text.startswith("-")
    number = _NUMBER.match(text.casefold().removeprefix("-"))
    if number is None:
        raise InvalidAnswer("err_number")
    value = int(re.sub(r"\D", "", number.group(1))) * (-1 if negative else 1)
    if not minimum <= value <= maximum:
        raise InvalidAnswer("err_number_range", min=minimum, max=maximum)
    return value
