"""The real bot Application against the fake Bot API, and a user who taps it.

`InProcessBot` runs the Application in the test's own thread: each update is processed to
completion before the test goes on, and nothing runs in between. `RunningBot` polls the fake
over HTTP from a thread of its own, as a deployed bot would.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

from telegram import Update
from telegram.ext import Application

from bot.config import Settings
from bot.telegram import catch_up
from bot.telegram.app import build_application
from bot.telegram.menus import set_menus
from dialogues.programme.programme import Programme
from tests.conftest import make_engine
from tests.fake_bot_api import TOKEN, Call, FakeBotApi, RecordingRequest

T = TypeVar("T")
NOWHERE = "http://telegram.invalid/bot"  # an InProcessBot's calls never leave the process
STEP_SECONDS = 60  # an update or a helper's coroutine that takes longer has hung
SETTLE_SECONDS = 180  # the longest a broadcast retries through Telegram's failures, and more


class InProcessBot:
    """python-telegram-bot's Application as `build_application` makes it, in this thread.

    Updates the fake API is given are put on the Application's update queue, as the Updater
    would, and go through its update processor (OnePersonAtATime) to the handlers; `deliver`
    returns once the queue is done with them. The event loop runs only while the test waits
    for the bot (deliver, settle, run_until, run): between steps nothing happens, so what a
    step leaves under way (a broadcast started with create_task, a job run) goes on in the
    next step, and `settle` finishes it. The job queue holds its jobs (catch_up's owed
    questions) but no clock fires them: `run_job` runs one when the test says so.
    """

    def __init__(
        self, api: FakeBotApi, db: Path, coordinators: frozenset[int] = frozenset()
    ) -> None:
        self.api = api
        self.db = db
        self.coordinators = coordinators
        self.engine = make_engine(db)
        self.request = RecordingRequest(api)
        self.request.listeners.append(self._called)
        self.loop = asyncio.new_event_loop()
        self.application: Application | None = None
        self._always: set[asyncio.Task] = set()  # the Application's own: its update fetcher
        self._call = asyncio.Event()

    @property
    def programme(self) -> Programme:
        return self.application.bot_data["programme"]

    def start(self, settle: bool = True) -> InProcessBot:
        """Start; with `settle`, return once what it does on starting (questions owed) is done."""
        settings = Settings(TOKEN, NOWHERE, self.db, self.coordinators)
        self.application = build_application(settings, self.engine, self.request)
        self.run(self._start())
        self.api.attach(self)
        if settle:
            self.settle()
        return self

    async def _start(self) -> None:
        await self.application.initialize()
        # What run_polling's post_init (app.on_start) does, but for the schedules' minutely
        # tick: the tests run scheduled.send_due at the moments they choose.
        await set_menus(self.application)
        await self.application.start()
        self.application.job_queue.scheduler.pause()  # no clock fires jobs: see run_job
        self._always = asyncio.all_tasks() - {asyncio.current_task()}
        await catch_up.start(self.application)  # its paying, once serving, is the bot's work

    def stop(self) -> None:
        """Stop as on Ctrl-C: what is under way is finished first (Application.stop)."""
        self.api.detach(self)
        try:
            self.run(self._stop(), SETTLE_SECONDS)
        finally:
            self.loop.run_until_complete(self.loop.shutdown_default_executor())
            self.loop.close()

    async def _stop(self) -> None:
        await self.application.stop()
        await self.application.shutdown()

    def run(self, coroutine: Awaitable[T], timeout: float = STEP_SECONDS) -> T:
        """Run a coroutine in the bot's loop (the bot works meanwhile); return its result."""

        async def bounded() -> T:  # in the task run_until_complete makes: none of the bot's
            async with asyncio.timeout(timeout):
                return await coroutine

        return self.loop.run_until_complete(bounded())

    # What the fake API asks of a bot in the process (fake_bot_api.Receiver).
    def deliver(self, update: dict[str, Any]) -> None:
        self.run(self._deliver(Update.de_json(update, self.application.bot)))

    async def _deliver(self, update: Update) -> None:
        await self.application.update_queue.put(update)
        await self.application.update_queue.join()  # done with once its handler has returned

    def deliver_at_once(self, updates: list[dict[str, Any]]) -> None:
        """Updates that arrive together (one getUpdates answer), processed side by side."""
        self.run(self._deliver_all([Update.de_json(u, self.application.bot) for u in updates]))

    async def _deliver_all(self, updates: list[Update]) -> None:
        for update in updates:
            await self.application.update_queue.put(update)
        await self.application.update_queue.join()

    def settle(self) -> None:
        self.run(self._settle(), SETTLE_SECONDS)

    async def _settle(self) -> None:
        while under_way := self._under_way():
            await asyncio.wait(under_way)

    def run_until(self, check: Callable[[], Any], timeout: float) -> Any:
        try:
            return self.run(self._until(check), timeout)
        except TimeoutError:
            return None  # still under way, and not yet what the test waits for

    async def _until(self, check: Callable[[], Any]) -> Any:
        while True:
            self._call.clear()
            result = check()
            if result or not (under_way := self._under_way()):
                return result
            called = asyncio.ensure_future(self._call.wait())
            await asyncio.wait({*under_way, called}, return_when=asyncio.FIRST_COMPLETED)
            called.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await called

    def run_job(self, name: str) -> None:
        """Run the job queue's job of this name now, as its timer would, and wait for it."""
        (job,) = self.application.job_queue.get_jobs_by_name(name)
        self.run(job.run(self.application))

    def _under_way(self) -> set[asyncio.Task]:
        """Tasks the bot has started and not finished: updates being processed, create_task's
        background work, job runs."""
        mine = {*self._always, asyncio.current_task()}
        return {task for task in asyncio.all_tasks() if task not in mine and not task.done()}

    def _called(self) -> None:
        self._call.set()


