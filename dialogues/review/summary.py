"""Strengths, things to develop, to find out and to note, and commitments, read from the answers
by the content's own readings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from dialogues.review import letter
from dialogues.review.content import Area, Question, Questionnaire
from dialogues.review.stored import answer_values


@dataclass(frozen=True)
class Finding:
    """One answer as the summary quotes it."""

    question: Question
    answer: str
    follow_up: str | None = None


@dataclass
class AreaSummary:
    area: Area
    strengths: list[Finding] = field(default_factory=list)
    weaknesses: list[Finding] = field(default_factory=list)  # to develop: partial or missing
    to_find_out: list[Finding] = field(default_factory=list)  # "Vet inte"
    noted: list[Finding] = field(default_factory=list)  # facts and neutral answers, to note
    own_words: list[Finding] = field(default_factory=list)  # open questions
    open: list[Question] = field(default_factory=list)  # asked but not (yet) answered
    asked: int = 0


@dataclass(frozen=True)
class AdoptedCommitment:
    """A commitment of the letter of intent as the summary shows it."""

    text: str
    role: str
    due: str


@dataclass(frozen=True)
class OtherArea:
    """A theme the answers call for that is not in the letter ("Övriga utvecklingsområden")."""

    title: str
    text: str


@dataclass
class Summary:
    lang: str
    areas: list[AreaSummary]
    commitments: list[AdoptedCommitment]
    finished: bool
    annex: list[OtherArea] = field(default_factory=list)

    @property
    def asked(self) -> int:
        return sum(area.asked for area in self.areas)

    @property
    def answered(self) -> int:
        return sum(area.asked - len(area.open) for area in self.areas)


def format_number(value: int, lang: str) -> str:
    grouped = f"{value:,}"
    return grouped.replace(",", "\u00a0") if lang == "sv" else grouped


def format_date(iso: str, lang: str) -> str:
    day = date.fromisoformat(iso)
    return day.isoformat() if lang == "sv" else f"{day.day} {day:%B %Y}"


# Where each reading is listed in an area's summary.
GROUPS = {
    "strength": "strengths",
    "partial": "weaknesses",
    "missing": "weaknesses",
    "find_out": "to_find_out",
    "neutral": "noted",
    "own_words": "own_words",
}


def findings_of(
    question: Question, value: Any, follow_up: str | None, lang: str
) -> dict[str, Finding]:
    """The answer to one question, grouped by where the summary lists it (see GROUPS)."""
    if question.kind == "text":
        return {"own_words": Finding(question, str(value))}
    if isinstance(value, int):  # a count is a fact to note, never a strength or a weakness
        return {"noted": Finding(question, format_number(value, lang), follow_up)}
    by_group: dict[str, list[str]] = {}
    for option in question.chosen(value):
        by_group.setdefault(GROUPS[option.reading], []).append(option.label(lang))
    for combination in question.combined(value):
        by_group.setdefault(GROUPS[combination.reading], []).append(combination.label(lang))
    return {
        group: Finding(question, ", ".join(labels), follow_up) for group, labels in by_group.items()
    }


def answer_text(question: Question, value: Any, lang: str) -> str:
    """One answer in words: the options' labels, the number, or the respondent's own words."""
    if isinstance(value, int):
        return format_number(value, lang)
    if question.kind == "text":
        return str(value)
    return ", ".join(option.label(lang) for option in question.chosen(value))


def summarize(questionnaire: Questionnaire, review: dict[str, Any], lang: str) -> Summary:
    answers = answer_values(review)
    areas = []
    for area in questionnaire.areas:
        summary = AreaSummary(area)
        for question in area.questions:
            if not question.is_asked(answers):
                continue
            summary.asked += 1
            value = answers.get(question.id)
            if value is None:
                summary.open.append(question)
                continue
            follow_up = review["follow_ups"].get(question.id, {}).get("text")
            for group, finding in findings_of(question, value, follow_up, lang).items():
                getattr(summary, group).append(finding)
        areas.append(summary)
    commitments = [
        AdoptedCommitment(
            letter.commitment_text(questionnaire, item, lang),
            item["role"],
            format_date(item["due"], lang),
        )
        for item in letter.adopted(review)
    ]
    finished = review.get("finished") is not None
    annex = []  # before the letter is chosen, nothing is left out of it
    if finished or letter.items(review):
        annex = [
            OtherArea(s.theme.title(lang), letter.wording(questionnaire, s, lang))
            for s in letter.annex(questionnaire, review)
            if s.theme is not None
        ]
    return Summary(lang, areas, commitments, finished, annex)


def _quote(questionnaire: Questionnaire, finding: Finding, lang: str) -> str:
    line = f"• {finding.question.short(lang)}: {questionnaire.text('quote', lang, text=finding.answer)}"
    if finding.follow_up:
        line += " – " + questionnaire.text("quote", lang, text=finding.follow_up)
    return line


def render_summary(questionnaire: Questionnaire, summary: Summary) -> str:
    """Plain text, paragraphs separated by blank lines (so a front end can split it there)."""
    lang = summary.lang
    text = questionnaire.text
    parts = [text("summary_title", lang)]
    if not summary.finished:
        parts.append(text("summary_interim", lang, answered=summary.answered, total=summary.asked))
    for area in summary.areas:
        lines = [f"{area.area.number}. {area.area.title(lang)}"]
        for key, findings in (
            ("summary_strengths", area.strengths),
            ("summary_weaknesses", area.weaknesses),
            ("summary_find_out", area.to_find_out),
            ("summary_noted", area.noted),
            ("summary_own_words", area.own_words),
        ):
            if findings:
                lines.append(text(key, lang) + ":")
                lines.extend(_quote(questionnaire, finding, lang) for finding in findings)
        if area.open:
            names = ", ".join(question.short(lang) for question in area.open)
            lines.append(f"{text('summary_open', lang)}: {names}")
        parts.append("\n".join(lines))
    letter_lines = [text("summary_letter", lang)]
    if summary.commitments:
        letter_lines.extend(
            f"{number}. " + text("summary_commitment", lang, text=c.text, role=c.role, due=c.due)
            for number, c in enumerate(summary.commitments, start=1)
        )
    else:
        letter_lines.append(text("summary_letter_empty", lang))
    parts.append("\n".join(letter_lines))
    if summary.annex:
        annex = [text("summary_annex", lang)]
        annex.extend(f"• {other.title}: {other.text}" for other in summary.annex)
        parts.append("\n".join(annex))
    return "\n\n".join(parts)


def render_recap(questionnaire: Questionnaire, area: AreaSummary, lang: str) -> str:
    """A few lines at the end of an area: what reads as strong, what to develop, what is open."""
    text = questionnaire.text
    lines = [text("recap_title", lang, title=area.area.title(lang))]
    for key, questions in (
        ("recap_strengths", [finding.question for finding in area.strengths]),
        ("recap_weaknesses", [finding.question for finding in area.weaknesses]),
        ("recap_find_out", [finding.question for finding in area.to_find_out]),
        ("recap_open", area.open),
    ):
        if questions:
            names = ", ".join(dict.fromkeys(question.short(lang) for question in questions))
            lines.append(text(key, lang, items=names))
    if len(lines) == 1:
        lines.append(text("recap_nothing", lang))
    return "\n".join(lines)
