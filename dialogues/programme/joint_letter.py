"""The municipality's joint letter of intent: what its members adopted, merged by theme, settled
by one contact (keep, reword or drop each line; one role and date each) and marked agreed with
the decision's body, date and case number (diarienummer).

Stored in the programme file, one per municipality and round:
    {"code", "round", "contact": respondent id or None, "status": "draft" | "agreed",
     "items": [{"key": "theme:<id>" | "own:<respondent>:<item id>", "kept": bool,
                "wording": the line as kept (the contact's words, or the merged ones),
                "role", "due"}],
     "decision": {"body", "date", "case"} or None, "agreed_at", "named_by": coordinator}
Kept items get "follow_up" at their date (joint_follow_up.py); what the contact types next is
awaited in their record (joint_input.py).
A line is settled once it has an item: dropped (kept false), or kept with its wording; a kept
line is ready with its role and date. Lines come from the members' letters as they stand, so a
member's later choice adds a line to settle; a kept line stays, in its words, whatever they do.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dialogues.programme.labels import organisation_label
from dialogues.programme.programme import Programme, ProgrammeError
from dialogues.review import letter
from dialogues.review.dates import parse_due_date, parse_past_day
from dialogues.review.inputs import clean_text
from dialogues.review.summary import format_date

MAX_WORDING = 600
MAX_FIELD = 100  # a role, a decision body, a case number


@dataclass(frozen=True)
class MemberChoice:
    """One member's version of a line: who, and the role and date they gave it."""

    organisation: str
    role: str
    due: str


@dataclass(frozen=True)
class Line:
    """A line to settle: one theme (however many members chose it) or one member's own."""

    key: str
    wording: str  # merged from the members' letters
    members: tuple[MemberChoice, ...]
    theme_rank: int


@dataclass(frozen=True)
class JointLetter:
    code: str
    round: int
    contact: str | None
    status: str  # "none" (nobody has started it), "draft" or "agreed"
    lines: tuple[Line, ...]  # still to settle, most chosen first
    items: tuple[dict[str, Any], ...]  # settled: kept or dropped
    decision: dict[str, Any] | None

    @property
    def kept(self) -> list[dict[str, Any]]:
        return [item for item in self.items if item["kept"]]

    def waiting(self) -> dict[str, Any] | None:
        """The first kept line still without its role or date."""
        return next((i for i in self.kept if not (i.get("role") and i.get("due"))), None)


def _member_lines(programme: Programme, code: str, lang: str) -> list[Line]:
    """The members' adopted commitments of this round, one line per theme and per own one."""
    q = programme.engine.questionnaire
    round_number = programme.round_of(code)
    themes: dict[str, dict[str, Any]] = {}
    own: list[Line] = []
    for respondent in programme.members(code):
        review = programme.respondents.active_review(respondent["id"])
        if review is None or review.get("round", 1) != round_number:
            continue
        who = organisation_label(q, respondent.get("organisation"), lang) or "–"
        for item in letter.adopted(review):
            choice = MemberChoice(who, item["role"], format_date(item["due"], lang))
            theme = item.get("theme")
            if theme in q.themes:
                found = themes.setdefault(theme, {"members": [], "sources": set(), "keep": 0})
                found["members"].append(choice)
                found["sources"].update(item.get("sources") or [])
                continue
            key = f"own:{respondent['id']}:{item['id']}"
            own.append(Line(key, letter.commitment_text(q, item, lang), (choice,), len(q.themes)))
    lines = []
    for theme_id, found in themes.items():
        theme = q.themes[theme_id]
        commitments = sorted((q.commitments[c] for c in found["sources"]), key=lambda c: c.rank)
        suggestion = letter.Suggestion(theme_id, theme, tuple(commitments), keep=not commitments)
        wording = letter.wording(q, suggestion, lang)
        lines.append(Line(f"theme:{theme_id}", wording, tuple(found["members"]), theme.rank))
    lines.sort(key=lambda line: (-len(line.members), line.theme_rank))
    return lines + own


def read(programme: Programme, code: str, lang: str) -> JointLetter:
    """The municipality's letter of this round, with the lines its members' choices still add."""
    round_number = programme.round_of(code)
    row = programme.store.letter(code, round_number) or {}
    settled = {item["key"] for item in row.get("items", [])}
    lines = tuple(line for line in _member_lines(programme, code, lang) if line.key not in settled)
    return JointLetter(
        code,
        round_number,
        row.get("contact"),
        row.get("status", "none"),
        lines if row.get("status") != "agreed" else (),
        tuple(row.get("items", [])),
        row.get("decision"),
    )


