"""The floor for load.py's CPU per answer: the thinnest bot python-telegram-bot makes with the
product's own Telegram settings (connections, rate limiter, one person at a time, the pause
between polls), answering every message with one message of a question's size and four
buttons. It reads no file and writes none: what an answer costs above this is the bot's."""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

from bot.telegram.app import POLL_INTERVAL, Polling, sending
from bot.telegram.ordering import OnePersonAtATime
from bot.telegram.pacing import PerChatRateLimiter

QUESTION = "Har kommunen en aktuell handlingsplan mot hemlöshet? " * 4
OPTIONS = ("Ja", "Delvis", "Nej", "Vet inte")


async def reply(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
    buttons = [[InlineKeyboardButton(label, callback_data=f"c:{label}")] for label in OPTIONS]
    assert update.message is not None
    await update.message.reply_text(QUESTION, reply_markup=InlineKeyboardMarkup(buttons))


def main() -> None:
    application = (
        ApplicationBuilder()
        .token(os.environ["TELEGRAM_BOT_TOKEN"])
        .base_url(os.environ["TELEGRAM_API_BASE_URL"])
        .rate_limiter(PerChatRateLimiter(overall_max_rate=float(os.environ["SELFREVIEW_API_RATE"])))
        .concurrent_updates(OnePersonAtATime())
        .get_updates_request(Polling())
        .request(sending())
        .build()
    )
    application.add_handler(MessageHandler(filters.TEXT, reply))
    application.run_polling(poll_interval=POLL_INTERVAL)


if __name__ == "__main__":
    main()
