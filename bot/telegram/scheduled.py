"""Scheduled reminders in the running bot: /schedule, and a tick on PTB's JobQueue that
sends what is due. Schedules live in the database, so a restarted bot carries on with them."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application

from bot.telegram import callbacks
from bot.telegram.broadcast import (
    Recipient,
    broadcast,
    continue_button,
    recipients_of,
    reminder_text,
)
from bot.telegram.callbacks import Press
from bot.telegram.context import Context, off_loop
from bot.telegram.coordination import coordinator_only
from bot.telegram.render import menu
from bot.telegram.send import lang_of, say, send_text
from dialogues.programme.follow_up import FollowUp, due_follow_ups
from dialogues.programme.joint_follow_up import JointFollowUp
from dialogues.programme.joint_follow_up import due_follow_ups as due_joint_follow_ups
from dialogues.programme.labels import FOLLOW_UP_STATUSES
from dialogues.programme.programme import Programme, ProgrammeError
from dialogues.programme.schedules import STOCKHOLM, Due, Schedules
from dialogues.review import Questionnaire
from dialogues.review.summary import format_date

log = logging.getLogger(__name__)
TICK_SECONDS = 60


@coordinator_only
async def schedule(update: Update, context: Context) -> None:
    """/schedule weekly|nudge|list|remove ..."""
    schedules = Schedules(context.programme)
    lang = await lang_of(update, context)
    args = context.args or []
    action, words = (args[0].casefold(), args[1:]) if args else ("", [])
    if action == "weekly":
        row = await off_loop(schedules.add_weekly, words, update.effective_user.id)
        await say(update, context, "schedule_added", line=schedules.describe(row, lang))
    elif action == "nudge":
        row = await off_loop(schedules.add_nudge, words, update.effective_user.id)
        await say(update, context, "schedule_added", line=schedules.describe(row, lang))
    elif action == "list":
        rows = await off_loop(schedules.store.schedules)
        if not rows:
            await say(update, context, "schedule_none")
        else:
            lines = "\n".join(schedules.describe(row, lang) for row in rows)
            await send_text(context, update.effective_chat.id, lines)  # split to fit
    elif action == "remove" and len(words) == 1:
        await off_loop(schedules.remove, words[0])
        await say(update, context, "schedule_removed", id=words[0])
    else:
        raise ProgrammeError("schedule_usage")


async def send_due(application: Application, now: datetime) -> list[Due]:
    """Send every reminder due at `now` (claimed first: none goes out twice)."""
    context = Context(application)
    programme, q = context.programme, context.engine.questionnaire
    due = await off_loop(Schedules(programme).due, now)
    for item in due:

        def compose(recipient: Recipient, item: Due = item) -> tuple[str, InlineKeyboardMarkup]:
            key = "nudge" if item.nudge else "reminder"
            return reminder_text(q, recipient.lang, item.message, key), continue_button(
                q, recipient.lang
            )

        report = await broadcast(
            application.bot, recipients_of(item.respondents), compose, programme.mark_unreachable
        )
        log.info("scheduled reminders %s: %d delivered, %d unreachable, %d failed",
                 item.key.split(":")[0], report.delivered, report.unreachable, report.failed)  # fmt: skip
    await ask_follow_ups(application, now)
    await ask_joint_follow_ups(application, now)
    return due


FOLLOW_UP_HOUR = 9  # follow-up questions go out once a day, from 09:00 Swedish time


async def _follow_up_day(programme: Programme, now: datetime, kind: str) -> date | None:
    """Today (Swedish time), if follow-ups of this kind are to go out now: from 09:00, once a
    day across restarts (claimed)."""
    local = now.astimezone(STOCKHOLM)
    if local.hour < FOLLOW_UP_HOUR:
        return None
    claimed = await off_loop(programme.store.claim, f"{kind}:{local.date()}")
    return local.date() if claimed else None


def _how_did_it_go(q: Questionnaire, lang: str, where: str) -> InlineKeyboardMarkup:
    """Done / in progress / not started, for the commitment at `where`."""
    return menu(
        [
            (q.text(f"follow_up_btn_{status}", lang), Press(callbacks.FOLLOW_UP, where, status))
            for status in FOLLOW_UP_STATUSES
        ]
    )


async def ask_follow_ups(application: Application, now: datetime) -> list[FollowUp]:
    """Once a day, ask about every commitment whose target date has come."""
    context = Context(application)
    programme, q = context.programme, context.engine.questionnaire
    today = await _follow_up_day(programme, now, "follow-up-day")
    if today is None:
        return []
    due = await off_loop(due_follow_ups, programme, today)
    recipients = [
        Recipient(r.respondent_id, r.chat_id, r.lang, item)
        for item in due
        for r in recipients_of([item.respondent])
    ]

    def compose(recipient: Recipient) -> tuple[str, InlineKeyboardMarkup]:
        item, lang = recipient.about, recipient.lang
        text = q.text("follow_up_question", lang, text=item.text, due=format_date(item.due, lang))
        return text, _how_did_it_go(q, lang, f"{item.review_id[:8]}.{item.index}")

    await broadcast(application.bot, recipients, compose, programme.mark_unreachable)
    return due


async def ask_joint_follow_ups(application: Application, now: datetime) -> list[JointFollowUp]:
    """Once a day, ask each municipality's contact about the agreed letter's commitments whose
    date has come."""
    context = Context(application)
    programme, q = context.programme, context.engine.questionnaire
    today = await _follow_up_day(programme, now, "joint-follow-up-day")
    if today is None:
        return []
    due = await off_loop(due_joint_follow_ups, programme, today)
    contacts = {
        item.contact: await off_loop(programme.respondents.respondent, item.contact) for item in due
    }
    recipients = [
        Recipient(r.respondent_id, r.chat_id, r.lang, item)
        for item in due
        for r in recipients_of([contacts[item.contact]] if contacts[item.contact] else [])
    ]

    def compose(recipient: Recipient) -> tuple[str, InlineKeyboardMarkup]:
        item, lang = recipient.about, recipient.lang
        name = programme.municipalities.by_code[item.code].name
        due_day = format_date(item.due, lang)
        text = q.text("jl_follow_up_question", lang, name=name, text=item.wording, due=due_day)
        return text, _how_did_it_go(q, lang, f"j.{item.code}.{item.round}.{item.index}")

    await broadcast(application.bot, recipients, compose, programme.mark_unreachable)
    return due


async def tick(context: Context) -> None:
    await send_due(context.application, datetime.now(UTC))


def start_ticking(application: Application) -> None:
    """Check the schedules every minute, from start-up on."""
    application.job_queue.run_repeating(tick, interval=TICK_SECONDS, first=5, name="schedules")
