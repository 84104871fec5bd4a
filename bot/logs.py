"""How the bot logs: readable lines by default, or one JSON object a line for an operator's
log search (SELFREVIEW_LOG_FORMAT=json). Never answers and never the token (app.RedactToken
blanks the token out of every line whatever its format).

A JSON line written while an update is handled also carries "respondent": the person's
Telegram id under a keyed hash (HMAC-SHA256, keyed from the token), so that an operator can
follow one person's lines without learning who they are. The id itself is only held in memory
(a context variable, set as each update arrives) and never reaches a log handler.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime

FORMATS = ("text", "json")
TEXT = "%(levelname)s %(name)s: %(message)s"
HASH_LENGTH = 16  # hex digits: 64 bits, no two of a million people alike but by a rare chance

# The Telegram user whose update this task is handling (python-telegram-bot handles each update
# in a task of its own, which copies the context: one person's id never leaks into another's).
_user: ContextVar[int | None] = ContextVar("selfreview_user", default=None)


class JsonLines(logging.Formatter):
    """{"time", "level", "logger", "event"} and, where known, "respondent"; for an error,
    its "exception"."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "event": record.getMessage(),
        }
        respondent = getattr(record, "respondent", None)
        if respondent:
            line["respondent"] = respondent
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def use_format(name: str) -> None:
    """Every handler of the root logger writes in this format."""
    formatter = JsonLines() if name == "json" else logging.Formatter(TEXT)
    for handler in logging.getLogger().handlers:
        handler.setFormatter(formatter)


async def note_user(update: object, _context: object = None) -> None:
    """Remember whose update this task handles (a python-telegram-bot handler, run first)."""
    user = getattr(update, "effective_user", None)
    _user.set(user.id if user is not None else None)


def key_from_token(token: str) -> bytes:
    """The hash's key: the same for as long as the bot keeps its token, and no one without
    the token can tell whose id a hash is (ids are few enough to try them all otherwise)."""
    return hashlib.sha256(f"selfreview-log-respondent:{token}".encode()).digest()


class HashedUser:
    """The current person's id under the keyed hash, or None outside an update."""

    def __init__(self, key: bytes) -> None:
        self.key = key

    def __call__(self) -> str | None:
        user = _user.get()
        if user is None:
            return None
        digest = hmac.new(self.key, str(user).encode(), hashlib.sha256).hexdigest()
        return digest[:HASH_LENGTH]


class Respondent(logging.Filter):
    """Adds `respondent` (the hashed id) to each record a handler writes."""

    def __init__(self, hashed: HashedUser) -> None:
        super().__init__()
        self.hashed = hashed

    def filter(self, record: logging.LogRecord) -> bool:
        record.respondent = self.hashed()
        return True


def follow_respondents(token: str, handlers: list[logging.Handler] | None = None) -> None:
    """Every handler of the root logger (or these) marks its records with the hashed id."""
    hashed = HashedUser(key_from_token(token))
    for handler in logging.getLogger().handlers if handlers is None else handlers:
        handler.addFilter(Respondent(hashed))
