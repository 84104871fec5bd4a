"""Telegram's inline buttons, one handler per kind of press (routed in app.py by the press's
action, see callbacks.py). Every press is answered, as far as Telegram lets (best effort: a
refused answer never stops the work): with a short notice when it is stale (from an earlier
question) or not one of ours, and then it changes nothing but to show the current question."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from telegram import Message, Update
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest

from bot.exports.files import respondent_file
from bot.telegram import callbacks, coordination, membership, municipal_letter
from bot.telegram.callbacks import Press
from bot.telegram.context import Context, off_loop, respondent_id
from bot.telegram.render import answered_html, answered_line, keyboard
from bot.telegram.send import (
    answer_press,
    could_not_save,
    lang_of,
    remember_shown,
    retire_prompt,
    send_reply,
    send_text,
)
from dialogues.errors import Refusal
from dialogues.review import Reply, SaveError

PressHandler = Callable[[Update, Context, Press], Awaitable[None]]


def routed(handler: PressHandler) -> Callable[[Update, Context], Awaitable[None]]:
    """A handler for the presses app.py routes to it, given the press decoded. (PTB passes a
    press without data to every pattern: such a press is not ours.)"""

    @functools.wraps(handler)
    async def decoded(update: Update, context: Context) -> None:
        press = callbacks.decode(update.callback_query.data)
        if press is None:
            await not_ours(update, context)
            return
        await handler(update, context, press)

    return decoded


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


async def _take(update: Update, context: Context, action: Callable[..., Reply]) -> Reply | None:
    """An engine input for the presser, numbered by the update; None if the disk refused it
    (already said) or it was handed over again (already taken). A refusal is a toast; a stale
    press also shows the current question."""
    query = update.callback_query
    rid = respondent_id(update.effective_user)
    try:
        reply: Reply = await off_loop(action, rid, delivery=update.update_id)
    except SaveError as error:
        await could_not_save(update, context, error)
        return None
    if reply.repeated:
        await answer_press(query)
        return None
    await answer_press(query, reply.error)  # a toast; nothing moves
    if reply.error is not None:
        await _show_if_stale(update, context, reply)
        return None
    return reply


async def _show_if_stale(update: Update, context: Context, reply: Reply) -> None:
    """A press from an earlier question: the notice says "here is the question you are on",
    so the current question follows."""
    if reply.error == context.engine.questionnaire.text("err_stale", reply.lang):
        await _show_current(update, context, reply)


async def _show_current(update: Update, context: Context, reply: Reply) -> None:
    """The current question, sent anew; the pressed message and the last shown lose their
    buttons, so that only the new one has live ones."""
    await _settle(update.callback_query, None)
    rid = respondent_id(update.effective_user)
    await retire_prompt(context, rid, await off_loop(context.respondents.respondent, rid))
    current = dataclasses.replace(reply, error=None)
    await send_reply(context, update.effective_chat.id, rid, current)


@routed
async def answer_question(update: Update, context: Context, press: Press) -> None:
    """An option chosen, a multiple choice confirmed, or Back, Skip, Pause, Continue: the
    pressed message becomes the next question, headed by the answer just given.

    One request to a chat per press: python-telegram-bot's AIORateLimiter (and our
    pacing.PerChatRateLimiter, which follows it) holds to the overall 30 a second only the
    requests that carry a `chat_id`; answerCallbackQuery carries none, so answering the
    press is free, and the edit is the one request that counts."""
    engine = context.engine
    actions = {
        callbacks.CHOOSE: lambda rid, **n: engine.choose(rid, [press.value], press.step, **n),
        callbacks.CONFIRM: lambda rid, **n: engine.confirm(rid, press.step, **n),
        callbacks.BACK: lambda rid, **n: engine.back(rid, step=press.step, **n),
        callbacks.SKIP: lambda rid, **n: engine.skip(rid, step=press.step, **n),
        callbacks.PAUSE: lambda rid, **n: engine.pause(rid, step=press.step, **n),
        callbacks.RESUME: lambda rid, **n: engine.resume(rid, **n),  # from any reminder too
    }
    reply = await _take(update, context, actions[press.action])
    if reply is None:
        return
    query = update.callback_query
    label = ""  # what was answered, for a question (not "Start", "Carry on")
    chosen = press.action in (callbacks.CHOOSE, callbacks.CONFIRM)
    if chosen and press.step.startswith(("q.", "f.", "letter.")):
        label = _pressed_label(query.message, query.data)
    await send_reply(
        context,
        update.effective_chat.id,
        respondent_id(update.effective_user),
        reply,
        answered=answered_line(label) if label else None,
        edit=query.message.message_id if _turns_into_next(query, press) else None,
    )


def _turns_into_next(query: Any, press: Press) -> bool:
    """Whether the pressed message becomes the next question: not the welcome (it says what
    must never be written, and stays in the chat), nor a reminder (a coordinator's words)."""
    return query.message is not None and press.step not in ("", "intro")


@routed
async def tick(update: Update, context: Context, press: Press) -> None:
    """One option of a multiple choice ticked or unticked: the same message shows the ticks."""
    engine = context.engine
    reply = await _take(
        update, context, lambda rid, **n: engine.toggle(rid, press.value, press.step, **n)
    )
    if reply is None:
        return
    query = update.callback_query
    with contextlib.suppress(BadRequest):  # a double tap: already shown
        markup = keyboard(reply.prompt, engine.questionnaire, reply.lang)
        await query.edit_message_reply_markup(reply_markup=markup)
    rid = respondent_id(update.effective_user)
    await remember_shown(
        context, rid, update.effective_chat.id, query.message.message_id, reply.turn
    )


@routed
async def more_info(update: Update, context: Context, press: Press) -> None:
    """The background facts of the question shown."""
    query = update.callback_query
    rid = respondent_id(update.effective_user)
    reply = await off_loop(context.engine.info, rid, press.step)
    await answer_press(query, reply.error)
    if reply.error:
        await _show_if_stale(update, context, reply)
    else:
        await send_text(context, update.effective_chat.id, reply.notices[0])


@routed
async def delete(update: Update, context: Context, press: Press) -> None:
    """The answer to /delete's question: erase everything, or keep it."""
    query = update.callback_query
    await answer_press(query)
    lang = await lang_of(update, context)  # before erasing: the answer comes in their language
    if press.value == "yes":
        rid = respondent_id(update.effective_user)
        await off_loop(context.programme.forget, rid, update.effective_user.id)
    await _settle(query, None)
    text = context.engine.questionnaire.text(
        "tg_deleted" if press.value == "yes" else "tg_kept", lang
    )
    await context.bot.send_message(update.effective_chat.id, text)


@routed
async def language(update: Update, context: Context, press: Press) -> None:
    """A language chosen under /language: the current question again, in it."""
    query = update.callback_query
    await answer_press(query)
    if press.value not in ("sv", "en"):
        return
    rid = respondent_id(update.effective_user)
    respondent = await off_loop(context.respondents.respondent, rid)
    await _settle(query, None)
    await retire_prompt(context, rid, respondent)
    reply = await off_loop(context.engine.set_language, rid, press.value)
    if reply.prompt.kind == "done":  # finished: say so, rather than send the whole summary again
        q = context.engine.questionnaire
        await send_text(context, update.effective_chat.id, q.text("language_set_done", reply.lang))
        return
    await send_reply(context, update.effective_chat.id, rid, reply)


@routed
async def export(update: Update, context: Context, press: Press) -> None:
    """The file chosen under /export, made from what is stored now (interim if not finished)."""
    query = update.callback_query
    rid = respondent_id(update.effective_user)
    if press.step == "letter":  # the municipality's joint letter, from /letter
        await municipal_letter.send_file(update, context, press.value)
        return
    try:
        name, data = await off_loop(
            respondent_file,
            context.engine,
            context.programme,
            rid,
            press.value,
            date.today(),
            update.effective_user.id,
        )
    except Refusal as refused:
        text = context.engine.questionnaire.text(
            refused.key, await lang_of(update, context), **refused.fields
        )
        await answer_press(query, text)
        return
    await answer_press(query)
    caption = None
    if press.value == "json":
        caption = context.engine.questionnaire.text(
            "tg_export_caption", await lang_of(update, context)
        )
    chat = update.effective_chat.id
    await context.bot.send_chat_action(chat, ChatAction.UPLOAD_DOCUMENT)
    await context.bot.send_document(chat, document=data, filename=name, caption=caption)


@routed
async def organisation(update: Update, context: Context, press: Press) -> None:
    """The organisation chosen after joining a municipality; then the review where it is."""
    query = update.callback_query
    if not await membership.choose_organisation(update, context, press.value):
        return
    rid = respondent_id(update.effective_user)
    respondent = await off_loop(context.respondents.respondent, rid)
    await _settle(query, _pressed_label(query.message, query.data))
    reply = await off_loop(context.engine.current, rid)
    await retire_prompt(context, rid, respondent)
    await send_reply(context, update.effective_chat.id, rid, reply)


@routed
async def overview_page(update: Update, context: Context, press: Press) -> None:
    await coordination.overview_turn(update, context, press.step, press.value)


@routed
async def follow_up(update: Update, context: Context, press: Press) -> None:
    await membership.follow_up_answer(update, context, press.step, press.value)


@routed
async def joint_contact(update: Update, context: Context, press: Press) -> None:
    await municipal_letter.contact_press(update, context, press)


@routed
async def joint_line(update: Update, context: Context, press: Press) -> None:
    await municipal_letter.line_press(update, context, press)


async def not_ours(update: Update, context: Context) -> None:
    """A press this bot did not make, or from a version of it that is gone: a short notice,
    and the question the presser is on (if they have one)."""
    text = context.engine.questionnaire.text("err_stale", await lang_of(update, context))
    await answer_press(update.callback_query, text)
    rid = respondent_id(update.effective_user)
    if await off_loop(context.engine.is_known, rid):
        await _show_current(update, context, await off_loop(context.engine.current, rid))
