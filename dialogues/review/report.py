"""One respondent's review as a report: what a document shows, ready to lay out in any format."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

from dialogues.review.content import Questionnaire
from dialogues.review.stored import answer_values
from dialogues.review.summary import answer_text, format_date, summarize


@dataclass(frozen=True)
class AreaReport:
    number: int
    title: str
    answers: tuple[tuple[str, str], ...]  # (question, the answer as given; "–" where open)
    strengths: tuple[str, ...]
    weaknesses: tuple[str, ...]
    shares: tuple[int, int, int, int]  # answers reading strong, weak, other; questions open
    change: str | None  # since the previous round, where there is one
    to_find_out: tuple[str, ...] = ()  # "Vet inte": neither strong nor weak, counted as other
    noted: tuple[str, ...] = ()  # facts to note, e.g. a count

    def readings(self) -> list[tuple[str, tuple[str, ...]]]:
        """The readings that have any, under their labels' keys, in the summary's order."""
        return [
            (key, items)
            for key, items in (
                ("summary_strengths", self.strengths),
                ("summary_weaknesses", self.weaknesses),
                ("summary_find_out", self.to_find_out),
                ("summary_noted", self.noted),
            )
            if items
        ]


@dataclass(frozen=True)
class Report:
    lang: str
    title: str
    interim: str | None  # the "not finished" notice, or None when finished
    details: tuple[tuple[str, str], ...]  # municipality, organisation, date, round
    areas: tuple[AreaReport, ...]
    commitments: tuple[tuple[str, str, str], ...]  # text, responsible role, due date
    labels: dict[str, str]  # the document's own words, in the respondent's language
    municipality: str | None
    annex: tuple[tuple[str, str], ...] = ()  # themes to develop not in the letter: title, text


def _counts(q: Questionnaire, review: dict[str, Any]) -> list[tuple[int, int]]:
    return [(len(a.strengths), len(a.weaknesses)) for a in summarize(q, review, "sv").areas]


def build_report(
    q: Questionnaire,
    review: dict[str, Any],
    lang: str,
    today: date,
    municipality: str | None = None,
    organisation: str | None = None,
    previous: dict[str, Any] | None = None,
) -> Report:
    summary = summarize(q, review, lang)
    answers = answer_values(review)
    before = _counts(q, previous) if previous else None
    areas = []
    for index, (area, part) in enumerate(zip(q.areas, summary.areas, strict=True)):
        shown = []
        for question in area.questions:
            if not question.is_asked(answers):
                continue
            value = answers.get(question.id)
            words = answer_text(question, value, lang) if value is not None else ""
            shown.append((question.short(lang), words or q.text("doc_none", lang)))
        change = None
        if previous is not None and before is not None:
            change = q.text(
                "doc_change",
                lang,
                round=previous.get("round", 1),
                strong_before=before[index][0],
                strong_after=len(part.strengths),
                weak_before=before[index][1],
                weak_after=len(part.weaknesses),
            )
        areas.append(
            AreaReport(
                number=area.number,
                title=area.title(lang),
                answers=tuple(shown),
                strengths=tuple(f"{f.question.short(lang)}: {f.answer}" for f in part.strengths),
                weaknesses=tuple(f"{f.question.short(lang)}: {f.answer}" for f in part.weaknesses),
                shares=(
                    len(part.strengths),
                    len(part.weaknesses),
                    len(part.to_find_out) + len(part.noted) + len(part.own_words),
                    len(part.open),
                ),
                change=change,
                to_find_out=tuple(
                    f"{f.question.short(lang)}: {f.answer}" for f in part.to_find_out
                ),
                noted=tuple(f"{f.question.short(lang)}: {f.answer}" for f in part.noted),
            )
        )
    none = q.text("doc_none", lang)
    details = (
        (q.text("doc_municipality", lang), municipality or none),
        (
            q.text("doc_organisation", lang),
            organisation or none,
        ),
        (q.text("doc_date", lang), format_date(today.isoformat(), lang)),
        (q.text("doc_round", lang), str(review.get("round", 1))),
    )
    keys = (
        "doc_chart", "doc_strong", "doc_weak", "doc_neutral", "doc_open", "doc_answers",
        "summary_strengths", "summary_weaknesses", "summary_find_out", "summary_noted", "summary_letter", "doc_letter_intro",
        "doc_responsible", "doc_due", "doc_signatures", "doc_signature_line", "summary_letter_empty",
        "doc_annex", "doc_annex_intro",
    )  # fmt: skip
    return Report(
        lang=lang,
        title=q.text("doc_title", lang),
        interim=None
        if summary.finished
        else q.text("doc_interim", lang, answered=summary.answered, asked=summary.asked),
        details=details,
        areas=tuple(areas),
        commitments=tuple((c.text, c.role, c.due) for c in summary.commitments),
        labels={key: q.text(key, lang) for key in keys},
        municipality=municipality,
        annex=tuple((other.title, other.text) for other in summary.annex),
    )


def file_name(municipality: str | None, today: date, extension: str) -> str:
    """sjalvskattning-uppsala-2026-11-24.pdf: plain letters, safe everywhere."""
    name = municipality or "kommun"
    plain = unicodedata.normalize("NFKD", name.casefold())
    slug = "".join(c for c in plain if c.isascii() and (c.isalnum() or c in " -")).strip()
    return f"sjalvskattning-{'-'.join(slug.split()) or 'kommun'}-{today.isoformat()}.{extension}"
