"""The coordinators' overview and the consolidated summary as chat messages."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.telegram import callbacks
from bot.telegram.callbacks import Press
from dialogues.programme.labels import organisation_label
from dialogues.programme.overview import MunicipalityStatus
from dialogues.review.content import Questionnaire

PAGE_SIZE = 8


def _day(timestamp: str, q: Questionnaire, lang: str) -> str:
    return timestamp[:10] if timestamp else q.text("overview_never", lang)


def _areas(progress: tuple[tuple[int, int], ...]) -> str:
    return "  ".join(
        f"{number}: {done}/{asked}" for number, (done, asked) in enumerate(progress, start=1)
    )


def overview_page(
    statuses: list[MunicipalityStatus], page: int, county_code: str, q: Questionnaire, lang: str
) -> tuple[str, InlineKeyboardMarkup | None]:
    """One page of the overview, with buttons to the pages before and after."""
    if not statuses:
        return q.text("overview_empty", lang), None
    pages = (len(statuses) + PAGE_SIZE - 1) // PAGE_SIZE
    page = min(max(page, 0), pages - 1)
    lines = [q.text("overview_title", lang, count=len(statuses))]
    for status in statuses[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]:
        lines.append("")
        lines.append(
            q.text(
                "overview_line",
                lang,
                name=status.municipality.name,
                county=status.municipality.county.name,
                respondents=len(status.respondents),
                finished=status.finished,
                last=_day(status.last_activity, q, lang),
            )
        )
        if status.respondents:
            lines.append(q.text("overview_areas", lang, areas=_areas(status.progress)))
        if any(status.commitments.values()):
            lines.append(q.text("overview_commitments", lang, **status.commitments))
        if status.joint_letter != "none" or status.finished:
            lines.append(q.text(f"overview_letter_{status.joint_letter}", lang))
    if pages == 1:
        return "\n".join(lines), None
    lines += ["", q.text("overview_page", lang, page=page + 1, pages=pages)]
    buttons = []
    if page > 0:
        data = Press(callbacks.OVERVIEW, county_code, str(page - 1)).encode()
        buttons.append(InlineKeyboardButton(q.text("btn_previous", lang), callback_data=data))
    if page < pages - 1:
        data = Press(callbacks.OVERVIEW, county_code, str(page + 1)).encode()
        buttons.append(InlineKeyboardButton(q.text("btn_next", lang), callback_data=data))
    return "\n".join(lines), InlineKeyboardMarkup([buttons])


def municipality_detail(status: MunicipalityStatus, q: Questionnaire, lang: str) -> str:
    """One municipality's respondents: organisation, progress, last activity, finished."""
    municipality = status.municipality
    lines = [
        q.text(
            "detail_title",
            lang,
            name=municipality.name,
            county=municipality.county.name,
            round=status.round,
        )
    ]
    if not status.respondents:
        lines.append(q.text("detail_none", lang))
    for number, respondent in enumerate(status.respondents, start=1):
        line = q.text(
            "detail_line",
            lang,
            number=number,
            organisation=organisation_label(q, respondent.organisation or "other", lang),
            answered=respondent.answered,
            asked=respondent.asked,
            last=_day(respondent.last_activity, q, lang),
        )
        if respondent.finished:
            line += " · " + q.text("detail_finished", lang)
        if respondent.unreachable:
            line += " · " + q.text("detail_unreachable", lang)
        lines.append(line)
        lines.append("   " + _areas(respondent.progress))
    return "\n".join(lines)
