"""Keeping to Telegram's flood limits without making everyone pay for one chat.

Messages to chats go out at most `overall_max_rate` a second (Telegram's limit over all
chats), as with python-telegram-bot's AIORateLimiter. Where that limiter answers a 429 by
pausing every request, this one pauses only the chat the 429 was for: Telegram's limit of
about one message a second per chat is the usual cause, and one person sending a hundred
messages must not hold up the replies to everyone else. A 429 for a call without a chat
(polling, answering a button press) waits only for itself.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)
MARGIN = 0.1  # seconds beyond Telegram's retry_after, as PTB's own limiter waits

Result = bool | dict[str, Any] | list[dict[str, Any]]


class PerChatRateLimiter(BaseRateLimiter[int]):
    def __init__(self, overall_max_rate: float, max_retries: int = 3) -> None:
        self.overall_max_rate = overall_max_rate  # messages a second over all chats
        self._overall = AsyncLimiter(overall_max_rate, 1)
        self._max_retries = max_retries
        self._paused_until: dict[int | str, float] = {}  # chat → loop time; only recent 429s

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to free."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Result:
        chat = data.get("chat_id")
        retries = rate_limit_args if rate_limit_args is not None else self._max_retries
        for attempt in range(retries + 1):
            await self._chat_unpaused(chat)
            try:
                if chat is None:
                    return await callback(*args, **kwargs)
                async with self._overall:
                    return await callback(*args, **kwargs)
            except RetryAfter as error:
                if attempt == retries:
                    raise
                pause = _seconds(error) + MARGIN
                log.info("flood limit (%s): retrying in %.1f s", endpoint, pause)
                if chat is None:
                    await asyncio.sleep(pause)
                else:
                    self._pause(chat, pause)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _pause(self, chat: int | str, seconds: float) -> None:
        now = asyncio.get_running_loop().time()
        for other, until in list(self._paused_until.items()):
            if until <= now:  # forget pauses that are over: bounded by the chats of recent 429s
                del self._paused_until[other]
        self._paused_until[chat] = max(self._paused_until.get(chat, now), now + seconds)

    async def _chat_unpaused(self, chat: int | str | None) -> None:
        """Wait while this chat is paused by a 429; other chats go on meanwhile."""
        if chat is None:
            return
        loop = asyncio.get_running_loop()
        while (until := self._paused_until.get(chat, 0.0)) > loop.time():
            await asyncio.sleep(until - loop.time())


def _seconds(error: RetryAfter) -> float:
    """Telegram's retry_after, whichever type this version of python-telegram-bot gives."""
    with warnings.catch_warnings():  # v22 warns that it will become a timedelta
        warnings.simplefilter("ignore")
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
