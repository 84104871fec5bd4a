"""Telegram handlers for officials' commands and messages: each turns an update into one engine
call and sends what comes back.

No conversation state lives here: the engine and the store hold it all, so a restarted
bot continues every review exactly where it was.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from telegram import Update

from bot.exports.files import OFFICIAL_FORMATS
from bot.telegram import callbacks, coordination, membership, municipal_letter
from bot.telegram.callbacks import Press
from bot.telegram.context import Context, language_of, off_loop, respondent_id
from bot.telegram.render import menu
from bot.telegram.send import (
    answer_press,
    could_not_save,
    lang_of,
    retire_prompt,
    say,
    seen_turn,
    send_reply,
    send_text,
)
from bot.telegram.summary_view import send_summary
from dialogues.programme import joint_input
from dialogues.review import Questionnaire, Reply, SaveError

log = logging.getLogger(__name__)


async def _reply_with(
    update: Update,
    context: Context,
    action: Callable[..., Reply],
    respondent: dict[str, Any] | None = None,
) -> None:
    """Run an engine input for the sender (numbered by the update, so that one handed over
    again is taken once) and show where it leaves them, in one message. `respondent` is as
    read before the input, if the caller has it.

    The last question keeps its buttons: taking them off would cost a second request to
    Telegram for every typed answer, and a press on them is refused all the same (the
    engine's check of the step), answered with a short notice and the current question."""
    user, chat = update.effective_user, update.effective_chat
    rid = respondent_id(user)
    if respondent is None:
        respondent = await off_loop(context.respondents.respondent, rid)
    if joint_input.expected(respondent) is not None:  # back to the review: /letter goes on later
        await off_loop(joint_input.forget_awaited, context.programme, rid)
    try:
        reply = await off_loop(action, rid, language_of(user), delivery=update.update_id)
    except SaveError as error:
        await could_not_save(update, context, error)
        return
    if reply.repeated:  # handed over again after a restart: taken already
        return
    await send_reply(context, chat.id, rid, reply)


# Commands.
async def start(update: Update, context: Context) -> None:
    """Welcome a newcomer; bring someone who has been here before back to where they were."""
    engine = context.engine
    user = update.effective_user
    rid = respondent_id(user)
    if context.args:  # a deep link: https://t.me/<bot>?start=<invitation code>
        await membership.join(update, context, context.args[0])
        return
    respondent = await off_loop(context.respondents.respondent, rid)
    reply = await off_loop(engine.current, rid, language_of(user))
    if reply.prompt.kind == "paused":
        reply = await off_loop(engine.resume, rid)
    elif respondent is not None and reply.prompt.step != "intro":
        welcome_back = engine.questionnaire.text("resumed", reply.lang)
        reply = Reply(reply.prompt, (welcome_back,), None, reply.lang, reply.turn)
    await retire_prompt(context, rid, respondent)
    await send_reply(context, update.effective_chat.id, rid, reply)


async def resume(update: Update, context: Context) -> None:
    await _reply_with(update, context, context.engine.resume)


async def back(update: Update, context: Context) -> None:
    await _reply_with(update, context, context.engine.back)


async def skip(update: Update, context: Context) -> None:
    """Skip the question, or the comment on a follow-up if one is awaited."""
    respondent = await off_loop(
        context.respondents.respondent, respondent_id(update.effective_user)
    )
    if await membership.take_comment(update, context, None, respondent):
        return
    if await municipal_letter.take_text(update, context, None, respondent):
        return
    await _reply_with(update, context, context.engine.skip, respondent)


async def text_answer(update: Update, context: Context) -> None:
    """An answer, or the comment on a follow-up if one is awaited."""
    text = update.message.text
    respondent = await off_loop(
        context.respondents.respondent, respondent_id(update.effective_user)
    )
    if await membership.take_comment(update, context, text, respondent):
        return
    if await municipal_letter.take_text(update, context, text, respondent):
        return
    answer = context.engine.answer
    seen, typed_at = seen_turn(respondent), update.message.date

    def take(rid: str, lang: str, delivery: int) -> Reply:
        return answer(rid, text, lang, delivery=delivery, seen_turn=seen, typed_at=typed_at)

    await _reply_with(update, context, take, respondent)


async def status(update: Update, context: Context) -> None:
    rid = respondent_id(update.effective_user)
    await send_text(context, update.effective_chat.id, await off_loop(context.engine.status, rid))


async def summary(update: Update, context: Context) -> None:
    await send_summary(context, update.effective_chat.id, respondent_id(update.effective_user))


Choices = Callable[[Questionnaire, str], list[tuple[str, Press]]]


async def _ask(update: Update, context: Context, key: str, choices: Choices) -> None:
    """A text of ui.yaml with buttons under it, in the sender's language."""
    lang = await lang_of(update, context)
    q = context.engine.questionnaire
    buttons = choices(q, lang)
    per_row = 2 if len(buttons) == 2 else 1
    await context.bot.send_message(
        update.effective_chat.id, q.text(key, lang), reply_markup=menu(buttons, per_row)
    )


async def export(update: Update, context: Context) -> None:
    """Offer the official's files: PDF to read, Word to edit and sign, JSON of all their data.
    With a scope (/export alla | Uppsala län | Uppsala), a coordinator gets the programme's."""
    if context.args:
        await coordination.export_programme(update, context)
        return
    await _ask(
        update,
        context,
        "export_choose",
        lambda q, lang: [
            (q.text(f"export_{fmt}", lang), Press(callbacks.EXPORT, "", fmt))
            for fmt in OFFICIAL_FORMATS
        ],
    )


async def language(update: Update, context: Context) -> None:
    choices = [
        ("Svenska", Press(callbacks.LANGUAGE, "", "sv")),
        ("English", Press(callbacks.LANGUAGE, "", "en")),
    ]
    await _ask(update, context, "tg_language", lambda q, lang: choices)


async def delete(update: Update, context: Context) -> None:
    """Ask first: erasing cannot be undone."""
    await _ask(
        update,
        context,
        "tg_delete_confirm",
        lambda q, lang: [
            (q.text("tg_delete_yes", lang), Press(callbacks.DELETE, "", "yes")),
            (q.text("tg_delete_no", lang), Press(callbacks.DELETE, "", "no")),
        ],
    )


async def help_command(update: Update, context: Context) -> None:
    lang = await lang_of(update, context)
    q = context.engine.questionnaire
    text = q.text("tg_help", lang)
    if await off_loop(context.programme.is_coordinator, update.effective_user.id):
        text += "\n\n" + q.text("tg_help_coordinator", lang)
    await send_text(context, update.effective_chat.id, text)


async def unknown_command(update: Update, context: Context) -> None:
    await say(update, context, "tg_unknown_command")


async def not_text(update: Update, context: Context) -> None:
    """Photos, stickers, voice, locations, documents: ask for text or buttons."""
    await say(update, context, "tg_non_text")


async def edited(update: Update, context: Context) -> None:
    """An edited message changes no answer: the answer was taken when it was sent."""
    await say(update, context, "tg_edited")


async def in_group(update: Update, context: Context) -> None:
    """The review holds a municipality's answers: it happens in private chats only."""
    q = context.engine.questionnaire
    lang = language_of(update.effective_user)
    link = f"https://t.me/{context.bot.username}"
    await context.bot.send_message(update.effective_chat.id, q.text("tg_group", lang, link=link))


async def on_error(update: object, context: Context) -> None:
    """Log the failure (its kind and where, never answer text) and tell the user their answers are safe."""
    log.error("handling an update failed: %s", type(context.error).__name__, exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    user = update.effective_user
    if user is not None:  # if the failure came between a saved answer and its next question
        context.owed.add(respondent_id(user))
    if update.callback_query is not None:  # every press is answered, unless it was already
        await answer_press(update.callback_query)
    try:
        text = context.engine.questionnaire.text("tg_error", language_of(user))
        await context.bot.send_message(update.effective_chat.id, text)
    except Exception:  # the API itself may be what failed
        log.warning("could not tell the user about the failure")
