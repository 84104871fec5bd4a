"""Updates from many people at once, but from one person one at a time, in Telegram's order.

The engine takes a person's inputs in the order Telegram numbered them (an input numbered at
or below the last one taken is a repeat, see Engine.once), and one answer must be saved
before the next is read. Different people never wait for each other: a person's updates wait
for their turn without holding one of the shared working slots, so one person's flood cannot
fill them, and a person with more than BACKLOG updates waiting is told once to take it one
at a time while the surplus is dropped. Work done for a person outside an update (an owed
question, see catch_up) takes the same turn.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import Application, BaseUpdateProcessor

WORKING = 32  # updates worked on at once, over everyone
BACKLOG = 20  # a person's updates waiting for their turn, beyond which the rest are dropped
UNBOUNDED = 1 << 30  # PTB's own slot count (BaseUpdateProcessor's): never the one that binds

Overflow = Callable[[Update], Awaitable[None]]


@dataclass
class _Person:
    turn: asyncio.Lock = field(default_factory=asyncio.Lock)  # first come, first served
    waiting: int = 0  # holding or waiting for the turn
    told: bool = False  # told to slow down, since their backlog last emptied


class OnePersonAtATime(BaseUpdateProcessor):
    def __init__(
        self,
        max_concurrent_updates: int = WORKING,
        backlog: int = BACKLOG,
        on_overflow: Overflow | None = None,
    ) -> None:
        super().__init__(UNBOUNDED)
        self._working = asyncio.Semaphore(max_concurrent_updates)
        self._people: dict[int, _Person] = {}  # only those with something under way
        self.backlog = backlog
        self.on_overflow = on_overflow  # says "one at a time, please" to the person

    @property
    def under_way(self) -> int:
        """How many people have an update or other work under way (or waiting)."""
        return len(self._people)

    @staticmethod
    def person(update: object) -> int | None:
        if not isinstance(update, Update):
            return None
        if update.effective_user is not None:
            return update.effective_user.id
        return update.effective_chat.id if update.effective_chat is not None else None

    @asynccontextmanager
    async def turn(self, person: int) -> AsyncIterator[None]:
        """The person's turn: nothing else for them runs until it ends."""
        entry = self._people.setdefault(person, _Person())
        entry.waiting += 1
        try:
            async with entry.turn:
                yield
        finally:
            entry.waiting -= 1
            if entry.waiting == 0:
                del self._people[person]

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        who = self.person(update)
        if who is None:
            async with self._working:
                await coroutine
            return
        entry = self._people.get(who)
        if entry is not None and entry.waiting > self.backlog:
            if inspect.iscoroutine(coroutine):
                coroutine.close()  # dropped, never started
            if not entry.told and self.on_overflow is not None and isinstance(update, Update):
                entry.told = True
                await self.on_overflow(update)
            return
        async with self.turn(who), self._working:
            await coroutine

    async def initialize(self) -> None:
        """Nothing to set up: turns are made as people write."""

    async def shutdown(self) -> None:
        """Nothing to free."""


def persons_turn(application: Application, person: int) -> AbstractAsyncContextManager[None]:
    """The person's turn in the application's update processor (none to wait for without one)."""
    processor = application.update_processor
    if isinstance(processor, OnePersonAtATime):
        return processor.turn(person)
    return nullcontext()
