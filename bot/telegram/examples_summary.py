"""The learning examples that follow an official's summary (kept apart from examples_view, which
imports send.py: send.py sends summaries, so this side must not import it back)."""

from __future__ import annotations

from bot.telegram.context import Context, off_loop
from bot.telegram.texts import send_text
from dialogues.programme import examples


def _text(context: Context, rid: str) -> str:
    programme = context.programme
    found = examples.for_respondent(programme, rid)
    lang = context.engine.language(rid)
    return examples.summary_text(context.engine.questionnaire, found, lang)


async def send_learning_examples(context: Context, chat_id: int, rid: str) -> None:
    """Where the official's answer is weak or unknown, up to three municipalities that answer
    strong and agreed to be named, in their own words; nothing when there are none."""
    text = await off_loop(_text, context, rid)
    if text:
        await send_text(context, chat_id, text)
