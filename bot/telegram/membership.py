"""An official's place in the programme, in Telegram: joining a municipality through its
invitation link and naming one's organisation, reminders on or off, and answering the
follow-up of a commitment (a status, then a short comment)."""

from __future__ import annotations

import contextlib
from typing import Any

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import BadRequest

from bot.telegram import callbacks
from bot.telegram.callbacks import Press
from bot.telegram.context import Context, language_of, off_loop, respondent_id
from bot.telegram.render import menu
from bot.telegram.send import answer_press, lang_of, say
from dialogues.programme import joint_input
from dialogues.programme.follow_up import record_comment, record_status
from dialogues.programme.labels import ORGANISATIONS, follow_up_label
from dialogues.programme.programme import ProgrammeError
from dialogues.review.inputs import InvalidAnswer


async def join(update: Update, context: Context, token: str) -> bool:
    """/start <invitation code>: join the municipality, then say which organisation. True if joined."""
    programme = context.programme
    user = update.effective_user
    try:
        found = await off_loop(
            programme.join, respondent_id(user), user.id, token, language_of(user)
        )
    except ProgrammeError as refused:
        await say(update, context, refused.key, **refused.fields)
        return False
    lang = await lang_of(update, context)
    q = context.engine.questionnaire
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
            context.programme.set_organisation,
            respondent_id(update.effective_user),
            organisation,
        )
    except ProgrammeError as refused:
        lang = await lang_of(update, context)
        await answer_press(query, context.engine.questionnaire.text(refused.key, lang))
        return False
    await answer_press(query)
    return True


async def reminders(update: Update, context: Context) -> None:
    """/reminders on|off: an official decides whether coordinators' reminders reach them."""
    programme = context.programme
    rid = respondent_id(update.effective_user)
    lang = await lang_of(update, context)
    q = context.engine.questionnaire
    choice = (context.args or [""])[0].casefold()
    if choice not in ("on", "off", "på", "av"):
        respondent = await off_loop(context.respondents.respondent, rid) or {}
        state = q.text(
            "reminders_off" if respondent.get("reminders") is False else "reminders_on", lang
        )
        await say(update, context, "reminders_usage", state=state)
        return
    on = choice in ("on", "på")
    await off_loop(context.engine.current, rid, lang)  # make sure they exist
    await off_loop(programme.set_reminders, rid, on)
    await say(
        update,
        context,
        "reminders_set",
        state=q.text("reminders_on" if on else "reminders_off", lang),
    )


async def reminders_off(update: Update, context: Context) -> None:
    """The button under a reminder: no more reminders; the reminder keeps its Continue button."""
    query = update.callback_query
    rid = respondent_id(update.effective_user)
    lang = await lang_of(update, context)
    q = context.engine.questionnaire
    await off_loop(context.engine.current, rid, lang)  # make sure they exist
    await off_loop(context.programme.set_reminders, rid, False)
    await answer_press(query)
    resume = menu([(q.text("btn_resume", lang), Press(callbacks.RESUME))])
    with contextlib.suppress(BadRequest):  # the reminder was deleted, or edited already
        await query.edit_message_reply_markup(reply_markup=resume)
    await say(update, context, "reminders_stopped")


async def follow_up_answer(update: Update, context: Context, where: str, status: str) -> None:
    """A button under a follow-up question: record it, then invite a short comment."""
    query = update.callback_query
    programme = context.programme
    lang = await lang_of(update, context)
    q = context.engine.questionnaire
    review_id, _, index = where.partition(".")
    rid = respondent_id(update.effective_user)
    try:
        if review_id == "j":  # a commitment of the municipality's joint letter: j.code.round.index
            code, round_number, item = [*index.split("."), "", ""][:3]
            if not (round_number.isdigit() and item.isdigit()):
                raise ProgrammeError("err_stale")
            await off_loop(
                joint_input.answer_follow_up,
                programme,
                rid,
                code,
                int(round_number),
                int(item),
                status,
            )
        elif not index.isdigit():
            raise ProgrammeError("err_stale")
        else:
            await off_loop(record_status, programme, rid, review_id, int(index), status)
    except ProgrammeError as refused:
        await answer_press(query, q.text(refused.key, lang))
        return
    await answer_press(query)
    with contextlib.suppress(BadRequest):
        answer = follow_up_label(q, status, lang)
        await query.edit_message_text(f"{query.message.text}\n\n✅ {answer}")
    await say(update, context, "follow_up_comment")


async def take_comment(
    update: Update, context: Context, text: str | None, respondent: dict[str, Any] | None = None
) -> bool:
    """If a follow-up comment is awaited, take this message (or a skip) as it. True if it was.
    `respondent`, if the caller has just read it, saves reading it again."""
    programme = context.programme
    rid = respondent_id(update.effective_user)
    if respondent is None:
        respondent = await off_loop(context.respondents.respondent, rid)
    if not (respondent or {}).get("awaiting_comment"):
        return False
    try:
        await off_loop(record_comment, programme, rid, text)
    except InvalidAnswer as bad:
        lang = await lang_of(update, context)
        await context.bot.send_message(
            update.effective_chat.id,
            context.engine.questionnaire.text(bad.key, lang, **bad.fields),
        )
        return True
    await say(update, context, "follow_up_thanks")
    return True


async def chat_member_changed(update: Update, context: Context) -> None:
    """Someone blocked or unblocked the bot (Telegram's my_chat_member update): noted at once,
    so the overview and reminders know without waiting for a send to fail."""
    changed = update.my_chat_member
    if changed is None or changed.chat.type != ChatType.PRIVATE:
        return
    rid = respondent_id(changed.from_user)
    if not await off_loop(context.engine.is_known, rid):
        return  # nobody we hold anything about: nothing to note
    blocked = changed.new_chat_member.status == ChatMemberStatus.BANNED
    await off_loop(context.programme.mark_unreachable, rid, blocked)
