"""The `selfreview` command: `chat` (the terminal chat) and `run` (the bot)."""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
from contextlib import ExitStack
from datetime import date
from pathlib import Path

from bot.config import ConfigError, Settings
from bot.exports import COORDINATOR_FORMATS, OFFICIAL_FORMATS
from bot.terminal import TERMINAL, TerminalChat, terminal_id, wants_colour
from dialogues.errors import Refusal
from dialogues.programme.programme import Programme
from dialogues.review.content import LANGUAGES
from dialogues.review.diagram import markdown
from dialogues.review.engine import Engine
from dialogues.review.loader import ContentError, default_questionnaire
from storage.atomic import DamagedFileError
from storage.folder_lock import FolderInUseError, FolderLock
from storage.programme import ProgrammeStore
from storage.store import MAX_ID_LENGTH, StorageError, Store


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
        ("run", "start the Telegram bot (the terminal chat when no TELEGRAM_BOT_TOKEN is set)"),
    ):
        command = commands.add_parser(name, help=helptext, description=helptext)
        command.add_argument(
            "--db", type=Path, default=None, help="data folder (default: $SELFREVIEW_DB or ./data)"
        )
        command.add_argument("--lang", choices=LANGUAGES, help="language: sv (default) or en")
        command.add_argument(
            "--as", dest="name", default=None, help="whose review (default: your user name)"
        )
    run = commands.choices["run"]
    run.add_argument("--webhook-url", help="serve a webhook at this public URL instead of polling")
    run.add_argument(
        "--port", type=int, default=8443, help="local port for the webhook (default 8443)"
    )
    run.add_argument(
        "--listen", default="127.0.0.1", help="local address for the webhook (default 127.0.0.1)"
    )
    export = commands.add_parser("export", help="write a respondent's report or data to a file")
    formats = (*OFFICIAL_FORMATS, *COORDINATOR_FORMATS)
    export.add_argument("--format", required=True, choices=formats, help=", ".join(formats))
    export.add_argument("--respondent", help="for pdf, docx, json: whose, e.g. telegram:12345")
    export.add_argument(
        "--municipality",
        default="alla",
        help="for xlsx, csv, zip: a municipality, a county or alla",
    )
    export.add_argument("--out", required=True, type=Path, help="the file to write")
    export.add_argument(
        "--db", type=Path, default=None, help="data folder (default: $SELFREVIEW_DB or ./data)"
    )
    commands.add_parser("diagram", help="print the flow of a review as a Mermaid chart (Markdown)")
    return parser


def _chat(args: argparse.Namespace, folder: Path) -> int:
    engine = Engine(Store(folder))

    def known(respondent_id: str) -> bool:
        return len(respondent_id) <= MAX_ID_LENGTH and engine.is_known(respondent_id)

    respondent_id = terminal_id(args.name or _default_name(), known)
    if len(respondent_id) > MAX_ID_LENGTH:
        longest = MAX_ID_LENGTH - len(TERMINAL)
        raise ConfigError(f"--as: a name of at most {longest} characters, please")
    for stream in (sys.stdin, sys.stdout):
        stream.reconfigure(encoding="utf-8", errors="replace")  # type: ignore[union-attr]
    chat = TerminalChat(
        engine, respondent_id, sys.stdin, sys.stdout, colour=wants_colour(sys.stdout)
    )
    return chat.run(args.lang)


def _export(args: argparse.Namespace, settings: Settings, folder: Path, writes: bool) -> int:
    from bot.exports.files import programme_file, respondent_file  # only exports need them

    engine = Engine(Store(folder, writes=writes))
    programme = Programme(engine, ProgrammeStore(folder), settings.coordinators)
    try:
        if args.format in COORDINATOR_FORMATS:
            scope, _ = programme.parse_scope(args.municipality.split())
            _, data = programme_file(programme, scope, args.format, "sv", date.today())
        elif args.respondent is None:
            raise Refusal("export_respondent_needed")
        else:
            _, data = respondent_file(engine, programme, args.respondent, args.format, date.today())
    except Refusal as refused:
        print(
            f"selfreview: {engine.questionnaire.text(refused.key, 'en', **refused.fields)}",
            file=sys.stderr,
        )
        return 2
    args.out.write_bytes(data)
    print(args.out)
    return 0


def _telegram(args: argparse.Namespace, settings: Settings, folder: Path) -> int:
    # Opt in to durations as timedeltas (PTB's coming default), which the bot already handles.
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    from telegram.error import InvalidToken, NetworkError  # only the bot needs Telegram

    from bot.telegram.app import run

    logging.getLogger().setLevel(logging.INFO)
    engine = Engine(Store(folder))
    try:
        run(settings, engine, args.webhook_url, args.port, args.listen)
    except InvalidToken:
        print(
            "selfreview: Telegram refused the bot token (check TELEGRAM_BOT_TOKEN)", file=sys.stderr
        )
        return 2
    except NetworkError as error:
        print(
            f"selfreview: cannot reach the Telegram Bot API at {settings.api_base_url} ({error})",
            file=sys.stderr,
        )
        return 2
    return 0


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = _parser().parse_args(argv)
    if args.command is None:
        args = _parser().parse_args(["run", *(argv or [])])
    try:
        if args.command == "diagram":
            print(markdown(default_questionnaire()), end="")
            return 0
        settings = Settings.load()
        folder = args.db or settings.db
        with ExitStack() as held:
            if args.command == "export":
                # An export only reads: beside a running bot it reads what the bot wrote.
                try:
                    held.enter_context(FolderLock(folder))
                except FolderInUseError:
                    return _export(args, settings, folder, writes=False)
                return _export(args, settings, folder, writes=True)
            # One process per data folder: taken first, before anything reads or writes it.
            held.enter_context(FolderLock(folder))
            if args.command == "run" and settings.token:
                return _telegram(args, settings, folder)
            return _chat(args, folder)
    except (ContentError, StorageError, DamagedFileError, ConfigError) as error:
        print(f"selfreview: {error}", file=sys.stderr)
        return 2
    except OSError as error:  # the disk refused something at start: one line, no traceback
        where = f"{error.filename}: " if error.filename else ""
        print(f"selfreview: {where}{error.strerror or error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
