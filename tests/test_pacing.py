"""A 429 for one chat pauses that chat, not the bot's other chats."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from telegram.error import RetryAfter

from bot.telegram.pacing import PerChatRateLimiter

WAIT = 30  # Telegram's retry_after: far longer than any step of these tests takes


class Telegram:
    """Answers calls; the first call to `flooded` gets a 429."""

    def __init__(self, flooded: int) -> None:
        self.flooded = flooded
        self.calls: list[int | None] = []

    def call(self, chat: int | None) -> Any:
        async def send() -> Any:
            self.calls.append(chat)
            if chat == self.flooded and self.calls.count(chat) == 1:
                raise RetryAfter(WAIT)
            return {"ok": True}

        return send


async def through(limiter: PerChatRateLimiter, telegram: Telegram, chat: int | None) -> Any:
    data = {"chat_id": chat} if chat is not None else {}
    return await limiter.process_request(telegram.call(chat), (), {}, "sendMessage", data, None)


def test_a_429_for_one_chat_pauses_that_chat_only() -> None:
    async def main() -> None:
        limiter, telegram = PerChatRateLimiter(overall_max_rate=30), Telegram(flooded=1)
        flooded = asyncio.create_task(through(limiter, telegram, 1))
        while telegram.calls.count(1) < 1:
            await asyncio.sleep(0)
        others = [asyncio.create_task(through(limiter, telegram, chat)) for chat in (2, 3, None)]
        finished, _ = await asyncio.wait(others, timeout=5)
        assert finished == set(others)  # not held up by chat 1's pause
        again = asyncio.create_task(through(limiter, telegram, 1))
        finished, _ = await asyncio.wait({again, flooded}, timeout=0.5)
        assert not finished and telegram.calls.count(1) == 1  # chat 1 waits out its pause
        for task in (again, flooded):
            task.cancel()
        await asyncio.gather(again, flooded, return_exceptions=True)

    asyncio.run(main())


def test_the_last_429_is_raised_after_the_retries() -> None:
    class AlwaysFlooded(Telegram):
        def call(self, chat: int | None) -> Any:
            async def send() -> Any:
                self.calls.append(chat)
                raise RetryAfter(0)

            return send

    async def main() -> None:
        limiter, telegram = PerChatRateLimiter(overall_max_rate=30, max_retries=2), AlwaysFlooded(1)
        with pytest.raises(RetryAfter):
            await through(limiter, telegram, 1)
        assert telegram.calls == [1, 1, 1]

    asyncio.run(main())
