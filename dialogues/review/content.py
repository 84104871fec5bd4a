"""The questionnaire as typed, immutable objects: areas, questions, options, commitments, texts."""

from __future__ import annotations

import string
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

LANGUAGES = ("sv", "en")
DEFAULT_LANGUAGE = "sv"
KINDS = ("single", "multi", "number", "scale", "text")
SCALE = ("yes", "partly", "no", "dont_know")
# How an answer reads (see DOMAIN.md): a strength; something to develop, because it is
# partial or missing; something to find out ("Vet inte"); or a fact to note.
READINGS = ("strength", "partial", "missing", "find_out", "neutral")
TO_DEVELOP = ("partial", "missing")


class Count(int):
    """A whole number that a wording can put in the singular or the plural:
    "{count:# åtagande|# åtaganden}" gives "1 åtagande", "3 åtaganden" (# is the number)."""

    def __format__(self, spec: str) -> str:
        if "|" not in spec:
            return super().__format__(spec)
        one, other = spec.split("|", 1)
        return (one if self == 1 else other).replace("#", str(int(self)))


@dataclass(frozen=True)
class Text:
    """One piece of wording in every language."""

    sv: str
    en: str

    def __call__(self, lang: str, **fields: object) -> str:
        wording = self.en if lang == "en" else self.sv
        if not fields:
            return wording
        counted = {
            name: Count(value) if isinstance(value, int) and not isinstance(value, bool) else value
            for name, value in fields.items()
        }
        return wording.format(**counted)

    def fields(self, lang: str) -> set[str]:
        """The {placeholders} the wording in one language uses."""
        wording = self.en if lang == "en" else self.sv
        return {name for _, name, _, _ in string.Formatter().parse(wording) if name}


@dataclass(frozen=True)
class Theme:
    """A group of related commitments: the letter suggests one merged commitment per theme."""

    id: str
    title: Text
    keep: Text  # offered where the answers in the theme read as strong: keep it up, spread it
    rank: int  # 0 is the most important


@dataclass(frozen=True)
class Commitment:
    id: str
    text: Text
    rank: int  # 0 is the most important
    fits: str = "missing"  # the reading it is worded for: partial, missing or find_out
    theme: str = ""
    short: Text | None = None  # a phrase to join with others of its theme in one sentence


@dataclass(frozen=True)
class Option:
    id: str
    label: Text
    reading: str
    commitment: str | None = None
    follow_up: Text | None = None
    exclusive: bool = False  # in a multiple choice: cannot be combined with other options


@dataclass(frozen=True)
class Condition:
    """Ask a question only when an earlier one was answered with one of some options."""

    question: str
    answer_in: tuple[str, ...]

    def holds(self, answers: dict[str, object]) -> bool:
        """True when the answer fits, and while the earlier question is not reached yet."""
        if self.question not in answers:
            return True
        value = answers[self.question]
        chosen = value if isinstance(value, list) else [value]
        return any(choice in self.answer_in for choice in chosen)


@dataclass(frozen=True)
class Combination:
    """A multiple-choice answer read as a whole: some options chosen and none of others."""

    with_any: tuple[str, ...]
    without: tuple[str, ...]
    reading: str
    commitment: str
    label: Text  # what the summary and the letter say the combination means

    def holds(self, value: object) -> bool:
        chosen = value if isinstance(value, list) else [value]
        return any(i in chosen for i in self.with_any) and not any(
            i in chosen for i in self.without
        )


@dataclass(frozen=True)
class Question:
    id: str
    area: str
    kind: str
    short: Text
    text: Text
    options: tuple[Option, ...] = ()
    info: Text | None = None
    follow_up: Text | None = None
    ask_if: Condition | None = None
    minimum: int = 0
    maximum: int = 0
    combinations: tuple[Combination, ...] = ()  # multiple choice: readings of the mix
    to_letter: bool = False  # an open question whose answer the letter offers as a commitment
    # the phrase for its strong reading, to set the municipality beside its county and the
    # country ("skriftliga, beslutade rutiner mot vräkningar"); one question per area at most
    compare: Text | None = None

    def option(self, option_id: str) -> Option | None:
        return next((option for option in self.options if option.id == option_id), None)

    def is_asked(self, answers: dict[str, object]) -> bool:
        """Whether the question applies, given the answers so far."""
        return self.ask_if is None or self.ask_if.holds(answers)

    def chosen(self, value: object) -> list[Option]:
        """The options an answer picked (none for a typed number or text)."""
        picked = value if isinstance(value, list) else [value]
        return [option for option in self.options if option.id in picked]

    def combined(self, value: object) -> list[Combination]:
        """The readings of the mix that an answer makes (a typed answer makes none)."""
        if value is None:
            return []
        return [combination for combination in self.combinations if combination.holds(value)]

    def follow_up_for(self, value: object) -> Text | None:
        """The follow-up question an answer leads to, if any."""
        if value is None:
            return None
        for option in self.chosen(value):
            if option.follow_up:
                return option.follow_up
        return self.follow_up


@dataclass(frozen=True)
class Area:
    id: str
    number: int
    title: Text
    intro: Text
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Questionnaire:
    areas: tuple[Area, ...]
    commitments: dict[str, Commitment]
    texts: dict[str, Text]
    themes: dict[str, Theme] = field(default_factory=dict)  # in the order of importance

    def text(self, key: str, lang: str, **fields: object) -> str:
        return self.texts[key](lang, **fields)

    @property
    def questions(self) -> Iterator[Question]:
        for area in self.areas:
            yield from area.questions

    @cached_property
    def in_order(self) -> tuple[Question, ...]:
        """Every question, area by area (made once: each answer's progress line counts them)."""
        return tuple(self.questions)

    @cached_property
    def _places(self) -> dict[str, tuple[int, int]]:
        """Each question's place in the whole review and in its area, by id."""
        return {
            question.id: (overall, within)
            for overall, (within, question) in enumerate(
                (within, question)
                for area in self.areas
                for within, question in enumerate(area.questions)
            )
        }

    def question(self, question_id: str) -> Question:
        if question_id not in self._places:
            raise KeyError(question_id)
        return self.in_order[self._places[question_id][0]]

    def place(self, question: Question) -> tuple[int, int]:
        """Where a question stands, counted from 0: in the whole review, and in its area."""
        return self._places[question.id]

    def area(self, area_id: str) -> Area:
        return next(area for area in self.areas if area.id == area_id)
