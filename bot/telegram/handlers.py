"""Telegram handlers: each turns an update into one engine call and renders what comes back.

No conversation state lives here: the engine and the store hold it all, so a restarted
bot continues every review exactly where it was.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from html import escape
from typing import Any

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, NetworkError, TimedOut
from telegram.ext import ContextTypes

from bot.exports.files import OFFICIAL_FORMATS
from bot.telegram import callbacks, coordination
from bot.telegram.callbacks import Press
from bot.telegram.common import language_of, off_loop, respondent_id
from bot.telegram.render import keyboard, menu, prompt_html, split_message
from dialogues.review.engine import Engine, SaveError
from dialogues.review.prompts import Reply
from storage.store import Store

log = logging.getLogger(__name__)
Context = ContextTypes.DEFAULT_TYPE


def engine_of(context: Context) -> Engine:
    return context.bot_data["engine"]


def store_of(context: Context) -> Store:
    return context.bot_data["store"]


async def send_text(context: Context, chat_id: int, text: str) -> None:
    """Plain text, split at paragraphs where it is longer than one message."""
    for piece in split_message(text):
        await context.bot.send_message(chat_id, escape(piece), parse_mode=ParseMode.HTML)


async def retire_prompt(
    context: Context, rid: str, respondent: dict[str, Any] | None = None
) -> None:
    """Take the buttons off the last question sent, so that only the current one has live ones.
    `respondent`, if the caller has just read it, saves reading it again."""
    if respondent is None:
        respondent = await off_loop(store_of(context).respondent, rid)
    sent = (respondent or {}).get("telegram") or {}
    if sent.get("prompt_message_id"):
        with contextlib.suppress(BadRequest):  # already without buttons, or deleted by the user
            await context.bot.edit_message_reply_markup(
                sent["chat_id"], sent["prompt_message_id"], reply_markup=None
            )


async def send_reply(context: Context, chat_id: int, rid: str, reply: Reply) -> None:
    """Notices, then the prompt with its buttons (remembered, to retire later), then any summary.

    When Telegram fails the send, the question is owed: catch_up.pay sends it when Telegram is back.
    """
    engine = engine_of(context)
    q, lang = engine.questionnaire, reply.lang
    text = prompt_html(reply.prompt, q, lang)
    if reply.error:
        text = f"⚠️ {escape(reply.error)}\n\n{text}"
    try:
        for notice in reply.notices:
            await send_text(context, chat_id, notice)
        message = await context.bot.send_message(
            chat_id, text, parse_mode=ParseMode.HTML, reply_markup=keyboard(reply.prompt, q, lang)
        )
        message_id: int | None = message.message_id
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
        await send_text(context, chat_id, await off_loop(engine.summary, rid))


async def remember_shown(
    context: Context, rid: str, chat_id: int, message_id: int | None, turn: str
) -> None:
    """Where the current question is (to retire its buttons later), which turn of the review
    it shows (catch_up sends a newer one if it is owed), and that the person is reachable."""
    shown = {"chat_id": chat_id, "prompt_message_id": message_id, "prompt_turn": turn}
    await off_loop(
        store_of(context).update_respondent, rid, {"telegram": shown, "unreachable": False}
    )


async def note_owed(context: Context, rid: str, chat_id: int) -> None:
    """A question Telegram did not take: catch_up.pay sends it later, after a restart too."""
    context.bot_data.setdefault("owed", set()).add(rid)
    store = store_of(context)
    try:
        shown = (await off_loop(store.respondent, rid) or {}).get("telegram") or {}
        owed = {"telegram": {**shown, "chat_id": chat_id, "owed": True}}
        await off_loop(store.update_respondent, rid, owed)
    except OSError as error:  # the disk as well: it stays owed until this process stops
        log.error("could not note an owed question: %s", error.strerror)


async def _reply_with(
    update: Update,
    context: Context,
    action: Callable[[str, str], Reply],
    respondent: dict[str, Any] | None = None,
) -> None:
    """Run an engine action for the sender and show where it leaves them."""
    user, chat = update.effective_user, update.effective_chat
    rid = respondent_id(user)
    if (
        respondent is None
    ):  # read before the action: the engine never changes where prompts were sent
        respondent = await off_loop(store_of(context).respondent, rid)
    try:
        reply = await off_loop(
            engine_of(context).once, rid, update.update_id, lambda: action(rid, language_of(user))
        )
    except SaveError as error:
        await could_not_save(context, chat.id, rid, error)
        return
    if reply is None:  # handed over again after a restart: taken already
        return
    await retire_prompt(context, rid, respondent)
    await send_reply(context, chat.id, rid, reply)


async def could_not_save(context: Context, chat_id: int, rid: str, error: SaveError) -> None:
    """The disk refused the write: say so plainly; the question stays where it was."""
    folder = store_of(context).folder
    log.error("an answer could not be saved: %s refused the write (%s)", folder, error)
    lang = await off_loop(engine_of(context).language, rid)
    await context.bot.send_message(chat_id, engine_of(context).questionnaire.text("err_save", lang))


# Commands.
async def start(update: Update, context: Context) -> None:
    """Welcome a newcomer; bring someone who has been here before back to where they were."""
    engine = engine_of(context)
    user = update.effective_user
    rid = respondent_id(user)
    if context.args:  # a deep link: https://t.me/<bot>?start=<invitation code>
        await coordination.join(update, context, context.args[0])
        return
    known = await off_loop(engine.is_known, rid)
    reply = await off_loop(engine.current, rid, language_of(user))
    if reply.prompt.kind == "paused":
        reply = await off_loop(engine.resume, rid)
    elif known and reply.prompt.step != "intro":
        welcome_back = engine.questionnaire.text("resumed", reply.lang)
        reply = Reply(reply.prompt, (welcome_back,), None, reply.lang, reply.turn)
    await retire_prompt(context, rid)
    await send_reply(context, update.effective_chat.id, rid, reply)


async def resume(update: Update, context: Context) -> None:
    await _reply_with(update, context, engine_of(context).resume)


async def back(update: Update, context: Context) -> None:
    await _reply_with(update, context, engine_of(context).back)


async def skip(update: Update, context: Context) -> None:
    if await coordination.take_comment(update, context, None):
        return
    await _reply_with(update, context, engine_of(context).skip)


async def status(update: Update, context: Context) -> None:
    rid = respondent_id(update.effective_user)
    await send_text(
        context, update.effective_chat.id, await off_loop(engine_of(context).status, rid)
    )


async def summary(update: Update, context: Context) -> None:
    rid = respondent_id(update.effective_user)
    await send_text(
        context, update.effective_chat.id, await off_loop(engine_of(context).summary, rid)
    )


async def export(update: Update, context: Context) -> None:
    """Offer the official's files: PDF to read, Word to edit and sign, JSON of all their data.
    With a scope (/export alla | Uppsala län | Uppsala), a coordinator gets the programme's."""
    if context.args:
        await coordination.export_programme(update, context)
        return
    lang = await off_loop(engine_of(context).language, respondent_id(update.effective_user))
    q = engine_of(context).questionnaire
    choices = [
        (q.text(f"export_{fmt}", lang), Press(callbacks.EXPORT, "", fmt))
        for fmt in OFFICIAL_FORMATS
    ]
    await context.bot.send_message(
        update.effective_chat.id, q.text("export_choose", lang), reply_markup=menu(choices)
    )


