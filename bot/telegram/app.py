"""The Telegram bot: one wiring function with every handler, and running it by polling or webhook."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import logging
import ssl
from http import HTTPStatus
from typing import Any

import httpx
from telegram import Bot, Update
from telegram.error import InvalidToken, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest, HTTPXRequest

from bot.config import Settings
from bot.logs import follow_respondents, note_user
from bot.telegram import callbacks as c
from bot.telegram import (
    catch_up,
    coordination,
    examples_view,
    handlers,
    membership,
    menus,
    municipal_letter,
    presses,
    scheduled,
)
from bot.telegram.alerts import alert_admin_chat
from bot.telegram.context import Context, provide
from bot.telegram.ordering import OnePersonAtATime, Overflow
from bot.telegram.pacing import PerChatRateLimiter
from bot.telegram.send import say
from bot.telegram.webhook import serve_webhook
from dialogues.programme.programme import Programme
from dialogues.review.engine import Engine
from storage.heartbeat import Heartbeat
from storage.programme import ProgrammeStore

log = logging.getLogger(__name__)

# Connections to Telegram for sending (PTB's default is 256). Sends are paced to 30 a second,
# so a handful are in use at once; httpx's pool looks through all of its connections for
# each request, which at 256 cost a sixth or more of the bot's CPU (at 8: 22 -> 16 ms an
# answer under load). A send waits for a free one rather than failing: within
# CONNECTION_WAIT seconds it always gets one.
CONNECTIONS = 8
CONNECTION_WAIT = 30.0
# Seconds between the end of one getUpdates and the next. Telegram answers a long poll as
# soon as anything is waiting, so under load each poll brought one or two updates and cost
# as much as the answers it carried (~16 polls a second: 13 -> 10.8 ms of CPU an answer with
# this pause). Quiet, the poll is already waiting when someone writes: no delay; busy, an
# update waits at most this long, beside the seconds Telegram's flood limit sets.
POLL_INTERVAL = 0.2


@functools.cache
def shared_tls() -> ssl.SSLContext:
    """httpx's own TLS settings, made once: each connection pool would otherwise load the
    certificate authorities again (~60 ms each, four pools before the bot serves)."""
    return httpx.create_ssl_context()


def sending() -> HTTPXRequest:
    """The connections requests other than getUpdates go on (see CONNECTIONS)."""
    return HTTPXRequest(
        connection_pool_size=CONNECTIONS,
        pool_timeout=CONNECTION_WAIT,
        httpx_kwargs={"verify": shared_tls()},
    )


class RedactToken(logging.Filter):
    """Blanks the bot token out of every log line (httpx logs request URLs, which hold it)."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.token in message:
            record.msg, record.args = message.replace(self.token, "<token>"), None
        return True


def quiet_logging(token: str) -> None:
    """INFO from our code only; the token never reaches a log handler."""
    for chatty in ("httpx", "transitions", "apscheduler"):  # every request, move, job run
        logging.getLogger(chatty).setLevel(logging.WARNING)
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactToken(token))
    follow_respondents(token)  # JSON lines name the person by a hashed id (bot/logs.py)


def told_to_slow_down(application: Application) -> Overflow:
    """What a person with too many messages waiting is told, once (ordering.OnePersonAtATime)."""

    async def tell(update: Update) -> None:
        with contextlib.suppress(TelegramError):  # the person's next message is answered anyway
            await say(update, Context(application), "err_one_at_a_time")

    return tell


async def on_start(application: Application) -> None:
    await catch_up.start(application)  # the owed questions go out alongside new updates
    await menus.set_menus(application)
    scheduled.start_ticking(application)


