"""The coordinators' data as tables: one row per respondent and round, the commitments with
their follow-up, the areas' shares per municipality, county and country, each question's shares
per county and country (comparison.py), and what each column holds. Any file format is laid out from these; a value's type says how it is stored (a number,
a date, a text), so that a spreadsheet can sort and count it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from dialogues.programme.area_shares import areas_table
from dialogues.programme.comparison import COUNTRY, Tally, Unit, finished_among, tally
from dialogues.programme.counting import FEWEST, TITLES, comparable, too_few
from dialogues.programme.labels import follow_up_label, follow_up_status
from dialogues.programme.programme import Programme
from dialogues.programme.rows import (
    LEAD,
    Columns,
    Entry,
    Table,
    entries,
    lead,
    lead_cells,
    status_key,
)
from dialogues.review import letter
from dialogues.review.content import Question, Questionnaire
from dialogues.review.stored import answer_values
from dialogues.review.summary import answer_text

__all__ = ["TABLES", "Table", "programme_tables"]

TABLES = (
    "answers",
    "commitments",
    "areas",
    "questions",
    "about",
)  # in the order of the workbook's sheets


def numbered(q: Questionnaire, lang: str) -> dict[str, str]:
    """Question id → "1.3 Egna kartläggningar": its area's number, its place, its short name."""
    return {
        question.id: f"{area.number}.{place} {question.short(lang)}"
        for area in q.areas
        for place, question in enumerate(area.questions, start=1)
    }


def _follow_up_question(question: Question, lang: str) -> str | None:
    """The follow-up question(s) an answer may lead to ("Berätta kort …"), or None."""
    asked = [question.follow_up] + [option.follow_up for option in question.options]
    texts = dict.fromkeys(text(lang) for text in asked if text is not None)
    return " / ".join(texts) or None


def answers_table(q: Questionnaire, found: list[Entry], lang: str) -> Table:
    """One row per respondent and round: each answer in words, a 0/1 column per option of a
    multiple choice, and what they wrote in a follow-up beside the answer it follows."""
    text = q.text
    columns = Columns()
    lead(columns, text, lang)
    for key in ("respondent", "status", "last"):
        columns.add(text(f"col_{key}", lang), text(f"about_{key}", lang))
    names = numbered(q, lang)
    for question in q.questions:
        columns.add(names[question.id], question.text(lang))
        if question.kind == "multi":
            for option in question.options:
                columns.add(
                    f"{names[question.id]}: {option.label(lang)} [{option.id}]",
                    text("about_option", lang, option=option.label(lang)),
                )
        asked = _follow_up_question(question, lang)
        if asked:
            columns.add(text("col_follow_up_text", lang, question=names[question.id]), asked)
    rows = []
    for entry in found:
        values = answer_values(entry.review)
        cells: list[Any] = []
        for question in q.questions:
            value = values.get(question.id)
            shown = value is not None and question.is_asked(values)
            cells.append(_answer(question, value, lang) if shown else "")
            if question.kind == "multi":
                chosen = {option.id for option in question.chosen(value)} if shown else set()
                cells += [int(o.id in chosen) if shown else "" for o in question.options]
            if _follow_up_question(question, lang):
                told = entry.review["follow_ups"].get(question.id) or {}
                cells.append((told.get("text") or "") if shown else "")
        status = text(status_key(entry.review), lang)
        last = date.fromisoformat(entry.review["updated"][:10])
        rows.append([*lead_cells(q, entry, lang), entry.label, status, last, *cells])
    return columns.table(text("sheet_answers", lang), rows, keys=len(LEAD))


