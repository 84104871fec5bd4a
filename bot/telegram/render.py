"""Prompts as Telegram messages: HTML text, inline keyboards, answered forms, long texts split."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.telegram.callbacks import BACK, CHOOSE, CONFIRM, INFO, PAUSE, RESUME, SKIP, TOGGLE, Press
from dialogues.review.content import Questionnaire
from dialogues.review.prompts import Prompt

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
