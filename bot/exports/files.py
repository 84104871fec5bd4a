"""The files an official can take away: their report as PDF or Word, their data as JSON."""

from __future__ import annotations

import json
from datetime import date

from bot.exports.pdf import render_pdf
from bot.exports.word import render_docx
from dialogues.engine import Engine
from dialogues.errors import Refusal
from dialogues.programme import Programme
from dialogues.report import build_report, file_name

OFFICIAL_FORMATS = ("pdf", "docx", "json")


def respondent_file(
    engine: Engine, programme: Programme | None, respondent_id: str, fmt: str, today: date
) -> tuple[str, bytes]:
    """(file name, contents) of one respondent's export; an interim one before they finish."""
    if fmt not in OFFICIAL_FORMATS:
        raise Refusal("export_unknown_format", formats=", ".join(OFFICIAL_FORMATS))
    if not engine.is_known(respondent_id):
        raise Refusal("export_nothing", respondent=respondent_id)
    if fmt == "json":
        data = json.dumps(engine.export(respondent_id), ensure_ascii=False, indent=2)
        return f"sjalvskattning-data-{today.isoformat()}.json", data.encode()
    store = engine.store
    respondent = store.respondent(respondent_id)
    review = store.active_review(respondent_id) or engine.export(respondent_id)["reviews"][-1]
    municipality, organisation = programme.membership(respondent_id) if programme else (None, None)
    current = review.get("round", 1)
    earlier = [
        r
        for r in store.reviews(respondent_id)
        if r.get("round") == current - 1 and r["status"] == "archived"
    ]
    report = build_report(
        engine.questionnaire,
        review,
        respondent["lang"],
        today,
        municipality.name if municipality else None,
        organisation,
        earlier[-1] if earlier else None,
    )
    render = render_pdf if fmt == "pdf" else render_docx
    return file_name(report.municipality, today, fmt), render(report)
