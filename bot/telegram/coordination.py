"""Telegram handlers for coordinators' commands, each checking the role first."""

from __future__ import annotations

import contextlib
import functools
import io
from collections.abc import Awaitable, Callable
from datetime import date

from telegram import InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.helpers import create_deep_linked_url

from bot.exports.files import programme_files
from bot.telegram.broadcast import (
    Recipient,
    broadcast,
    continue_button,
    recipients_of,
    reminder_text,
)
from bot.telegram.context import Context, off_loop, respondent_id
from bot.telegram.menus import set_coordinator_menu
from bot.telegram.overview_view import municipality_detail, overview_page
from bot.telegram.pictures import agreement_picture, overview_picture, send_picture
from bot.telegram.send import answer_press, lang_of, say, say_refused, send_text
from dialogues.programme.consolidated import consolidated as consolidated_of
from dialogues.programme.consolidated import consolidated_text
from dialogues.programme.municipalities import County, Municipality
from dialogues.programme.overview import MunicipalityStatus, municipality_status
from dialogues.programme.overview import overview as overview_of
from dialogues.programme.programme import Programme, ProgrammeError
from dialogues.programme.scope_shares import scope_shares

Handler = Callable[[Update, Context], Awaitable[None]]
REMINDER_MESSAGE = 1000  # characters of a coordinator's own words in a reminder: one message


def coordinator_only(handler: Handler) -> Handler:
    """Every coordinator command checks the role first; an official gets a plain refusal."""

    @functools.wraps(handler)
    async def checked(update: Update, context: Context) -> None:
        if not await off_loop(context.programme.is_coordinator, update.effective_user.id):
            await say(update, context, "coordinators_only")
            return
        try:
            await handler(update, context)
        except ProgrammeError as refused:
            await say_refused(update, context, refused)

    return checked


@coordinator_only
async def coordinator(update: Update, context: Context) -> None:
    """/coordinator add|remove <user id>"""
    args = context.args or []
    is_id = len(args) == 2 and args[1].isascii() and args[1].isdigit() and len(args[1]) <= 20
    if not is_id or args[0] not in ("add", "remove"):
        await say(update, context, "coordinator_usage")
        return
    user_id = int(args[1])
    q = context.engine.questionnaire
    if args[0] == "add":
        await off_loop(context.programme.add_coordinator, user_id, update.effective_user.id)
        await set_coordinator_menu(context.bot, q, user_id, on=True)
        await say(update, context, "coordinator_added", user=user_id)
    else:
        await off_loop(context.programme.remove_coordinator, user_id)
        await set_coordinator_menu(context.bot, q, user_id, on=False)
        await say(update, context, "coordinator_removed", user=user_id)


@coordinator_only
async def municipality(update: Update, context: Context) -> None:
    """/municipality add|revoke <name or code>"""
    args = context.args or []
    if len(args) < 2 or args[0] not in ("add", "revoke"):
        await say(update, context, "municipality_usage")
        return
    typed = " ".join(args[1:])
    programme = context.programme
    if args[0] == "add":
        invitation = await off_loop(programme.invite, typed, update.effective_user.id)
        link = create_deep_linked_url(context.bot.username, invitation.token)
        found = invitation.municipality
        await say(update, context, "invited", name=found.name, county=found.county.name, link=link)
        caption = context.engine.questionnaire.text(
            "invited_qr", await lang_of(update, context), name=found.name
        )
        await context.bot.send_photo(
            update.effective_chat.id, photo=await off_loop(qr_png, link), caption=caption
        )
    else:
        found = await off_loop(programme.revoke, typed)
        await say(update, context, "revoked", name=found.name)


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
    programme = context.programme
    lang = await lang_of(update, context)
    q = context.engine.questionnaire
    typed = " ".join(context.args or [])
    county, municipality = (
        await off_loop(_county_or_municipality, programme, typed) if typed else (None, None)
    )
    if municipality is not None:
        if await off_loop(programme.store.municipality, municipality.code) is None:
            raise ProgrammeError("err_not_in_programme", name=municipality.name)
        status = await off_loop(municipality_status, programme, municipality.code)
        await send_text(context, update.effective_chat.id, municipality_detail(status, q, lang))
        return
    statuses = await off_loop(overview_of, programme, county)
    if statuses:
        await _overview_picture(context, update.effective_chat.id, statuses, county, lang)
    text, buttons = overview_page(statuses, 0, county.code if county else "", q, lang)
    await context.bot.send_message(update.effective_chat.id, text, reply_markup=buttons)


