"""Prompts as Telegram messages: HTML text, inline keyboards, answered forms, long texts split."""

from __future__ import annotations

import re
from html import escape, unescape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.telegram.callbacks import BACK, CHOOSE, CONFIRM, INFO, PAUSE, RESUME, SKIP, TOGGLE, Press
from dialogues.review.content import Questionnaire
from dialogues.review.prompts import Prompt, Reply

MAX_MESSAGE = 4096  # Telegram's limit for one message
SHORT_LABEL = 18  # labels up to this long go two to a row; longer ones get a row of their own


def menu(choices: list[tuple[str, Press]], per_row: int = 1) -> InlineKeyboardMarkup:
    """Buttons from (label, press) pairs, `per_row` to a row."""
    buttons = [
        InlineKeyboardButton(label, callback_data=press.encode()) for label, press in choices
    ]
    return InlineKeyboardMarkup([buttons[i : i + per_row] for i in range(0, len(buttons), per_row)])


def prompt_html(prompt: Prompt, q: Questionnaire, lang: str) -> str:
    lines = []
    if prompt.progress:
        lines.append(f"<i>{escape(prompt.progress)}</i>")
    is_question = prompt.step.startswith(("q.", "f.", "letter."))
    lines.append(f"<b>{escape(prompt.text)}</b>" if is_question else escape(prompt.text))
    if prompt.kind == "multi" and not prompt.maximum:  # a list with a limit says it itself
        lines.append(f"<i>{escape(q.text('choose_many', lang))}</i>")
    if prompt.current:
        lines.append(f"<i>{escape(q.text('previous_answer', lang, answer=prompt.current))}</i>")
    if prompt.optional:
        lines.append(f"<i>{escape(q.text('optional', lang))}</i>")
    return "\n".join(lines)


def answered_html(message_html: str, answer: str) -> str:
    """A question message once answered: the question, then the answer, no buttons."""
    return f"{message_html}\n\n✅ {escape(answer)}"


def answered_line(answer: str) -> str:
    """The one line over the next question that says what was just answered."""
    return f"✅ {answer}"


def shown_length(html: str) -> int:
    """Characters Telegram counts against its limit: the text once its HTML is parsed."""
    return len(unescape(re.sub(r"<[^>]+>", "", html)))


def reply_messages(reply: Reply, q: Questionnaire, answered: str | None = None) -> list[str]:
    """A reply as HTML messages, the question last (it takes the buttons): what was just
    answered (`answered`, one line), the short word on it, the notices (an area's intro,
    "welcome back"), any refusal, then the question. All in one message where they fit in
    Telegram's 4096 characters, so that an answer costs one request; else what comes before
    the question split to fit, and the question in a message of its own."""
    said = "\n".join(part for part in (answered, reply.ack) if part)
    lead = [part for part in (said, *reply.notices) if part]
    question = prompt_html(reply.prompt, q, reply.lang)
    if reply.error:
        question = f"⚠️ {escape(reply.error)}\n\n{question}"
    if not lead:
        return [question]
    before = "\n\n".join(lead)
    together = f"{escape(before)}\n\n{question}"
    if shown_length(together) <= MAX_MESSAGE:
        return [together]
    return [*(escape(piece) for piece in split_message(before)), question]


def _option_rows(prompt: Prompt) -> list[list[InlineKeyboardButton]]:
    action = TOGGLE if prompt.kind == "multi" else CHOOSE
    buttons = []
    for choice in prompt.options:
        ticked = prompt.kind == "multi" and choice.id in prompt.selected
        label = f"✓ {choice.label}" if ticked else choice.label
        data = Press(action, prompt.step, choice.id).encode()
        buttons.append(InlineKeyboardButton(label, callback_data=data))
    if all(len(choice.label) <= SHORT_LABEL for choice in prompt.options):
        return [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    return [[button] for button in buttons]


def keyboard(prompt: Prompt, q: Questionnaire, lang: str) -> InlineKeyboardMarkup | None:
    """Options, then (for a multiple choice) Done, then Info, then Back / Skip / Pause."""

    def button(key: str, action: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(
            q.text(key, lang), callback_data=Press(action, prompt.step).encode()
        )

    if prompt.kind == "paused":
        return InlineKeyboardMarkup([[button("btn_resume", RESUME)]])
    if prompt.kind == "done":
        return InlineKeyboardMarkup([[button("btn_back", BACK)]])
    rows = _option_rows(prompt) if prompt.kind in ("single", "multi") or prompt.options else []
    if prompt.kind == "multi":
        rows.append([button("btn_confirm", CONFIRM)])
    if prompt.info:
        rows.append([button("btn_info", INFO)])
    navigation = []
    if prompt.step != "intro":
        navigation.append(button("btn_back", BACK))
    if prompt.step.startswith(("q.", "f.")):
        navigation.append(button("btn_skip", SKIP))
    if prompt.step != "intro":
        navigation.append(button("btn_pause", PAUSE))
    if navigation:
        rows.append(navigation)
    return InlineKeyboardMarkup(rows) if rows else None


def split_message(
    text: str, limit: int = MAX_MESSAGE, separators: tuple[str, ...] = ("\n\n", "\n")
) -> list[str]:
    """Plain text cut into pieces whose HTML-escaped form fits one message: at paragraphs
    where possible, else at lines, else anywhere."""
    if len(escape(text)) <= limit:
        return [text]
    if not separators:
        cut = limit
        while len(escape(text[:cut])) > limit:
            cut -= 1
        return [text[:cut], *split_message(text[cut:], limit, ())]
    separator, finer = separators[0], separators[1:]
    pieces: list[str] = []
    current = ""
    for part in text.split(separator):
        candidate = f"{current}{separator}{part}" if current else part
        if len(escape(candidate)) <= limit:
            current = candidate
            continue
        if current:
            pieces.append(current)
        *whole, current = split_message(part, limit, finer)
        pieces.extend(whole)
    return [*pieces, current] if current else pieces
