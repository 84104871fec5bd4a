"""An official's municipality beside its county and the country, after their summary: one line
per area, computed in the domain (dialogues.programme.comparison), never naming a municipality."""

from __future__ import annotations

from bot.telegram.context import Context, off_loop
from bot.telegram.texts import send_text
from dialogues.programme.comparison import beside_respondent


async def send_beside(context: Context, chat_id: int, rid: str) -> None:
    """The lines, for a member of a municipality in the programme; nothing for anyone else."""
    shown = await off_loop(beside_respondent, context.programme, rid)
    if shown is not None:
        await send_text(context, chat_id, shown.text())
