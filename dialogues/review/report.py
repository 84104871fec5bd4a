"""One respondent's review as a report: what a document shows, ready to lay out in any format."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

from dialogues.review import letter
from dialogues.review.content import Questionnaire
from dialogues.review.stored import answer_values
from dialogues.review.summary import AreaSummary, Finding, answer_text, format_date, summarize

# The chart's segments, in the order of its bars and legend: how the answers of an area read.
SEGMENTS = ("doc_strong", "doc_weak", "doc_find_out", "doc_noted", "doc_open")


@dataclass(frozen=True)
class AreaReport:
    number: int
    title: str
    answers: tuple[tuple[str, str, str], ...]  # question, answer ("–" if open), quoted follow-up
    strengths: tuple[str, ...]
    weaknesses: tuple[str, ...]
    shares: tuple[int, int, int, int]  # answers reading strong, weak, other; questions open
    change: str | None  # since the previous round, where both rounds answered in this area
    to_find_out: tuple[str, ...] = ()  # "Vet inte": neither strong nor weak, counted as other
    noted: tuple[str, ...] = ()  # facts to note, e.g. a count
    changes: tuple[str, ...] = ()  # each changed answer: "Handlingsplan: Nej → Ja, beslutad"
    # (round's label, share of the area's questions per SEGMENTS); the earlier round first
    bars: tuple[tuple[str, tuple[float, ...]], ...] = ()

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
    organisation: str | None = None
    letter_intro: str = ""  # worded for whoever wrote the letter
    page: str = "{page} / {pages}"  # the page number, to fill in with str.format
    earlier: tuple[tuple[str, str, str, str], ...] = ()  # the round before's commitments:
    # text, role, due, how it went (its follow-up) – a new round starts from them
    earlier_title: str = ""
    # The municipality beside its county and the country (programme.comparison), one line per
    # area with a question to compare; empty outside a programme.
    beside: tuple[str, ...] = ()
    beside_title: str = ""
    beside_note: str = ""


def _quoted(q: Questionnaire, finding: Finding, lang: str) -> str:
    """ "Definition: Egen definition – ”Vi räknar bara akut hemlöshet”": the answer, then the
    official's own words about it."""
    line = f"{finding.question.short(lang)}: {finding.answer}"
    if finding.follow_up:
        line += " – " + q.text("quote", lang, text=finding.follow_up)
    return line


def _parts(part: AreaSummary) -> tuple[float, ...]:
    """Per segment, its share of the area's questions; a question read several ways (a strong
    option beside a missing one) is shared equally between its readings."""
    readings: dict[str, set[int]] = {}
    for index, findings in enumerate(
        (part.strengths, part.weaknesses, part.to_find_out, part.noted + part.own_words)
    ):
        for finding in findings:
            readings.setdefault(finding.question.id, set()).add(index)
    shares = [0.0] * len(SEGMENTS)
    for kinds in readings.values():
        for kind in kinds:
            shares[kind] += 1 / len(kinds)
    shares[-1] = len(part.open)
    total = part.asked or 1
    return tuple(share / total for share in shares)


def _changes(
    q: Questionnaire, review: dict[str, Any], previous: dict[str, Any], number: int, lang: str
) -> tuple[str, ...]:
    """Each answer of this round's area that differs from the earlier round's, in its labels."""
    now, before = answer_values(review), answer_values(previous)
    none = q.text("doc_none", lang)
    lines = []
    for question in q.areas[number].questions:
        value, earlier = now.get(question.id), before.get(question.id)
        if value is None or value == earlier or not question.is_asked(now):
            continue  # not (yet) answered this round: nothing has changed
        if question.kind == "text":
            lines.append(q.text("doc_change_text", lang, question=question.short(lang)))
            continue
        was = answer_text(question, earlier, lang) if earlier is not None else none
        lines.append(
            q.text(
                "doc_change_line",
                lang,
                question=question.short(lang),
                before=was or none,
                after=answer_text(question, value, lang) or none,
            )
        )
    return tuple(lines)


def _answered(part: AreaSummary) -> bool:
    return part.asked > len(part.open)