def build_application(
    settings: Settings, engine: Engine, request: BaseRequest | None = None
) -> Application:
    """Every handler in order, one line each: the whole routing table on one screen.
    `request` replaces HTTP to Telegram (the tests' in-process Bot API)."""
    builder = (
        ApplicationBuilder()
        .token(settings.checked_token())
        .base_url(settings.api_base_url)
        .context_types(ContextTypes(context=Context))
        .post_init(on_start)
        .rate_limiter(PerChatRateLimiter(overall_max_rate=settings.api_rate, max_retries=3))
        .concurrent_updates(processor := OnePersonAtATime())
    )
    polling = Polling(Heartbeat(engine.store.folder))
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    else:
        builder = builder.get_updates_request(polling).request(sending())
    application = builder.build()
    processor.on_overflow = told_to_slow_down(application)
    polling.application = application
    programme = Programme(engine, ProgrammeStore(engine.store.folder), settings.coordinators)
    provide(application, engine, programme)
    private = filters.ChatType.PRIVATE
    new_message = filters.UpdateType.MESSAGE
    add = application.add_handler
    add(TypeHandler(Update, note_user), group=-1)  # whose update it is, for the logs' hashed id
    add(MessageHandler(~private & (filters.COMMAND | filters.Entity("mention")), handlers.in_group))
    add(ChatMemberHandler(membership.chat_member_changed, ChatMemberHandler.MY_CHAT_MEMBER))
    add(MessageHandler(filters.UpdateType.EDITED_MESSAGE & private, handlers.edited))
    # Officials.
    add(CommandHandler("start", handlers.start, private))
    add(CommandHandler("resume", handlers.resume, private))
    add(CommandHandler("back", handlers.back, private))
    add(CommandHandler("skip", handlers.skip, private))
    add(CommandHandler("status", handlers.status, private))
    add(CommandHandler("summary", handlers.summary, private))
    add(CommandHandler("export", handlers.export, private))
    add(CommandHandler("language", handlers.language, private))
    add(CommandHandler("delete", handlers.delete, private))
    add(CommandHandler("help", handlers.help_command, private))
    add(CommandHandler("reminders", membership.reminders, private))
    add(CommandHandler("consolidated", coordination.consolidated, private))
    add(CommandHandler("letter", municipal_letter.letter_command, private))
    # Coordinators.
    add(CommandHandler("coordinator", coordination.coordinator, private))
    add(CommandHandler("municipality", coordination.municipality, private))
    add(CommandHandler("overview", coordination.overview, private))
    add(CommandHandler("remind", coordination.remind, private))
    add(CommandHandler("schedule", scheduled.schedule, private))
    add(CommandHandler("newround", coordination.new_round, private))
    add(CommandHandler("contact", municipal_letter.contact, private))
    add(CommandHandler("share", examples_view.share, private))
    add(CommandHandler("examples", examples_view.examples_command, private))
    # Anything else typed.
    add(MessageHandler(private & new_message & filters.COMMAND, handlers.unknown_command))
    add(MessageHandler(private & new_message & filters.TEXT, handlers.text_answer))
    add(MessageHandler(private & new_message, handlers.not_text))
    # Buttons, by the action they carry (callbacks.py).
    answer = (c.CHOOSE, c.CONFIRM, c.BACK, c.SKIP, c.PAUSE, c.RESUME)
    add(CallbackQueryHandler(presses.answer_question, pattern=c.is_press(*answer)))
    add(CallbackQueryHandler(presses.tick, pattern=c.is_press(c.TOGGLE)))
    add(CallbackQueryHandler(presses.more_info, pattern=c.is_press(c.INFO)))
    add(CallbackQueryHandler(presses.language, pattern=c.is_press(c.LANGUAGE)))
    add(CallbackQueryHandler(presses.delete, pattern=c.is_press(c.DELETE)))
    add(CallbackQueryHandler(presses.export, pattern=c.is_press(c.EXPORT)))
    add(CallbackQueryHandler(presses.organisation, pattern=c.is_press(c.ORGANISATION)))
    add(CallbackQueryHandler(presses.overview_page, pattern=c.is_press(c.OVERVIEW)))
    add(CallbackQueryHandler(presses.follow_up, pattern=c.is_press(c.FOLLOW_UP)))
    add(CallbackQueryHandler(membership.reminders_off, pattern=c.is_press(c.REMINDERS_OFF)))
    add(CallbackQueryHandler(presses.joint_contact, pattern=c.is_press(c.JOINT_CONTACT)))
    add(CallbackQueryHandler(presses.joint_line, pattern=c.is_press(c.JOINT_LINE)))
    add(CallbackQueryHandler(examples_view.share_press, pattern=c.is_press(c.SHARE)))
    add(CallbackQueryHandler(examples_view.remove_press, pattern=c.is_press(c.EXAMPLE)))
    add(CallbackQueryHandler(presses.not_ours))  # forged, or from a version that is gone
    application.add_error_handler(handlers.on_error)
    alert_admin_chat(application, settings)  # SELFREVIEW_ADMIN_CHAT is told, if set
    return application


