"""What every handler has at hand: a typed context with the engine and the programme (in the
way of python-telegram-bot's contexttypesbot example), and who the sender is."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from telegram import User
from telegram.ext import Application, CallbackContext, ExtBot

from dialogues.programme import Programme
from dialogues.review import Engine
from dialogues.review.content import DEFAULT_LANGUAGE, LANGUAGES
from storage import Store

T = TypeVar("T")


class Context(CallbackContext[ExtBot, dict, dict, dict]):
    """PTB's context, with the services the application was built with."""

    @property
    def engine(self) -> Engine:
        return self.bot_data["engine"]

    @property
    def respondents(self) -> Store:
        """Where each respondent's file is, with what the bot notes there (the chat, the
        question last shown)."""
        return self.engine.store

    @property
    def programme(self) -> Programme:
        return self.bot_data["programme"]

    @property
    def owed(self) -> set[str]:
        """Respondents owed a question that Telegram did not take (see catch_up.py)."""
        return self.bot_data.setdefault("owed", set())


def provide(application: Application, engine: Engine, programme: Programme) -> None:
    """Put the services where Context finds them."""
    application.bot_data.update(engine=engine, programme=programme)


def respondent_id(user: User) -> str:
    return f"telegram:{user.id}"


def language_of(user: User | None) -> str:
    """The person's Telegram language where the content has it (English), else Swedish: a
    Swedish municipality's product starts in Swedish, with /language to switch."""
    code = ((user.language_code or "") if user else "").lower().split("-")[0]
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


async def off_loop(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Engine and store calls read and write the disk: run them off the event loop."""
    return await asyncio.to_thread(function, *args, **kwargs)
