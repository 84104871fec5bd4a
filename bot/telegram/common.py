"""Small helpers every Telegram handler module shares."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from telegram import User

T = TypeVar("T")


def respondent_id(user: User) -> str:
    return f"telegram:{user.id}"


def language_of(user: User) -> str:
    """Swedish for Swedish Telegram users, English for everyone else (until /language)."""
    return "sv" if (user.language_code or "").lower().startswith("sv") else "en"


async def off_loop(function: Callable[..., T], *args: Any) -> T:
    """Engine and store calls write to disk: run them off the event loop."""
    return await asyncio.to_thread(function, *args)
