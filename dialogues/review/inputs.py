"""Turns what a respondent typed into an answer, or says in which way it is not one."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from dialogues.errors import Refusal
from dialogues.review.identity import contains_identity_number

MAX_TEXT_LENGTH = 1000

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


# Characters that show nothing: zero-width space and joiners, word joiner, BOM, direction
# marks and overrides, soft hyphen (all "format" characters), and the blank letters
# (Hangul fillers, braille blank) that some keyboards use to send an empty-looking message.
_BLANK_LETTERS = "\u115f\u1160\u3164\uffa0\u2800"
# Emoji tag characters (U+E0020-E007F) are format characters too, but end flags such as
# England's: they are kept at the end of a text that shows something.
_TAGS = range(0xE0020, 0xE0080)


def _is_invisible(char: str) -> bool:
    return char.isspace() or char in _BLANK_LETTERS or unicodedata.category(char) == "Cf"


def visible(raw: str) -> str:
    """The text without invisible characters at its edges: empty when it shows nothing."""
    if all(_is_invisible(char) for char in raw):
        return ""
    start = 0
    while _is_invisible(raw[start]):
        start += 1
    end = len(raw)
    while _is_invisible(raw[end - 1]) and ord(raw[end - 1]) not in _TAGS:
        end -= 1
    return raw[start:end]


def clean_text(raw: str, limit: int = MAX_TEXT_LENGTH) -> str:
    """A free-text answer as it may be stored: not empty, printable, not too long, nobody's id."""
    text = visible(raw.replace("\r\n", "\n").replace("\r", "\n"))
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
    text = visible(raw)
    if not text:
        raise InvalidAnswer("err_empty")
    if text.isdigit() and 1 <= int(text) <= len(choices):
        return choices[int(text) - 1].id
    match = _label_match(text, choices)
    if match is None:
        raise wrong_choice(choices)
    return match.id


def wrong_choice(choices: tuple[Choice, ...]) -> InvalidAnswer:
    """'Choose one of the options 1-4', or for a lone option ("Fortsätt") its name."""
    if len(choices) == 1:
        return InvalidAnswer("err_choice_one", label=choices[0].label)
    return InvalidAnswer("err_choice", count=len(choices))


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
    text = visible(raw)
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
    text = visible(raw)
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
