"""Reads commitments.yaml: the letter's themes, and the commitments each answer may suggest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dialogues.review.checking import Checker, read_yaml
from dialogues.review.content import LANGUAGES, Commitment, Theme

THEME_KEYS = {"id", "title", "keep"}
COMMITMENT_KEYS = {"id", "theme", "for", "short", "text"}
SUGGESTING = ("partial", "missing", "find_out")  # the readings that suggest a commitment
MAX_TITLE = 30  # a theme's title is a button, with a tick before it
MAX_SHORT = 90  # a short phrase is joined with others of its theme into one sentence
FIND_OUT = {"sv": "ta reda på", "en": "find out"}  # how every find_out phrase begins


def _themes(checker: Checker, raw: Any) -> dict[str, Theme]:
    if not isinstance(raw, list) or not raw:
        checker.fail("themes must be a non-empty list, most important first")
    themes: dict[str, Theme] = {}
    for rank, item in enumerate(raw):
        item = checker.mapping(item, "a theme")
        theme_id = checker.ident(item.get("id"), "theme id")
        checker.where = f"theme '{theme_id}'"
        if theme_id in themes:
            checker.fail("duplicate theme id")
        checker.unknown_keys(item, THEME_KEYS, "the theme")
        title = checker.text(item.get("title"), "title")
        for lang in LANGUAGES:
            if len(title(lang)) > MAX_TITLE:
                checker.fail(
                    f"title '{lang}' is over {MAX_TITLE} characters: too long for a button"
                )
        themes[theme_id] = Theme(theme_id, title, checker.text(item.get("keep"), "keep"), rank)
    checker.where = ""
    return themes


def _short(checker: Checker, raw: Any, fits: str) -> Any:
    short = checker.text(raw, "short")
    for lang in LANGUAGES:
        phrase = short(lang)
        if len(phrase) > MAX_SHORT or phrase.endswith("."):
            checker.fail(
                f"short '{lang}' must be a phrase of at most {MAX_SHORT} characters, no period"
            )
        if (fits == "find_out") != phrase.casefold().startswith(FIND_OUT[lang]):
            checker.fail(
                f"short '{lang}' must begin with '{FIND_OUT[lang]}' exactly when the commitment is "
                "for find_out: not knowing calls for finding out, never for an action"
            )
    return short


def load_commitments(path: Path) -> tuple[dict[str, Theme], dict[str, Commitment]]:
    """The themes, and the commitments in order of importance, each in a known theme."""
    checker = Checker(path)
    data = read_yaml(path)
    themes = _themes(checker, data.get("themes"))
    raw = data.get("commitments")
    if not isinstance(raw, list):
        checker.fail("commitments must be a list, most important first")
    commitments: dict[str, Commitment] = {}
    for rank, item in enumerate(raw):
        item = checker.mapping(item, "a commitment")
        commitment_id = checker.ident(item.get("id"), "commitment id")
        checker.where = f"commitment '{commitment_id}'"
        if commitment_id in commitments:
            checker.fail("duplicate commitment id")
        checker.unknown_keys(item, COMMITMENT_KEYS, "the commitment")
        fits = item.get("for")
        if fits not in SUGGESTING:
            checker.fail(f"give for: {' | '.join(SUGGESTING)} (the answers it is worded for)")
        theme = item.get("theme")
        if theme not in themes:
            checker.fail(f"give theme: one of {', '.join(themes)}")
        commitments[commitment_id] = Commitment(
            commitment_id,
            checker.text(item.get("text"), "text"),
            rank,
            fits,
            theme,
            _short(checker, item.get("short"), fits),
        )
    checker.where = ""
    empty = [theme for theme in themes if not any(c.theme == theme for c in commitments.values())]
    if empty:
        checker.fail(f"theme '{empty[0]}' has no commitments")
    return themes, commitments