def letter_intro(
    q: Questionnaire, lang: str, municipality: str | None, organisation: str | None
) -> str:
    """Who intends to do what the letter says: the organisation that wrote it, where known."""
    if organisation and municipality:
        return q.text(
            "doc_letter_intro_by_in", lang, organisation=organisation, municipality=municipality
        )
    if organisation:
        return q.text("doc_letter_intro_by", lang, organisation=organisation)
    return q.text("doc_letter_intro", lang)


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
    before = summarize(q, previous, lang) if previous else None
    this_round = review.get("round", 1)
    last_round = previous.get("round", 1) if previous else None
    areas = []
    for index, (area, part) in enumerate(zip(q.areas, summary.areas, strict=True)):
        shown = []
        for question in area.questions:
            if not question.is_asked(answers):
                continue
            value = answers.get(question.id)
            words = answer_text(question, value, lang) if value is not None else ""
            typed = review["follow_ups"].get(question.id, {}).get("text")
            follow_up = q.text("quote", lang, text=typed) if typed and value is not None else ""
            shown.append((question.short(lang), words or q.text("doc_none", lang), follow_up))
        change: str | None = None
        changes: tuple[str, ...] = ()
        bars = [(q.text("doc_round_bar", lang, round=this_round), _parts(part))]
        if previous is not None and before is not None:
            earlier = before.areas[index]
            bars.insert(0, (q.text("doc_round_bar", lang, round=last_round), _parts(earlier)))
            if _answered(part) and _answered(earlier):
                changes = _changes(q, review, previous, index, lang)
                key = "doc_change_since" if changes else "doc_change_none"
                change = q.text(key, lang, round=last_round)
        areas.append(
            AreaReport(
                number=area.number,
                title=area.title(lang),
                answers=tuple(shown),
                strengths=tuple(_quoted(q, f, lang) for f in part.strengths),
                weaknesses=tuple(_quoted(q, f, lang) for f in part.weaknesses),
                shares=(
                    len(part.strengths),
                    len(part.weaknesses),
                    len(part.to_find_out) + len(part.noted) + len(part.own_words),
                    len(part.open),
                ),
                change=change,
                to_find_out=tuple(_quoted(q, f, lang) for f in part.to_find_out),
                noted=tuple(_quoted(q, f, lang) for f in part.noted),
                changes=changes,
                bars=tuple(bars),
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
        (q.text("doc_round", lang), str(this_round)),
    )
    keys = (
        "doc_chart", "doc_chart_note", *SEGMENTS, "doc_answers",
        "summary_strengths", "summary_weaknesses", "summary_find_out", "summary_noted", "summary_letter",
        "doc_commitment", "doc_responsible", "doc_due", "doc_signatures", "doc_signature_line", "summary_letter_empty",
        "doc_decision", "doc_decision_body", "doc_decision_date", "doc_case_number",
        "doc_annex", "doc_annex_intro", "doc_interim_mark", "doc_creator", "doc_how_it_went",
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
        organisation=organisation,
        letter_intro=letter_intro(q, lang, municipality, organisation),
        earlier=_earlier_commitments(q, previous, lang),
        earlier_title=q.text("doc_earlier_letter", lang, round=last_round) if previous else "",
        page=q.text("doc_page", lang),
    )


def _slug(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name.casefold())
    kept = "".join(c if c.isascii() and c.isalnum() else " " for c in plain if c.isascii())
    return "-".join(kept.split())


def file_name(
    municipality: str | None, today: date, extension: str, organisation: str | None = None
) -> str:
    """sjalvskattning-uppsala-socialtjansten-2026-11-24.pdf: plain letters, safe everywhere, and
    apart for each official of a municipality."""
    slugs = [_slug(municipality or "") or "kommun"]
    if organisation and _slug(organisation):
        slugs.append(_slug(organisation))
    return f"sjalvskattning-{'-'.join(slugs)}-{today.isoformat()}.{extension}"


def _earlier_commitments(
    q: Questionnaire, previous: dict[str, Any] | None, lang: str
) -> tuple[tuple[str, str, str, str], ...]:
    """The commitments of the round before, with how each went (not followed up, if not)."""
    if previous is None:
        return ()
    found = []
    for item in letter.adopted(previous):
        status = (item.get("follow_up") or {}).get("status")
        went = q.text(f"follow_up_{status}" if status else "follow_up_none", lang)
        comment = (item.get("follow_up") or {}).get("comment")
        if comment:
            went += " – " + q.text("quote", lang, text=comment)
        text = letter.commitment_text(q, item, lang)
        found.append((text, item["role"], format_date(item["due"], lang), went))
    return tuple(found)


def area_bars(
    q: Questionnaire, review: dict[str, Any], lang: str
) -> tuple[tuple[str, tuple[float, ...]], ...]:
    """Per area, "1. Överblick" and its questions' shares per SEGMENTS: the bars of one round,
    as the report's chart has them, for the summary's picture."""
    summary = summarize(q, review, lang)
    return tuple(
        (f"{part.area.number}. {part.area.title(lang)}", _parts(part)) for part in summary.areas
    )
