"""Learning examples in the chat: a municipality's contact (or a coordinator) chooses what to
share under its name and can withdraw it (/share); coordinators list the examples per question
and remove one (/examples). The state lives in the programme file (dialogues/programme/examples)."""

from __future__ import annotations

import contextlib
from html import escape

from telegram import InlineKeyboardMarkup, Update
from telegram.constants import MessageLimit, ParseMode
from telegram.error import BadRequest

from bot.telegram.callbacks import EXAMPLE, SHARE, Press, decode
from bot.telegram.context import Context, off_loop, respondent_id
from bot.telegram.coordination import coordinator_only
from bot.telegram.render import menu
from bot.telegram.send import answer_press, cut, lang_of, say, say_refused
from dialogues.errors import Refusal
from dialogues.programme import examples
from dialogues.programme.programme import Programme, ProgrammeError

LISTED = 8  # examples one /examples message lists, each with its button (8 × 300 characters fit)


def _screen(programme: Programme, code: str, lang: str) -> tuple[str, InlineKeyboardMarkup | None]:
    """The municipality's sharing as its contact sees it: the texts to tick, share, withdraw."""
    q = programme.engine.questionnaire
    name = programme.municipalities.by_code[code].name
    current = examples.sharing(programme, code)
    parts = [q.text("share_title", lang, name=name), q.text("share_about", lang, name=name)]
    standing = len(current.standing) if current.shared else 0
    parts.append(
        q.text("share_status_on", lang, count=standing)
        if standing
        else q.text("share_status_off", lang)
    )
    if not current.candidates:
        parts.append(q.text("share_none", lang, name=name))
    else:
        lines = [q.text("share_pick", lang)]
        for number, candidate in enumerate(current.candidates, start=1):
            words = q.text("quote", lang, text=examples.shown(candidate.text))
            lines.append(f"{number}. {candidate.question.short(lang)}: {words}")
        parts.append("\n".join(lines))
    buttons = []
    for number, candidate in enumerate(current.candidates, start=1):
        mark = "☑" if candidate.key in current.chosen else "☐"
        label = cut(f"{mark} {number}. {candidate.question.short(lang)}", 60)
        buttons.append((label, Press(SHARE, code, f"t:{candidate.key}")))
    if current.chosen:
        count = len(current.chosen)
        buttons.append((q.text("share_confirm", lang, count=count), Press(SHARE, code, "ok:")))
    if current.shared:
        buttons.append((q.text("share_withdraw", lang), Press(SHARE, code, "off:")))
    text = cut("\n\n".join(parts), MessageLimit.MAX_TEXT_LENGTH)
    return text, menu(buttons) if buttons else None


async def share(update: Update, context: Context) -> None:
    """/share: the contact's own municipality; /share <municipality> for a coordinator."""
    programme, lang = context.programme, await lang_of(update, context)
    user_id = update.effective_user.id
    rid = respondent_id(update.effective_user)
    typed = " ".join(context.args or [])
    try:
        if typed:
            if not await off_loop(programme.is_coordinator, user_id):
                raise ProgrammeError("coordinators_only")
            code = (await off_loop(programme.find, typed)).code
        else:
            own, _ = await off_loop(programme.membership, rid)
            if own is None:
                is_coordinator = await off_loop(programme.is_coordinator, user_id)
                raise ProgrammeError("share_usage" if is_coordinator else "err_no_membership")
            code = own.code
        if not await off_loop(examples.may_share, programme, code, rid, user_id):
            raise ProgrammeError("err_examples_not_contact")
    except Refusal as refused:
        await say_refused(update, context, refused)
        return
    text, buttons = await off_loop(_screen, programme, code, lang)
    await context.bot.send_message(update.effective_chat.id, text, reply_markup=buttons)