def _change(programme: Programme, code: str, contact: str | None, change: Any) -> None:
    """One read-change-write of the letter; only its contact may change it, and not once agreed."""
    round_number = programme.round_of(code)
    with programme.store.open() as file:
        row = file.letter(code, round_number) or {
            "code": code,
            "round": round_number,
            "contact": None,
            "status": "draft",
            "items": [],
            "decision": None,
        }
        if contact is not None and row.get("contact") != contact:
            raise ProgrammeError("err_not_contact")
        if contact is not None and row.get("status") == "agreed":
            raise ProgrammeError("err_letter_agreed")
        change(row)
        file.save_letter(row)


def set_contact(
    programme: Programme, code: str, respondent_id: str, named_by: int | None = None
) -> None:
    """A coordinator names the member who settles the municipality's letter (and is told
    when it is agreed)."""
    if respondent_id not in [member["id"] for member in programme.members(code)]:
        raise ProgrammeError("err_not_member")
    _change(programme, code, None, lambda row: row.update(contact=respondent_id, named_by=named_by))


def named_by(programme: Programme, code: str) -> int | None:
    row = programme.store.letter(code, programme.round_of(code)) or {}
    return row.get("named_by")


def proposed_contact(programme: Programme, code: str) -> str | None:
    """The member to propose as contact: the first who finished their review (else none)."""
    finished = []
    for member in programme.members(code):
        review = programme.respondents.active_review(member["id"])
        if review is not None and review.get("finished"):
            finished.append((review["finished"], member["id"]))
    return min(finished)[1] if finished else None


def settle(
    programme: Programme,
    code: str,
    contact: str,
    key: str,
    lang: str,
    *,
    keep: bool,
    wording: str | None = None,
) -> None:
    """Keep a line (in its merged words, or the contact's) or drop it."""
    line = next((line for line in read(programme, code, lang).lines if line.key == key), None)
    words = clean_text(wording, MAX_WORDING) if wording is not None else None

    def change(row: dict[str, Any]) -> None:
        items = [item for item in row["items"] if item["key"] != key]
        earlier: dict[str, Any] = next((i for i in row["items"] if i["key"] == key), {})
        if line is None and not earlier:
            raise ProgrammeError("err_stale")
        text = words or earlier.get("wording") or (line.wording if line else "")
        role, due = earlier.get("role"), earlier.get("due")
        items.append({"key": key, "kept": keep, "wording": text, "role": role, "due": due})
        row["items"] = sorted(items, key=lambda item: _order(row["items"], item["key"]))

    _change(programme, code, contact, change)


def _order(items: list[dict[str, Any]], key: str) -> int:
    """A line settled again keeps its place."""
    keys = [item["key"] for item in items]
    return keys.index(key) if key in keys else len(keys)


def set_role(programme: Programme, code: str, contact: str, key: str, role: str) -> None:
    role = clean_text(role, MAX_FIELD)
    _change(programme, code, contact, lambda row: _kept(row, key).update(role=role))


def set_due(programme: Programme, code: str, contact: str, key: str, typed: str) -> None:
    due = parse_due_date(typed, programme.clock().date()).isoformat()
    _change(programme, code, contact, lambda row: _kept(row, key).update(due=due))


def _kept(row: dict[str, Any], key: str) -> dict[str, Any]:
    found = next((item for item in row["items"] if item["key"] == key and item["kept"]), None)
    if found is None:
        raise ProgrammeError("err_stale")
    return found


def agree(
    programme: Programme, code: str, contact: str, lang: str, body: str, on: str, case: str
) -> None:
    """Mark the letter agreed: every line settled, every kept one with its role and date."""
    current = read(programme, code, lang)
    if current.lines or not current.kept or current.waiting() is not None:
        raise ProgrammeError("err_letter_unsettled")
    decided = parse_past_day(on, programme.clock().date()).isoformat()
    decision = {
        "body": clean_text(body, MAX_FIELD),
        "date": decided,
        "case": clean_text(case, MAX_FIELD),
    }
    at = programme.clock().isoformat(timespec="seconds")
    _change(
        programme,
        code,
        contact,
        lambda row: row.update(status="agreed", decision=decision, agreed_at=at),
    )


def status(programme: Programme, code: str) -> str:
    """For the overview: "none", "draft", "agreed" or "followed_up"."""
    return status_of(programme.store.letter(code, programme.round_of(code)))


def status_of(row: dict[str, Any] | None) -> str:
    """The state of a stored letter (None: nobody has begun one)."""
    if row is None:
        return "none"
    if row.get("status") == "agreed" and any(i.get("follow_up") for i in row["items"]):
        return "followed_up"
    return str(row.get("status", "draft"))
