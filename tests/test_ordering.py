"""Many people at once, each person's updates one at a time and in order."""

from __future__ import annotations

import asyncio
import random
import warnings
from pathlib import Path

from telegram import Chat, Message, Update, User

from bot.telegram.ordering import BACKLOG, OnePersonAtATime
from tests.fake_bot_api import FakeBotApi, plain_text
from tests.telegram_harness import InProcessBot


def update_from(person: int, number: int) -> Update:
    user = User(person, "Tjänsteperson", is_bot=False)
    chat = Chat(person, Chat.PRIVATE)
    message = Message(number, None, chat, from_user=user, text=str(number))  # type: ignore[arg-type]
    return Update(number, message=message)


def test_one_persons_updates_run_in_order_and_others_alongside() -> None:
    processor = OnePersonAtATime(max_concurrent_updates=16)
    chance = random.Random(3)
    done: dict[int, list[int]] = {1: [], 2: [], 3: []}
    running = {"now": 0, "most": 0}

    async def handle(person: int, number: int) -> None:
        running["now"] += 1
        running["most"] = max(running["most"], running["now"])
        await asyncio.sleep(chance.uniform(0, 0.01))
        done[person].append(number)
        running["now"] -= 1

    async def main() -> None:
        tasks = []
        for number in range(60):
            person = 1 + number % 3
            coroutine = handle(person, number)
            tasks.append(
                asyncio.create_task(
                    processor.process_update(update_from(person, number), coroutine)
                )
            )
        await asyncio.gather(*tasks)

    asyncio.run(main())
    for person, numbers in done.items():
        assert numbers == sorted(numbers) and len(numbers) == 20, person
    assert running["most"] == 3  # the three people at once, never one person twice


def test_a_persons_flood_waits_without_holding_the_shared_slots() -> None:
    """Two shared slots; one person has ten updates waiting behind a slow one; another
    person's update still runs at once."""
    processor = OnePersonAtATime(max_concurrent_updates=2)
    release = asyncio.Event()
    done: list[int] = []

    async def slow(number: int) -> None:
        await release.wait()
        done.append(number)

    async def quick() -> None:
        done.append(-1)

    async def main() -> list[int]:
        flood = [
            asyncio.create_task(processor.process_update(update_from(1, n), slow(n)))
            for n in range(10)
        ]
        await asyncio.sleep(0)
        other = asyncio.create_task(processor.process_update(update_from(2, 100), quick()))
        await asyncio.wait({other}, timeout=5)
        before = list(done)
        release.set()
        await asyncio.gather(*flood, other)
        return before

    assert asyncio.run(main()) == [-1]  # served while the flood still waited
    assert not processor.under_way  # nothing kept for people with nothing under way


def test_a_backlog_beyond_the_cap_is_dropped_and_the_person_told_once() -> None:
    told: list[int] = []
    processor = OnePersonAtATime(backlog=5)

    async def tell(update: Update) -> None:
        told.append(update.effective_user.id)

    processor.on_overflow = tell
    release = asyncio.Event()
    handled: list[int] = []

    async def handle(number: int) -> None:
        await release.wait()
        handled.append(number)

    async def main() -> None:
        tasks = [
            asyncio.create_task(processor.process_update(update_from(7, n), handle(n)))
            for n in range(30)
        ]
        await asyncio.sleep(0.1)
        release.set()
        await asyncio.gather(*tasks)

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a dropped update's coroutine is closed, not left
        asyncio.run(main())
    assert handled == list(range(len(handled))) and 5 <= len(handled) <= 6
    assert told == [7]


def test_a_flood_through_the_bot_is_told_once_to_take_one_at_a_time(
    api: FakeBotApi, tmp_path: Path
) -> None:
    bot = InProcessBot(api, tmp_path / "db").start()
    try:
        api.detach(bot)  # the messages wait at Telegram, and arrive in one batch
        for number in range(3 * BACKLOG):
            api.message(333, f"hej {number}", language_code="en")
        with api.changed:
            batch, api._updates[:] = list(api._updates), []
        api.attach(bot)
        bot.deliver_at_once(batch)
        texts = [plain_text(m.params["text"]) for m in api.sent(333)]
        assert sum("One at a time, please" in text for text in texts) == 1
        assert sum("I can't keep up" in text for text in texts) == 1
    finally:
        bot.stop()
