"""Telegram handlers: each turns an update into one engine call and renders what comes back.

No conversation state lives here: the engine and the store hold it all, so a restarted
bot continues every review exactly where it was.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from datetime import date
from html import escape
from typing import Any

from telegram import Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot import callbacks, coordination
from bot.callbacks import Press
from bot.common import language_of, off_loop, respondent_id
from bot.exports.files import OFFICIAL_FORMATS, respondent_file
from bot.render import answered_html, keyboard, menu, prompt_html, split_message
from dialogues.engine import Engine, SaveError
from dialogues.errors import Refusal
from dialogues.prompts import Reply
from storage.store import Store

log = logging.getLogger(__name__)
Context = ContextTypes.DEFAULT_TYPE


def _engine(context: Context) -> Engine:
    return context.bot_data["engine"]


def _store(context: Context) -> Store:
    return context.bot_data["store"]


async def _send_text(context: Context, chat_id: int, text: str) -> None:
    """Plain text, split at paragraphs where it is longer than one message."""
    for piece in split_message(text):
        await context.bot.send_message(chat_id, escape(piece), parse_mode=ParseMode.HTML)


async def _retire_prompt(context: Context, rid: str) -> None:
    """Take the buttons off the last question sent, so that only the current one has live ones."""
    respondent = await off_loop(_store(context).respondent, rid)
    sent = (respondent or {}).get("telegram") or {}
    if sent.get("prompt_message_id"):
        with contextlib.suppress(BadRequest):  # already without buttons, or deleted by the user
            await context.bot.edit_message_reply_markup(
                sent["chat_id"], sent["prompt_message_id"], reply_markup=None
            )


async def _send_reply(context: Context, chat_id: int, rid: str, reply: Reply) -> None:
    """Notices, then the prompt with its buttons (remembered, to retire later), then any summary."""
    engine = _engine(context)
    q, lang = engine.questionnaire, reply.lang
    for notice in reply.notices:
        await _send_text(context, chat_id, notice)
    text = prompt_html(reply.prompt, q, lang)
    if reply.error:
        text = f"⚠️ {escape(reply.error)}\n\n{text}"
    message = await context.bot.send_message(
        chat_id, text, parse_mode=ParseMode.HTML, reply_markup=keyboard(reply.prompt, q, lang)
    )
    # Where to find them again (and, since they just got a message, that they are reachable).
    sent = {
        "telegram": {"chat_id": chat_id, "prompt_message_id": message.message_id},
        "unreachable": False,
    }
    await off_loop(_store(context).update_respondent, rid, sent)
    if reply.prompt.kind == "done" and not reply.error:
        await _send_text(context, chat_id, await off_loop(engine.summary, rid))


async def _reply_with(
    update: Update, context: Context, action: Callable[[str, str], Reply]
) -> None:
    """Run an engine action for the sender and show where it leaves them."""
    user, chat = update.effective_user, update.effective_chat
    rid = respondent_id(user)
    try:
        reply = await off_loop(action, rid, language_of(user))
    except SaveError:
        await _could_not_save(context, chat.id, rid)
        return
    await _retire_prompt(context, rid)
    await _send_reply(context, chat.id, rid, reply)


async def _could_not_save(context: Context, chat_id: int, rid: str) -> None:
    """The disk refused the write: say so plainly; the question stays where it was."""
    log.error("an answer could not be saved: the data folder refused the write")
    lang = await off_loop(_engine(context).language, rid)
    await context.bot.send_message(chat_id, _engine(context).questionnaire.text("err_save", lang))


# Commands.
async def start(update: Update, context: Context) -> None:
    """Welcome a newcomer; bring someone who has been here before back to where they were."""
    engine = _engine(context)
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
        reply = Reply(reply.prompt, (welcome_back,), None, reply.lang)
    await _retire_prompt(context, rid)
    await _send_reply(context, update.effective_chat.id, rid, reply)


async def resume(update: Update, context: Context) -> None:
    await _reply_with(update, context, _engine(context).resume)


async def back(update: Update, context: Context) -> None:
    await _reply_with(update, context, _engine(context).back)


async def skip(update: Update, context: Context) -> None:
    if await coordination.take_comment(update, context, None):
        return
    await _reply_with(update, context, _engine(context).skip)


async def status(update: Update, context: Context) -> None:
    rid = respondent_id(update.effective_user)
    await _send_text(
        context, update.effective_chat.id, await off_loop(_engine(context).status, rid)
    )


async def summary(update: Update, context: Context) -> None:
    rid = respondent_id(update.effective_user)
    await _send_text(
        context, update.effective_chat.id, await off_loop(_engine(context).summary, rid)
    )


async def export(update: Update, context: Context) -> None:
    """Offer the official's files: PDF to read, Word to edit and sign, JSON of all their data.
    With a scope (/export alla | Uppsala län | Uppsala), a coordinator gets the programme's."""
    if context.args:
        await coordination.export_programme(update, context)
        return
    lang = await off_loop(_engine(context).language, respondent_id(update.effective_user))
    q = _engine(context).questionnaire
    choices = [
        (q.text(f"export_{fmt}", lang), Press(callbacks.EXPORT, "", fmt))
        for fmt in OFFICIAL_FORMATS
    ]
    await context.bot.send_message(
        update.effective_chat.id, q.text("export_choose", lang), reply_markup=menu(choices)
    )


