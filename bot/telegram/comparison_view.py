"""An official's municipality beside its county and the country, after their summary: one line
per area, computed in the domain (dialogues.programme.comparison), never naming a municipality.

The whole programme's answers are read at most once a minute and reused for every official's
lines in between (comparison.Recent): a county's figure a minute old is fine, and fifty officials
finishing within a minute at a workshop then wait on one reading of every member's file, not on
fifty. The official's own municipality is read afresh each time, so they see themselves counted."""

from __future__ import annotations

import logging

from bot.telegram.context import Context, off_loop
from bot.telegram.texts import send_text
from dialogues.programme.comparison import Recent
from storage.atomic import DamagedFileError

log = logging.getLogger(__name__)


def recent(context: Context) -> Recent:
    """The application's one reused comparison (made at its first use)."""
    found = context.bot_data.get("comparison")
    if found is None:
        found = context.bot_data.setdefault("comparison", Recent(context.programme))
    return found


async def send_beside(context: Context, chat_id: int, rid: str) -> None:
    """The lines, for a member of a municipality in the programme; nothing for anyone else.
    They read every member's file: one that cannot be read leaves the lines out (the summary
    is sent already), not the official with an error about someone else's file."""
    try:
        shown = await off_loop(recent(context).beside_respondent, rid)
    except (DamagedFileError, OSError) as error:
        log.warning("the comparison could not be read: %s", type(error).__name__)
        return
    if shown is not None:
        await send_text(context, chat_id, shown.text())
