"""Reads the questionnaire from YAML and checks it, naming the file and question of every problem."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from dialogues.review.checking import Checker, ContentError, read_yaml
from dialogues.review.commitments_loader import SUGGESTING, load_commitments
from dialogues.review.content import (
    KINDS,
    LANGUAGES,
    READINGS,
    SCALE,
    TO_DEVELOP,
    Area,
    Combination,
    Commitment,
    Condition,
    Option,
    Question,
    Questionnaire,
    Text,
)

CONTENT_DIR = Path(__file__).parent / "content"
QUESTION_KEYS = {
    "id", "kind", "short", "text", "options", "info", "follow_up", "ask_if", "min", "max",
    "combinations", "to_letter", "compare",
}  # fmt: skip
OPTION_KEYS = {"id", "label", "reading", "commitment", "follow_up", "exclusive"}
COMBINATION_KEYS = {"with_any", "without", "reading", "commitment", "label"}
MAX_LABEL = 40  # what a button shows in full on a phone
MAX_COMPARE = 90  # a compare phrase, within a line of the summary

__all__ = ["CONTENT_DIR", "ContentError", "default_questionnaire", "load_questionnaire"]


class _Checker(Checker):
    """Turns one area file's parsed YAML into questions, raising ContentError on the first problem."""

    def option(self, raw: Any, kind: str, commitments: dict[str, Commitment]) -> Option:
        raw = self.mapping(raw, "an option")
        option_id = self.ident(raw.get("id"), "option id")
        what = f"option '{option_id}'"
        self.unknown_keys(raw, OPTION_KEYS, what)
        if kind == "scale" and "label" not in raw:
            label = self.ui[option_id]
        else:
            label = self.text(raw.get("label"), f"{what} label")
        for lang in LANGUAGES:
            if len(label(lang)) > MAX_LABEL:
                self.fail(
                    f"{what} label '{lang}' is over {MAX_LABEL} characters: too long for a button"
                )
        reading = self.reading(raw.get("reading"), what)
        commitment = self.commitment(raw.get("commitment"), reading, what, commitments)
        return Option(
            id=option_id,
            label=label,
            reading=reading,
            commitment=commitment,
            follow_up=self.optional_text(raw.get("follow_up"), f"{what} follow_up"),
            exclusive=bool(raw.get("exclusive", False)),
        )

    def reading(self, reading: Any, what: str) -> str:
        if reading == "weakness":
            self.fail(f"{what}: reading 'weakness' is now 'partial' or 'missing' (see README.md)")
        if reading not in READINGS:
            self.fail(f"{what} has no reading: give reading: {' | '.join(READINGS)}")
        return reading

    def commitment(
        self, commitment: Any, reading: str, what: str, commitments: dict[str, Commitment]
    ) -> str | None:
        """The commitment an answer suggests: one worded for that reading, and only when it calls for one."""
        if reading in SUGGESTING and commitment is None:
            self.fail(f"{what} reads as {reading} but suggests no commitment")
        if commitment is not None and reading not in SUGGESTING:
            self.fail(f"{what} suggests a commitment but reads as {reading}")
        if commitment is None:
            return None
        if commitment not in commitments:
            self.fail(f"{what} suggests unknown commitment '{commitment}'")
        fits = commitments[commitment].fits
        if fits != reading:
            self.fail(
                f"{what} reads as {reading} but suggests commitment '{commitment}', "
                f"which is worded for {fits} answers"
            )
        return commitment

    def combinations(
        self, raw: Any, kind: str, options: tuple[Option, ...], commits: dict[str, Commitment]
    ) -> tuple[Combination, ...]:
        if raw is None:
            return ()
        if kind != "multi" or not isinstance(raw, list):
            self.fail("combinations are a list, and only a multiple-choice question has them")
        known = {option.id for option in options}
        found = []
        for number, item in enumerate(raw, start=1):
            what = f"combination {number}"
            item = self.mapping(item, what)
            self.unknown_keys(item, COMBINATION_KEYS, what)
            lists = {}
            for key in ("with_any", "without"):
                ids = item.get(key)
                if not isinstance(ids, list) or not ids:
                    self.fail(f"{what} needs {key}: a list of option ids")
                for option_id in ids:
                    if option_id not in known:
                        self.fail(f"{what} names '{option_id}', which is not an option here")
                lists[key] = tuple(ids)
            reading = self.reading(item.get("reading"), what)
            if reading not in TO_DEVELOP:
                self.fail(f"{what} must read as {' or '.join(TO_DEVELOP)}")
            found.append(
                Combination(
                    with_any=lists["with_any"],
                    without=lists["without"],
                    reading=reading,
                    commitment=str(self.commitment(item.get("commitment"), reading, what, commits)),
                    label=self.text(item.get("label"), f"{what} label"),
                )
            )
        return tuple(found)

    def options(
        self, raw: Any, kind: str, commitments: dict[str, Commitment]
    ) -> tuple[Option, ...]:
        raw = raw or []
        if not isinstance(raw, list):
            self.fail("options must be a list")
        options = tuple(self.option(item, kind, commitments) for item in raw)
        for option in options:
            if option.id == "dont_know" and option.reading != "find_out":
                self.fail(
                    "option 'dont_know' must read as find_out: not knowing is no proof of a lack"
                )
            if option.id == "dont_know" and kind == "multi" and not option.exclusive:
                self.fail("option 'dont_know' of a multiple choice needs exclusive: true")
        ids = [option.id for option in options]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            self.fail(f"duplicate option id '{duplicates[0]}'")
        if kind == "scale" and tuple(ids) != SCALE:
            self.fail(f"a scale question has exactly the options {', '.join(SCALE)}, in that order")
        if kind in ("single", "multi") and len(options) < 2:
            self.fail(f"a {kind} question needs at least two options")
        if kind == "text" and options:
            self.fail("a text question has no options")
        return options

    def condition(self, raw: Any, known: dict[str, Question]) -> Condition | None:
        if raw is None:
            return None
        raw = self.mapping(raw, "ask_if")
        target = raw.get("question")
        if target not in known:
            self.fail(f"ask_if refers to unknown question '{target}' (it must be asked earlier)")
        answers = raw.get("answer_in")
        if not isinstance(answers, list) or not answers:
            self.fail("ask_if needs answer_in: a list of option ids")
        for answer in answers:
            if known[target].option(answer) is None:
                self.fail(f"ask_if names '{answer}', which is not an option of '{target}'")
        return Condition(question=target, answer_in=tuple(answers))

    def question(
        self, raw: Any, area_id: str, known: dict[str, Question], commits: dict[str, Commitment]
    ) -> Question:
        self.where = "a question"
        raw = self.mapping(raw, "a question")
        question_id = self.ident(raw.get("id"), "question id")
        self.where = f"question '{question_id}'"
        if question_id in known:
            self.fail("duplicate question id")
        self.unknown_keys(raw, QUESTION_KEYS, "the question")
        kind = raw.get("kind")
        if kind not in KINDS:
            self.fail(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
        minimum, maximum = raw.get("min", 0), raw.get("max", 0)
        if kind == "number" and not (isinstance(minimum, int) and isinstance(maximum, int)):
            self.fail("a number question needs whole numbers for min and max")
        if kind == "number" and minimum > maximum:
            self.fail("min is larger than max")
        options = self.options(raw.get("options"), kind, commits)
        return Question(
            id=question_id,
            area=area_id,
            kind=kind,
            short=self.text(raw.get("short"), "short"),
            text=self.text(raw.get("text"), "text"),
            options=options,
            info=self.optional_text(raw.get("info"), "info"),
            follow_up=self.optional_text(raw.get("follow_up"), "follow_up"),
            ask_if=self.condition(raw.get("ask_if"), known),
            minimum=minimum,
            maximum=maximum,
            combinations=self.combinations(raw.get("combinations"), kind, options, commits),
            to_letter=self.to_letter(raw.get("to_letter", False), kind),
            compare=self.compare(raw.get("compare"), options),
        )

    def compare(self, raw: Any, options: tuple[Option, ...]) -> Text | None:
        """The phrase for the strong reading, joined into "I Uppsala län har 5 av 8 kommuner
        {phrase}; …": only where an answer can read as a strength, and no sentence of its own."""
        if raw is None:
            return None
        if not any(option.reading == "strength" for option in options):
            self.fail("compare needs an option that reads as strength: the phrase stands for it")
        phrase = self.text(raw, "compare")
        for lang in LANGUAGES:
            wording = phrase(lang)
            if phrase.fields(lang):
                self.fail(f"compare '{lang}' takes no {{placeholders}}")
            if wording.endswith((".", ";", ":")):
                self.fail(f"compare '{lang}' is part of a sentence: no '{wording[-1]}' at its end")
            if len(wording) > MAX_COMPARE:
                self.fail(f"compare '{lang}' is over {MAX_COMPARE} characters")
        return phrase

    def to_letter(self, raw: Any, kind: str) -> bool:
        if not isinstance(raw, bool) or (raw and kind != "text"):
            self.fail("to_letter is true or false, and only an open (text) question has it")
        return raw


def _load_texts(path: Path) -> dict[str, Text]:
    checker = Checker(path)
    raw = checker.mapping(read_yaml(path).get("texts"), "texts")
    texts = {}
    for key, value in raw.items():
        checker.where = f"text '{key}'"
        texts[key] = checker.text(value, "the text")
    return texts


def _load_area(
    path: Path,
    number: int,
    known: dict[str, Question],
    commitments: dict[str, Commitment],
    ui: dict[str, Text],
) -> Area:
    checker = _Checker(path, ui)
    data = read_yaml(path)
    head = checker.mapping(data.get("area"), "area")
    area_id = checker.ident(head.get("id"), "area id")
    raw_questions = data.get("questions")
    if not isinstance(raw_questions, list) or not raw_questions:
        checker.fail("questions must be a non-empty list")
    questions = []
    for raw in raw_questions:
        question = checker.question(raw, area_id, known, commitments)
        known[question.id] = question
        questions.append(question)
    compared = [question.id for question in questions if question.compare]
    if len(compared) > 1:
        checker.where = f"question '{compared[1]}'"
        checker.fail(f"compare is on one question per area, and '{compared[0]}' has it already")
    checker.where = ""
    return Area(
        id=area_id,
        number=number,
        title=checker.text(head.get("title"), "area title"),
        intro=checker.text(head.get("intro"), "area intro"),
        questions=tuple(questions),
    )


def load_questionnaire(folder: Path = CONTENT_DIR) -> Questionnaire:
    """Load and check ui.yaml, commitments.yaml and the area*.yaml files (in name order)."""
    texts = _load_texts(folder / "ui.yaml")
    for key in SCALE:
        if key not in texts:
            raise ContentError(f"ui.yaml: the scale label '{key}' is missing")
    themes, commitments = load_commitments(folder / "commitments.yaml")
    known: dict[str, Question] = {}
    paths = sorted(folder.glob("area*.yaml"))
    if not paths:
        raise ContentError(f"{folder}: no area*.yaml files")
    areas = [
        _load_area(path, number, known, commitments, texts)
        for number, path in enumerate(paths, start=1)
    ]
    ids = [area.id for area in areas]
    for area in areas:
        if ids.count(area.id) > 1:
            raise ContentError(f"area id '{area.id}' is used by more than one file")
    return Questionnaire(areas=tuple(areas), commitments=commitments, texts=texts, themes=themes)


@cache
def default_questionnaire() -> Questionnaire:
    """The product's own questionnaire, loaded once per process."""
    return load_questionnaire()
