"""The real bot Application, run in a thread against the fake Bot API, and a user who taps it."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from bot.config import Settings
from bot.telegram import catch_up
from bot.telegram.app import build_application, set_commands
from dialogues.programme.programme import Programme
from tests.conftest import make_engine
from tests.fake_bot_api import TOKEN, Call, FakeBotApi


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
            await set_commands(application)  # what run_polling does through post_init
            await catch_up.start(application)
            await application.start()
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
        return self.api.sent(self.id)

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

    def last_toast(self) -> str | None:
        answers = [c for c in self.api.calls if c.method == "answerCallbackQuery"]
        return answers[-1].params.get("text") if answers else None
