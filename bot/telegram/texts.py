"""Plain texts to a chat, split or cut to fit Telegram's limits."""

from __future__ import annotations

from html import escape

from telegram.constants import ParseMode

from bot.telegram.context import Context
from bot.telegram.render import split_message


async def send_text(context: Context, chat_id: int, text: str) -> None:
    """Plain text, split at paragraphs where it is longer than one message."""
    for piece in split_message(text):
        await context.bot.send_message(chat_id, escape(piece), parse_mode=ParseMode.HTML)


def cut(text: str, limit: int) -> str:
    """The text, or its start and "…" where it is longer than `limit` characters."""
    return text if len(text) <= limit else f"{text[: limit - 1]}…"