async def _overview_picture(
    context: Context,
    chat_id: int,
    statuses: list[MunicipalityStatus],
    county: County | None,
    lang: str,
) -> None:
    """The overview as one picture, before its pages of text."""
    programme, q = context.programme, context.engine.questionnaire
    scope = county.name if county else q.text("picture_overview_all", lang)

    def draw() -> bytes:
        shares = scope_shares(programme, county, lang)
        return overview_picture(statuses, shares, scope, q, lang)

    caption = q.text("picture_overview_caption", lang, scope=scope)
    await send_picture(context, chat_id, draw, caption)


async def overview_turn(update: Update, context: Context, county_code: str, page: str) -> None:
    """The overview's page buttons: the same message shows another page."""
    query = update.callback_query
    programme = context.programme
    if not await off_loop(programme.is_coordinator, update.effective_user.id):
        lang = await lang_of(update, context)
        await answer_press(query, context.engine.questionnaire.text("coordinators_only", lang))
        return
    await answer_press(query)
    county = programme.municipalities.county(county_code) if county_code else None
    statuses = await off_loop(overview_of, programme, county)
    lang = await lang_of(update, context)
    text, buttons = overview_page(
        statuses,
        int(page) if page.isdigit() else 0,
        county_code,
        context.engine.questionnaire,
        lang,
    )
    with contextlib.suppress(BadRequest):
        await query.edit_message_text(text, reply_markup=buttons)


async def consolidated(update: Update, context: Context) -> None:
    """/consolidated: an official's own municipality; a coordinator names any in the programme."""
    programme = context.programme
    lang = await lang_of(update, context)
    q = context.engine.questionnaire
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
        await say_refused(update, context, refused)
        return
    result = await off_loop(consolidated_of, programme, chosen.code, lang)
    if result.respondents:
        caption = q.text("picture_agreement_caption", lang, name=chosen.name)
        draw = functools.partial(agreement_picture, chosen.name, result, q, lang)
        await send_picture(context, update.effective_chat.id, draw, caption)
    text = consolidated_text(chosen.name, result, q, lang)
    await send_text(context, update.effective_chat.id, text)


@coordinator_only
async def remind(update: Update, context: Context) -> None:
    """/remind <municipality | county | all> [message]: everyone not finished gets a nudge."""
    programme = context.programme
    scope, rest = programme.parse_scope(context.args or [])
    message = " ".join(rest) or None
    if message is not None and len(message) > REMINDER_MESSAGE:
        raise ProgrammeError("remind_too_long", max=REMINDER_MESSAGE)
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
    programme = context.programme
    q = context.engine.questionnaire

    def compose(recipient: Recipient) -> tuple[str, InlineKeyboardMarkup]:
        return reminder_text(q, recipient.lang, message), continue_button(q, recipient.lang)

    report = await broadcast(context.bot, recipients, compose, programme.mark_unreachable)
    fields = {
        "delivered": report.delivered,
        "unreachable": report.unreachable,
        "failed": report.failed,
    }
    await context.bot.send_message(chat_id, q.text("remind_report", lang, **fields))


@coordinator_only
async def new_round(update: Update, context: Context) -> None:
    """/newround <municipality>: everyone there starts afresh; earlier rounds are kept."""
    typed = " ".join(context.args or [])
    if not typed:
        raise ProgrammeError("newround_usage")
    municipality, number = await off_loop(context.programme.new_round, typed)
    await say(update, context, "newround_started", round=number, name=municipality.name)


@coordinator_only
async def export_programme(update: Update, context: Context) -> None:
    """/export alla | <county> | <municipality>: workbook, CSV and consolidated PDFs."""
    programme = context.programme
    scope, _ = programme.parse_scope(context.args or [])
    lang = await lang_of(update, context)
    files = await off_loop(programme_files, programme, scope, lang, date.today())
    await say(update, context, "export_sent", scope=programme.scope_name(scope, lang))
    for name, data in files:
        await context.bot.send_document(update.effective_chat.id, document=data, filename=name)


def qr_png(link: str) -> bytes:
    """The link as a QR code picture, large enough to scan from a screen across a room."""
    import segno  # loaded when a coordinator invites

    out = io.BytesIO()
    segno.make(link, error="m").save(out, kind="png", scale=10, border=4)
    return out.getvalue()