async def send_export(update: Update, context: Context, fmt: str) -> None:
    """The file chosen under /export, made from what is stored now (interim if not finished)."""
    query = update.callback_query
    rid = respondent_id(update.effective_user)
    try:
        name, data = await off_loop(
            respondent_file, _engine(context), context.bot_data["programme"], rid, fmt, date.today()
        )
    except Refusal as refused:
        lang = await off_loop(_engine(context).language, rid)
        await query.answer(
            _engine(context).questionnaire.text(refused.key, lang, **refused.fields)[:200]
        )
        return
    await query.answer()
    await context.bot.send_document(update.effective_chat.id, document=data, filename=name)


async def language(update: Update, context: Context) -> None:
    lang = await off_loop(_engine(context).language, respondent_id(update.effective_user))
    choices = [
        ("Svenska", Press(callbacks.LANGUAGE, "", "sv")),
        ("English", Press(callbacks.LANGUAGE, "", "en")),
    ]
    text = _engine(context).questionnaire.text("tg_language", lang)
    await context.bot.send_message(
        update.effective_chat.id, text, reply_markup=menu(choices, per_row=2)
    )


async def delete(update: Update, context: Context) -> None:
    """Ask first: erasing cannot be undone."""
    q = _engine(context).questionnaire
    lang = await off_loop(_engine(context).language, respondent_id(update.effective_user))
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
    lang = await off_loop(_engine(context).language, respondent_id(update.effective_user))
    q = _engine(context).questionnaire
    text = q.text("tg_help", lang)
    if await off_loop(context.bot_data["programme"].is_coordinator, update.effective_user.id):
        text += "\n\n" + q.text("tg_help_coordinator", lang)
    await _send_text(context, update.effective_chat.id, text)


async def unknown_command(update: Update, context: Context) -> None:
    lang = await off_loop(_engine(context).language, respondent_id(update.effective_user))
    await _send_text(
        context,
        update.effective_chat.id,
        _engine(context).questionnaire.text("tg_unknown_command", lang),
    )


# Messages.
async def text_answer(update: Update, context: Context) -> None:
    text = update.message.text
    if await coordination.take_comment(update, context, text):
        return
    await _reply_with(update, context, lambda rid, lang: _engine(context).answer(rid, text, lang))


async def _notice(update: Update, context: Context, key: str) -> None:
    user = update.effective_user
    q = _engine(context).questionnaire
    lang = language_of(user)
    if await off_loop(_engine(context).is_known, respondent_id(user)):
        lang = await off_loop(_engine(context).language, respondent_id(user))
    await context.bot.send_message(update.effective_chat.id, q.text(key, lang))


async def not_text(update: Update, context: Context) -> None:
    """Photos, stickers, voice, locations, documents: ask for text or buttons."""
    await _notice(update, context, "tg_non_text")


async def edited(update: Update, context: Context) -> None:
    """An edited message changes no answer: the answer was taken when it was sent."""
    await _notice(update, context, "tg_edited")


async def in_group(update: Update, context: Context) -> None:
    """The review holds a municipality's answers: it happens in private chats only."""
    q = _engine(context).questionnaire
    lang = language_of(update.effective_user) if update.effective_user else "sv"
    link = f"https://t.me/{context.bot.username}"
    await context.bot.send_message(update.effective_chat.id, q.text("tg_group", lang, link=link))


# Buttons.
def _pressed_label(message: Message | None, data: str) -> str:
    """The label of the pressed button; for Done, the ticked ones."""
    if message is None or message.reply_markup is None:
        return ""
    buttons = [button for row in message.reply_markup.inline_keyboard for button in row]
    if data.startswith(f"{callbacks.CONFIRM}|"):
        return ", ".join(b.text.removeprefix("✓ ") for b in buttons if b.text.startswith("✓ "))
    return next((button.text for button in buttons if button.callback_data == data), "")


