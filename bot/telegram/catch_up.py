"""Owed questions: an answer was saved, but the next question never reached the user.

The engine writes an answer before the bot replies. When the bot is killed between the two,
or Telegram fails the send, the user would wait for a question that never comes. Every
question sent records the turn of the review it shows (handlers.remember_shown); a respondent
whose review has moved on since is owed the current question. Owed questions are looked for
at start-up and noted after a failed send, and sent every few seconds until Telegram takes them.
"""

from __future__ import annotations

import logging

from telegram.error import TelegramError
from telegram.ext import Application, CallbackContext, ContextTypes

from bot.telegram.common import off_loop
from bot.telegram.handlers import send_reply
from dialogues.review.engine import turn_of
from storage.atomic import DamagedFileError
from storage.store import Store

log = logging.getLogger(__name__)
RETRY_SECONDS = 5


def is_owed(store: Store, rid: str) -> bool:
    """A send of their question failed, or their review has moved on since the question
    they were last shown."""
    shown = ((store.respondent(rid) or {}).get("telegram")) or {}
    review = store.active_review(rid)
    if review is None:
        return False
    if shown.get("owed"):
        return True
    if not shown.get("prompt_turn"):
        return False
    same_review = shown["prompt_turn"].split(":")[0] == review["id"]  # not a new round's
    return same_review and shown["prompt_turn"] != turn_of(review)


def find_owed(store: Store) -> set[str]:
    """Every Telegram respondent owed a question (read once, at start-up)."""
    return {
        rid for rid in store.respondent_ids() if rid.startswith("telegram:") and is_owed(store, rid)
    }


async def pay(context: CallbackContext) -> None:
    """Send each owed question; one that fails again stays owed (send_reply notes it)."""
    owed: set[str] = context.bot_data.setdefault("owed", set())
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


async def _pay_one(context: CallbackContext, rid: str) -> None:
    engine = context.bot_data["engine"]
    if await off_loop(is_owed, engine.store, rid):
        respondent = await off_loop(engine.store.respondent, rid)
        chat_id = respondent["telegram"]["chat_id"]
        await send_reply(context, chat_id, rid, await off_loop(engine.current, rid))


async def start(application: Application) -> None:
    """Send what a killed bot left owed, then keep paying what failed sends leave owed."""
    store = application.bot_data["engine"].store
    owed = await off_loop(find_owed, store)
    application.bot_data.setdefault("owed", set()).update(owed)
    if owed:
        log.info("%d questions owed since the last run; sending them", len(owed))
        context: ContextTypes.DEFAULT_TYPE = CallbackContext(application)
        await pay(context)
    application.job_queue.run_repeating(pay, interval=RETRY_SECONDS, name="owed questions")
