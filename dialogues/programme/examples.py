"""Learning examples between municipalities ("inhämta lärande exempel", "föra ut kunskap"): a
municipality that answers strong on a question may agree to be named as an example, with the
follow-up words ("Berätta kort …") of its respondents that it chooses, and an official whose
answer is weak or unknown on that question is pointed to it.

Consent is per municipality, given by its contact (the joint letter's) or a coordinator, off by
default, and covers only the municipality's name and the chosen texts, never a person. It can
be withdrawn at any time; a coordinator can remove one example. Stored in the programme file
(storage/programme.py, table "examples"), every change one read-change-write.

An example is shown only while it still stands: consent on, not removed, the municipality's
answer to the question still strong and the respondent's words unchanged. The municipality's
answer is its consolidated answer, by the one rule the county and country comparison uses
(counting.agreed): the reading most of its respondents who have *finished* the current round
give, a tie reading "to find out". Only finished reviews count, here as in the comparison: a
municipality whose respondents are still answering has no answer to learn from yet, and the
words offered are those of finished respondents who answered strong. So a changed answer, a new
round or a respondent who erases their data takes it out without anyone doing anything."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dialogues.collation import swedish_key
from dialogues.programme.counting import consolidate, readings
from dialogues.programme.overview import member_reviews
from dialogues.programme.programme import Programme, ProgrammeError
from dialogues.review.content import Question, Questionnaire

PER_QUESTION = 3  # municipalities pointed to for one question
MAX_QUESTIONS = 5  # questions with examples in one summary: a phone's screen or two
MAX_SHOWN = 300  # characters of one example's words in a message or a document


@dataclass(frozen=True)
class Candidate:
    """A follow-up text the municipality may offer: its question, the words, who wrote them
    (kept to know when the words change or go, never shown)."""

    key: str
    question: Question
    text: str
    source: str


@dataclass(frozen=True)
class Sharing:
    """A municipality's consent as its contact sees it."""

    code: str
    shared: bool
    candidates: tuple[Candidate, ...]  # what it may offer now (a coordinator's removals left out)
    chosen: frozenset[str]  # ticked
    standing: frozenset[str]  # shared and still standing


@dataclass(frozen=True)
class Example:
    code: str
    name: str
    key: str
    text: str


Found = list[tuple[Question, list[Example]]]


def _key(question_id: str, text: str) -> str:
    digest = hashlib.blake2s(text.encode(), digest_size=4).hexdigest()
    return f"{question_id}.{digest}"


def _has_follow_up(question: Question) -> bool:
    return question.follow_up is not None or any(o.follow_up for o in question.options)


def candidates(programme: Programme, code: str) -> list[Candidate]:
    """The follow-up words of the municipality's finished members who answered strong, where
    the municipality's consolidated answer reads strong."""
    q = programme.engine.questionnaire
    asked = {question.id for question in q.questions if _has_follow_up(question)}
    finished = [pair for pair in member_reviews(programme, code) if pair[1].get("finished")]
    each = [(respondent, review, readings(q, review, asked)) for respondent, review in finished]
    agreed = consolidate(found for _, _, found in each)
    found, seen = [], set()
    for question in q.questions:
        if agreed.get(question.id) != "strengths":
            continue
        for respondent, review, read in each:
            said = (review["follow_ups"].get(question.id) or {}).get("text")
            if read.get(question.id) != "strengths" or not (said and said.strip()):
                continue
            key = _key(question.id, said.strip())
            if key not in seen:
                seen.add(key)
                found.append(Candidate(key, question, said.strip(), respondent["id"]))
    return found


def _empty(code: str) -> dict[str, Any]:
    return {"code": code, "shared": False, "items": [], "chosen": [], "by": None, "at": None}


def _removed(row: dict[str, Any]) -> set[str]:
    return {item["key"] for item in row.get("items", []) if item.get("removed")}


