"""The files one asks for: an official's report or data, a coordinator's tables and summaries."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

from bot.exports import COORDINATOR_FORMATS, OFFICIAL_FORMATS
from dialogues.errors import Refusal
from dialogues.programme.consolidated import consolidated, consolidated_text
from dialogues.programme.labels import organisation_label
from dialogues.programme.programme import Programme
from dialogues.programme.tables import programme_tables
from dialogues.review.engine import Engine
from dialogues.review.report import build_report, file_name

__all__ = ["COORDINATOR_FORMATS", "OFFICIAL_FORMATS", "programme_files", "respondent_file"]


def respondent_file(
    engine: Engine,
    programme: Programme | None,
    respondent_id: str,
    fmt: str,
    today: date,
    user_id: int | None = None,
) -> tuple[str, bytes]:
    """(file name, contents) of one respondent's export; an interim one before they finish.
    JSON holds everything stored about them (with `user_id`, their wrong invitation codes)."""
    if fmt not in OFFICIAL_FORMATS:
        raise Refusal("export_unknown_format", formats=", ".join(OFFICIAL_FORMATS))
    if not engine.is_known(respondent_id):
        raise Refusal("export_nothing", respondent=respondent_id)
    if fmt == "json":
        stored = engine.export(respondent_id)
        if programme is not None:
            reviews = [review["id"] for review in stored["reviews"]]
            stored["programme"] = programme.store.about(respondent_id, user_id, reviews)
        data = json.dumps(stored, ensure_ascii=False, indent=2)
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
        organisation_label(engine.questionnaire, organisation, respondent["lang"]),
        earlier[-1] if earlier else None,
    )
    if fmt == "pdf":
        from bot.exports.pdf import render_pdf as render  # reportlab: loaded when needed
    else:
        from bot.exports.word import render_docx as render  # python-docx: loaded when needed
    return file_name(report.municipality, today, fmt), render(report)


def programme_files(
    programme: Programme, scope: str, lang: str, today: date
) -> list[tuple[str, bytes]]:
    """A coordinator's export of a scope: the workbook, the answers as CSV, and a ZIP with each
    municipality's consolidated summary as a PDF."""
    from bot.exports.pdf import render_text_pdf  # reportlab and openpyxl: loaded when needed
    from bot.exports.sheets import render_csv, render_xlsx

    codes = programme.scope_codes(scope)
    if not codes:
        raise Refusal("export_nothing_in_scope")
    q = programme.engine.questionnaire
    tables = programme_tables(programme, scope, lang)
    stem = file_name(programme.scope_name(scope, lang), today, "").removesuffix(".")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        for code in codes:
            municipality = programme.municipalities.by_code[code]
            text = consolidated_text(
                municipality.name, consolidated(programme, code, lang), q, lang
            )
            bundle.writestr(  # the code first: Håbo and Habo are both "habo" in plain letters
                f"{code}-{file_name(municipality.name, today, 'pdf')}",
                render_text_pdf(q.text("doc_title", lang), text),
            )
    return [
        (f"{stem}.xlsx", render_xlsx(tables)),
        (f"{stem}.csv", render_csv(tables[0])),
        (f"{stem}.zip", archive.getvalue()),
    ]
