"""The pieces every coordinator's table is built from: the table itself, its columns with what
each holds, and the reviews of each round with whose they are."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from dialogues.collation import swedish_key
from dialogues.programme.labels import organisation_label
from dialogues.programme.municipalities import Municipality
from dialogues.programme.programme import Programme
from dialogues.review.content import Questionnaire
from dialogues.review.stored import ReviewData


@dataclass(frozen=True)
class Table:
    name: str
    header: list[str]
    rows: list[list[Any]]
    about: list[str] = field(default_factory=list)  # per column: what it holds ("Om data")
    kinds: list[str] = field(default_factory=list)  # per column: "share", "change" or "" (by value)
    keys: int = 0  # the first columns that say whose a row is, kept in view when scrolling


@dataclass(frozen=True)
class Entry:
    """One review that belongs to a round, with whose it is."""

    municipality: Municipality
    respondent: dict[str, Any]
    review: ReviewData
    round: int
    label: str = ""  # how the tables name them: their organisation and a number, never an id


def _reviews(programme: Programme, respondent_id: str) -> list[ReviewData]:
    """A respondent's reviews that belong to a round: the active one and earlier rounds
    (not those put aside by starting over or changing municipality)."""
    return [
        r for r in programme.respondents.reviews(respondent_id)
        if r["status"] == "active" or "round" in r
    ]  # fmt: skip


def entries(programme: Programme, codes: Iterable[str]) -> list[Entry]:
    """Every member's reviews of every round, municipalities by name."""
    found = []
    by_code = programme.municipalities.by_code
    q = programme.engine.questionnaire
    for code in sorted(codes, key=lambda c: swedish_key(by_code[c].name)):
        current = programme.round_of(code)
        seen: dict[str, int] = {}
        for respondent in programme.members(code):  # in the order they joined: a stable name
            organisation = respondent.get("organisation") or "other"
            seen[organisation] = seen.get(organisation, 0) + 1
            label = f"{organisation_label(q, organisation, 'sv')} {seen[organisation]}"
            for review in _reviews(programme, respondent["id"]):
                number = review.get("round", current if review["status"] == "active" else 1)
                found.append(Entry(by_code[code], respondent, review, number, label))
    return found


def status_key(review: ReviewData) -> str:
    """finished, in progress, or not started: someone who joined but answered nothing."""
    if review.get("finished"):
        return "status_done"
    return "status_ongoing" if review["answers"] else "status_not_started"


class Columns:
    """A table's columns with what each holds, built one by one."""

    def __init__(self) -> None:
        self.header: list[str] = []
        self.about: list[str] = []
        self.kinds: list[str] = []

    def add(self, title: str, about: str, kind: str = "") -> None:
        self.header.append(title)
        self.about.append(about)
        self.kinds.append(kind)

    def table(self, name: str, rows: list[list[Any]], keys: int) -> Table:
        return Table(name, self.header, rows, self.about, self.kinds, keys)


LEAD = ("municipality", "code", "county", "organisation", "round")


def lead(columns: Columns, text: Callable[..., str], lang: str) -> None:
    for key in LEAD:
        columns.add(text(f"col_{key}", lang), text(f"about_{key}", lang))


def lead_cells(q: Questionnaire, entry: Entry, lang: str) -> list[Any]:
    m = entry.municipality
    shown_org = organisation_label(q, entry.respondent.get("organisation"), lang) or ""
    return [m.name, m.code, m.county.name, shown_org, entry.round]
