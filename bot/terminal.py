"""The terminal chat: the review in a terminal or from piped input, over the same engine as Telegram."""

from __future__ import annotations

import logging
import os
import unicodedata
from collections.abc import Callable
from typing import TextIO

from dialogues.review.engine import Engine, SaveError
from dialogues.review.prompts import Prompt, Reply

log = logging.getLogger(__name__)

BOLD, DIM, RED, RESET = "\033[1m", "\033[2m", "\033[31m", "\033[0m"
TERMINAL = "terminal:"


def terminal_id(name: str, known: Callable[[str], bool]) -> str:
    """Whose review a name is: the name in Unicode's composed form (NFC), so that "Åsa" typed
    as one letter Å or as A and a ring is one person with one review. A review stored under
    another form before names were composed (as typed, or decomposed) stays theirs."""
    composed = TERMINAL + unicodedata.normalize("NFC", name)
    earlier = [TERMINAL + name, TERMINAL + unicodedata.normalize("NFD", name)]
    if known(composed):
        return composed
    return next((form for form in earlier if form != composed and known(form)), composed)


def wants_colour(stream: TextIO) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    return stream.isatty() and "NO_COLOR" not in os.environ


class TerminalChat:
    """Reads lines, passes them to the engine, prints what it says; one respondent per run."""

    def __init__(
        self,
        engine: Engine,
        respondent_id: str,
        stdin: TextIO,
        stdout: TextIO,
        *,
        colour: bool = False,
    ) -> None:
        self.engine = engine
        self.respondent_id = respondent_id
        self.stdin = stdin
        self.stdout = stdout
        self.colour = colour
        self.said_anything = False
        self.interactive = stdin.isatty()  # piped input is not echoed: no "> " marker then
        self.lang = "sv"
        self.commands: dict[str, Callable[[], Reply | str | None]] = {
            "/back": lambda: engine.back(respondent_id),
            "/skip": lambda: engine.skip(respondent_id),
            "/pause": lambda: engine.pause(respondent_id),
            "/resume": lambda: engine.resume(respondent_id),
            "/status": lambda: engine.status(respondent_id),
            "/summary": lambda: engine.summary(respondent_id),
            "/info": lambda: engine.info(respondent_id),
            "/help": lambda: self.text("terminal_help"),
        }

    def text(self, key: str, **fields: object) -> str:
        return self.engine.questionnaire.text(key, self.lang, **fields)

    def say(self, line: str = "", style: str = "") -> None:
        if self.colour and style and line:
            line = f"{style}{line}{RESET}"
        print(line, file=self.stdout, flush=True)
        self.said_anything = True

    def run(self, lang: str | None = None) -> int:
        """Chat until the review's input ends (exit 0) or /quit."""
        reply = self.engine.current(self.respondent_id, lang)
        if lang is not None:
            reply = self.engine.set_language(self.respondent_id, lang)
        self.lang = self.engine.language(self.respondent_id)
        if reply.prompt.kind == "paused":
            reply = self.engine.resume(self.respondent_id)
        elif reply.prompt.step != "intro":
            reply = Reply(reply.prompt, (self.text("resumed"),))
        self.show(reply)
        for raw in self.stdin:
            line = raw.rstrip("\n")
            if line.strip() == "/quit":
                break
            self.handle(line)
        self.say()
        self.say(self.text("terminal_bye"))
        return 0

    def handle(self, line: str) -> None:
        command = line.strip().split(" ", 1)[0].lower() if line.strip().startswith("/") else None
        try:
            if command is None:
                self.show(self.engine.answer(self.respondent_id, line))
                return
            action = self.commands.get(command)
            if action is None:
                self.say(self.text("terminal_unknown_command"), RED)
                return
            result = action()
            if isinstance(result, Reply):
                self.show(result)
            else:
                self.say(result)
                self.say()
                self.show_prompt(self.engine.current(self.respondent_id).prompt)
        except SaveError:
            log.error("could not save an answer")  # the reason is in the exception; no answer text
            self.say(self.text("err_save"), RED)
            self.show_prompt(self.engine.current(self.respondent_id).prompt)

    def show(self, reply: Reply) -> None:
        for notice in reply.notices:
            self.say(notice)
            self.say()
        if reply.error:
            self.say(reply.error, RED)
        if reply.ack:
            self.say(reply.ack, DIM)
        self.show_prompt(reply.prompt)
        if reply.prompt.kind == "done" and not reply.error:
            self.say()
            self.say(self.engine.summary(self.respondent_id))

    def show_prompt(self, prompt: Prompt) -> None:
        if self.said_anything:
            self.say()
        if prompt.progress:
            self.say(f"[{prompt.progress}]", DIM)
        self.say(prompt.text, BOLD)
        if prompt.kind in ("single", "multi"):
            for number, choice in enumerate(prompt.options, start=1):
                mark = " ✓" if choice.id in prompt.selected else ""
                self.say(f"  {number}. {choice.label}{mark}")
            if prompt.kind == "multi":
                self.say(self.text("terminal_multi_hint"), DIM)
        elif prompt.options and prompt.kind == "text":  # e.g. "Klar": typed as its number too
            for number, choice in enumerate(prompt.options, start=1):
                self.say(f"  {number}. {choice.label}")
        elif prompt.options:
            labels = " / ".join(choice.label for choice in prompt.options)
            self.say(f"  ({self.text('terminal_or')} {labels})", DIM)
        if prompt.current:
            self.say(self.text("previous_answer", answer=prompt.current), DIM)
        if prompt.optional:
            self.say(self.text("optional"), DIM)
        if prompt.info:
            self.say(self.text("terminal_info_hint"), DIM)
        if self.interactive and prompt.kind not in ("done", "paused"):
            print("> ", end="", file=self.stdout, flush=True)
