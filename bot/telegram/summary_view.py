"""An official's summary in the chat: the text of the review's summary, sent where the review
ends and on /summary, then their municipality beside its county and the country."""

from __future__ import annotations

from bot.telegram.comparison_view import send_beside
from bot.telegram.context import Context, off_loop
from bot.telegram.texts import send_text


async def send_summary(context: Context, chat_id: int, rid: str) -> None:
    """The summary of `rid`'s review, split to fit Telegram's messages."""
    await send_text(context, chat_id, await off_loop(context.engine.summary, rid))
    await send_beside(context, chat_id, rid)
