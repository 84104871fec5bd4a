"""Many people at once, each person's updates one at a time and in order."""

from __future__ import annotations

import asyncio
import random

from telegram import Chat, Message, Update, User

from bot.telegram.ordering import OnePersonAtATime


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
