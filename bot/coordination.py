"""Telegram handlers for coordinators (role-checked) and for officials joining a municipality."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot import callbacks
from bot.callbacks import Press
from bot.common import language_of, off_loop, respondent_id
from dialogues.programme import ORGANISATIONS, Programme, ProgrammeError

Context = ContextTypes.DEFAULT_TYPE
Handler = Callable[[Update, Context], Awaitable[None]]


def programme_of(context: Context) -> Programme:
    return context.bot_data["programme"]


async def lang_of(update: Update, context: Context) -> str:
    """The user's chosen language if they have one, else their Telegram language."""
    engine = programme_of(context).engine
    rid = respondent_id(update.effective_user)
    if await off_loop(engine.is_known, rid):
        return await off_loop(engine.language, rid)
    return language_of(update.effective_user)


async def say(update: Update, context: Context, key: str, **fields: object) -> None:
    lang = await lang_of(update, context)
    text = programme_of(context).engine.questionnaire.text(key, lang, **fields)
    await context.bot.send_message(update.effective_chat.id, text)


def coordinator_only(handler: Handler) -> Handler:
    """Every coordinator command checks the role first; an official gets a plain refusal."""

    @functools.wraps(handler)
    async def checked(update: Update, context: Context) -> None:
        if not await off_loop(programme_of(context).is_coordinator, update.effective_user.id):
            await say(update, context, "coordinators_only")
            return
        try:
            await handler(update, context)
        except ProgrammeError as refused:
            await say(update, context, refused.key, **refused.fields)

    return checked


@coordinator_only
async def coordinator(update: Update, context: Context) -> None:
    """/coordinator add|remove <user id>"""
    args = context.args or []
    if len(args) != 2 or args[0] not in ("add", "remove") or not args[1].isdigit():
        await say(update, context, "coordinator_usage")
        return
    user_id = int(args[1])
    if args[0] == "add":
        await off_loop(programme_of(context).add_coordinator, user_id, update.effective_user.id)
        await say(update, context, "coordinator_added", user=user_id)
    else:
        await off_loop(programme_of(context).remove_coordinator, user_id)
        await say(update, context, "coordinator_removed", user=user_id)


@coordinator_only
async def municipality(update: Update, context: Context) -> None:
    """/municipality add|revoke <name or code>"""
    args = context.args or []
    if len(args) < 2 or args[0] not in ("add", "revoke"):
        await say(update, context, "municipality_usage")
        return
    typed = " ".join(args[1:])
    programme = programme_of(context)
    if args[0] == "add":
        invitation = await off_loop(programme.invite, typed, update.effective_user.id)
        link = f"https://t.me/{context.bot.username}?start={invitation.token}"
        found = invitation.municipality
        await say(update, context, "invited", name=found.name, county=found.county.name, link=link)
    else:
        found = await off_loop(programme.revoke, typed)
        await say(update, context, "revoked", name=found.name)


async def join(update: Update, context: Context, token: str) -> bool:
    """/start <invitation code>: join the municipality, then say which organisation. True if joined."""
    programme = programme_of(context)
    user = update.effective_user
    try:
        found = await off_loop(
            programme.join, respondent_id(user), user.id, token, language_of(user)
        )
    except ProgrammeError as refused:
        await say(update, context, refused.key, **refused.fields)
        return False
    lang = await lang_of(update, context)
    q = programme.engine.questionnaire
    rows = [
        [
            InlineKeyboardButton(
                q.text(f"org_{org}", lang),
                callback_data=Press(callbacks.ORGANISATION, "", org).encode(),
            )
        ]
        for org in ORGANISATIONS
    ]
    await context.bot.send_message(
        update.effective_chat.id,
        q.text("joined", lang, name=found.name),
        reply_markup=InlineKeyboardMarkup(rows),
    )
    return True


async def choose_organisation(update: Update, context: Context, organisation: str) -> bool:
    """The organisation button under the welcome to a municipality; True if it was taken."""
    query = update.callback_query
    try:
        await off_loop(
            programme_of(context).set_organisation,
            respondent_id(update.effective_user),
            organisation,
        )
    except ProgrammeError as refused:
        lang = await lang_of(update, context)
        await query.answer(programme_of(context).engine.questionnaire.text(refused.key, lang))
        return False
    await query.answer()
    return True
