"""The pictures in the chat: what each shows, gathered from the domain and drawn off the event
loop, sent before the text that says the same (for screen readers, and for when a picture
cannot be drawn or is refused)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import lru_cache

from telegram.constants import MessageLimit
from telegram.error import BadRequest

from bot.pictures.agreement import Row, agreement_png
from bot.pictures.agreement import Words as AgreementWords
from bot.pictures.areas import areas_png
from bot.pictures.overview import Place, overview_png
from bot.pictures.overview import Words as OverviewWords
from bot.telegram.context import Context, off_loop
from bot.telegram.texts import cut
from dialogues.collation import swedish_key
from dialogues.programme.consolidated import Consolidated
from dialogues.programme.overview import MunicipalityStatus
from dialogues.programme.scope_shares import FEWEST, ScopeShares
from dialogues.review.content import Questionnaire
from dialogues.review.report import SEGMENTS

log = logging.getLogger(__name__)


async def send_picture(
    context: Context, chat_id: int, draw: Callable[[], bytes], caption: str
) -> None:
    """Draw (off the event loop) and send a picture with its caption, cut to Telegram's limit.
    A picture is an extra: where it cannot be drawn or is refused, the text still goes."""
    try:
        png = await off_loop(draw)
    except Exception:  # a fault in drawing must never keep the text from the person
        log.exception("a picture could not be drawn")
        return
    try:
        await context.bot.send_photo(
            chat_id, photo=png, caption=cut(caption, MessageLimit.CAPTION_LENGTH)
        )
    except BadRequest as refused:
        log.warning("a picture was refused: %s", refused.message)


def summary_picture(
    bars: tuple[tuple[str, tuple[float, ...]], ...], q: Questionnaire, lang: str
) -> bytes:
    """An official's six areas (Engine.area_bars)."""
    labels = tuple(q.text(key, lang) for key in SEGMENTS)
    return _areas(bars, labels, q.text("picture_summary_title", lang), lang)


@lru_cache(maxsize=32)  # /summary again without a new answer: the same picture, not drawn again
def _areas(
    bars: tuple[tuple[str, tuple[float, ...]], ...], labels: tuple[str, ...], title: str, lang: str
) -> bytes:
    return areas_png(bars, labels, title, lang)


def overview_words(
    q: Questionnaire, scope: str, count: int, behind: int, lang: str
) -> OverviewWords:
    text = q.text
    return OverviewWords(
        title=text("picture_overview_title", lang, scope=scope, count=count),
        kinds=(
            text("picture_kind_0", lang),
            text("picture_kind_1", lang),
            text("picture_kind_2", lang),
            text("picture_kind_3", lang),
        ),
        finished=text("picture_finished", lang),
        county="{finished}/{count}",
        note=text("picture_county_note", lang),
        areas=text("picture_areas", lang),
        readings=(text("doc_strong", lang), text("doc_weak", lang), text("doc_find_out", lang)),
        too_few=text("picture_too_few", lang, fewest=FEWEST),
        none=text("picture_none", lang, fewest=FEWEST, behind=behind),
    )


def places(statuses: list[MunicipalityStatus]) -> list[Place]:
    """The municipalities by county (in the counties' official order), then by name."""
    ordered = sorted(
        statuses,
        key=lambda s: (s.municipality.county.code, swedish_key(s.municipality.name)),
    )
    return [
        Place(
            county=status.municipality.county.name,
            name=status.municipality.name,
            respondents=len(status.respondents),
            finished=status.finished,
            answered=sum(r.answered for r in status.respondents),
            asked=sum(r.asked for r in status.respondents),
        )
        for status in ordered
    ]


def overview_picture(
    statuses: list[MunicipalityStatus], shares: ScopeShares, scope: str, q: Questionnaire, lang: str
) -> bytes:
    """The overview of a county or of everything: each municipality, and the areas over all."""
    words = overview_words(q, scope, len(statuses), shares.behind, lang)
    return overview_png(places(statuses), shares.areas, words, lang)


def agreement_words(q: Questionnaire, name: str, lang: str) -> AgreementWords:
    return AgreementWords(
        title=q.text("picture_agreement_title", lang, name=name),
        readings=tuple(q.text(key, lang) for key in SEGMENTS),  # type: ignore[arg-type]
        agree=q.text("picture_agree", lang),
        differ=q.text("picture_differ", lang),
    )


def agreement_picture(name: str, result: Consolidated, q: Questionnaire, lang: str) -> bytes:
    """A municipality's respondents side by side (consolidated), question by question."""
    areas = [
        (title, [Row(c.short, c.readings, c.agree) for c in comparisons])
        for title, comparisons in result.areas
    ]
    return agreement_png(result.columns, areas, agreement_words(q, name, lang))