class RunningBot:
    """python-telegram-bot's Application, polling the fake API from its own event loop."""

    def __init__(
        self, api: FakeBotApi, db: Path, coordinators: frozenset[int] = frozenset()
    ) -> None:
        self.api = api
        self.db = db
        self.coordinators = coordinators
        self.application = None
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.loop = asyncio.new_event_loop()
        self.stopping: asyncio.Event | None = None
        self.engine = make_engine(db)

    def start(self) -> RunningBot:
        self.thread.start()
        assert self.ready.wait(15), "the bot did not start"
        return self

    @property
    def programme(self) -> Programme:
        return self.application.bot_data["programme"]

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.stopping.set)
        self.thread.join(15)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(self._serve())
        self.loop.close()

    async def _serve(self) -> None:
        settings = Settings(TOKEN, self.api.base_url, self.db, self.coordinators)
        application = build_application(settings, self.engine)
        self.application = application
        self.stopping = asyncio.Event()
        async with application:
            await set_menus(application)  # what run_polling does through post_init
            await application.start()
            await catch_up.start(application)
            await application.updater.start_polling(poll_interval=0, timeout=1)
            self.ready.set()
            await self.stopping.wait()
            await application.updater.stop()
            await application.stop()


class Official:
    """One user on a phone: sends messages, taps buttons, reads what the bot sent them."""

    def __init__(self, api: FakeBotApi, user_id: int, language_code: str = "sv") -> None:
        self.api = api
        self.id = user_id
        self.language_code = language_code

    def messages(self) -> list[Call]:
        """What the person has seen appear: messages sent, and messages edited into new text."""
        return self.api.shown(self.id)

    def send(self, text: str) -> list[Call]:
        """Send a message; return what the bot sent back once it has settled."""
        before = len(self.messages())
        self.api.message(self.id, text, language_code=self.language_code)
        self.api.idle()
        return self.messages()[before:]

    def prompt(self) -> Call:
        """The latest message with buttons for the current step."""
        for call in reversed(self.messages()):
            if call.buttons:
                return call
        raise AssertionError("no message with buttons")

    def tap(self, label: str, message: Call | None = None) -> list[Call]:
        """Tap the button whose label contains `label`; return the messages that followed."""
        message = message or self.prompt()
        return self.press(message.button(label)["callback_data"], message)

    def press(self, data: str, message: Call | None = None) -> list[Call]:
        """Press a button with this data (forged or real) under a message; return what followed."""
        message = message or self.prompt()
        before = len(self.messages())
        self.api.press(self.id, message, data, self.language_code)
        self.api.idle()
        return self.messages()[before:]

    def option_data(self, number: int) -> str:
        """The data of the n-th option button (1-based) of the current prompt."""
        options = [
            b
            for row in self.prompt().buttons
            for b in row
            if b["callback_data"][:2] in ("c|", "t|")
        ]
        return options[number - 1]["callback_data"]

    def option_label(self, number: int) -> str:
        """The label of the n-th option button (1-based) of the current prompt."""
        options = [
            b
            for row in self.prompt().buttons
            for b in row
            if b["callback_data"][:2] in ("c|", "t|")
        ]
        return options[number - 1]["text"]

    def last_toast(self) -> str | None:
        answers = [c for c in self.api.calls if c.method == "answerCallbackQuery"]
        return answers[-1].params.get("text") if answers else None
