"""An official's summary in the chat: the text of the review's summary, sent where the review
ends and on /summary."""

from __future__ import annotations

from bot.telegram.context import Context, off_loop
from bot.telegram.examples_summary import send_learning_examples
from bot.telegram.texts import send_text


async def send_summary(context: Context, chat_id: int, rid: str) -> None:
    """The summary of `rid`'s review, split to fit Telegram's messages."""
    await send_text(context, chat_id, await off_loop(context.engine.summary, rid))
    await send_learning_examples(context, chat_id, rid)
