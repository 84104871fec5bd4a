"""Sending to a person: texts split to fit, the current question with its buttons (remembered,
so that its buttons can be retired and a question Telegram failed to take is sent later),
and plain refusals and notices in the person's language."""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from telegram import CallbackQuery, InlineKeyboardMarkup, Update
from telegram.constants import CallbackQueryLimit, MessageLimit, ParseMode
from telegram.error import BadRequest, NetworkError, TelegramError, TimedOut

from bot.telegram.context import Context, language_of, off_loop, respondent_id
from bot.telegram.render import keyboard, reply_messages
from bot.telegram.summary_view import send_summary
from bot.telegram.texts import cut, send_text  # noqa: F401 (others import send_text from here)
from dialogues.errors import Refusal
from dialogues.review import Reply, SaveError

log = logging.getLogger(__name__)
MAX_TEXT_LENGTH = MessageLimit.MAX_TEXT_LENGTH
ECHO = 100  # characters of what someone typed that a reply repeats


async def answer_press(query: CallbackQuery, toast: str | None = None) -> None:
    """Answer a button press (its spinner stops; `toast` shows briefly) as far as Telegram lets:
    a press answered already, or too old to answer (after a restart), is refused, and the work
    the press asked for goes on all the same."""
    limit = CallbackQueryLimit.ANSWER_CALLBACK_QUERY_TEXT_LENGTH
    try:
        await query.answer(cut(toast, limit) if toast else None)
    except TelegramError as error:
        log.warning("a button press could not be answered (%s)", type(error).__name__)


async def lang_of(update: Update, context: Context) -> str:
    """The sender's chosen language if they have one, else their Telegram language."""
    user = update.effective_user
    if user is None:
        return language_of(None)
    return await off_loop(context.engine.language, respondent_id(user), language_of(user))


async def say(update: Update, context: Context, key: str, **fields: object) -> None:
    """One text of ui.yaml to the sender, in their language (never longer than a message)."""
    text = context.engine.questionnaire.text(key, await lang_of(update, context), **fields)
    await context.bot.send_message(update.effective_chat.id, cut(text, MAX_TEXT_LENGTH))


async def say_refused(update: Update, context: Context, refused: Refusal) -> None:
    """A refusal, repeating at most ECHO characters of anything typed (a name, a code)."""
    fields = {
        name: cut(value, ECHO) if isinstance(value, str) else value
        for name, value in refused.fields.items()
    }
    await say(update, context, refused.key, **fields)


async def retire_prompt(context: Context, rid: str, respondent: dict[str, Any] | None) -> None:
    """Take the buttons off the last question sent (`respondent` as read before the input),
    so that only the current one has live ones."""
    sent = (respondent or {}).get("telegram") or {}
    if sent.get("prompt_message_id"):
        with contextlib.suppress(BadRequest):  # already without buttons, or deleted by the user
            await context.bot.edit_message_reply_markup(
                sent["chat_id"], sent["prompt_message_id"], reply_markup=None
            )


async def send_reply(
    context: Context,
    chat_id: int,
    rid: str,
    reply: Reply,
    *,
    answered: str | None = None,
    edit: int | None = None,
) -> None:
    """What a reply shows (render.reply_messages: in one message where it fits), the question
    last with its buttons, remembered; then, at the end, the summary. `answered` is the line
    saying what was just answered; `edit` the message whose button was pressed, which becomes
    the reply's first message: one request to Telegram rather than two, as a pressed question
    need not be marked answered apart from the next one being sent. A message Telegram will
    not edit (deleted, too old) is sent anew instead.

    When Telegram fails the send or the edit, the question is owed: catch_up.pay sends it when
    Telegram is back.
    """
    q = context.engine.questionnaire
    texts = reply_messages(reply, q, answered)
    markup = keyboard(reply.prompt, q, reply.lang)
    message_id: int | None = None
    try:
        if edit is not None and await _edit(
            context, chat_id, edit, texts[0], markup if len(texts) == 1 else None
        ):
            texts, message_id = texts[1:], edit
        for index, text in enumerate(texts, start=1):
            buttons = markup if index == len(texts) else None
            message = await context.bot.send_message(
                chat_id, text, parse_mode=ParseMode.HTML, reply_markup=buttons
            )
            message_id = message.message_id
    except TimedOut:  # Telegram has most likely delivered it: sending it again could double it
        log.warning("a question's send timed out; not sent again")
        message_id = None
    except NetworkError as error:
        if isinstance(error, BadRequest):
            raise
        log.warning("a question could not be sent (%s); owed until Telegram answers", error)
        await note_owed(context, rid, chat_id)
        return
    await remember_shown(context, rid, chat_id, message_id, reply.turn)
    if reply.prompt.kind == "done" and not reply.error:
        await send_summary(context, chat_id, rid)


async def _edit(
    context: Context, chat_id: int, message_id: int, text: str, markup: InlineKeyboardMarkup | None
) -> bool:
    """The message turned into `text` with `markup`; False where Telegram will not edit it
    (deleted by the person, too old, not a text), for the caller to send it anew."""
    try:
        await context.bot.edit_message_text(
            text, chat_id, message_id, parse_mode=ParseMode.HTML, reply_markup=markup
        )
    except BadRequest as error:
        if "not modified" in error.message.lower():  # it shows just that already
            return True
        log.info("a question could not be edited (%s); sending it anew", error.message)
        return False
    return True


async def remember_shown(
    context: Context, rid: str, chat_id: int, message_id: int | None, turn: str
) -> None:
    """Where the current question is (to retire its buttons later), which turn of the review
    it shows (catch_up sends a newer one if it is owed, and a typed answer is taken only if
    the person has been shown the current turn), and that the person is reachable."""
    shown = {"chat_id": chat_id, "prompt_message_id": message_id, "prompt_turn": turn}
    await off_loop(
        context.respondents.update_respondent, rid, {"telegram": shown, "unreachable": False}
    )


def seen_turn(respondent: dict[str, Any] | None) -> str | None:
    """The turn of the last question a person was shown; None when it was not noted."""
    return ((respondent or {}).get("telegram") or {}).get("prompt_turn")


async def note_owed(context: Context, rid: str, chat_id: int) -> None:
    """A question Telegram did not take: catch_up.pay sends it later, after a restart too."""
    context.owed.add(rid)
    store = context.respondents
    try:
        shown = (await off_loop(store.respondent, rid) or {}).get("telegram") or {}
        owed = {"telegram": {**shown, "chat_id": chat_id, "owed": True}}
        await off_loop(store.update_respondent, rid, owed)
    except OSError as error:  # the disk as well: it stays owed until this process stops
        log.error("could not note an owed question: %s", error.strerror)


async def could_not_save(update: Update, context: Context, error: SaveError) -> None:
    """The disk refused the write: say so plainly; the question stays where it was."""
    log.error(
        "an answer could not be saved: %s refused the write (%s)",
        context.respondents.folder,
        error,
    )
    if update.callback_query is not None:
        await answer_press(update.callback_query)
    await say(update, context, "err_save")
