"""The letter of intent: one merged commitment per theme that the answers call for, offered in
one list with commitments to keep what is strong and the person's own words; they choose three
to five, and give each a responsible role and a date.

A review keeps its letter as `review["letter"]["items"]`, one item per thing decided, never
removed (a follow-up points at an item by its place; unticking only marks it not adopted):
    {"id": "evictions" | "keep.evictions" | "own.1" | "c.<commitment>" (written before themes),
     "theme": theme id or None, "sources": [commitment ids its wording is drawn from],
     "keep": bool, "text": their own wording or None, "commitment": (before themes) an id,
     "adopted": bool, "role": str or None, "due": "YYYY-MM-DD" or None}
A role and date stay with an item that is unticked, so ticking it again brings them back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from dialogues.review.content import Commitment, Question, Questionnaire, Text, Theme
from dialogues.review.stored import ReviewData, answer_values

MOST = 5  # commitments a letter holds at most (three to five is the aim)
DRAFT_LENGTH = 300  # an answer offered as a commitment is cut to its first sentences
NONE = "none"  # the choice "none of these"
DRAFT = "draft"  # the choice of their own answer about the work ahead, as a commitment


@dataclass(frozen=True)
class Proposal:
    """A commitment the answers call for, and the answer it comes from (an option, or a mix)."""

    commitment: Commitment
    question: Question
    answer: Text  # the option's label, or what the combination of options means


@dataclass(frozen=True)
class Suggestion:
    """One line of the letter's list: a theme's merged commitment, a commitment to keep what is
    strong, or the person's own words (an answer offered as a draft, or one written before)."""

    id: str
    theme: Theme | None = None
    commitments: tuple[Commitment, ...] = ()  # what a theme's wording is drawn from
    because: tuple[Proposal, ...] = ()  # the answers behind it, as they stand now
    keep: bool = False
    text: str | None = None  # their own wording
    suggested: bool = True  # by the answers now (else: in the letter from before)


def proposals(questionnaire: Questionnaire, review: ReviewData) -> list[Proposal]:
    """Commitments that the answers call for, most important first, each once.

    Each is worded for how its answer reads: partial, missing, or not known ("Ta reda på").
    """
    answers = answer_values(review)
    found: dict[str, Proposal] = {}
    for question in questionnaire.questions:
        if not question.is_asked(answers):
            continue
        value = answers.get(question.id)
        sources = [(o.commitment, o.label) for o in question.chosen(value) if o.commitment]
        sources += [(c.commitment, c.label) for c in question.combined(value)]
        for commitment_id, answer in sources:
            if commitment_id not in found:
                commitment = questionnaire.commitments[commitment_id]
                found[commitment_id] = Proposal(commitment, question, answer)
    return sorted(found.values(), key=lambda proposal: proposal.commitment.rank)


def _themes_of(questionnaire: Questionnaire, question: Question) -> set[str]:
    """The themes a question's answers may suggest commitments in."""
    ids = [option.commitment for option in question.options if option.commitment]
    ids += [combination.commitment for combination in question.combinations]
    return {questionnaire.commitments[i].theme for i in ids}


def strong_themes(questionnaire: Questionnaire, review: ReviewData) -> list[Theme]:
    """Themes with an answer that reads as a strength, in order of importance."""
    answers = answer_values(review)
    strong: set[str] = set()
    for question in questionnaire.questions:
        value = answers.get(question.id)
        if question.is_asked(answers) and any(
            option.reading == "strength" for option in question.chosen(value)
        ):
            strong |= _themes_of(questionnaire, question)
    return [theme for theme in questionnaire.themes.values() if theme.id in strong]


def draft(questionnaire: Questionnaire, review: ReviewData) -> str | None:
    """Their own answer about the work ahead, as a commitment: its first sentences."""
    answers = answer_values(review)
    question = next((q for q in questionnaire.questions if q.to_letter), None)
    text = answers.get(question.id) if question else None
    if not isinstance(text, str) or not text.strip():
        return None
    text = " ".join(text.split())
    if len(text) <= DRAFT_LENGTH:
        return text
    cut = text[:DRAFT_LENGTH]
    sentence_end = max(cut.rfind(". "), cut.rfind("! "), cut.rfind("? "))
    if sentence_end > DRAFT_LENGTH // 3:
        return cut[: sentence_end + 1]
    return cut[: cut.rfind(" ")].rstrip(",;:–- ") + " …"


def suggestions(questionnaire: Questionnaire, review: ReviewData) -> list[Suggestion]:
    """What the answers suggest now: the themes to develop, most important first; then to keep
    what is strong where nothing is to develop; then their own answer about the work ahead."""
    by_theme: dict[str, list[Proposal]] = {}
    for proposal in proposals(questionnaire, review):
        by_theme.setdefault(proposal.commitment.theme, []).append(proposal)
    found = [
        Suggestion(
            theme_id,
            questionnaire.themes[theme_id],
            tuple(p.commitment for p in found),
            tuple(found),
        )
        for theme_id, found in by_theme.items()
    ]
    found += [
        Suggestion(f"keep.{theme.id}", theme, keep=True)
        for theme in strong_themes(questionnaire, review)
        if theme.id not in by_theme
    ]
    own = draft(questionnaire, review)
    if own is not None and not any(item["text"] == own for item in items(review)):
        found.append(Suggestion(DRAFT, text=own))
    return found


def _from_item(questionnaire: Questionnaire, item: dict[str, Any]) -> Suggestion:
    """A decided item as a line of the list, worded as it was decided."""
    theme = questionnaire.themes.get(item.get("theme") or "")
    sources = [item["commitment"]] if item.get("commitment") else item.get("sources") or []
    commitments = tuple(questionnaire.commitments[i] for i in sources)
    keep = item.get("keep", False)
    return Suggestion(item["id"], theme, commitments, keep=keep, text=item["text"], suggested=False)