def may_share(programme: Programme, code: str, respondent_id: str, user_id: int) -> bool:
    """Its joint letter's contact of this round, or a coordinator."""
    if programme.is_coordinator(user_id):
        return True
    letter = programme.store.letter(code, programme.round_of(code)) or {}
    return letter.get("contact") == respondent_id


def sharing(programme: Programme, code: str) -> Sharing:
    row = programme.store.example(code) or _empty(code)
    removed = _removed(row)
    offered = [c for c in candidates(programme, code) if c.key not in removed]
    keys = {c.key for c in offered}
    standing = {i["key"] for i in row["items"] if not i.get("removed") and i["key"] in keys}
    chosen = frozenset(key for key in row.get("chosen", []) if key in keys)
    return Sharing(code, bool(row["shared"]), tuple(offered), chosen, frozenset(standing))


def _change(programme: Programme, code: str, change: Callable[[dict[str, Any]], None]) -> None:
    with programme.store.open() as file:
        row = file.example(code) or _empty(code)
        change(row)
        file.save_example(row)


def toggle(programme: Programme, code: str, key: str) -> None:
    """Tick or untick one text; nothing is shared until confirmed."""
    if key not in {c.key for c in sharing(programme, code).candidates}:
        raise ProgrammeError("err_examples_stale")

    def change(row: dict[str, Any]) -> None:
        chosen = list(row.get("chosen", []))
        row["chosen"] = [k for k in chosen if k != key] if key in chosen else [*chosen, key]

    _change(programme, code, change)


def confirm(programme: Programme, code: str, by: str) -> int:
    """Agree to be named with the ticked texts (replacing what was shared before)."""
    current = sharing(programme, code)
    chosen = [c for c in current.candidates if c.key in current.chosen]
    if not chosen:
        raise ProgrammeError("err_examples_none_chosen")
    at = programme.clock().isoformat(timespec="seconds")

    def change(row: dict[str, Any]) -> None:
        kept = [item for item in row["items"] if item.get("removed")]
        shared = [
            {"key": c.key, "question": c.question.id, "text": c.text, "source": c.source, "at": at}
            for c in chosen
        ]
        row.update(shared=True, items=kept + shared, by=by, at=at)

    _change(programme, code, change)
    return len(chosen)


def withdraw(programme: Programme, code: str, by: str) -> None:
    """No longer named anywhere: consent off, every shared text gone (a coordinator's removals
    are kept, so that what was taken out stays out)."""
    at = programme.clock().isoformat(timespec="seconds")

    def change(row: dict[str, Any]) -> None:
        kept = [item for item in row["items"] if item.get("removed")]
        row.update(shared=False, items=kept, chosen=[], by=by, at=at)

    _change(programme, code, change)


def remove(programme: Programme, code: str, key: str, by: int) -> None:
    """A coordinator takes one example out, for good."""
    at = programme.clock().isoformat(timespec="seconds")

    def change(row: dict[str, Any]) -> None:
        item = next((i for i in row["items"] if i["key"] == key and not i.get("removed")), None)
        if item is None:
            raise ProgrammeError("err_examples_stale")
        item.update(removed={"by": by, "at": at}, text="", source=None)
        row["chosen"] = [k for k in row.get("chosen", []) if k != key]

    _change(programme, code, change)


def _items(row: dict[str, Any], questions: set[str]) -> list[dict[str, Any]]:
    """A municipality's shared texts on these questions (none without its consent)."""
    if not row.get("shared"):
        return []
    return [
        item
        for item in row.get("items", [])
        if not item.get("removed") and item["question"] in questions
    ]


def _in_order(q: Questionnaire, by_question: dict[str, list[Example]]) -> Found:
    return [
        (question, by_question[question.id])
        for question in q.questions
        if by_question.get(question.id)
    ]