async def _settle(query: Any, answer: str | None) -> None:
    """The pressed message in its answered form (or just without buttons)."""
    try:
        if answer:
            await query.edit_message_text(
                answered_html(query.message.text_html, answer), parse_mode=ParseMode.HTML
            )
        else:
            await query.edit_message_reply_markup(reply_markup=None)
    except BadRequest:
        pass  # not modified, or too old to edit


async def button(update: Update, context: Context) -> None:
    """Every button press is answered: with a short notice when it is stale or forged."""
    query = update.callback_query
    engine = _engine(context)
    rid = respondent_id(update.effective_user)
    chat_id = update.effective_chat.id
    press = callbacks.decode(query.data)
    if (
        press is not None and press.action == callbacks.OVERVIEW
    ):  # coordinators need not be respondents
        await coordination.overview_turn(update, context, press.step, press.value)
        return
    lang = await off_loop(engine.language, rid)
    q = engine.questionnaire
    if press is None:
        await query.answer(q.text("err_stale", lang))
        return
    if press.action == callbacks.DELETE:
        await query.answer()
        if press.value == "yes":
            await off_loop(context.bot_data["programme"].forget, rid, update.effective_user.id)
        await _settle(query, None)
        await context.bot.send_message(
            chat_id, q.text("tg_deleted" if press.value == "yes" else "tg_kept", lang)
        )
        return
    if press.action == callbacks.LANGUAGE:
        await query.answer()
        if press.value not in ("sv", "en"):
            return
        await _settle(query, None)
        await _retire_prompt(context, rid)
        await _send_reply(
            context, chat_id, rid, await off_loop(engine.set_language, rid, press.value)
        )
        return
    if press.action == callbacks.EXPORT:
        await send_export(update, context, press.value)
        return
    if press.action == callbacks.FOLLOW_UP:
        await coordination.follow_up_answer(update, context, press.step, press.value)
        return
    if press.action == callbacks.ORGANISATION:
        if not await coordination.choose_organisation(update, context, press.value):
            return
        await _settle(query, _pressed_label(query.message, query.data))
        reply = await off_loop(engine.current, rid)
        await _retire_prompt(context, rid)
        await _send_reply(context, chat_id, rid, reply)
        return
    current = await off_loop(engine.current, rid)
    if press.action != callbacks.RESUME and press.step != current.prompt.step:
        await query.answer(q.text("err_stale", lang))
        return
    if press.action == callbacks.INFO:
        await query.answer()
        await _send_text(context, chat_id, await off_loop(engine.info, rid))
        return
    if press.action == callbacks.TOGGLE:
        reply = await off_loop(engine.toggle, rid, press.value, press.step)
        await query.answer(reply.error[:200] if reply.error else None)
        if not reply.error:
            with contextlib.suppress(BadRequest):  # a double tap: already shown
                await query.edit_message_reply_markup(reply_markup=keyboard(reply.prompt, q, lang))
        return
    actions: dict[str, Callable[[], Reply]] = {
        callbacks.CHOOSE: lambda: engine.choose(rid, [press.value], press.step),
        callbacks.CONFIRM: lambda: engine.confirm(rid, press.step),
        callbacks.BACK: lambda: engine.back(rid),
        callbacks.SKIP: lambda: engine.skip(rid),
        callbacks.PAUSE: lambda: engine.pause(rid),
        callbacks.RESUME: lambda: engine.resume(rid),
    }
    try:
        reply = await off_loop(actions[press.action])
    except SaveError:
        await query.answer()
        await _could_not_save(context, chat_id, rid)
        return
    if reply.error:
        await query.answer(reply.error[:200])  # a toast; the question stays as it is
        return
    await query.answer()
    chosen = press.action in (callbacks.CHOOSE, callbacks.CONFIRM)
    await _settle(query, _pressed_label(query.message, query.data) if chosen else None)
    await _send_reply(context, chat_id, rid, reply)


async def on_error(update: object, context: Context) -> None:
    """Log the failure (its kind and where, never answer text) and tell the user their answers are safe."""
    log.error("handling an update failed: %s", type(context.error).__name__, exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    user = update.effective_user
    lang = language_of(user) if user else "sv"
    try:
        if update.callback_query is not None:
            await update.callback_query.answer()  # every press is answered, even a failed one
        await context.bot.send_message(
            update.effective_chat.id, _engine(context).questionnaire.text("tg_error", lang)
        )
    except Exception:  # the API itself may be what failed
        log.warning("could not tell the user about the failure")
