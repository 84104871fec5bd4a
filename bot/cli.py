"""The `selfreview` command: `chat` (the terminal chat) and `run` (the bot)."""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
from pathlib import Path

from bot.terminal import TerminalChat, wants_colour
from dialogues.content import LANGUAGES
from dialogues.diagram import markdown
from dialogues.engine import Engine
from dialogues.loader import ContentError, default_questionnaire
from storage.atomic import DamagedFileError
from storage.store import StorageError, Store

DEFAULT_DB = Path("data")


def _default_db() -> Path:
    return Path(os.environ.get("SELFREVIEW_DB") or DEFAULT_DB)


def _default_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "default"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="selfreview",
        description="A municipality's self-review of its work against homelessness.",
    )
    commands = parser.add_subparsers(dest="command")
    for name, helptext in (
        ("chat", "the review as a chat in this terminal (or from piped input)"),
        ("run", "start the bot (the terminal chat when no Telegram token is set)"),
    ):
        command = commands.add_parser(name, help=helptext, description=helptext)
        command.add_argument(
            "--db", type=Path, default=None, help="data folder (default: $SELFREVIEW_DB or ./data)"
        )
        command.add_argument("--lang", choices=LANGUAGES, help="language: sv (default) or en")
        command.add_argument(
            "--as", dest="name", default=None, help="whose review (default: your user name)"
        )
    commands.add_parser("diagram", help="print the flow of a review as a Mermaid chart (Markdown)")
    return parser


def _chat(args: argparse.Namespace) -> int:
    engine = Engine(Store(args.db or _default_db()))
    respondent_id = f"terminal:{args.name or _default_name()}"
    for stream in (sys.stdin, sys.stdout):
        stream.reconfigure(encoding="utf-8", errors="replace")  # type: ignore[union-attr]
    chat = TerminalChat(
        engine, respondent_id, sys.stdin, sys.stdout, colour=wants_colour(sys.stdout)
    )
    return chat.run(args.lang)


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = _parser().parse_args(argv)
    if args.command is None:
        args = _parser().parse_args(["run", *(argv or [])])
    try:
        if args.command == "diagram":
            print(markdown(default_questionnaire()), end="")
            return 0
        return _chat(args)
    except (ContentError, StorageError, DamagedFileError) as error:
        print(f"selfreview: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
