"""Reading a reply to a prompt: typed text, or options picked from buttons, into a value."""

from __future__ import annotations

from datetime import date

from dialogues.review import flow
from dialogues.review.dates import parse_due_date
from dialogues.review.inputs import (
    InvalidAnswer,
    check_multi,
    clean_text,
    parse_multi,
    parse_number,
    parse_single,
    visible,
    wrong_choice,
)
from dialogues.review.prompts import Prompt

MAX_ROLE_LENGTH = 100


def read_typed(prompt: Prompt, raw: str, today: date) -> object:
    """An option's number or label, a number, a date or free text, as the prompt expects."""
    if prompt.kind == "single":
        return parse_single(raw, prompt.options)
    if prompt.kind == "multi":
        return _at_most(prompt, parse_multi(raw, prompt.options))
    if prompt.kind == "number":
        return parse_number(raw, prompt.minimum, prompt.maximum, prompt.options)
    if prompt.kind == "date":
        return parse_due_date(raw, today).isoformat()
    wanted = visible(raw).casefold()
    for number, choice in enumerate(prompt.options, start=1):
        if wanted in (choice.label.casefold(), str(number)):  # "Klar", or its number
            return choice.id
    return clean_text(raw, MAX_ROLE_LENGTH) if prompt.step == flow.ROLE else clean_text(raw)


def _at_most(prompt: Prompt, chosen: list[str]) -> list[str]:
    """A multiple choice with a limit (the letter's list) takes no more than it."""
    if prompt.maximum and len(chosen) > prompt.maximum:
        raise InvalidAnswer("err_too_many", count=prompt.maximum)
    return chosen


def read_chosen(prompt: Prompt, option_ids: list[str]) -> object:
    """Options picked from buttons: one of the prompt's, or several for a multiple choice."""
    if prompt.kind == "multi":
        return _at_most(prompt, check_multi(option_ids, prompt.options))
    known = {choice.id for choice in prompt.options}
    if len(option_ids) != 1 or option_ids[0] not in known:
        raise wrong_choice(prompt.options)
    return option_ids[0]
