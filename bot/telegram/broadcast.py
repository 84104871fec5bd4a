"""Reminders to many people at once, within Telegram's flood limits, in the background.

The application's AIORateLimiter (python-telegram-bot's own) keeps every call within the
configured rate (SELFREVIEW_API_RATE, Telegram's 30 a second by default) and waits out a 429's
retry_after before resending. A broadcast paces itself a little below that rate, so that the
bot still answers everyone else at once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from aiolimiter import AsyncLimiter
from telegram import Bot, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError, TimedOut
from telegram.ext import ExtBot

from bot.telegram import callbacks
from bot.telegram.callbacks import Press
from bot.telegram.pacing import PerChatRateLimiter
from bot.telegram.render import menu
from dialogues.review.content import Questionnaire

log = logging.getLogger(__name__)

TELEGRAM_RATE = 30.0  # messages a second: Telegram's flood limit, for a bot without a limiter
KEPT_FOR_OTHERS = 2.0  # messages a second a broadcast leaves for answering everyone else
ATTEMPTS = 8  # for Telegram's own failures (5xx, hung up): waits of 1, 2, 4 … 64 s, two minutes
IN_FLIGHT = 4  # sends under way at once


@dataclass
class Report:
    delivered: int = 0
    unreachable: int = 0
    failed: int = 0


@dataclass(frozen=True)
class Recipient:
    respondent_id: str
    chat_id: int
    lang: str
    about: Any = None  # what this message is about, for composing it (e.g. a commitment)


def recipients_of(respondents: list[dict[str, Any]]) -> list[Recipient]:
    """Those who can be written to: they have talked to the bot in a private chat."""
    found = []
    for respondent in respondents:
        chat = (respondent.get("telegram") or {}).get("chat_id")
        if chat:
            found.append(Recipient(respondent["id"], int(chat), respondent.get("lang", "sv")))
    return found


def reminder_text(q: Questionnaire, lang: str, message: str | None, key: str = "reminder") -> str:
    text = q.text(key, lang)
    if message:
        text = f"{q.text('reminder_from', lang)}\n{message}\n\n{text}"
    return text


def continue_button(q: Questionnaire, lang: str) -> InlineKeyboardMarkup:
    """ "Fortsätt" resumes the review right where it was, from the reminder itself; the
    second button stops reminders (as /reminders off does)."""
    return menu(
        [
            (q.text("btn_resume", lang), Press(callbacks.RESUME)),
            (q.text("btn_reminders_off", lang), Press(callbacks.REMINDERS_OFF)),
        ]
    )


async def _send_one(
    bot: Bot,
    recipient: Recipient,
    text: str,
    markup: InlineKeyboardMarkup | None,
    on_unreachable: Callable[[str], Any],
) -> str:
    for attempt in range(ATTEMPTS):
        try:
            await bot.send_message(recipient.chat_id, text, reply_markup=markup)
            return "delivered"
        except Forbidden:  # blocked the bot, or deleted their account: don't try again
            await asyncio.to_thread(on_unreachable, recipient.respondent_id)
            return "unreachable"
        except TimedOut:  # Telegram has most likely delivered it: a second try could double it
            log.warning("a reminder's send timed out; not sent again")
            return "delivered"
        except RetryAfter as wait:  # the limiter's own retries ran out: wait as asked, once more
            delay = wait.retry_after  # seconds now, a timedelta in a later PTB
            await asyncio.sleep(
                delay.total_seconds() if isinstance(delay, timedelta) else float(delay)
            )
        except BadRequest as error:  # the same request would be refused again
            log.warning("reminder refused: %s", error)
            return "failed"
        except TelegramError as error:
            log.warning("reminder not sent (attempt %d): %s", attempt + 1, type(error).__name__)
            if attempt + 1 < ATTEMPTS:
                await asyncio.sleep(2**attempt)
    return "failed"


def broadcast_rate(bot: Bot) -> float:
    """Messages a second for a broadcast: the bot's configured rate, less what is kept for
    answering others (at least half of it, at a low rate)."""
    configured = TELEGRAM_RATE
    if isinstance(bot, ExtBot) and isinstance(bot.rate_limiter, PerChatRateLimiter):
        configured = bot.rate_limiter.overall_max_rate  # SELFREVIEW_API_RATE
    return max(configured - KEPT_FOR_OTHERS, configured / 2)


async def broadcast(
    bot: Bot,
    recipients: list[Recipient],
    compose: Callable[[Recipient], tuple[str, InlineKeyboardMarkup | None]],
    on_unreachable: Callable[[str], Any],
    rate: float | None = None,
) -> Report:
    """Send each recipient their message, evenly at `rate` a second (by default the bot's
    configured rate less a share for everyone else); count what happened.

    Only a few sends are under way at once: when Telegram asks everyone to wait (a 429),
    the broadcast waits too, instead of piling up messages that would burst out after.
    """
    pace = AsyncLimiter(1, 1 / (rate or broadcast_rate(bot)))  # one at a time, no bursts
    under_way = asyncio.Semaphore(IN_FLIGHT)

    async def one(recipient: Recipient) -> str:
        async with under_way:
            await pace.acquire()
            text, markup = compose(recipient)
            return await _send_one(bot, recipient, text, markup, on_unreachable)

    report = Report()
    for outcome in await asyncio.gather(*(one(recipient) for recipient in recipients)):
        setattr(report, outcome, getattr(report, outcome) + 1)
    return report
