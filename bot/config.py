"""Settings from the environment, optionally read from a .env file (see .env.example)."""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from dotenv import dotenv_values

TELEGRAM_API = "https://api.telegram.org/bot"
DEFAULT_DB = Path("data")
_TOKEN = re.compile(r"^\d{5,15}:[A-Za-z0-9_-]{30,}$")


class ConfigError(ValueError):
    """A setting is missing or malformed; the message says which and how to fix it."""


@dataclass(frozen=True)
class Settings:
    token: str | None
    api_base_url: str
    db: Path
    coordinators: frozenset[int]
    api_rate: float = 30.0  # requests a second to Telegram: its flood limit
    log_format: str = "text"  # or "json": one object a line, for an operator's log search
    admin_chat: int | None = None  # told of unexpected errors (bot/telegram/alerts.py)

    def __repr__(self) -> str:  # never show the token, not even in a traceback
        shown = "set" if self.token else "not set"
        return f"Settings(token={shown}, api_base_url={self.api_base_url!r}, db={self.db!r})"

    @classmethod
    def load(
        cls, environ: Mapping[str, str] | None = None, dotenv: Path = Path(".env")
    ) -> Settings:
        """The environment wins over .env; .env fills in what the environment leaves out."""
        values = {**_dotenv(dotenv), **(os.environ if environ is None else environ)}
        token = (values.get("TELEGRAM_BOT_TOKEN") or "").strip() or None
        return cls(
            token=token,
            api_base_url=(values.get("TELEGRAM_API_BASE_URL") or "").strip() or TELEGRAM_API,
            db=Path((values.get("SELFREVIEW_DB") or "").strip() or DEFAULT_DB),
            coordinators=_user_ids(values.get("SELFREVIEW_COORDINATORS") or ""),
            api_rate=_rate(values.get("SELFREVIEW_API_RATE") or "30"),
            log_format=_log_format(values.get("SELFREVIEW_LOG_FORMAT") or "text"),
            admin_chat=_chat_id(values.get("SELFREVIEW_ADMIN_CHAT") or ""),
        )

    def checked_token(self) -> str:
        if not self.token:
            raise ConfigError(
                "TELEGRAM_BOT_TOKEN is not set (see README: Running the Telegram bot)"
            )
        if not _TOKEN.match(self.token):
            raise ConfigError(
                "TELEGRAM_BOT_TOKEN does not look like a bot token (digits, a colon, then letters)"
            )
        return self.token

    def checked_webhook_url(self, url: str) -> str:
        """Telegram calls webhooks over HTTPS only (plain HTTP works only with a self-hosted
        Bot API server in its --local mode)."""
        parts = urlsplit(url)
        plain_allowed = self.api_base_url != TELEGRAM_API
        if parts.hostname and (
            parts.scheme == "https" or (parts.scheme == "http" and plain_allowed)
        ):
            return url
        raise ConfigError(
            f"--webhook-url {url!r}: Telegram calls webhooks over HTTPS only; give an https:// URL"
        )


def _dotenv(path: Path) -> dict[str, str | None]:
    try:
        return dict(dotenv_values(path))
    except (UnicodeDecodeError, OSError) as error:
        reason = "not UTF-8 text" if isinstance(error, UnicodeDecodeError) else error.strerror
        raise ConfigError(
            f"{path}: cannot be read ({reason}); it should hold lines such as NAME=value"
        ) from error


def _rate(raw: str) -> float:
    """Requests a second: at least 1 (below it the bot would hardly ever answer), and finite."""
    try:
        rate = float(raw)
    except ValueError:
        rate = math.nan
    if not (math.isfinite(rate) and rate >= 1):
        raise ConfigError(
            f"SELFREVIEW_API_RATE: {raw!r} is not a number of requests a second (1 or more)"
        )
    return rate


def _user_ids(raw: str) -> frozenset[int]:
    ids = set()
    for part in raw.replace(" ", "").split(","):
        if not part:
            continue
        # isdigit alone takes "²" and other digits that int() refuses: only 0-9 are an id.
        if not (part.isascii() and part.isdigit()):
            raise ConfigError(f"SELFREVIEW_COORDINATORS: {part!r} is not a Telegram user id")
        ids.add(int(part))
    return frozenset(ids)


def _chat_id(raw: str) -> int | None:
    """A Telegram chat id: a person's (positive) or a group's (negative, -100... for most)."""
    text = raw.strip()
    if not text:
        return None
    digits = text.removeprefix("-")
    if not (digits.isascii() and digits.isdigit()) or int(digits) == 0:
        raise ConfigError(
            f"SELFREVIEW_ADMIN_CHAT: {raw!r} is not a Telegram chat id (a number, -100... for a group)"
        )
    return int(text)


def _log_format(raw: str) -> str:
    name = raw.strip().casefold()
    if name not in ("text", "json"):
        raise ConfigError(f"SELFREVIEW_LOG_FORMAT: {raw!r} is neither text nor json")
    return name
