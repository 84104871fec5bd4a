"""An official's summary in the chat: the text of the review's summary, sent where the review
ends and on /summary: a picture of its areas, the text, the municipality beside its county
and the country, and other municipalities' learning examples where they help."""

from __future__ import annotations

from bot.telegram.comparison_view import send_beside
from bot.telegram.context import Context, off_loop
from bot.telegram.examples_summary import send_learning_examples
from bot.telegram.pictures import send_picture, summary_picture
from bot.telegram.texts import send_text


async def send_summary(context: Context, chat_id: int, rid: str) -> None:
    """The summary of `rid`'s review, split to fit Telegram's messages."""
    await send_summary_picture(context, chat_id, rid)
    await send_text(context, chat_id, await off_loop(context.engine.summary, rid))
    await send_beside(context, chat_id, rid)
    await send_learning_examples(context, chat_id, rid)


async def send_summary_picture(context: Context, chat_id: int, rid: str) -> None:
    """The six areas as a picture, before the text, once anything has been answered."""
    engine = context.engine
    bars = await off_loop(engine.area_bars, rid)
    if not any(sum(shares[:-1]) > 0 for _, shares in bars):  # all unanswered: nothing to see
        return
    lang = await off_loop(engine.language, rid)
    q = engine.questionnaire
    caption = q.text("picture_summary_caption", lang)
    await send_picture(context, chat_id, lambda: summary_picture(bars, q, lang), caption)
