"""Telegram handlers for coordinators (role-checked) and for officials joining a municipality."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot.exports.files import programme_files
from bot.telegram import callbacks
from bot.telegram.broadcast import (
    Recipient,
    broadcast,
    continue_button,
    recipients_of,
    reminder_text,
)
from bot.telegram.callbacks import Press
from bot.telegram.common import language_of, off_loop, respondent_id
from bot.telegram.overview_view import consolidated_text, municipality_detail, overview_page
from bot.telegram.render import menu, split_message
from dialogues.programme.follow_up import record_comment, record_status
from dialogues.programme.municipalities import County, Municipality
from dialogues.programme.overview import consolidated as consolidated_of
from dialogues.programme.overview import municipality_status
from dialogues.programme.overview import overview as overview_of
from dialogues.programme.programme import ORGANISATIONS, Programme, ProgrammeError
from dialogues.review.inputs import InvalidAnswer

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
    choices = [
        (q.text(f"org_{org}", lang), Press(callbacks.ORGANISATION, "", org))
        for org in ORGANISATIONS
    ]
    text = q.text("joined", lang, name=found.name)
    await context.bot.send_message(update.effective_chat.id, text, reply_markup=menu(choices))
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


def _county_or_municipality(
    programme: Programme, typed: str
) -> tuple[County | None, Municipality | None]:
    """ "Uppsala län" or "03" is a county; anything else names a municipality."""
    text = typed.strip()
    if (text.isdigit() and len(text) == 2) or text.casefold().endswith(("län", "lan")):
        county = programme.municipalities.county(text)
        if county is None:
            raise ProgrammeError("err_no_municipality", typed=text)
        return county, None
    return None, programme.find(text)


@coordinator_only
async def overview(update: Update, context: Context) -> None:
    """/overview, /overview <county>, /overview <municipality>"""
    programme = programme_of(context)
    lang = await lang_of(update, context)
    q = programme.engine.questionnaire
    typed = " ".join(context.args or [])
    county, municipality = (
        await off_loop(_county_or_municipality, programme, typed) if typed else (None, None)
    )
    if municipality is not None:
        if await off_loop(programme.store.municipality, municipality.code) is None:
            raise ProgrammeError("err_not_in_programme", name=municipality.name)
        status = await off_loop(municipality_status, programme, municipality.code)
        await send_long(context, update.effective_chat.id, municipality_detail(status, q, lang))
        return
    statuses = await off_loop(overview_of, programme, county)
    text, buttons = overview_page(statuses, 0, county.code if county else "", q, lang)
    await context.bot.send_message(update.effective_chat.id, text, reply_markup=buttons)


async def overview_turn(update: Update, context: Context, county_code: str, page: str) -> None:
    """The overview's page buttons: the same message shows another page."""
    query = update.callback_query
    programme = programme_of(context)
    if not await off_loop(programme.is_coordinator, update.effective_user.id):
        await query.answer(
            programme.engine.questionnaire.text("coordinators_only", await lang_of(update, context))
        )
        return
    await query.answer()
    county = programme.municipalities.county(county_code) if county_code else None
    statuses = await off_loop(overview_of, programme, county)
    lang = await lang_of(update, context)
    text, buttons = overview_page(
        statuses,
        int(page) if page.isdigit() else 0,
        county_code,
        programme.engine.questionnaire,
        lang,
    )
    with contextlib.suppress(BadRequest):
        await query.edit_message_text(text, reply_markup=buttons)


async def consolidated(update: Update, context: Context) -> None:
    """/consolidated: an official's own municipality; a coordinator names any in the programme."""
    programme = programme_of(context)
    lang = await lang_of(update, context)
    q = programme.engine.questionnaire
    rid = respondent_id(update.effective_user)
    own, _ = await off_loop(programme.membership, rid)
    typed = " ".join(context.args or [])
    is_coordinator = await off_loop(programme.is_coordinator, update.effective_user.id)
    try:
        chosen = await off_loop(programme.find, typed) if typed else own
        if chosen is None:
            raise ProgrammeError("err_no_membership")
        if not is_coordinator and (own is None or chosen.code != own.code):
            raise ProgrammeError("err_own_municipality_only")
    except ProgrammeError as refused:
        await say(update, context, refused.key, **refused.fields)
        return
    result = await off_loop(consolidated_of, programme, chosen.code, lang)
    text = consolidated_text(chosen.name, result, q, lang)
    await send_long(context, update.effective_chat.id, text)


async def send_long(context: Context, chat_id: int, text: str) -> None:
    for piece in split_message(text):
        await context.bot.send_message(chat_id, piece)