async def language(update: Update, context: Context) -> None:
    lang = await off_loop(engine_of(context).language, respondent_id(update.effective_user))
    choices = [
        ("Svenska", Press(callbacks.LANGUAGE, "", "sv")),
        ("English", Press(callbacks.LANGUAGE, "", "en")),
    ]
    text = engine_of(context).questionnaire.text("tg_language", lang)
    await context.bot.send_message(
        update.effective_chat.id, text, reply_markup=menu(choices, per_row=2)
    )


async def delete(update: Update, context: Context) -> None:
    """Ask first: erasing cannot be undone."""
    q = engine_of(context).questionnaire
    lang = await off_loop(engine_of(context).language, respondent_id(update.effective_user))
    choices = [
        (q.text("tg_delete_yes", lang), Press(callbacks.DELETE, "", "yes")),
        (q.text("tg_delete_no", lang), Press(callbacks.DELETE, "", "no")),
    ]
    await context.bot.send_message(
        update.effective_chat.id,
        q.text("tg_delete_confirm", lang),
        reply_markup=menu(choices, per_row=2),
    )


async def help_command(update: Update, context: Context) -> None:
    lang = await off_loop(engine_of(context).language, respondent_id(update.effective_user))
    q = engine_of(context).questionnaire
    text = q.text("tg_help", lang)
    if await off_loop(context.bot_data["programme"].is_coordinator, update.effective_user.id):
        text += "\n\n" + q.text("tg_help_coordinator", lang)
    await send_text(context, update.effective_chat.id, text)


async def unknown_command(update: Update, context: Context) -> None:
    lang = await off_loop(engine_of(context).language, respondent_id(update.effective_user))
    await send_text(
        context,
        update.effective_chat.id,
        engine_of(context).questionnaire.text("tg_unknown_command", lang),
    )


# Messages.
async def text_answer(update: Update, context: Context) -> None:
    text = update.message.text
    respondent = await off_loop(store_of(context).respondent, respondent_id(update.effective_user))
    if await coordination.take_comment(update, context, text, respondent):
        return
    answer = engine_of(context).answer
    await _reply_with(update, context, lambda rid, lang: answer(rid, text, lang), respondent)


async def _notice(update: Update, context: Context, key: str) -> None:
    user = update.effective_user
    q = engine_of(context).questionnaire
    lang = language_of(user)
    if await off_loop(engine_of(context).is_known, respondent_id(user)):
        lang = await off_loop(engine_of(context).language, respondent_id(user))
    await context.bot.send_message(update.effective_chat.id, q.text(key, lang))


async def not_text(update: Update, context: Context) -> None:
    """Photos, stickers, voice, locations, documents: ask for text or buttons."""
    await _notice(update, context, "tg_non_text")


async def edited(update: Update, context: Context) -> None:
    """An edited message changes no answer: the answer was taken when it was sent."""
    await _notice(update, context, "tg_edited")


async def in_group(update: Update, context: Context) -> None:
    """The review holds a municipality's answers: it happens in private chats only."""
    q = engine_of(context).questionnaire
    lang = language_of(update.effective_user) if update.effective_user else "sv"
    link = f"https://t.me/{context.bot.username}"
    await context.bot.send_message(update.effective_chat.id, q.text("tg_group", lang, link=link))


async def on_error(update: object, context: Context) -> None:
    """Log the failure (its kind and where, never answer text) and tell the user their answers are safe."""
    log.error("handling an update failed: %s", type(context.error).__name__, exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    user = update.effective_user
    lang = language_of(user) if user else "sv"
    if user is not None:  # if the failure came between a saved answer and its next question
        context.bot_data.setdefault("owed", set()).add(respondent_id(user))
    try:
        if update.callback_query is not None:
            await update.callback_query.answer()  # every press is answered, even a failed one
        await context.bot.send_message(
            update.effective_chat.id, engine_of(context).questionnaire.text("tg_error", lang)
        )
    except Exception:  # the API itself may be what failed
        log.warning("could not tell the user about the failure")
