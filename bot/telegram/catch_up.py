"""Owed questions: an answer was saved, but the next question never reached the user.

The engine writes an answer before the bot replies. When the bot is killed between the two,
or Telegram fails the send, the user would wait for a question that never comes. Every
question sent records the turn of the review it shows (send.remember_shown); a respondent
whose review has moved on since is owed the current question. Owed questions are looked for
at start-up and noted after a failed send, and sent every few seconds until Telegram takes them.
"""

from __future__ import annotations

import logging

from telegram.error import TelegramError
from telegram.ext import Application

from bot.telegram.context import Context, chat_of, off_loop
from bot.telegram.ordering import persons_turn
from bot.telegram.send import send_reply
from dialogues.review.stored import turn_of
from storage.atomic import DamagedFileError
from storage.store import Store

log = logging.getLogger(__name__)
RETRY_SECONDS = 5


def owed_chat(store: Store, rid: str) -> int | None:
    """The chat of a respondent owed a question, or None: a send of their question failed,
    or their review has moved on since the question they were last shown (or since their
    first input, when the bot was killed before it noted what it showed them)."""
    with store.open(rid) as file:
        shown = ((file.respondent() or {}).get("telegram")) or {}
        review = file.active_review()
    if review is None:
        return None
    chat = shown.get("chat_id") or chat_of(rid)
    if shown.get("owed"):
        return chat
    if not shown.get("prompt_turn"):
        return chat if review.get("turn", 0) > 0 else None
    same_review = shown["prompt_turn"].split(":")[0] == review["id"]  # not a new round's
    return chat if same_review and shown["prompt_turn"] != turn_of(review) else None


def find_owed(store: Store) -> set[str]:
    """Every Telegram respondent owed a question (read once, at start-up)."""
    return {
        rid
        for rid in store.respondent_ids()
        if rid.startswith("telegram:") and owed_chat(store, rid) is not None
    }


async def pay(context: Context) -> None:
    """Send each owed question; one that fails again stays owed (send_reply notes it)."""
    owed = context.owed
    for rid in sorted(owed):
        owed.discard(rid)
        try:
            await _pay_one(context, rid)
        except (TelegramError, DamagedFileError, OSError) as error:  # blocked, or a bad file
            log.warning("an owed question could not be sent: %s", type(error).__name__)
        if rid in owed:  # Telegram is still failing: try the rest at the next round
            break
    if owed:
        log.info("%d questions owed; trying again in %d s", len(owed), RETRY_SECONDS)


async def _pay_one(context: Context, rid: str) -> None:
    """In the person's turn: an input of theirs being handled meanwhile could move their
    review between the check and the send, or note the question owed after it was paid."""
    async with persons_turn(context.application, chat_of(rid)):
        chat_id = await off_loop(owed_chat, context.respondents, rid)
        if chat_id is not None:
            await send_reply(context, chat_id, rid, await off_loop(context.engine.current, rid))


async def start(application: Application) -> None:
    """Send what a killed bot left owed, then keep paying what failed sends leave owed."""
    context = Context(application)
    owed = await off_loop(find_owed, context.respondents)
    context.owed.update(owed)
    if owed:
        log.info("%d questions owed since the last run; sending them", len(owed))
        await pay(context)
    application.job_queue.run_repeating(pay, interval=RETRY_SECONDS, name="owed questions")
