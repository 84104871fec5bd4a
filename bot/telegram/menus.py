"""The command menus: the officials' commands for everyone, in Swedish by default and English
for English Telegram users; a coordinator's chat also lists the coordinators' commands (a
per-chat scope, set at start and whenever a coordinator is added or removed)."""

from __future__ import annotations

import logging

from telegram import Bot, BotCommand, BotCommandScopeChat
from telegram.error import TelegramError
from telegram.ext import Application

from bot.telegram.context import Context, off_loop
from dialogues.review import Questionnaire

log = logging.getLogger(__name__)

COMMANDS = ("start", "resume", "back", "skip", "status", "summary", "letter", "export",
            "language", "delete", "help")  # fmt: skip
COORDINATOR_COMMANDS = ("overview", "consolidated", "contact", "examples", "share", "remind",
                        "schedule", "municipality", "newround", "coordinator")  # fmt: skip
LANGUAGES = (("sv", None), ("en", "en"))  # (content language, Telegram's language code)


def _menu(q: Questionnaire, lang: str, names: tuple[str, ...]) -> list[BotCommand]:
    return [BotCommand(name, q.text(f"cmd_{name}", lang)) for name in names]


async def set_menus(application: Application) -> None:
    """Everyone's menu, and each coordinator's. A convenience: when Telegram refuses, the bot
    starts without it."""
    context = Context(application)
    q = context.engine.questionnaire
    try:
        for lang, code in LANGUAGES:
            await application.bot.set_my_commands(_menu(q, lang, COMMANDS), language_code=code)
        for user_id in sorted(await off_loop(context.programme.coordinators)):
            await set_coordinator_menu(application.bot, q, user_id, on=True)
    except TelegramError as error:
        log.warning("the command menu could not be set (%s); the bot runs without it", error)


async def set_coordinator_menu(bot: Bot, q: Questionnaire, user_id: int, *, on: bool) -> None:
    """A coordinator's chat lists their commands too; a removed one's goes back to everyone's."""
    scope = BotCommandScopeChat(user_id)
    try:
        for lang, code in LANGUAGES:
            if on:
                names = COMMANDS + COORDINATOR_COMMANDS
                await bot.set_my_commands(_menu(q, lang, names), scope=scope, language_code=code)
            else:
                await bot.delete_my_commands(scope=scope, language_code=code)
    except TelegramError as error:  # e.g. a user who never opened a chat with the bot
        log.warning("a coordinator's command menu could not be set (%s)", type(error).__name__)
