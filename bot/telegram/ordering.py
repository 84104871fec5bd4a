"""Updates from many people at once, but from one person one at a time, in Telegram's order.

The engine takes a person's inputs in the order Telegram numbered them (an input numbered at
or below the last one taken is a repeat, see Engine.once), and one answer must be saved
before the next is read. Different people never wait for each other.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

STRIPES = 1024  # locks, picked by person: bounded memory however many people write


class OnePersonAtATime(BaseUpdateProcessor):
    def __init__(self, max_concurrent_updates: int = 32) -> None:
        super().__init__(max_concurrent_updates)
        self._locks = [asyncio.Lock() for _ in range(STRIPES)]

    @staticmethod
    def person(update: object) -> int | None:
        if not isinstance(update, Update):
            return None
        if update.effective_user is not None:
            return update.effective_user.id
        return update.effective_chat.id if update.effective_chat is not None else None

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        who = self.person(update)
        if who is None:
            await coroutine
            return
        async with self._locks[hash(who) % STRIPES]:  # asyncio's locks are first come, first served
            await coroutine

    async def initialize(self) -> None:
        """Nothing to set up: the locks exist from the start."""

    async def shutdown(self) -> None:
        """Nothing to free."""
