"""Following up a municipality's agreed letter: at each kept commitment's date its contact is
asked how it went; the next round starts from it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from dialogues.programme.joint_letter import MAX_WORDING
from dialogues.programme.labels import FOLLOW_UP_STATUSES, follow_up_label, follow_up_status
from dialogues.programme.programme import Programme, ProgrammeError
from dialogues.review.inputs import clean_text
from dialogues.review.summary import format_date


@dataclass(frozen=True)
class JointFollowUp:
    """A kept commitment of an agreed letter whose date has come: to ask its contact about."""

    code: str
    round: int
    index: int  # its place among the letter's items
    wording: str
    due: str
    contact: str


def due_follow_ups(programme: Programme, today: date) -> list[JointFollowUp]:
    """Kept commitments of agreed letters whose date has come, each asked about once (claimed)."""
    candidates: dict[str, JointFollowUp] = {}
    with programme.store.open() as file:
        for row in file.letters():
            if row.get("status") != "agreed" or not row.get("contact"):
                continue
            for index, item in enumerate(row["items"]):
                due = item.get("due")
                if item["kept"] and due and date.fromisoformat(due) <= today:
                    key = f"joint-follow-up:{row['code']}:{row['round']}:{item['key']}"
                    candidates[key] = JointFollowUp(
                        row["code"], row["round"], index, item["wording"], due, row["contact"]
                    )
        claimed = file.claim(candidates)
    return [candidates[key] for key in claimed]


def record_follow_up(
    programme: Programme, contact: str, code: str, round_number: int, index: int, status: str
) -> str:
    """How a commitment of the letter went; its key (for the comment that may follow)."""
    if status not in FOLLOW_UP_STATUSES:
        raise ProgrammeError("err_stale")
    at = programme.clock().isoformat(timespec="seconds")
    with programme.store.open() as file:
        row = file.letter(code, round_number)
        if row is None or row.get("contact") != contact or index >= len(row["items"]):
            raise ProgrammeError("err_stale")
        row["items"][index]["follow_up"] = {"status": status, "at": at, "comment": None}
        file.save_letter(row)
    return str(row["items"][index]["key"])


def record_comment(programme: Programme, code: str, key: str, round_number: int, text: str) -> None:
    comment = clean_text(text, MAX_WORDING)
    with programme.store.open() as file:
        row = file.letter(code, round_number)
        found = next((i for i in (row or {}).get("items", []) if i["key"] == key), None)
        if row is None or found is None or not found.get("follow_up"):
            raise ProgrammeError("err_stale")
        found["follow_up"]["comment"] = comment
        file.save_letter(row)


def previous_agreed(programme: Programme, code: str) -> dict[str, Any] | None:
    """The letter agreed in the round before this one, with its follow-ups (a new round starts
    from it)."""
    round_number = programme.round_of(code)
    if round_number < 2:
        return None
    row = programme.store.letter(code, round_number - 1)
    return row if row is not None and row.get("status") == "agreed" else None


def letter_lines(programme: Programme, code: str, lang: str) -> list[str]:
    """The municipality's letter for a summary: this round's (agreed, or a draft with kept
    lines), then the one agreed in the round before with how each commitment went."""
    q = programme.engine.questionnaire
    round_number = programme.round_of(code)
    parts = []
    for row, key in (
        (programme.store.letter(code, round_number), "jl_summary_current"),
        (previous_agreed(programme, code), "jl_summary_previous"),
    ):
        kept = [item for item in (row or {}).get("items", []) if item["kept"]]
        if row is None or not kept:
            continue
        decision = row.get("decision")
        if row.get("status") == "agreed" and decision:
            state = q.text(
                "jl_status_agreed",
                lang,
                body=decision["body"],
                date=format_date(decision["date"], lang),
                case=decision["case"],
            )
        else:
            state = q.text("jl_status_draft", lang)
        lines = [q.text(key, lang, round=row["round"]), state]
        for item in kept:
            status = follow_up_label(q, follow_up_status(item), lang)
            due = format_date(item["due"], lang) if item.get("due") else "–"
            line = q.text(
                "jl_summary_item",
                lang,
                text=item["wording"],
                role=item.get("role") or "–",
                due=due,
                status=status,
            )
            comment = (item.get("follow_up") or {}).get("comment")
            lines.append(
                f"• {line}" + (f" ({q.text('quote', lang, text=comment)})" if comment else "")
            )
        parts.append("\n".join(lines))
    return parts


def earlier_rows(
    programme: Programme, code: str, lang: str
) -> tuple[int, tuple[tuple[str, str, str, str], ...]] | None:
    """The round before's agreed letter for a report: its round, and per kept commitment its
    wording, role, date and how it went (none when that round agreed no letter)."""
    q = programme.engine.questionnaire
    row = previous_agreed(programme, code)
    if row is None:
        return None
    rows = []
    for item in row["items"]:
        if not item["kept"]:
            continue
        went = follow_up_label(q, follow_up_status(item), lang)
        comment = (item.get("follow_up") or {}).get("comment")
        if comment:
            went += " – " + q.text("quote", lang, text=comment)
        due = format_date(item["due"], lang) if item.get("due") else "–"
        rows.append((item["wording"], item.get("role") or "–", due, went))
    return int(row["round"]), tuple(rows)
