"""The webhook: Telegram posts each update to us, behind a reverse proxy.

python-telegram-bot's own webhook server (run_webhook, on tornado) reads a whole request body,
up to tornado's 100 MB, before it looks at the secret: anyone who finds the URL can make the
bot hold that much memory per post. This one is the same tornado server with the order turned
round: the secret header is checked as soon as the headers are in, and a body is read only
from Telegram and only up to MAX_BODY (an update is a few KiB: files come as ids).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import re
import signal
from http import HTTPStatus
from urllib.parse import urlparse

import tornado.web
from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application
from tornado.httpserver import HTTPServer

from storage.heartbeat import Heartbeat

log = logging.getLogger(__name__)
MAX_BODY = 1024 * 1024  # bytes of one update; Telegram's are far smaller
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# When no one writes for a while no call comes: the bot then asks Telegram who it is (getMe)
# this often, so that a quiet night is not taken for a dead bot (see `selfreview health`).
ASK_EVERY = 60.0


@tornado.web.stream_request_body
class UpdateHandler(tornado.web.RequestHandler):
    """POST <path>: one update, with the secret in its header."""

    SUPPORTED_METHODS = ("POST",)  # type: ignore[assignment]

    def initialize(self, bot_application: Application, secret: str, heartbeat: Heartbeat) -> None:
        self.bot_application = bot_application
        self.secret = secret
        self.heartbeat = heartbeat
        self.chunks: list[bytes] = []

    def prepare(self) -> None:
        """Before any of the body is read: only Telegram, and only so much."""
        given = self.request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            raise tornado.web.HTTPError(HTTPStatus.FORBIDDEN)
        self.request.connection.set_max_body_size(MAX_BODY)  # type: ignore[union-attr]

    def data_received(self, chunk: bytes) -> None:
        self.chunks.append(chunk)

    async def post(self) -> None:
        try:
            data = json.loads(b"".join(self.chunks))
            update = Update.de_json(data, self.bot_application.bot)
        except (ValueError, TypeError, KeyError) as error:
            log.warning("a webhook post was not an update (%s)", type(error).__name__)
            raise tornado.web.HTTPError(HTTPStatus.BAD_REQUEST) from error
        if update is not None:
            await self.bot_application.update_queue.put(update)
        if self.heartbeat.due():
            await asyncio.to_thread(self.heartbeat.write, "webhook")

    def log_exception(self, *args: object) -> None:
        """A refused post is the server doing its job, not an error to log with a traceback."""


def serve_webhook(
    application: Application, url: str, listen: str, port: int, secret: str, heartbeat: Heartbeat
) -> None:
    """Serve until SIGINT or SIGTERM, as run_webhook would: start-up (post_init), the webhook
    registered with Telegram, updates handled, and a clean stop."""
    asyncio.run(_serve(application, url, listen, port, secret, heartbeat))


async def _keep_beating(application: Application, heartbeat: Heartbeat) -> None:
    """Telegram answering getMe is a heartbeat too, for the hours without calls."""
    while True:
        try:
            await application.bot.get_me()
        except TelegramError as error:
            log.warning("Telegram did not answer the bot's getMe (%s)", error)
        else:
            if heartbeat.due():
                await asyncio.to_thread(heartbeat.write, "webhook")
        await asyncio.sleep(ASK_EVERY)


async def _serve(
    application: Application, url: str, listen: str, port: int, secret: str, heartbeat: Heartbeat
) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for stop_signal in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(stop_signal, stop.set)
    path = re.escape(urlparse(url).path.rstrip("/"))
    handler = {"bot_application": application, "secret": secret, "heartbeat": heartbeat}
    routes = [(rf"{path}/?", UpdateHandler, handler)]
    server = HTTPServer(tornado.web.Application(routes), max_body_size=MAX_BODY)
    async with application:  # initialize, and shutdown at the end
        if application.post_init is not None:
            await application.post_init(application)
        await application.bot.set_webhook(
            url, secret_token=secret, allowed_updates=Update.ALL_TYPES
        )
        server.listen(port, address=listen)
        await application.start()
        beating = asyncio.create_task(_keep_beating(application, heartbeat))
        try:
            await stop.wait()
        finally:
            beating.cancel()
            server.stop()
            await server.close_all_connections()
            await application.stop()
