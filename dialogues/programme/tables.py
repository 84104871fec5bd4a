"""The coordinators' data as tables: one row per respondent and round, the commitments with
their follow-up, and per-area figures per municipality. Any file format is laid out from these."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dialogues.programme.labels import follow_up_label, follow_up_status, organisation_label
from dialogues.programme.programme import Programme
from dialogues.review import letter
from dialogues.review.stored import answer_values
from dialogues.review.summary import answer_text, format_date, summarize


@dataclass(frozen=True)
class Table:
    name: str
    header: list[str]
    rows: list[list[Any]]


def _reviews(programme: Programme, respondent_id: str) -> list[dict[str, Any]]:
    """A respondent's reviews that belong to a round: the active one and earlier rounds
    (not those put aside by starting over or changing municipality)."""
    return [
        r for r in programme.respondents.reviews(respondent_id)
        if r["status"] == "active" or "round" in r
    ]  # fmt: skip


def programme_tables(programme: Programme, scope: str, lang: str) -> list[Table]:
    q = programme.engine.questionnaire
    text = q.text
    questions = list(q.questions)
    numbering = {}
    for area in q.areas:
        for number, question in enumerate(area.questions, start=1):
            numbering[question.id] = f"{area.number}.{number} {question.short(lang)}"
    base = [
        text(k, lang)
        for k in ("col_municipality", "col_code", "col_county", "col_organisation", "col_round")
    ]
    answers = Table(
        text("sheet_answers", lang),
        [*base, text("col_respondent", lang), text("col_status", lang), text("col_last", lang),
         *(numbering[question.id] for question in questions)],
        [],
    )  # fmt: skip
    commitments = Table(
        text("sheet_commitments", lang),
        [*base, text("col_commitment", lang), text("doc_responsible", lang), text("doc_due", lang),
         text("col_follow_up", lang), text("col_comment", lang)],
        [],
    )  # fmt: skip
    area_header = [
        f"{area.number}. {area.title(lang)}: {text(key, lang)}"
        for area in q.areas
        for key in ("doc_strong", "doc_weak", "doc_open")
    ]
    areas = Table(
        text("sheet_areas", lang),
        [text("col_municipality", lang), text("col_county", lang), text("col_round", lang),
         text("col_respondents", lang), *area_header],
        [],
    )  # fmt: skip
    for code in sorted(
        programme.scope_codes(scope), key=lambda c: programme.municipalities.by_code[c].name
    ):
        municipality = programme.municipalities.by_code[code]
        current = programme.round_of(code)
        per_area = [0] * len(area_header)
        members = 0
        for respondent in programme.members(code):
            shown_org = organisation_label(q, respondent.get("organisation"), lang) or ""
            for review in _reviews(programme, respondent["id"]):
                number = review.get("round", current if review["status"] == "active" else 1)
                lead = [municipality.name, code, municipality.county.name, shown_org, number]
                values = answer_values(review)
                cells = []
                for question in questions:
                    value = values.get(question.id)
                    if value is None or not question.is_asked(values):
                        cells.append("")
                        continue
                    cells.append(answer_text(question, value, lang))
                status = text("status_done" if review.get("finished") else "status_ongoing", lang)
                answers.rows.append(
                    [*lead, respondent["id"], status, review["updated"][:10], *cells]
                )
                for item in letter.adopted(review):
                    follow_up = item.get("follow_up") or {}
                    shown = follow_up_label(q, follow_up_status(item), lang)
                    commitments.rows.append(
                        [*lead, letter.commitment_text(q, item, lang), item["role"], format_date(item["due"], lang),
                         shown, follow_up.get("comment") or ""]
                    )  # fmt: skip
                if number == current:
                    members += 1
                    summary = summarize(q, review, lang)
                    for index, part in enumerate(summary.areas):
                        per_area[index * 3] += len(part.strengths)
                        per_area[index * 3 + 1] += len(part.weaknesses)
                        per_area[index * 3 + 2] += len(part.open)
        areas.rows.append(
            [municipality.name, municipality.county.name, current, members, *per_area]
        )
    return [answers, commitments, areas]