def _standing(
    programme: Programme, rows: list[dict[str, Any]], questions: set[str], most: int | None = None
) -> Found:
    """The shared examples on these questions that still stand, per question in the
    questionnaire's order, the rows' municipalities in their order. With `most`, at most that
    many municipalities a question, and a municipality's reviews are read only while a
    question it shares on still wants one."""
    by_question: dict[str, list[Example]] = {}
    for row in rows:
        wanted = [
            item
            for item in _items(row, questions)
            if most is None or len(by_question.get(item["question"], [])) < most
        ]
        if not wanted:
            continue
        code = row["code"]
        name = programme.municipalities.by_code[code].name
        now = {c.key for c in candidates(programme, code)}
        for item in wanted:
            shown = by_question.setdefault(item["question"], [])
            once = most is None or all(e.code != code for e in shown)
            if item["key"] in now and once and (most is None or len(shown) < most):
                shown.append(Example(code, name, item["key"], item["text"]))
    return _in_order(programme.engine.questionnaire, by_question)


def weak_questions(programme: Programme, respondent_id: str) -> set[str]:
    """The questions the respondent's review answers weak or "Vet inte"."""
    review = programme.respondents.active_review(respondent_id)
    if review is None:
        return set()
    found = readings(programme.engine.questionnaire, review)
    return {question_id for question_id, read in found.items() if read != "strengths"}


def for_respondent(programme: Programme, respondent_id: str) -> Found:
    """Where the respondent's answer is weak or unknown: up to PER_QUESTION other
    municipalities that agreed to be named, their county's first, one text each."""
    shared = [row for row in programme.store.examples() if row.get("shared")]
    weak = weak_questions(programme, respondent_id) if shared else set()
    if not weak:
        return []
    own = (programme.respondents.respondent(respondent_id) or {}).get("municipality")
    county = own[:2] if own else None
    names = programme.municipalities.by_code
    rows = sorted(
        (row for row in shared if row["code"] != own and _items(row, weak)),
        key=lambda row: (row["code"][:2] != county, swedish_key(names[row["code"]].name)),
    )
    return _standing(programme, rows, weak, PER_QUESTION)[:MAX_QUESTIONS]


def _matches(words: list[str], haystack: str) -> bool:
    """Every word found, by its stem (so "vräkningar" finds "vräkningsförebyggande")."""
    folded = haystack.casefold()
    for word in words:
        word = word.casefold()
        stem = word[: max(4, len(word) - 2)]
        if stem not in folded:
            return False
    return True


def listing(programme: Programme, words: list[str], lang: str) -> Found:
    """Every standing example, per question; with words, only questions whose text, short
    title or area (in `lang`) holds them."""
    q = programme.engine.questionnaire
    chosen = set()
    for area in q.areas:
        for question in area.questions:
            haystack = " ".join((question.short(lang), question.text(lang), area.title(lang)))
            if not words or _matches(words, haystack):
                chosen.add(question.id)
    names = programme.municipalities.by_code
    rows = sorted(programme.store.examples(), key=lambda row: swedish_key(names[row["code"]].name))
    return _standing(programme, rows, chosen)


def shown(text: str) -> str:
    """An example's words as a message or a document shows them: at most MAX_SHOWN characters."""
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


def summary_text(q: Questionnaire, found: Found, lang: str) -> str:
    """The examples for an official, to follow their summary ("" when there are none)."""
    if not found:
        return ""
    parts = [q.text("examples_title", lang), q.text("examples_intro", lang)]
    for question, examples in found:
        lines = [f"• {question.short(lang)}"]
        lines += [f"   {e.name}: {q.text('quote', lang, text=shown(e.text))}" for e in examples]
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


@dataclass(frozen=True)
class Block:
    """The examples as a document lays them out."""

    title: str
    intro: str
    questions: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]  # question, (name, quoted)


def block(q: Questionnaire, found: Found, lang: str) -> Block | None:
    if not found:
        return None
    questions = tuple(
        (
            question.short(lang),
            tuple((e.name, q.text("quote", lang, text=shown(e.text))) for e in examples),
        )
        for question, examples in found
    )
    return Block(q.text("examples_title", lang), q.text("examples_intro", lang), questions)