@coordinator_only
async def remind(update: Update, context: Context) -> None:
    """/remind <municipality | county | all> [message]: everyone not finished gets a nudge."""
    programme = programme_of(context)
    scope, rest = programme.parse_scope(context.args or [])
    message = " ".join(rest) or None
    recipients = recipients_of(await off_loop(programme.unfinished, scope))
    if not recipients:
        await say(update, context, "remind_nobody")
        return
    await say(update, context, "remind_started", count=len(recipients))
    lang = await lang_of(update, context)
    job = _remind_and_report(context, update.effective_chat.id, recipients, message, lang)
    context.application.create_task(job, name="reminders")  # the bot keeps answering meanwhile


async def _remind_and_report(
    context: Context, chat_id: int, recipients: list[Recipient], message: str | None, lang: str
) -> None:
    programme = programme_of(context)
    q = programme.engine.questionnaire

    def compose(recipient: Recipient) -> tuple[str, InlineKeyboardMarkup]:
        return reminder_text(q, recipient.lang, message), continue_button(q, recipient.lang)

    report = await broadcast(context.bot, recipients, compose, programme.mark_unreachable)
    fields = {
        "delivered": report.delivered,
        "unreachable": report.unreachable,
        "failed": report.failed,
    }
    await context.bot.send_message(chat_id, q.text("remind_report", lang, **fields))


async def reminders(update: Update, context: Context) -> None:
    """/reminders on|off: an official decides whether coordinators' reminders reach them."""
    programme = programme_of(context)
    rid = respondent_id(update.effective_user)
    lang = await lang_of(update, context)
    q = programme.engine.questionnaire
    choice = (context.args or [""])[0].casefold()
    if choice not in ("on", "off", "på", "av"):
        respondent = await off_loop(programme.engine.store.respondent, rid) or {}
        state = q.text(
            "reminders_off" if respondent.get("reminders") is False else "reminders_on", lang
        )
        await say(update, context, "reminders_usage", state=state)
        return
    on = choice in ("on", "på")
    await off_loop(programme.engine.current, rid, lang)  # make sure they exist
    await off_loop(programme.set_reminders, rid, on)
    await say(
        update,
        context,
        "reminders_set",
        state=q.text("reminders_on" if on else "reminders_off", lang),
    )


@coordinator_only
async def new_round(update: Update, context: Context) -> None:
    """/newround <municipality>: everyone there starts afresh; earlier rounds are kept."""
    typed = " ".join(context.args or [])
    if not typed:
        raise ProgrammeError("newround_usage")
    municipality, number = await off_loop(programme_of(context).new_round, typed)
    await say(update, context, "newround_started", round=number, name=municipality.name)


async def follow_up_answer(update: Update, context: Context, where: str, status: str) -> None:
    """A button under a follow-up question: record it, then invite a short comment."""
    query = update.callback_query
    programme = programme_of(context)
    lang = await lang_of(update, context)
    q = programme.engine.questionnaire
    review_id, _, index = where.partition(".")
    try:
        if not index.isdigit():
            raise ProgrammeError("err_stale")
        await off_loop(
            record_status,
            programme,
            respondent_id(update.effective_user),
            review_id,
            int(index),
            status,
        )
    except ProgrammeError as refused:
        await query.answer(q.text(refused.key, lang))
        return
    await query.answer()
    with contextlib.suppress(BadRequest):
        answer = q.text(f"follow_up_{status}", lang)
        await query.edit_message_text(f"{query.message.text}\n\n✅ {answer}")
    await say(update, context, "follow_up_comment")


async def take_comment(
    update: Update, context: Context, text: str | None, respondent: dict[str, Any] | None = None
) -> bool:
    """If a follow-up comment is awaited, take this message (or a skip) as it. True if it was.
    `respondent`, if the caller has just read it, saves reading it again."""
    programme = programme_of(context)
    rid = respondent_id(update.effective_user)
    if respondent is None:
        respondent = await off_loop(programme.engine.store.respondent, rid)
    if not (respondent or {}).get("awaiting_comment"):
        return False
    try:
        await off_loop(record_comment, programme, rid, text)
    except InvalidAnswer as bad:
        lang = await lang_of(update, context)
        await context.bot.send_message(
            update.effective_chat.id,
            programme.engine.questionnaire.text(bad.key, lang, **bad.fields),
        )
        return True
    await say(update, context, "follow_up_thanks")
    return True


@coordinator_only
async def export_programme(update: Update, context: Context) -> None:
    """/export alla | <county> | <municipality>: workbook, CSV and consolidated PDFs."""
    programme = programme_of(context)
    scope, _ = programme.parse_scope(context.args or [])
    lang = await lang_of(update, context)
    files = await off_loop(programme_files, programme, scope, lang, date.today())
    await say(update, context, "export_sent", scope=programme.scope_name(scope, lang))
    for name, data in files:
        await context.bot.send_document(update.effective_chat.id, document=data, filename=name)