def _answer(question: Question, value: Any, lang: str) -> Any:
    """A count stays a number; anything else in words."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return answer_text(question, value, lang)


def commitments_table(q: Questionnaire, found: list[Entry], lang: str) -> Table:
    """Every adopted commitment with its theme and the commitments its wording is drawn from."""
    text = q.text
    columns = Columns()
    lead(columns, text, lang)
    for key in ("respondent", "item", "theme", "theme_code", "kind", "sources", "commitment"):
        columns.add(text(f"col_{key}", lang), text(f"about_{key}", lang))
    columns.add(text("doc_responsible", lang), text("about_responsible", lang))
    columns.add(text("doc_due", lang), text("about_due", lang))
    for key in ("follow_up", "followed_up", "comment"):
        columns.add(text(f"col_{key}", lang), text(f"about_{key}", lang))
    rows = []
    for entry in found:
        for item in letter.adopted(entry.review):
            theme = q.themes.get(item.get("theme") or "")
            sources = [item["commitment"]] if item.get("commitment") else item.get("sources") or []
            kind = "keep" if item.get("keep") else "develop" if sources else "own"
            follow_up = item.get("follow_up") or {}
            at = follow_up.get("at")
            rows.append([
                *lead_cells(q, entry, lang), entry.label, item.get("id") or "",
                theme.title(lang) if theme else "", theme.id if theme else "",
                text(f"commitment_kind_{kind}", lang), ", ".join(sources),
                letter.commitment_text(q, item, lang), item["role"], date.fromisoformat(item["due"]),
                follow_up_label(q, follow_up_status(item), lang),
                date.fromisoformat(at[:10]) if at else "", follow_up.get("comment") or "",
            ])  # fmt: skip
    return columns.table(text("sheet_commitments", lang), rows, keys=len(LEAD))


def questions_table(programme: Programme, scope: str, everyone: list[Entry], lang: str) -> Table:
    """Per question, the country and each county in the scope: the municipalities behind the
    figure and the share whose consolidated answer reads each way (never a municipality's row).
    `everyone`: the reviews of the whole programme, for the country's figure."""
    q = programme.engine.questionnaire
    text = q.text
    columns = Columns()
    for key in ("level", "name", "unit_code"):
        columns.add(text(f"col_{key}", lang), text(f"about_question_{key}", lang))
    columns.add(text("col_question", lang), text("about_question", lang))
    columns.add(text("col_behind", lang), text("about_question_behind", lang))
    for key in TITLES:
        title = text("col_share", lang, title=text(key, lang))
        columns.add(title, text("about_question_share", lang), "share")
    columns.add(text("col_note", lang), text("about_note", lang))
    tallies = tally(q, finished_among(everyone))
    counties = {c.code: c for c in programme.municipalities.counties}
    units: list[Unit] = [COUNTRY]
    units += [("county", code) for code in sorted({c[:2] for c in programme.scope_codes(scope)})]
    names = numbered(q, lang)
    rows = []
    for unit in units:
        kind, code = unit
        name = counties[code].name if kind == "county" else text("level_country", lang)
        for question in filter(comparable, q.questions):
            found = tallies.get((unit, question.id), Tally())
            note = text("note_too_few", lang, fewest=FEWEST) if too_few(found.behind) else ""
            lead = [text(f"level_{kind}", lang), name, code, names[question.id], found.behind]
            rows.append([*lead, *found.shares(), note])
    return columns.table(text("sheet_questions", lang), rows, keys=4)


def about_table(q: Questionnaire, tables: list[Table], lang: str) -> Table:
    """What each sheet's columns hold, then how to read the files."""
    text = q.text
    rows: list[list[Any]] = [
        [table.name, title, about]
        for table in tables
        for title, about in zip(table.header, table.about, strict=True)
    ]
    rows += [[text("about_notes", lang), "", text(f"about_note_{n}", lang)] for n in NOTES]
    header = [text(f"col_{key}", lang) for key in ("sheet", "column", "about")]
    return Table(text("sheet_about", lang), header, rows, keys=2)


NOTES = ("share", "five", "country", "consolidated", "csv_codes", "formulas", "dates")


def programme_tables(
    programme: Programme, scope: str, lang: str, which: Iterable[str] = TABLES
) -> list[Table]:
    """The tables asked for (see TABLES), in the workbook's order; each reads only what it needs."""
    q = programme.engine.questionnaire
    wanted = set(which)
    in_scope = set(programme.scope_codes(scope))
    needs_all = bool({"areas", "questions", "about"} & wanted)  # the county and country figures
    everyone = entries(programme, programme.scope_codes("all" if needs_all else scope))
    found = [entry for entry in everyone if entry.municipality.code in in_scope]
    tables = []
    if "answers" in wanted or "about" in wanted:
        tables.append(answers_table(q, found, lang))
    if "commitments" in wanted or "about" in wanted:
        tables.append(commitments_table(q, found, lang))
    if "areas" in wanted or "about" in wanted:
        tables.append(areas_table(programme, scope, everyone, lang))
    if "questions" in wanted or "about" in wanted:
        tables.append(questions_table(programme, scope, everyone, lang))
    if "about" in wanted:
        tables.append(about_table(q, tables, lang))
    return tables
