"""Checking content files: the error that names the file and the place, and the checks every
content file shares (mappings, ids, texts in every language)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, NoReturn

import yaml

from dialogues.review.content import LANGUAGES, Text

# libyaml's parser where PyYAML was built with it: the same safe loading, ten times faster
# (the content is read at every start, before the bot serves).
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str) -> Any:
    """yaml.safe_load, by libyaml when it is there."""
    return yaml.load(text, Loader=SAFE_LOADER)


def read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = parse_yaml(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ContentError(f"{path.name}: cannot be read: {error.strerror}") from error
    except yaml.YAMLError as error:
        raise ContentError(f"{path.name}: is not valid YAML: {error}") from error
    if not isinstance(data, dict):
        raise ContentError(f"{path.name}: must hold a mapping at the top")
    return data


class ContentError(ValueError):
    """The questionnaire content is broken; the message names the file and the question."""


class Checker:
    """Turns one file's parsed YAML into content objects, raising ContentError on the first problem."""

    def __init__(self, path: Path, ui: dict[str, Text] | None = None) -> None:
        self.path = path
        self.where = ""
        self.ui = ui or {}

    def fail(self, problem: str) -> NoReturn:
        place = f"{self.path.name}: {self.where}: " if self.where else f"{self.path.name}: "
        raise ContentError(place + problem)

    def mapping(self, value: Any, what: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(f"{what} must be a mapping of keys to values")
        return value

    def ident(self, value: Any, what: str) -> str:
        if not isinstance(value, str) or not value.replace("_", "").isalnum():
            hint = ' (write yes and no in quotes: "yes")' if isinstance(value, bool) else ""
            self.fail(f"{what} must be a word of letters, digits and _, not {value!r}{hint}")
        return value

    def text(self, value: Any, what: str) -> Text:
        if isinstance(value, dict):
            for lang in LANGUAGES:
                wording = value.get(lang)
                if isinstance(wording, bool):
                    self.fail(f'{what}: \'{lang}\' must be text (write "Yes" and "No" in quotes)')
                if not isinstance(wording, str) or not wording.strip():
                    self.fail(f"{what}: missing translation '{lang}'")
            text = Text(sv=value["sv"].strip(), en=value["en"].strip())
            if text.fields("sv") != text.fields("en"):
                self.fail(f"{what}: the languages use different {{placeholders}}")
            return text
        self.fail(f"{what} needs a wording for each language: {', '.join(LANGUAGES)}")
        raise AssertionError  # unreachable: fail() raises

    def optional_text(self, value: Any, what: str) -> Text | None:
        return None if value is None else self.text(value, what)

    def unknown_keys(self, raw: dict[str, Any], allowed: set[str], what: str) -> None:
        extra = sorted(set(raw) - allowed)
        if extra:
            self.fail(f"{what} has unknown key(s): {', '.join(map(str, extra))}")
