"""The municipality's joint letter as a document to adopt and sign: what any format shows."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

from dialogues.programme import joint_letter
from dialogues.programme.labels import follow_up_label, follow_up_status
from dialogues.programme.programme import Programme, ProgrammeError
from dialogues.review.summary import format_date


@dataclass(frozen=True)
class LetterDocument:
    lang: str
    title: str
    intro: str
    draft: str | None  # the draft mark, on every page; None once agreed
    commitments: tuple[tuple[str, str, str, str], ...]  # wording, role, due, follow-up
    decision: tuple[tuple[str, str], ...]  # (label, value or "" to fill in by hand)
    labels: dict[str, str]
    file_stem: str


def build(programme: Programme, code: str, lang: str, today: date) -> LetterDocument:
    """The letter of the municipality's current round (refused when nobody has begun it)."""
    q = programme.engine.questionnaire
    current = joint_letter.read(programme, code, lang)
    if current.status == "none":
        raise ProgrammeError("err_no_joint_letter")
    municipality = programme.municipalities.by_code[code]
    commitments = tuple(
        (
            item["wording"],
            item.get("role") or "",
            format_date(item["due"], lang) if item.get("due") else "",
            follow_up_label(q, follow_up_status(item), lang) if item.get("follow_up") else "",
        )
        for item in current.kept
    )
    decision = current.decision or {}
    decided_on = format_date(decision["date"], lang) if decision.get("date") else ""
    keys = (
        "jl_doc_commitment", "doc_responsible", "doc_due", "jl_doc_follow_up", "doc_signatures",
        "jl_doc_sign_municipality", "jl_doc_sign_coordinator", "doc_signature_line", "jl_doc_page",
        "jl_doc_decision", "summary_letter_empty",
    )  # fmt: skip
    return LetterDocument(
        lang=lang,
        title=q.text("jl_doc_title", lang, name=municipality.name),
        intro=q.text(
            "jl_doc_intro",
            lang,
            name=municipality.name,
            round=current.round,
            county=municipality.county.name,
            date=format_date(today.isoformat(), lang),
        ),
        draft=None if current.status == "agreed" else q.text("jl_doc_draft", lang),
        commitments=commitments,
        decision=(
            (q.text("jl_doc_body", lang), decision.get("body", "")),
            (q.text("jl_doc_date", lang), decided_on),
            (q.text("jl_doc_case", lang), decision.get("case", "")),
        ),
        labels={key: q.text(key, lang) for key in keys},
        file_stem=f"avsiktsforklaring-{code}-{_plain(municipality.name)}-{today.isoformat()}",
    )


def _plain(name: str) -> str:
    """Plain letters for a file name: "Håbo" is "habo"."""
    plain = unicodedata.normalize("NFKD", name.casefold())
    kept = "".join(c for c in plain if c.isascii() and (c.isalnum() or c in " -"))
    return "-".join(kept.split()) or "kommun"
