"""A municipality's respondents side by side: where they agree and where a conversation is
worth having, per area, and the commitments they adopted with their follow-up."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dialogues.programme.joint_follow_up import letter_lines
from dialogues.programme.labels import follow_up_label, follow_up_status, organisation_label
from dialogues.programme.overview import member_reviews
from dialogues.programme.programme import Programme
from dialogues.review import letter
from dialogues.review.content import Questionnaire
from dialogues.review.stored import answer_values
from dialogues.review.summary import answer_text, findings_of, format_date


@dataclass(frozen=True)
class Comparison:
    """One question as the municipality's respondents answered it."""

    short: str
    answers: tuple[tuple[str, str], ...]  # (organisation, answer as quoted)
    agree: bool | None  # None for open questions, where words are compared by people
    # per respondent who has begun (Consolidated.columns), how their answer reads (the groups of
    # summary.findings_of, several for an answer read several ways); () where not answered
    readings: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Consolidated:
    """A municipality's respondents side by side: per area, then their commitments."""

    respondents: int
    areas: list[tuple[str, list[Comparison]]]
    commitments: list[tuple[str, str, str, str]]  # organisation, text, due, follow-up status
    joint: tuple[str, ...] = ()  # the municipality's own letter, this round's and the last one
    columns: tuple[str, ...] = ()  # the respondents who have begun, by organisation, as joined


def consolidated(programme: Programme, code: str, lang: str) -> Consolidated:
    """Read the members' reviews once, then compare their answers and list their commitments."""
    q = programme.engine.questionnaire
    pairs = member_reviews(programme, code)
    joint = tuple(letter_lines(programme, code, lang))
    begun = [(r, review) for r, review in pairs if review["answers"]]  # joined, not begun: none
    columns = tuple(_organisation(q, respondent, lang) for respondent, _ in begun)
    return Consolidated(
        len(begun), _compare(q, begun, lang), _commitments(q, pairs, lang), joint, columns
    )


Pairs = list[tuple[dict[str, Any], dict[str, Any]]]


def _compare(q: Questionnaire, pairs: Pairs, lang: str) -> list[tuple[str, list[Comparison]]]:
    """Per area, each question answered by anyone, with every respondent's answer side by side."""
    areas = []
    for area in q.areas:
        comparisons = []
        for question in area.questions:
            answers, values = [], []
            readings: list[tuple[str, ...]] = []
            for respondent, review in pairs:
                given = answer_values(review)
                value = given.get(question.id)
                if value is None or not question.is_asked(given):
                    readings.append(())
                    continue
                readings.append(tuple(findings_of(question, value, None, lang)))
                organisation = _organisation(q, respondent, lang)
                quoted = answer_text(question, value, lang)
                answers.append((organisation, quoted))
                values.append(value)
            if answers:
                agree = None if question.kind == "text" else all(v == values[0] for v in values)
                comparisons.append(
                    Comparison(question.short(lang), tuple(answers), agree, tuple(readings))
                )
        areas.append((f"{area.number}. {area.title(lang)}", comparisons))
    return areas


def _commitments(q: Questionnaire, pairs: Pairs, lang: str) -> list[tuple[str, str, str, str]]:
    """Every adopted commitment: (organisation, text, due, follow-up status)."""
    found = []
    for respondent, review in pairs:
        organisation = _organisation(q, respondent, lang)
        for item in letter.adopted(review):
            shown = follow_up_label(q, follow_up_status(item), lang)
            text = letter.commitment_text(q, item, lang)
            found.append((organisation, text, format_date(item["due"], lang), shown))
    return found


def _organisation(q: Questionnaire, respondent: dict[str, Any], lang: str) -> str:
    return organisation_label(q, respondent.get("organisation") or "other", lang) or ""


def consolidated_text(name: str, result: Consolidated, q: Questionnaire, lang: str) -> str:
    """Per area, every answer side by side, marked in agreement or worth a conversation."""
    respondents, areas, commitments = result.respondents, result.areas, result.commitments
    if respondents == 0 or not any(comparisons for _, comparisons in areas):
        return "\n\n".join([q.text("consolidated_none", lang, name=name), *result.joint])
    parts = [q.text("consolidated_title", lang, name=name, count=respondents)]
    for title, comparisons in areas:
        if not comparisons:
            continue
        lines = [title]
        for comparison in comparisons:
            verdict = ""
            if comparison.agree is not None and len(comparison.answers) > 1:
                verdict = " → " + q.text(
                    "consolidated_agree" if comparison.agree else "consolidated_disagree", lang
                )
            lines.append(f"• {comparison.short}{verdict}")
            lines.extend(
                f"   {organisation}: {q.text('quote', lang, text=answer)}"
                for organisation, answer in comparison.answers
            )
        parts.append("\n".join(lines))
    if commitments:
        lines = [q.text("consolidated_commitments", lang)]
        lines.extend(
            "• " + q.text("consolidated_commitment", lang, organisation=o, text=t, due=d, status=s)
            for o, t, d, s in commitments
        )
        parts.append("\n".join(lines))
    parts.extend(result.joint)
    return "\n\n".join(parts)
