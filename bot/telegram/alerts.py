"""A short message to the operators' chat (SELFREVIEW_ADMIN_CHAT) when an unexpected error
happens, so that a failure is noticed without anyone reading the log.

It says what kind of error and where in our code, and whose update it was as the log's hashed
id: never the error's message, which may quote what a person typed. At most one message per
INTERVAL; errors within it are held back and told, counted by kind, in one message at its end.
A chat that cannot be reached is logged and otherwise ignored: the bot goes on answering.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from telegram.error import NetworkError
from telegram.ext import Application, ContextTypes

from bot.config import Settings
from bot.logs import HashedUser, key_from_token

log = logging.getLogger(__name__)

INTERVAL = 600.0  # seconds: at most one message in ten minutes
JOB_NAME = "admin alerts held back"
OURS = Path(__file__).resolve().parents[2]  # the folder holding bot/, dialogues/, storage/
PACKAGES = ("bot", "dialogues", "storage")
# Ours, but only passing every request on: where an error passed it says nothing.
PASSING_ON = {"bot/telegram/pacing.py"}


def where(error: BaseException) -> str:
    """The innermost line of our code the error passed (else the innermost of any), as
    `bot/telegram/send.py:88 (send_reply)`."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if _ours(Path(f.filename))]
    if not (ours or frames):
        return "no traceback"
    frame = (ours or frames)[-1]
    path = Path(frame.filename)
    shown = path.relative_to(OURS) if _ours(path) else Path(*path.parts[-2:])
    return f"{shown.as_posix()}:{frame.lineno} ({frame.name})"


def _ours(path: Path) -> bool:
    if not path.is_relative_to(OURS):
        return False
    inside = path.relative_to(OURS)
    return inside.parts[0] in PACKAGES and inside.as_posix() not in PASSING_ON


class Alerts:
    """The error handler that tells the admin chat, and what it has held back."""

    def __init__(
        self, chat: int, hashed: HashedUser, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.chat = chat
        self.hashed = hashed
        self.clock = clock
        self.last: float | None = None  # when the chat was last told
        self.held: Counter[str] = Counter()  # kinds of error since then, not yet told
        self.telling_later = False

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        error = context.error
        if error is None or (update is None and isinstance(error, NetworkError)):
            return  # polling through a network failure: python-telegram-bot retries it itself
        kind = type(error).__name__
        now = self.clock()
        if self.last is not None and now - self.last < INTERVAL:
            self.held[kind] += 1
            if not self.telling_later and context.job_queue is not None:
                self.telling_later = True
                due = INTERVAL - (now - self.last)
                context.job_queue.run_once(self.tell_held, due, name=JOB_NAME)
            return
        who = self.hashed()
        text = f"selfreview: unexpected {kind} at {where(error)}"
        text += f", handling respondent {who}." if who else "."
        await self._tell(context, text)

    async def tell_held(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """At the end of the interval, what it held back (a job of the job queue)."""
        self.telling_later = False
        if self.held:
            await self._tell(context, "")

    async def _tell(self, context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
        if self.held:
            kinds = ", ".join(f"{kind} ×{n}" for kind, n in self.held.most_common())
            count = self.held.total()
            more = f"{count} more unexpected error{'s' if count > 1 else ''} held back: {kinds}."
            text = f"{text} {more}" if text else f"selfreview: {more}"
        self.last, self.held = self.clock(), Counter()
        try:
            await context.bot.send_message(self.chat, text + " The log has the rest.")
        except Exception as failure:  # the admin chat gone, the network down: the bot goes on
            log.warning("the admin chat could not be told of an error (%s)", type(failure).__name__)


def alert_admin_chat(application: Application, settings: Settings) -> None:
    """With SELFREVIEW_ADMIN_CHAT set, errors are told there (after the person is answered)."""
    if settings.admin_chat is None:
        return
    hashed = HashedUser(key_from_token(settings.checked_token()))
    alerts = application.bot_data["alerts"] = Alerts(settings.admin_chat, hashed)
    application.add_error_handler(alerts.on_error, block=False)
