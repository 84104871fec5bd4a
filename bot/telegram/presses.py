"""Telegram's inline buttons: every press is answered, and routed to the engine or the programme.

A press carries its action, the step it was shown at and a value (see callbacks.py); a
press from an earlier question, or one not made by this bot, changes nothing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import date
from typing import Any

from telegram import Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.exports.files import respondent_file
from bot.telegram import callbacks, coordination
from bot.telegram.common import off_loop, respondent_id
from bot.telegram.handlers import (
    Context,
    could_not_save,
    engine_of,
    remember_shown,
    retire_prompt,
    send_reply,
    send_text,
)
from bot.telegram.render import answered_html, keyboard
from dialogues.errors import Refusal
from dialogues.review.engine import SaveError
from dialogues.review.prompts import Reply


async def send_export(update: Update, context: Context, fmt: str) -> None:
    """The file chosen under /export, made from what is stored now (interim if not finished)."""
    query = update.callback_query
    rid = respondent_id(update.effective_user)
    try:
        name, data = await off_loop(
            respondent_file,
            engine_of(context),
            context.bot_data["programme"],
            rid,
            fmt,
            date.today(),
            update.effective_user.id,
        )
    except Refusal as refused:
        lang = await off_loop(engine_of(context).language, rid)
        await query.answer(
            engine_of(context).questionnaire.text(refused.key, lang, **refused.fields)[:200]
        )
        return
    await query.answer()
    await context.bot.send_document(update.effective_chat.id, document=data, filename=name)


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
    engine = engine_of(context)
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
        await retire_prompt(context, rid)
        await send_reply(
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
        await retire_prompt(context, rid)
        await send_reply(context, chat_id, rid, reply)
        return
    current = await off_loop(engine.current, rid)
    if press.action != callbacks.RESUME and press.step != current.prompt.step:
        await query.answer(q.text("err_stale", lang))
        return
    if press.action == callbacks.INFO:
        await query.answer()
        await send_text(context, chat_id, await off_loop(engine.info, rid))
        return
    once = engine.once
    if press.action == callbacks.TOGGLE:
        try:
            reply = await off_loop(
                once, rid, update.update_id, lambda: engine.toggle(rid, press.value, press.step)
            )
        except SaveError as error:
            await query.answer()
            await could_not_save(context, chat_id, rid, error)
            return
        await query.answer(reply.error[:200] if reply and reply.error else None)
        if reply and not reply.error:
            with contextlib.suppress(BadRequest):  # a double tap: already shown
                await query.edit_message_reply_markup(reply_markup=keyboard(reply.prompt, q, lang))
            await remember_shown(context, rid, chat_id, query.message.message_id, reply.turn)
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
        reply = await off_loop(once, rid, update.update_id, actions[press.action])
    except SaveError as error:
        await query.answer()
        await could_not_save(context, chat_id, rid, error)
        return
    if reply is None:  # handed over again after a restart: taken already
        await query.answer()
        return
    if reply.error:
        await query.answer(reply.error[:200])  # a toast; the question stays as it is
        return
    await query.answer()
    chosen = press.action in (callbacks.CHOOSE, callbacks.CONFIRM)
    await _settle(query, _pressed_label(query.message, query.data) if chosen else None)
    await send_reply(context, chat_id, rid, reply)
