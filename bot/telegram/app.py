"""The Telegram bot: one wiring function with every handler, and running it by polling or webhook."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from urllib.parse import urlparse

from telegram import Bot, BotCommand, Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.config import Settings
from bot.telegram import catch_up, coordination, handlers, scheduled
from bot.telegram import presses as buttons
from bot.telegram.ordering import OnePersonAtATime
from dialogues.programme.programme import Programme
from dialogues.review.engine import Engine
from storage.programme import ProgrammeStore

COMMANDS = (
    "start",
    "resume",
    "back",
    "skip",
    "status",
    "summary",
    "export",
    "language",
    "delete",
    "help",
)


class RedactToken(logging.Filter):
    """Blanks the bot token out of every log line (httpx logs request URLs, which hold it)."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.token in message:
            record.msg, record.args = message.replace(self.token, "<token>"), None
        return True


def quiet_logging(token: str) -> None:
    """INFO from our code only; the token never reaches a log handler."""
    for chatty in ("httpx", "transitions", "apscheduler"):  # every request, move, job run
        logging.getLogger(chatty).setLevel(logging.WARNING)
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactToken(token))


async def on_start(application: Application) -> None:
    await catch_up.start(application)  # before taking new updates: the owed questions first
    await set_commands(application)
    scheduled.start_ticking(application)


async def set_commands(application: Application) -> None:
    """The command menu, in English by default and in Swedish for Swedish Telegram users."""
    q = application.bot_data["engine"].questionnaire
    for lang, code in (("en", None), ("sv", "sv")):
        commands = [BotCommand(name, q.text(f"cmd_{name}", lang)) for name in COMMANDS]
        await application.bot.set_my_commands(commands, language_code=code)


def build_application(settings: Settings, engine: Engine) -> Application:
    """Every handler in order, one line each: the whole routing table on one screen."""
    application = (
        ApplicationBuilder()
        .token(settings.checked_token())
        .base_url(settings.api_base_url)
        .post_init(on_start)
        .rate_limiter(AIORateLimiter(overall_max_rate=settings.api_rate, max_retries=3))
        .concurrent_updates(OnePersonAtATime())
        .build()
    )
    application.bot_data["engine"] = engine
    application.bot_data["store"] = engine.store
    programme = Programme(engine, ProgrammeStore(engine.store.folder), settings.coordinators)
    application.bot_data["programme"] = programme
    private = filters.ChatType.PRIVATE
    new_message = filters.UpdateType.MESSAGE
    application.add_handler(
        MessageHandler(~private & (filters.COMMAND | filters.Entity("mention")), handlers.in_group)
    )
    application.add_handler(
        MessageHandler(filters.UpdateType.EDITED_MESSAGE & private, handlers.edited)
    )
    application.add_handler(CommandHandler("start", handlers.start, private))
    application.add_handler(CommandHandler("resume", handlers.resume, private))
    application.add_handler(CommandHandler("back", handlers.back, private))
    application.add_handler(CommandHandler("skip", handlers.skip, private))
    application.add_handler(CommandHandler("status", handlers.status, private))
    application.add_handler(CommandHandler("summary", handlers.summary, private))
    application.add_handler(CommandHandler("export", handlers.export, private))
    application.add_handler(CommandHandler("language", handlers.language, private))
    application.add_handler(CommandHandler("delete", handlers.delete, private))
    application.add_handler(CommandHandler("help", handlers.help_command, private))
    application.add_handler(CommandHandler("coordinator", coordination.coordinator, private))
    application.add_handler(CommandHandler("municipality", coordination.municipality, private))
    application.add_handler(CommandHandler("overview", coordination.overview, private))
    application.add_handler(CommandHandler("consolidated", coordination.consolidated, private))
    application.add_handler(CommandHandler("remind", coordination.remind, private))
    application.add_handler(CommandHandler("reminders", coordination.reminders, private))
    application.add_handler(CommandHandler("schedule", scheduled.schedule, private))
    application.add_handler(CommandHandler("newround", coordination.new_round, private))
    application.add_handler(
        MessageHandler(private & new_message & filters.COMMAND, handlers.unknown_command)
    )
    application.add_handler(
        MessageHandler(private & new_message & filters.TEXT, handlers.text_answer)
    )
    application.add_handler(MessageHandler(private & new_message, handlers.not_text))
    application.add_handler(CallbackQueryHandler(buttons.button))
    application.add_error_handler(handlers.on_error)
    return application


def webhook_secret(token: str) -> str:
    """A secret Telegram sends with each webhook call, so that nobody else can post updates."""
    return hashlib.sha256(f"selfreview-webhook:{token}".encode()).hexdigest()[:64]


async def check_api(settings: Settings) -> None:
    """Ask the API who we are before serving, so that a refused token or an unreachable API
    ends in one clear error (InvalidToken, NetworkError) rather than a logged retry loop."""
    async with Bot(settings.checked_token(), base_url=settings.api_base_url) as bot:
        await bot.get_me()


def run(
    settings: Settings,
    engine: Engine,
    webhook_url: str | None = None,
    port: int = 8443,
    listen: str = "127.0.0.1",
) -> None:
    """Serve until Ctrl-C (or SIGTERM): long polling, or a webhook behind a reverse proxy."""
    quiet_logging(settings.checked_token())
    asyncio.run(check_api(settings))
    application = build_application(settings, engine)
    if webhook_url:
        application.run_webhook(
            listen=listen,
            port=port,
            url_path=urlparse(webhook_url).path.lstrip("/"),
            webhook_url=webhook_url,
            secret_token=webhook_secret(settings.checked_token()),
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        application.run_polling(allowed_updates=Update.ALL_TYPES)
