"""The municipality's joint letter in the chat: a coordinator names its contact (/contact), the
contact settles it line by line and marks it agreed (/letter), every member reads it.

The state lives in the programme file and the contact's record (joint_input.expect), so a
restart between two messages continues where it was."""

from __future__ import annotations

from datetime import date
from typing import Any

from telegram import Update
from telegram.constants import ChatAction

from bot.exports.letter_files import LETTER_FORMATS, letter_file
from bot.telegram.callbacks import EXPORT, JOINT_CONTACT, JOINT_LINE, Press
from bot.telegram.context import Context, off_loop, respondent_id
from bot.telegram.coordination import coordinator_only
from bot.telegram.owed import chat_of
from bot.telegram.render import menu
from bot.telegram.send import answer_press, lang_of, say, say_refused, send_text
from dialogues.errors import Refusal
from dialogues.programme import joint_input, joint_letter
from dialogues.programme.labels import organisation_label
from dialogues.programme.programme import Programme, ProgrammeError
from dialogues.review.summary import format_date


@coordinator_only
async def contact(update: Update, context: Context) -> None:
    """/contact <municipality>: its members to choose the contact from (the first to finish
    is proposed)."""
    typed = " ".join(context.args or [])
    if not typed:
        await say(update, context, "contact_usage")
        return
    programme, lang = context.programme, await lang_of(update, context)
    q = context.engine.questionnaire
    found = await off_loop(programme.find, typed)
    members = await off_loop(programme.members, found.code)
    if not members:
        await say(update, context, "contact_no_members", name=found.name)
        return
    proposed = await off_loop(joint_letter.proposed_contact, programme, found.code)
    choices = []
    for member in members:
        who = organisation_label(q, member.get("organisation"), lang) or q.text("doc_none", lang)
        mark = " " + q.text("contact_proposed", lang) if member["id"] == proposed else ""
        press = Press(JOINT_CONTACT, found.code, member["id"])
        choices.append((f"{who}{mark}", press))
    await context.bot.send_message(
        update.effective_chat.id,
        q.text("contact_choose", lang, name=found.name),
        reply_markup=menu(choices),
    )


async def contact_press(update: Update, context: Context, press: Press) -> None:
    programme, lang = context.programme, await lang_of(update, context)
    q = context.engine.questionnaire
    query = update.callback_query
    if not await off_loop(programme.is_coordinator, update.effective_user.id):
        await answer_press(query, q.text("coordinators_only", lang))
        return
    try:
        await off_loop(
            joint_letter.set_contact, programme, press.step, press.value, update.effective_user.id
        )
    except Refusal as refused:
        await answer_press(query, q.text(refused.key, lang, **refused.fields))
        return
    await answer_press(query)
    name = programme.municipalities.by_code[press.step].name
    member = await off_loop(programme.respondents.respondent, press.value) or {}
    member_lang = member.get("lang", "sv")
    who = organisation_label(q, member.get("organisation"), lang) or press.value
    await say(update, context, "contact_set", organisation=who, name=name)
    await context.bot.send_message(
        chat_of(press.value), q.text("contact_you", member_lang, name=name)
    )


async def letter_command(update: Update, context: Context) -> None:
    """/letter: the contact goes on settling it; any other member reads it."""
    rid = respondent_id(update.effective_user)
    lang = await lang_of(update, context)
    own, _ = await off_loop(context.programme.membership, rid)
    if own is None:
        await say(update, context, "err_no_membership")
        return
    await show(context, update.effective_chat.id, rid, own.code, lang)


async def show(context: Context, chat_id: int, rid: str, code: str, lang: str) -> None:
    """The contact's next step, or the letter as it stands for anyone else."""
    programme = context.programme
    q = context.engine.questionnaire
    current = await off_loop(joint_letter.read, programme, code, lang)
    name = programme.municipalities.by_code[code].name
    if current.contact != rid or current.status == "agreed":
        text = await off_loop(_reading, programme, current, name, lang)
        if current.status == "none":
            await send_text(context, chat_id, text)
            return
        files = [
            (q.text(f"export_{fmt}", lang), Press(EXPORT, "letter", fmt)) for fmt in LETTER_FORMATS
        ]
        await context.bot.send_message(chat_id, text, reply_markup=menu(files, per_row=2))
        return
    waiting = current.waiting()
    if waiting is not None:
        field = "role" if not waiting.get("role") else "due"
        await off_loop(joint_input.expect, programme, rid, code, waiting["key"], field)
        text = q.text(f"jl_{field}", lang, wording=waiting["wording"])
        await context.bot.send_message(chat_id, text)
        return
    if current.lines:
        line = current.lines[0]
        members = "; ".join(
            q.text("jl_member", lang, organisation=m.organisation, role=m.role, due=m.due)
            for m in line.members
        )
        left = len(current.lines)
        text = q.text("jl_line", lang, count=left, wording=line.wording, members=members)
        buttons = [
            (q.text(f"jl_{verb}", lang), Press(JOINT_LINE, code, f"{verb}:{line.key}"))
            for verb in ("keep", "edit", "drop")
        ]
        await context.bot.send_message(chat_id, text, reply_markup=menu(buttons, per_row=3))
        return
    letter_text = await off_loop(_items_text, programme, current, lang)
    agree = [(q.text("jl_agree", lang), Press(JOINT_LINE, code, "agree:"))]
    await context.bot.send_message(
        chat_id, q.text("jl_ready", lang, letter=letter_text), reply_markup=menu(agree)
    )