def choices(questionnaire: Questionnaire, review: ReviewData) -> list[Suggestion]:
    """The one list to choose from: what is suggested now, then every commitment of their own,
    then whatever is in the letter although the answers no longer call for it."""
    found = suggestions(questionnaire, review)
    listed = {suggestion.id for suggestion in found}
    for item in items(review):
        own = item.get("theme") is None and not item.get("commitment")
        if item["id"] not in listed and (own or item["adopted"]):
            found.append(_from_item(questionnaire, item))
    return found


def wording(questionnaire: Questionnaire, suggestion: Suggestion, lang: str) -> str:
    """The commitment as the letter says it."""
    if suggestion.text is not None:
        return suggestion.text
    if suggestion.keep and suggestion.theme is not None:
        return suggestion.theme.keep(lang)
    if suggestion.theme is None:  # one commitment, chosen before there were themes
        return " ".join(commitment.text(lang) for commitment in suggestion.commitments)
    phrases = [c.short(lang) for c in suggestion.commitments if c.short is not None]
    sentence = join(phrases, questionnaire.text("and", lang))
    return sentence[:1].upper() + sentence[1:] + "."


def join(phrases: list[str], and_word: str) -> str:
    """ "a, b och c"."""
    if len(phrases) < 2:
        return "".join(phrases)
    return f"{', '.join(phrases[:-1])} {and_word} {phrases[-1]}"


def items(review: ReviewData) -> list[dict[str, Any]]:
    return review.setdefault("letter", {"items": []})["items"]


def item(review: ReviewData, item_id: str) -> dict[str, Any] | None:
    return next((found for found in items(review) if found["id"] == item_id), None)


def changed(suggestion: Suggestion, review: ReviewData) -> bool:
    """A theme decided on before whose answers have changed since (its wording with them)."""
    decided = item(review, suggestion.id)
    if decided is None or suggestion.theme is None or suggestion.keep or not suggestion.because:
        return False
    return decided.get("sources") != [c.id for c in suggestion.commitments]


def ticked(questionnaire: Questionnaire, review: ReviewData) -> list[str]:
    """The ids of the list's lines that are in the letter now."""
    return [
        s.id
        for s in choices(questionnaire, review)
        if (found := item(review, s.id)) is not None and found["adopted"]
    ]


def choose(questionnaire: Questionnaire, review: ReviewData, chosen: list[str]) -> None:
    """Decide on the whole list at once: the chosen lines are in the letter, the others not.
    A theme takes the wording its answers call for now; role and date stay with each item."""
    for suggestion in choices(questionnaire, review):
        picked = suggestion.id in chosen
        decided = item(review, suggestion.id)
        if suggestion.id == DRAFT:
            if picked:
                add_own(review, suggestion.text or "")
            continue
        if decided is None:
            decided = {
                "id": suggestion.id,
                "theme": suggestion.theme.id if suggestion.theme else None,
                "sources": [c.id for c in suggestion.commitments],
                "keep": suggestion.keep,
                "text": suggestion.text,
                "role": None,
                "due": None,
            }
            items(review).append(decided)
        elif suggestion.suggested and suggestion.because:  # worded from the answers now
            decided["sources"] = [c.id for c in suggestion.commitments]
        decided["adopted"] = picked


def add_own(review: ReviewData, text: str) -> None:
    number = 1 + sum(1 for found in items(review) if found["id"].startswith("own."))
    items(review).append(
        {
            "id": f"own.{number}",
            "theme": None,
            "sources": [],
            "keep": False,
            "text": text,
            "adopted": True,
            "role": None,
            "due": None,
        }
    )


def pending(review: ReviewData) -> dict[str, Any] | None:
    """The first commitment in the letter still waiting for its role or date, if any."""
    return next(
        (
            found
            for found in items(review)
            if found["adopted"] and not (found["role"] and found["due"])
        ),
        None,
    )


def adopted(review: ReviewData) -> list[dict[str, Any]]:
    """The commitments of the letter: adopted, with role and date."""
    return [found for found in items(review) if found["adopted"] and found["role"] and found["due"]]


def in_letter(review: ReviewData) -> int:
    """How many commitments are chosen (with or without their role and date yet)."""
    return sum(1 for found in items(review) if found["adopted"])


def annex(questionnaire: Questionnaire, review: ReviewData) -> list[Suggestion]:
    """Themes the answers call for that are not in the letter: "Övriga utvecklingsområden"."""
    return [
        s
        for s in suggestions(questionnaire, review)
        if s.theme is not None
        and not s.keep
        and not ((found := item(review, s.id)) is not None and found["adopted"])
    ]


def commitment_text(questionnaire: Questionnaire, decided: dict[str, Any], lang: str) -> str:
    return wording(questionnaire, _from_item(questionnaire, decided), lang)


def label(questionnaire: Questionnaire, suggestion: Suggestion, lang: str, limit: int) -> str:
    """A line of the list as a button: the theme's title, or the start of their own words."""
    if suggestion.theme is not None and suggestion.keep:
        return questionnaire.text("letter_keep_label", lang, title=suggestion.theme.title(lang))
    if suggestion.theme is not None:
        return suggestion.theme.title(lang)
    own = questionnaire.text("letter_own_label", lang) + " "
    start = "" if suggestion.commitments else own
    words = re.sub(r"\s+", " ", wording(questionnaire, suggestion, lang))
    room = limit - len(start) - 1
    return start + (words if len(words) <= room else words[: room - 1].rstrip() + "…")
