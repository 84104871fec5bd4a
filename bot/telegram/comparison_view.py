"""An official's municipality beside its county and the country, after their summary: one line
per area, computed in the domain (dialogues.programme.comparison), never naming a municipality."""

from __future__ import annotations

import logging

from bot.telegram.context import Context, off_loop
from bot.telegram.texts import send_text
from dialogues.programme.comparison import beside_respondent
from storage.atomic import DamagedFileError

log = logging.getLogger(__name__)


async def send_beside(context: Context, chat_id: int, rid: str) -> None:
    """The lines, for a member of a municipality in the programme; nothing for anyone else.
    They read every member's file: one that cannot be read leaves the lines out (the summary
    is sent already), not the official with an error about someone else's file."""
    try:
        shown = await off_loop(beside_respondent, context.programme, rid)
    except (DamagedFileError, OSError) as error:
        log.warning("the comparison could not be read: %s", type(error).__name__)
        return
    if shown is not None:
        await send_text(context, chat_id, shown.text())