def _items_text(programme: Programme, current: joint_letter.JointLetter, lang: str) -> str:
    q = programme.engine.questionnaire
    lines = [
        q.text(
            "jl_item",
            lang,
            number=number,
            wording=item["wording"],
            role=item.get("role") or "–",
            due=format_date(item["due"], lang) if item.get("due") else "–",
        )
        for number, item in enumerate(current.kept, start=1)
    ]
    return "\n".join(lines) or q.text("summary_letter_empty", lang)


def _reading(programme: Programme, current: joint_letter.JointLetter, name: str, lang: str) -> str:
    """The letter as a member reads it: draft or agreed, its commitments, what is left."""
    q = programme.engine.questionnaire
    if current.status == "none":
        return q.text("jl_none", lang, name=name)
    parts = [q.text("jl_title", lang, name=name)]
    if current.status == "agreed" and current.decision:
        decision = current.decision
        date = format_date(decision["date"], lang)
        parts.append(q.text("jl_status_agreed", lang, date=date, **_decision(decision)))
    else:
        parts.append(q.text("jl_status_draft", lang))
    parts.append(_items_text(programme, current, lang))
    if current.lines:
        parts.append(q.text("jl_left", lang, count=len(current.lines)))
    return "\n\n".join(parts)


def _decision(decision: dict[str, Any]) -> dict[str, str]:
    return {"body": decision["body"], "case": decision["case"]}


async def line_press(update: Update, context: Context, press: Press) -> None:
    """Keep, reword or drop a line; or begin marking the letter agreed."""
    programme, lang = context.programme, await lang_of(update, context)
    q = context.engine.questionnaire
    rid = respondent_id(update.effective_user)
    verb, _, key = press.value.partition(":")
    code = press.step
    try:
        current = await off_loop(joint_letter.read, programme, code, lang)
        if current.contact != rid:
            raise ProgrammeError("err_not_contact")
        if verb in ("keep", "drop"):
            await off_loop(
                joint_letter.settle, programme, code, rid, key, lang, keep=verb == "keep"
            )
        elif verb == "edit":
            await off_loop(joint_input.expect, programme, rid, code, key, "wording")
        elif verb == "agree":
            await off_loop(joint_input.expect, programme, rid, code, "", "body")
        else:
            raise ProgrammeError("err_stale")
    except Refusal as refused:
        await answer_press(update.callback_query, q.text(refused.key, lang, **refused.fields))
        return
    await answer_press(update.callback_query)
    chat_id = update.effective_chat.id
    if verb == "edit":
        await context.bot.send_message(chat_id, q.text("jl_wording", lang))
    elif verb == "agree":
        await context.bot.send_message(chat_id, q.text("jl_body", lang))
    else:
        await show(context, chat_id, rid, code, lang)


async def take_text(
    update: Update, context: Context, text: str | None, respondent: dict[str, Any] | None
) -> bool:
    """If the contact's next words are awaited (a wording, a role, a date, the decision, a
    comment on a follow-up), take this message as them. True if it was. A skipped comment
    (`text` None) is no comment."""
    awaiting = joint_input.expected(respondent)
    if awaiting is None or (text is None and awaiting["field"] != "comment"):
        return False
    programme, lang = context.programme, await lang_of(update, context)
    q = context.engine.questionnaire
    rid = respondent_id(update.effective_user)
    chat_id = update.effective_chat.id
    if awaiting["field"] == "comment":
        try:
            if text is not None:
                await off_loop(joint_input.take, programme, rid, lang, text)
            else:
                await off_loop(joint_input.forget_awaited, programme, rid)
        except Refusal as refused:
            await say_refused(update, context, refused)
            return True
        await say(update, context, "follow_up_thanks")
        return True
    assert text is not None
    try:
        following = await off_loop(joint_input.take, programme, rid, lang, text)
    except Refusal as refused:
        await say_refused(update, context, refused)
        return True
    if following in ("date", "case"):
        await context.bot.send_message(chat_id, q.text(f"jl_{following}", lang))
        return True
    current = await off_loop(joint_letter.read, programme, awaiting["code"], lang)
    if current.status == "agreed":
        await _agreed(update, context, current, lang)
        return True
    await show(context, chat_id, rid, awaiting["code"], lang)
    return True


async def _agreed(
    update: Update, context: Context, current: joint_letter.JointLetter, lang: str
) -> None:
    """Tell the contact, and the coordinator who named them."""
    programme = context.programme
    q = context.engine.questionnaire
    await say(update, context, "jl_agreed")
    coordinator = await off_loop(joint_letter.named_by, programme, current.code)
    if coordinator is None or current.decision is None:
        return
    name = programme.municipalities.by_code[current.code].name
    decision = current.decision
    their_lang = context.engine.language(f"telegram:{coordinator}")
    await context.bot.send_message(
        coordinator,
        q.text(
            "jl_agreed_coordinator",
            their_lang,
            name=name,
            date=format_date(decision["date"], their_lang),
            count=len(current.kept),
            **_decision(decision),
        ),
    )


async def send_file(update: Update, context: Context, fmt: str) -> None:
    """The municipality's letter as a PDF or Word file, to the member who asked."""
    programme, lang = context.programme, await lang_of(update, context)
    q = context.engine.questionnaire
    rid = respondent_id(update.effective_user)
    try:
        own, _ = await off_loop(programme.membership, rid)
        if own is None:
            raise ProgrammeError("err_no_membership")
        name, data = await off_loop(letter_file, programme, own.code, fmt, lang, date.today())
    except Refusal as refused:
        await answer_press(update.callback_query, q.text(refused.key, lang, **refused.fields))
        return
    await answer_press(update.callback_query)
    await context.bot.send_chat_action(update.effective_chat.id, ChatAction.UPLOAD_DOCUMENT)
    await context.bot.send_document(update.effective_chat.id, document=data, filename=name)
