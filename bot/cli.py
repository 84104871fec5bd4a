"""The `selfreview` command: `chat` (the terminal chat), `run` (the bot), and what an operator
needs beside them: `export`, `diagram`, `health`, `backup`, `restore`, `--version`."""

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
from bot.logs import TEXT, use_format
from bot.terminal import TERMINAL, TerminalChat, terminal_id, wants_colour
from dialogues.errors import Refusal
from dialogues.programme.programme import Programme
from dialogues.review.content import LANGUAGES
from dialogues.review.diagram import markdown
from dialogues.review.engine import Engine
from dialogues.review.loader import ContentError, default_questionnaire
from storage import backup, heartbeat
from storage.atomic import DamagedFileError
from storage.folder_lock import FolderInUseError, FolderLock
from storage.programme import ProgrammeStore
from storage.store import MAX_ID_LENGTH, StorageError, Store


def _default_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "default"


BACKUP_HELP = """Write the data folder, as it is at one moment, to a dated archive
DEST/selfreview-backup-<UTC time>.tar.gz. The copy is taken under the folder's lock, so that no
one writes while it is read: a running bot holds that lock, and the bot writes several files
for one change, so a copy read beside it could mix files from before and after a change.
Stop the bot first, back up, then start it again (a few seconds; Telegram keeps what people
send meanwhile). Left out: the lock, temporary files, the heartbeat and backups/."""

RESTORE_HELP = """Put a backup's data folder back, while no bot runs on the folder. Every
file of the archive is checked to load first. A folder that already holds data is refused,
unless --force: then what is there is first moved to <folder>/backups/before-restore-<time>/."""


def version() -> str:
    """The installed package's version, or the source tree's when it is not installed."""
    import tomllib  # both only here: importing them is a tenth of the bot's start-up
    from importlib import metadata

    try:
        return metadata.version("selfreview")
    except metadata.PackageNotFoundError:
        pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
        try:
            return str(tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"])
        except (OSError, KeyError, tomllib.TOMLDecodeError):
            return "unknown"


class ShowVersion(argparse.Action):
    """--version, looked up only when asked for (not at every start of the bot)."""

    def __init__(self, option_strings: list[str], dest: str, **_: object) -> None:
        super().__init__(option_strings, argparse.SUPPRESS, nargs=0, help="show the version")

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        print(f"selfreview {version()}")
        parser.exit()


def _seconds(raw: str) -> float:
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1
    if not 0 < seconds < float("inf"):
        raise argparse.ArgumentTypeError(f"{raw!r} is not a number of seconds above 0")
    return seconds


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="selfreview",
        description="A municipality's self-review of its work against homelessness.",
    )
    parser.add_argument("--version", action=ShowVersion)
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
    health = commands.add_parser(
        "health",
        help="exit 0 if the bot on the folder runs, hears from Telegram and can write",
        description="Exit 0 when the process holding the data folder is alive, has heard from "
        "Telegram (a poll, a webhook call) within --max-age seconds, and the folder takes a "
        "write; otherwise exit 1 with one line saying why. It only reads (and removes its own "
        "probe file): it never takes the folder's lock.",
    )
    health.add_argument(
        "--max-age",
        type=_seconds,
        default=heartbeat.DEFAULT_MAX_AGE,
        help=f"seconds since the bot last heard from Telegram (default {heartbeat.DEFAULT_MAX_AGE:.0f})",
    )
    saving = commands.add_parser(
        "backup", help="write the data folder to a dated archive", description=BACKUP_HELP
    )
    saving.add_argument("dest", type=Path, help="the folder the archive is written to")
    putting_back = commands.add_parser(
        "restore", help="put a backup back into the data folder", description=RESTORE_HELP
    )
    putting_back.add_argument("archive", type=Path, help="a file `selfreview backup` wrote")
    putting_back.add_argument(
        "--force", action="store_true", help="restore into a folder with data (moved aside first)"
    )
    for command in (health, saving, putting_back):
        command.add_argument(
            "--db", type=Path, default=None, help="data folder (default: $SELFREVIEW_DB or ./data)"
        )
    return parser


def _health(args: argparse.Namespace) -> int:
    """Exit 0 or 1 only (Docker's HEALTHCHECK keeps 2 for itself), with one line either way."""
    try:
        folder = args.db or Settings.load().db
    except ConfigError as error:
        print(f"selfreview: {error}", file=sys.stderr)
        return 1
    problem = heartbeat.problem(folder, args.max_age)
    if problem is not None:
        print(f"selfreview: {problem}", file=sys.stderr)
        return 1
    print(heartbeat.describe(folder))
    return 0


def _backup(args: argparse.Namespace, folder: Path) -> int:
    archive, files = backup.backup(folder, args.dest)
    print(f"{archive} ({files} files)")
    return 0


def _restore(args: argparse.Namespace, folder: Path) -> int:
    restored = backup.restore(folder, args.archive, force=args.force)
    people = "respondent" if restored.respondents == 1 else "respondents"
    what = f"{restored.respondents} {people}" + (" and the programme" if restored.programme else "")
    schema = f" (schema {restored.schema})" if restored.schema is not None else ""
    print(f"restored {what}{schema} from {args.archive} into {folder}")
    if restored.moved_aside is not None:
        print(f"what the folder held before is in {restored.moved_aside}")
    return 0


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
    # Every file is checked (and questions owed seen) by two child processes while this one
    # loads the Telegram library (storage/check_ahead.py).
    from bot.telegram.owed import glance
    from storage.check_ahead import CheckAhead

    checking = CheckAhead(folder, glance)
    from telegram.error import InvalidToken, NetworkError  # only the bot needs Telegram

    from bot.telegram.app import run

    logging.getLogger().setLevel(logging.INFO)
    engine = Engine(checking.store())
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
    logging.basicConfig(level=logging.WARNING, format=TEXT)
    args = _parser().parse_args(argv)
    if args.command is None:
        args = _parser().parse_args(["run", *(argv or [])])
    try:
        if args.command == "diagram":
            print(markdown(default_questionnaire()), end="")
            return 0
        if args.command == "health":
            return _health(args)
        settings = Settings.load()
        use_format(settings.log_format)
        folder = args.db or settings.db
        if args.command == "backup":
            return _backup(args, folder)  # each takes the folder's lock itself
        if args.command == "restore":
            return _restore(args, folder)
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
