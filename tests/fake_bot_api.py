"""A small Telegram Bot API for the tests: hands out updates, records what the bot sends.

The bot under test is the real python-telegram-bot Application; only the network's far end
is fake. It is reached in one of two ways, both answered by the same `FakeBotApi`:

* over HTTP on 127.0.0.1 (`base_url`), by a bot process or a polling Application: the
  server starts the first time someone asks for its address;
* in this process, by a `RecordingRequest` the Application is built with: no HTTP, and the
  updates the tests send are handed to an attached `Receiver` (see tests/telegram_harness.py)
  and processed before `message()` or `press()` returns.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.parser
import email.policy
import html
import itertools
import json
import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlparse

from telegram.constants import MessageLimit
from telegram.error import NetworkError
from telegram.request import BaseRequest, RequestData

# Shaped like a bot token, but not a real one (too few digits before the colon).
TOKEN = "424242:" + "fakeTokenForTests_" * 2
QUERY_TOO_OLD = (  # Telegram's answer to a press answered twice, or after about 15 seconds
    "Bad Request: query is too old and response timeout expired or query ID is invalid"
)
MAX_TEXT_LENGTH = MessageLimit.MAX_TEXT_LENGTH  # characters of a message, after HTML is parsed
SENDS = ("sendMessage", "sendDocument", "sendPhoto")
EDITS = ("editMessageText", "editMessageReplyMarkup")
BOT_USER = {
    "id": 4242,
    "is_bot": True,
    "first_name": "Självskattning",
    "username": "selfreview_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}


class Bucket:
    """A token bucket: `capacity` messages at once, refilled at `rate` a second. This is how
    "about 30 messages a second" is enforced here: bursts up to the capacity, never more on
    average (python-telegram-bot's limiter spends the same budget the same way)."""

    def __init__(self, capacity: float, rate: float) -> None:
        self.capacity, self.rate = capacity, rate
        self.tokens, self.last = capacity, time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.last) * self.rate)
        self.last = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


class ApiError(Exception):
    """An error answer, as Telegram gives one (429 with retry_after, 403 for a blocked user)."""

    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.payload: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
        if retry_after is not None:
            self.payload["parameters"] = {"retry_after": retry_after}
        self.code = code


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)
    at: float = field(default_factory=time.monotonic)  # when the bot made the call

    @property
    def text(self) -> str:
        return self.params.get("text", "")

    @property
    def buttons(self) -> list[list[dict[str, str]]]:
        markup = self.params.get("reply_markup") or {}
        return markup.get("inline_keyboard", [])

    def button(self, label: str) -> dict[str, str]:
        """The button whose text contains `label`."""
        for row in self.buttons:
            for button in row:
                if label in button["text"]:
                    return button
        raise AssertionError(f"no button {label!r} in {self.buttons}")


def _decode(value: str) -> Any:
    """PTB sends nested values (reply_markup, commands) as JSON strings in form fields."""
    if value[:1] in "[{":
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value


def _telegram_sees(
    fields: dict[str, str], uploads: dict[str, tuple[str | None, bytes]]
) -> tuple[dict[str, Any], dict[str, bytes]]:
    """A call's parameters and files as Telegram reads them, however they were carried."""
    params = {name: _decode(value) for name, value in fields.items()}
    files = {}
    for name, (filename, content) in uploads.items():
        files[name] = content
        params["filename"] = filename
    return params, files


def plain_text(text: str) -> str:
    """What Telegram shows of an HTML message: the text without tags."""
    return html.unescape(re.sub(r"<[^>]+>", "", text))