async def share_press(update: Update, context: Context) -> None:
    """Tick or untick a text, share the ticked ones, or withdraw everything."""
    programme, lang = context.programme, await lang_of(update, context)
    q = context.engine.questionnaire
    query = update.callback_query
    press = decode(query.data)
    if press is None:  # app.py routes only our presses here
        return
    code, (verb, _, key) = press.step, press.value.partition(":")
    rid = respondent_id(update.effective_user)
    name = (
        programme.municipalities.by_code[code].name
        if code in programme.municipalities.by_code
        else ""
    )
    try:
        if not name or not await off_loop(
            examples.may_share, programme, code, rid, update.effective_user.id
        ):
            raise ProgrammeError("err_examples_not_contact")
        if verb == "t":
            await off_loop(examples.toggle, programme, code, key)
        elif verb == "ok":
            count = await off_loop(examples.confirm, programme, code, rid)
        elif verb == "off":
            await off_loop(examples.withdraw, programme, code, rid)
        else:
            raise ProgrammeError("err_examples_stale")
    except Refusal as refused:
        await answer_press(query, q.text(refused.key, lang, **refused.fields))
        if refused.key == "err_examples_stale":
            await _redraw(update, context, code, lang)
        return
    await answer_press(query)
    await _redraw(update, context, code, lang)
    if verb == "ok":
        await say(update, context, "share_done", name=name, count=count)
    elif verb == "off":
        await say(update, context, "share_withdrawn", name=name)


async def _redraw(update: Update, context: Context, code: str, lang: str) -> None:
    """The screen again, in the same message (unchanged: Telegram refuses, nothing to do)."""
    text, buttons = await off_loop(_screen, context.programme, code, lang)
    message = update.callback_query.message
    if message is None:
        return
    with contextlib.suppress(BadRequest):
        await context.bot.edit_message_text(
            text, chat_id=message.chat.id, message_id=message.message_id, reply_markup=buttons
        )


@coordinator_only
async def examples_command(update: Update, context: Context) -> None:
    """/examples: the questions with examples; /examples <words>: those questions' examples,
    each with a button to remove it."""
    programme, lang = context.programme, await lang_of(update, context)
    q = context.engine.questionnaire
    words = list(context.args or [])
    found = await off_loop(examples.listing, programme, words, lang)
    chat_id = update.effective_chat.id
    typed = cut(" ".join(words), 100)
    if not found:
        key = "examples_none_match" if words else "examples_none"
        await say(update, context, key, words=typed)
        return
    if not words:
        lines = [q.text("examples_questions", lang)]
        lines += [
            "• " + q.text("examples_count", lang, short=question.short(lang), count=len(shown))
            for question, shown in found
        ]
        await context.bot.send_message(chat_id, "\n".join(lines))
        return
    parts = [q.text("examples_found", lang, words=typed)]
    buttons, number, left = [], 0, 0
    for question, shown in found:
        lines = [f"<b>{escape(question.short(lang))}</b>"]
        for example in shown:
            if number == LISTED:
                left += 1
                continue
            number += 1
            words_shown = q.text("quote", lang, text=examples.shown(example.text))
            lines.append(f"{number}. {escape(example.name)}: {escape(words_shown)}")
            press = Press(EXAMPLE, example.code, example.key)
            buttons.append((q.text("examples_remove", lang, number=number), press))
        if len(lines) > 1:
            parts.append("\n".join(lines))
    if left:
        parts.append(escape(q.text("examples_more", lang, count=left)))
    text = "\n\n".join(parts)
    await context.bot.send_message(
        chat_id, text, parse_mode=ParseMode.HTML, reply_markup=menu(buttons, per_row=4)
    )


async def remove_press(update: Update, context: Context) -> None:
    """A coordinator removes one example, everywhere from now on."""
    programme, lang = context.programme, await lang_of(update, context)
    q = context.engine.questionnaire
    query = update.callback_query
    press = decode(query.data)
    if press is None:
        return
    try:
        if not await off_loop(programme.is_coordinator, update.effective_user.id):
            raise ProgrammeError("coordinators_only")
        if press.step not in programme.municipalities.by_code:
            raise ProgrammeError("err_examples_stale")
        await off_loop(
            examples.remove, programme, press.step, press.value, update.effective_user.id
        )
    except Refusal as refused:
        await answer_press(query, q.text(refused.key, lang, **refused.fields))
        return
    await answer_press(query)
    name = programme.municipalities.by_code[press.step].name
    await say(update, context, "examples_removed", name=name)