class Polling(HTTPXRequest):
    """The connection the updates are polled on (PTB's default: one at a time), noticing when
    Telegram stops taking the token (revoked in @BotFather while the bot runs). PTB's polling
    then ends for good, and a process that no longer polls must not stay up looking alive:
    run_polling stops and raises InvalidToken, and the process exits saying so. Each answered
    poll is the bot's heartbeat (for `selfreview health`), noted at most every 10 s."""

    def __init__(self, heartbeat: Heartbeat | None = None) -> None:
        super().__init__(connection_pool_size=1, httpx_kwargs={"verify": shared_tls()})
        self.application: Application | None = None  # the one to stop
        self.stopping: asyncio.Task[None] | None = None
        self.heartbeat = heartbeat

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        status, body = await super().do_request(*args, **kwargs)
        if status == HTTPStatus.OK and self.heartbeat is not None and self.heartbeat.due():
            await asyncio.to_thread(self.heartbeat.write, "polling")
        refused = status in (HTTPStatus.UNAUTHORIZED, HTTPStatus.NOT_FOUND)  # PTB: InvalidToken
        if refused and self.application is not None and self.stopping is None:
            self.stopping = asyncio.create_task(self._stop(self.application))
        return status, body

    @staticmethod
    async def _stop(application: Application) -> None:
        """Stop run_polling once the application runs (it may still be starting)."""
        while not application.running:
            await asyncio.sleep(0.1)
        application.stop_running()


def webhook_secret(token: str) -> str:
    """A secret Telegram sends with each webhook call, so that nobody else can post updates."""
    return hashlib.sha256(f"selfreview-webhook:{token}".encode()).hexdigest()[:64]


async def check_api(settings: Settings) -> None:
    """Ask the API who we are before serving, so that a refused token or an unreachable API
    ends in one clear error (InvalidToken, NetworkError) rather than a logged retry loop."""
    token, base_url = settings.checked_token(), settings.api_base_url
    async with Bot(token, base_url, request=sending(), get_updates_request=Polling()) as bot:
        await bot.get_me()


def run(
    settings: Settings,
    engine: Engine,
    webhook_url: str | None = None,
    port: int = 8443,
    listen: str = "127.0.0.1",
) -> None:
    """Serve until Ctrl-C (or SIGTERM): long polling, or a webhook behind a reverse proxy."""
    quiet_logging(settings.checked_token())
    if webhook_url:
        settings.checked_webhook_url(webhook_url)
    asyncio.run(check_api(settings))
    application = build_application(settings, engine)
    if webhook_url:
        secret = webhook_secret(settings.checked_token())
        heartbeat = Heartbeat(engine.store.folder)
        serve_webhook(application, webhook_url, listen, port, secret, heartbeat)
    else:
        poll(application)


def poll(application: Application) -> None:
    """run_polling; when it ends because Telegram refused the token (see Polling), what is
    under way is finished and the refusal raised, for the caller to exit on."""
    try:
        application.run_polling(
            allowed_updates=Update.ALL_TYPES, close_loop=False, poll_interval=POLL_INTERVAL
        )
    except InvalidToken:  # raised by the updater's stop, before the application's own
        loop = asyncio.get_event_loop()
        if application.running:
            loop.run_until_complete(application.stop())
        loop.run_until_complete(application.shutdown())
        raise
    finally:
        asyncio.get_event_loop().close()