@dataclass
class Trouble:
    """Telegram having a bad time: each call (getUpdates too) meets one of these, by chance.

    `drop` hangs up without an answer before the call is carried out, `slow` answers after
    `delay` seconds (within the bot's timeouts), `flood` is a 429 with retry_after 1.
    """

    flood: float = 0.0
    error_500: float = 0.0
    error_502: float = 0.0
    drop: float = 0.0
    slow: float = 0.0
    delay: float = 1.5
    methods: tuple[str, ...] | None = None  # only these calls meet trouble (None: every call)
    chats: set[int] | None = None  # only calls to these chats (None: any)
    chance: random.Random = field(default_factory=lambda: random.Random(6))
    met: dict[str, int] = field(default_factory=dict)  # how often each happened

    def draw(self, method: str, chat: int | None = None) -> str | None:
        if self.methods is not None and method not in self.methods:
            return None
        if self.chats is not None and chat not in self.chats:
            return None
        roll = self.chance.random()
        for name in ("flood", "error_500", "error_502", "drop", "slow"):
            if name == "flood" and method == "getUpdates":
                continue  # Telegram floods sends, not the polling
            roll -= getattr(self, name)
            if roll < 0:
                self.met[name] = self.met.get(name, 0) + 1
                return name
        return None


class Receiver(Protocol):
    """A bot in this process that takes the updates directly (tests/telegram_harness.py)."""

    def deliver(self, update: dict[str, Any]) -> None:
        """Process the update to completion."""

    def settle(self) -> None:
        """Finish everything the bot has under way."""

    def run_until(self, check: Callable[[], Any], timeout: float) -> Any:
        """Let the bot work until `check()` is true (returned) or nothing is left to do (None)."""


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A bot killed or hanging up mid-call is part of the tests, not an error here."""


class FakeBotApi:
    def __init__(self, token: str) -> None:
        self.token = token
        self.calls: list[Call] = []
        self.by_chat: dict[int, list[Call]] = {}  # messages sent to each chat and text edits
        # (a question shown by editing the pressed one), in order
        self.trouble: Trouble | None = None
        self.messages: dict[int, dict[str, Any]] = {}  # what each sent message looks like now
        self.flood_limit: int | None = None  # messages a second over all chats, then 429s
        self.chat_limit: float | None = (
            None  # messages a second to one chat (bursts of 3), then 429s
        )
        self._overall: Bucket | None = None
        self._chats: dict[int, Bucket] = {}
        self.blocked: set[int] = set()  # chats whose user blocked the bot: 403
        self.gone: set[int] = set()  # messages the user deleted: an edit of one is a 400
        self.answered: set[str] = set()  # button presses answered: a second answer is a 400
        self.presses_too_old = False  # every press answered too late (after a restart): 400
        self.refused: list[tuple[int, int]] = []  # (status, chat) of every error answer given
        self.polled: list[float] = []  # when each getUpdates came (no Call is kept for them)
        self.changed = threading.Condition()
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self.server: _Server | None = None
        self.receiver: Receiver | None = None  # a bot in this process, if one is attached

    @property
    def base_url(self) -> str:
        """Where to reach this API over HTTP (it starts serving when first asked)."""
        self.start()
        return f"http://127.0.0.1:{self.server.server_port}/bot"

    def start(self) -> FakeBotApi:
        """Serve HTTP on 127.0.0.1, for a bot that polls or runs in a process of its own."""
        if self.server is None:
            _Server.request_queue_size = 256  # the bot opens many connections at once
            self.server = _Server(("127.0.0.1", 0), self._handler())
            self.server.daemon_threads = True
            threading.Thread(
                target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
            ).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def attach(self, receiver: Receiver) -> None:
        """From now on, updates go straight to this bot in the process instead of getUpdates."""
        assert self.receiver is None, "another bot is attached already"
        self.receiver = receiver

    def detach(self, receiver: Receiver) -> None:
        if self.receiver is receiver:
            self.receiver = None

    # What the tests do as users.
    def _push(self, update: dict[str, Any]) -> None:
        update = {"update_id": next(self._update_ids), **update}
        if self.receiver is not None:
            self.receiver.deliver(json.loads(json.dumps(update)))  # as it would arrive
            return
        with self.changed:
            self._updates.append(update)
            self.changed.notify_all()

    @staticmethod
    def user(user_id: int, language_code: str = "sv") -> dict[str, Any]:
        return {
            "id": user_id,
            "is_bot": False,
            "first_name": f"Tjänsteperson {user_id}",
            "language_code": language_code,
        }

    @staticmethod
    def chat(chat_id: int, chat_type: str = "private") -> dict[str, Any]:
        chat = {"id": chat_id, "type": chat_type}
        if chat_type != "private":
            chat["title"] = "Socialtjänsten"
        return chat

    def message(
        self,
        user_id: int,
        text: str | None = None,
        *,
        chat_id: int | None = None,
        chat_type: str = "private",
        language_code: str = "sv",
        kind: str = "message",
        **content: Any,
    ) -> int:
        """A user sends a message (text, or other content such as a photo); returns its id."""
        message_id = next(self._message_ids)
        message = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": self.chat(chat_id or user_id, chat_type),
            "from": self.user(user_id, language_code),
            **content,
        }
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                command = text.split()[0]
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        if kind == "edited_message":
            message["edit_date"] = int(time.time())
        self._push({kind: message})
        return message_id

    def block(self, user_id: int, blocked: bool = True) -> None:
        """A user blocks (or unblocks) the bot: sends to them fail, and Telegram says so."""
        if blocked:
            self.blocked.add(user_id)
        else:
            self.blocked.discard(user_id)
        states = ("member", "kicked") if blocked else ("kicked", "member")
        self._push(
            {
                "my_chat_member": {
                    "chat": self.chat(user_id),
                    "from": self.user(user_id),
                    "date": int(time.time()),
                    "old_chat_member": {"status": states[0], "user": BOT_USER, "until_date": 0},
                    "new_chat_member": {"status": states[1], "user": BOT_USER, "until_date": 0},
                }
            }
        )

    def press(self, user_id: int, message: Call, data: str, language_code: str = "sv") -> None:
        """A user presses an inline button under a message the bot sent (as it looks now)."""
        with self.changed:
            sent = dict(self.messages[message.params["message_id"]])
        self._push(
            {
                "callback_query": {
                    "id": str(next(self._update_ids) * 7919),
                    "from": self.user(user_id, language_code),
                    "chat_instance": str(user_id),
                    "data": data,
                    "message": {
                        "message_id": sent["message_id"],
                        "date": int(time.time()),
                        "chat": self.chat(int(sent["chat_id"])),
                        "from": BOT_USER,
                        "text": plain_text(sent.get("text", "")),
                        "reply_markup": sent.get("reply_markup"),
                    },
                }
            }
        )

    # Waiting for the bot.
    def wait_for(self, predicate: Callable[[list[Call]], Any], timeout: float = 15) -> Any:
        """Wait until `predicate(calls)` is true and return it. A bot in this process works
        until then, and is given up on at once when it has nothing left under way."""
        if self.receiver is not None:
            result = self.receiver.run_until(lambda: predicate(self.calls), timeout)
            if result:
                return result
            raise AssertionError(self._unexpected())
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                result = predicate(self.calls)
                if result:
                    return result
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(self._unexpected())
                self.changed.wait(left)

    def _unexpected(self) -> str:
        recent = [(c.method, c.text[:60]) for c in self.calls[-8:]]
        return f"the bot did not do what was expected; last calls: {recent}"

    def sent(self, chat_id: int, method: str = "sendMessage") -> list[Call]:
        with self.changed:
            return [c for c in self.by_chat.get(chat_id, []) if c.method == method]

    def shown(self, chat_id: int) -> list[Call]:
        """What appeared in a chat, in order: the texts sent, and the texts a message was
        edited into (the pressed question turned into the next one)."""
        with self.changed:
            return [
                c
                for c in self.by_chat.get(chat_id, [])
                if c.method in ("sendMessage", "editMessageText")
            ]

    def to_chats(self, chat_id: int | None = None) -> dict[str, int]:
        """Calls made to chats (to this one, or any), by method: those carrying a chat_id,
        which python-telegram-bot's rate limiter holds to Telegram's 30 a second."""
        counts: dict[str, int] = {}
        with self.changed:
            for call in self.calls:
                chat = call.params.get("chat_id")
                if chat is not None and (chat_id is None or int(chat) == chat_id):
                    counts[call.method] = counts.get(call.method, 0) + 1
        return counts

    def wait_sent(self, chat_id: int, count: int, method: str = "sendMessage") -> list[Call]:
        """Wait until the bot has sent `count` messages to a chat in all; return them all."""
        return self.wait_for(
            lambda _: len(self.sent(chat_id, method)) >= count and self.sent(chat_id, method)
        )

    def idle(self, seconds: float = 0.3) -> None:
        """Wait until the bot has finished with the updates: a bot in this process finishes
        what it has under way; one over HTTP has made no call for `seconds`."""
        if self.receiver is not None:
            self.receiver.settle()
            return
        while True:
            with self.changed:
                before = len(self.calls)
                self.changed.wait(seconds)
                if len(self.calls) == before and not self._updates:
                    return

    # The API, whichever way it is reached.
    def route(self, path: str) -> str | None:
        """The method a request's path calls, or None when the token is not this bot's."""
        match = re.fullmatch(r"/bot([^/]+)/(\w+)", path)
        return match[2] if match is not None and match[1] == self.token else None

    def draw_trouble(self, method: str, params: dict[str, Any]) -> str | None:
        """Whether this call meets trouble, and which (see Trouble)."""
        if self.trouble is None:
            return None
        chat = params.get("chat_id")
        chat = int(chat) if str(chat or "").lstrip("-").isdigit() else None
        return self.trouble.draw(method, chat)

    def answer(
        self,
        method: str | None,
        params: dict[str, Any],
        files: dict[str, bytes],
        trouble: str | None = None,
    ) -> tuple[int, dict[str, Any]]:
        """Telegram's answer to a call (status, body), after any trouble but a hang-up or delay,
        which the transport acts out."""
        if method is None:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        if trouble in ("error_500", "error_502"):
            code = int(trouble[-3:])
            return code, {"ok": False, "error_code": code, "description": trouble}
        if trouble == "flood":
            return 429, ApiError(429, "Too Many Requests", retry_after=1).payload
        try:
            return 200, {"ok": True, "result": self._record(method, params, files)}
        except ApiError as error:
            return error.code, error.payload

    def _record(self, method: str, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        if method == "getMe":
            return BOT_USER
        if method == "getUpdates":
            with self.changed:
                self.polled.append(time.monotonic())
                self.changed.notify_all()
            return self._get_updates(params)
        with self.changed:
            self._enforce(method, params)
            result = self._result(method, params)
            call = Call(method, params, files)
            self.calls.append(call)
            if method in (*SENDS, "editMessageText"):
                self.by_chat.setdefault(int(params["chat_id"]), []).append(call)
            self.changed.notify_all()
        return result

    def _enforce(self, method: str, params: dict[str, Any]) -> None:
        """Telegram's answers to a message that is too long, a blocked user and too many
        messages a second."""
        shown = (
            plain_text(params.get("text", ""))
            if params.get("parse_mode")
            else params.get("text", "")
        )
        if method in ("sendMessage", "editMessageText") and len(shown) > MAX_TEXT_LENGTH:
            raise ApiError(400, "Bad Request: message is too long")
        if method == "answerCallbackQuery":
            query = params["callback_query_id"]
            if self.presses_too_old or query in self.answered:
                raise ApiError(400, QUERY_TOO_OLD)
            self.answered.add(query)
        if method in EDITS and int(params["message_id"]) in self.gone:
            raise ApiError(400, "Bad Request: message to edit not found")
        if method not in (*SENDS, *EDITS):  # Telegram's limits count edits as messages too
            return
        chat = int(params["chat_id"])
        if chat in self.blocked:
            self.refused.append((403, chat))
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if self.flood_limit is not None:
            if self._overall is None or self._overall.rate != self.flood_limit:
                self._overall = Bucket(self.flood_limit, self.flood_limit)
            if not self._overall.take():
                self.refused.append((429, chat))
                raise ApiError(429, "Too Many Requests: retry after 1", retry_after=1)
        if self.chat_limit is not None:
            bucket = self._chats.setdefault(chat, Bucket(3, self.chat_limit))
            if not bucket.take():
                self.refused.append((429, chat))
                raise ApiError(429, "Too Many Requests: retry after 1", retry_after=1)

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method in SENDS:
            message_id = next(self._message_ids)
            params["message_id"] = message_id
            result = {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": self.chat(int(params["chat_id"])),
                "from": BOT_USER,
            }
            self.messages[message_id] = dict(params)
            if method == "sendMessage":
                result["text"] = plain_text(params["text"])
            elif method == "sendPhoto":
                size = {"file_id": f"photo{message_id}", "file_unique_id": f"p{message_id}"}
                result["photo"] = [{**size, "width": 320, "height": 320}]
                result["caption"] = params.get("caption", "")
            else:
                result["document"] = {
                    "file_id": f"doc{message_id}",
                    "file_unique_id": f"u{message_id}",
                    "file_name": params.get("filename", ""),
                }
            result_value: Any = result
        elif method in EDITS:
            params["message_id"] = int(params["message_id"])  # as a sent message's
            shown = self.messages.setdefault(
                int(params["message_id"]), {"chat_id": params["chat_id"]}
            )
            shown["reply_markup"] = params.get("reply_markup")
            if "text" in params:
                shown["text"] = params["text"]
            result_value = {
                "message_id": int(params["message_id"]),
                "date": int(time.time()),
                "chat": self.chat(int(params["chat_id"])),
                "from": BOT_USER,
                "text": plain_text(params.get("text", "")),
            }
        else:
            result_value = True
        return result_value

    def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset", 0) or 0)
        wait = min(float(params.get("timeout", 0) or 0), 1.0)
        deadline = time.monotonic() + wait
        with self.changed:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            while not self._updates and time.monotonic() < deadline:
                self.changed.wait(deadline - time.monotonic())
            return list(self._updates)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep connections open, as Telegram's servers do
            disable_nagle_algorithm = True  # headers and body go out at once, not 40 ms apart

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                method = api.route(self.path)
                params, files = self._params()
                trouble = api.draw_trouble(method, params) if method else None
                if trouble == "drop":
                    self.close_connection = True  # hang up: no answer, nothing carried out
                    return
                if trouble == "slow":
                    time.sleep(api.trouble.delay)
                self._answer(*api.answer(method, params, files, trouble))

            def _params(self) -> tuple[dict[str, Any], dict[str, bytes]]:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                kind = self.headers.get("Content-Type", "")
                if kind.startswith("multipart/form-data"):
                    head = f"Content-Type: {kind}\r\n\r\n".encode()
                    parsed = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
                        head + body
                    )
                    fields, uploads = {}, {}
                    for part in parsed.iter_parts():
                        name = part.get_param("name", header="content-disposition")
                        payload = part.get_payload(decode=True)
                        if part.get_filename():
                            uploads[name] = (part.get_filename(), payload)
                        else:
                            fields[name] = payload.decode()
                    return _telegram_sees(fields, uploads)
                if kind.startswith("application/json"):
                    return json.loads(body or b"{}"), {}
                return _telegram_sees(dict(parse_qsl(body.decode())), {})

            def _answer(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(data)  # the bot may hang up a long poll when it stops

        return Handler


HUNG_UP = "httpx.RemoteProtocolError: Server disconnected without sending a response."


class RecordingRequest(BaseRequest):
    """python-telegram-bot's network layer, answered in this process by a FakeBotApi: each
    Bot API call is recorded and answered as over HTTP (trouble included), without HTTP."""

    def __init__(self, api: FakeBotApi) -> None:
        self.api = api
        self.listeners: list[Callable[[], None]] = []  # told after every call

    @property
    def read_timeout(self) -> float | None:
        return 5.0

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        called = self.api.route(urlparse(url).path)
        fields = request_data.json_parameters if request_data else {}
        uploads = {
            name: (upload[0], upload[1] if isinstance(upload[1], bytes) else upload[1].read())
            for name, upload in (request_data.multipart_data if request_data else {}).items()
        }
        params, files = _telegram_sees(fields, uploads)
        trouble = self.api.draw_trouble(called, params) if called else None
        try:
            if trouble == "drop":  # hung up: what httpx makes of it
                raise NetworkError(HUNG_UP)
            if trouble == "slow":
                await asyncio.sleep(self.api.trouble.delay)
            status, body = self.api.answer(called, params, files, trouble)
            return status, json.dumps(body).encode()
        finally:
            for listener in self.listeners:
                listener()
