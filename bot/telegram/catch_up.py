"""Owed questions: an answer was saved, but the next question never reached the user.

The engine writes an answer before the bot replies. When the bot is killed between the two,
or Telegram fails the send, the user would wait for a question that never comes. Every
question sent records the turn of the review it shows (send.remember_shown); a respondent
whose review has moved on since is owed the current question. Owed questions are looked for
at start-up (in the one reading of every file that start-up makes, see `glance`) and noted
after a failed send, and sent every few seconds until Telegram takes them.

They are sent alongside new input, never ahead of it: from when the bot serves, one at a
time, each after the updates waiting or under way (for at most YIELD_SECONDS, so that a
crowd answering without a pause still lets them through), within the same limit of requests
a second. Hundreds owed after a crash do not keep anyone else waiting.
"""

from __future__ import annotations

import asyncio
import logging

from telegram.error import TelegramError
from telegram.ext import Application

from bot.telegram.context import Context, off_loop
from bot.telegram.ordering import OnePersonAtATime, persons_turn
from bot.telegram.owed import chat_of, owed_chat
from bot.telegram.send import send_reply
from storage.atomic import DamagedFileError
from storage.store import Store

log = logging.getLogger(__name__)
RETRY_SECONDS = 5
YIELD_SECONDS = 0.25  # an owed question waits for new input at most this long
SERVING_WITHIN = 120  # seconds from start-up's hooks to serving, beyond which none is paid


def find_owed(store: Store) -> set[str]:
    """Every Telegram respondent owed a question: noted in the start-up reading where the
    store was opened with `glance`, else read now."""
    if store.glanced is not None:
        return set(store.glanced)
    return {
        rid
        for rid in store.respondent_ids()
        if rid.startswith("telegram:") and owed_chat(store, rid) is not None
    }


async def pay(context: Context) -> None:
    """Send each owed question, one at a time after the input waiting (see _after_input);
    one that fails again stays owed (send_reply notes it). One round at a time."""
    application, owed = context.application, context.owed
    paying = application.bot_data.setdefault("paying owed", asyncio.Lock())
    if paying.locked():
        return  # the round under way sends them
    async with paying:
        for rid in sorted(owed):
            await _after_input(application)
            if not application.running:
                return  # stopping: what is left is owed on disk, found at the next start
            owed.discard(rid)
            try:
                await _pay_one(context, rid)
            except (TelegramError, DamagedFileError, OSError) as error:  # blocked, bad file
                log.warning("an owed question could not be sent: %s", type(error).__name__)
            if rid in owed:  # Telegram is still failing: try the rest at the next round
                break
    if owed:
        log.info("%d questions owed; trying again in %d s", len(owed), RETRY_SECONDS)


async def _after_input(application: Application) -> None:
    """Wait while updates are waiting or under way, at most YIELD_SECONDS."""
    processor = application.update_processor
    under_way = processor.under_way if isinstance(processor, OnePersonAtATime) else 0
    deadline = asyncio.get_running_loop().time() + YIELD_SECONDS
    while application.update_queue.qsize() or under_way:
        if asyncio.get_running_loop().time() >= deadline:
            return
        await asyncio.sleep(0.01)
        under_way = processor.under_way if isinstance(processor, OnePersonAtATime) else 0


async def _pay_one(context: Context, rid: str) -> None:
    """In the person's turn: an input of theirs being handled meanwhile could move their
    review between the check and the send, or note the question owed after it was paid."""
    async with persons_turn(context.application, chat_of(rid)):
        chat_id = await off_loop(owed_chat, context.respondents, rid)
        if chat_id is not None:
            await send_reply(context, chat_id, rid, await off_loop(context.engine.current, rid))


async def start(application: Application) -> None:
    """Note what a killed bot left owed, to send once the bot serves (alongside new input),
    then keep paying what failed sends leave owed."""
    context = Context(application)
    owed = await off_loop(find_owed, context.respondents)
    context.owed.update(owed)
    if owed:
        log.info("%d questions owed since the last run; sending them as the bot serves", len(owed))
        if application.running:
            application.create_task(pay(context), name="owed questions at start-up")
        else:  # a task of the application's own (awaited by its stop) is made once it runs
            application.bot_data["owed at start"] = asyncio.create_task(_once_serving(context))
    application.job_queue.run_repeating(
        pay, interval=RETRY_SECONDS, first=RETRY_SECONDS, name="owed questions"
    )


async def _once_serving(context: Context) -> None:
    """Pay what is owed as soon as the application runs (it starts after start-up's hooks)."""
    application = context.application
    for _ in range(int(SERVING_WITHIN / 0.02)):
        if application.running:
            application.create_task(pay(context), name="owed questions at start-up")
            return
        await asyncio.sleep(0.02)
