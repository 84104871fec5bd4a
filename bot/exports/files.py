"""The files one asks for: an official's report or data, a coordinator's tables and summaries."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import replace
from datetime import date

from bot.exports import COORDINATOR_FORMATS, OFFICIAL_FORMATS
from bot.exports.letter_files import letter_file
from dialogues.errors import Refusal
from dialogues.programme import examples, joint_letter
from dialogues.programme.comparison import beside
from dialogues.programme.consolidated import consolidated, consolidated_text
from dialogues.programme.joint_follow_up import earlier_rows
from dialogues.programme.labels import organisation_label
from dialogues.programme.overview import member_reviews
from dialogues.programme.programme import Programme
from dialogues.programme.rows import status_key
from dialogues.programme.tables import programme_tables
from dialogues.review.engine import Engine
from dialogues.review.report import build_report, file_name
from dialogues.review.summary import format_date, summarize

__all__ = [
    "COORDINATOR_FORMATS",
    "OFFICIAL_FORMATS",
    "municipality_files",
    "programme_file",
    "programme_files",
    "respondent_file",
]


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
    joint = earlier_rows(programme, municipality.code, respondent["lang"]) if municipality else None
    if programme is not None and joint is not None:  # the municipality's letter comes first
        title = engine.questionnaire.text("doc_earlier_joint", respondent["lang"], round=joint[0])
        report = replace(report, earlier=joint[1], earlier_title=title)
    if programme is not None and municipality is not None:  # beside its county and the country
        shown = beside(programme, municipality.code, respondent["lang"])
        if shown is not None:
            report = replace(
                report, beside=shown.lines, beside_title=shown.title, beside_note=shown.note
            )
    learning = None  # other municipalities' learning examples, as they stand today
    if programme is not None:
        found = examples.for_respondent(programme, respondent_id)
        learning = examples.block(engine.questionnaire, found, respondent["lang"])
    if fmt == "pdf":
        from bot.exports.pdf import render_pdf as render  # reportlab: loaded when needed
    else:
        from bot.exports.word import render_docx as render  # python-docx: loaded when needed
    name = file_name(report.municipality, today, fmt, report.organisation)
    return name, render(report, learning)


def programme_file(
    programme: Programme, scope: str, fmt: str, lang: str, today: date
) -> tuple[str, bytes]:
    """One of a coordinator's files, built alone (a CSV never waits for 290 PDFs): the workbook,
    the answers as CSV, or a ZIP with each municipality's files (see `municipality_files`)."""
    if fmt not in COORDINATOR_FORMATS:
        raise Refusal("export_unknown_format", formats=", ".join(COORDINATOR_FORMATS))
    codes = programme.scope_codes(scope)
    if not codes:
        raise Refusal("export_nothing_in_scope")
    stem = file_name(programme.scope_name(scope, lang), today, "").removesuffix(".")
    if fmt == "xlsx":
        from bot.exports.sheets import render_xlsx  # openpyxl: loaded when needed

        data = render_xlsx(programme_tables(programme, scope, lang))
    elif fmt == "csv":
        from bot.exports.sheets import render_csv

        data = render_csv(programme_tables(programme, scope, lang, which=["answers"])[0])
    else:
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
            for code in codes:
                for name, content in municipality_files(programme, code, lang, today):
                    bundle.writestr(name, content)
        data = archive.getvalue()
    return f"{stem}.{fmt}", data


def programme_files(
    programme: Programme, scope: str, lang: str, today: date
) -> list[tuple[str, bytes]]:
    """All of a coordinator's files of a scope, as /export sends them: workbook, CSV and ZIP."""
    return [programme_file(programme, scope, fmt, lang, today) for fmt in COORDINATOR_FORMATS]


def municipality_files(
    programme: Programme, code: str, lang: str, today: date
) -> list[tuple[str, bytes]]:
    """A municipality's files in the coordinators' ZIP, each name led by the code (Håbo and Habo
    are both "habo" in plain letters): its consolidated summary as a PDF, dated, with the round
    and each respondent's organisation and status; and its joint letter, once begun."""
    from bot.exports.pdf import render_text_pdf  # reportlab: loaded when needed

    q = programme.engine.questionnaire
    municipality = programme.municipalities.by_code[code]
    pairs = member_reviews(programme, code)
    result = consolidated(programme, code, lang)
    # Someone who joined but answered nothing is listed below, and not counted as a respondent.
    text = consolidated_text(municipality.name, result, q, lang)
    heading = q.text(
        "bundle_heading",
        lang,
        name=municipality.name,
        round=programme.round_of(code),
        date=format_date(today.isoformat(), lang),
    )
    lines = [q.text("bundle_respondents", lang)]
    for respondent, review in pairs:
        summary = summarize(q, review, lang)
        organisation = respondent.get("organisation") or "other"
        lines.append(
            "• "
            + q.text(
                "bundle_respondent",
                lang,
                organisation=organisation_label(q, organisation, lang),
                status=q.text(status_key(review), lang),
                answered=summary.answered,
                asked=summary.asked,
            )
        )
    summary_pdf = render_text_pdf(
        q.text("doc_title", lang), "\n\n".join([heading, "\n".join(lines), text])
    )
    files = [(f"{code}-{file_name(municipality.name, today, 'pdf')}", summary_pdf)]
    if joint_letter.status(programme, code) != "none":
        name, data = letter_file(programme, code, "pdf", lang, today)
        files.append((name, data))  # its name begins avsiktsforklaring-<code>-
    return files
