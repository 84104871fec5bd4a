"""The coordinators' tables as an Excel workbook and as CSV for Swedish Excel.

A number is a number cell and a date a date cell, so that a coordinator can sort, filter and
count them; a code such as 0380 is a text cell and keeps its zero. Every cell an official typed
(an answer, a role, a commitment, a comment) is text and stays text: anyone with an invitation
link can type `=HYPERLINK(…)`, and the coordinator who opens the file must never run it
(OWASP: CSV injection)."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from dialogues.programme.tables import Table

# What a spreadsheet takes as the start of a formula (OWASP's list). Numbers the tables hold
# as numbers (a round, a count) are numbers; a text is quoted even when it reads "-5": it was
# typed as text, and the quote keeps it exactly as typed.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

DATE_FORMAT = "yyyy-mm-dd"  # ISO dates: how Swedes write them, and unambiguous everywhere
FORMATS = {
    "share": "0%",  # a fraction, shown "45 %" in Swedish Excel
    "change": "+0.0;-0.0;0.0",  # percentage points, with their sign
}
COUNT_FORMAT = "#,##0"  # thousands grouped as the reader's Excel groups them ("1 200" in Swedish)
NARROWEST, WIDEST = 8, 50  # column widths in characters
HEADER_WIDEST = 30  # a long header wraps rather than widening its column of text ...
HEADER_OVER_NUMBERS = 14  # ... or, narrower still, its column of numbers or dates
HEADER_LINES = 6  # the header row grows to show this many lines of a wrapped title
LINE_HEIGHT = 15  # points, for the default 11-point font


def render_xlsx(tables: list[Table]) -> bytes:
    """One sheet per table: typed cells, a bold wrapped header row with a filter, the header and
    the identifying columns frozen, columns as wide as their contents (capped; long text wraps)."""
    book = Workbook()
    book.remove(book.active)
    wrap = Alignment(wrap_text=True, vertical="top")
    for table in tables:
        sheet = book.create_sheet(table.name[:31])
        sheet.append(table.header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = wrap
        for row in table.rows:
            sheet.append([None if value == "" else value for value in row])  # blank, not ""
        kinds = table.kinds or [""] * len(table.header)
        for cells in sheet.iter_rows(min_row=2):
            for cell, kind in zip(cells, kinds, strict=False):
                _typed(cell, kind, wrap)
        _fit_columns(sheet, table)
        sheet.freeze_panes = sheet.cell(row=2, column=table.keys + 1).coordinate
        sheet.auto_filter.ref = sheet.dimensions
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _typed(cell: Any, kind: str, wrap: Alignment) -> None:
    """The cell's format from its value: a date, a number, or a text that stays text."""
    value = cell.value
    if isinstance(value, str):
        _as_text(cell)
        if len(value) > WIDEST or "\n" in value:
            cell.alignment = wrap
    elif isinstance(value, date):
        cell.number_format = DATE_FORMAT
    elif isinstance(value, int | float) and not isinstance(value, bool):
        cell.number_format = FORMATS.get(kind, COUNT_FORMAT)


def _fit_columns(sheet: Worksheet, table: Table) -> None:
    """Each column as wide as its longest value, between NARROWEST and WIDEST characters; a
    long title wraps, and the header row is as tall as its longest wrapped title."""
    lines = 1
    for index, title in enumerate(table.header, start=1):
        values = [row[index - 1] for row in table.rows if index <= len(row)]
        values = [value for value in values if value not in (None, "")]
        numeric = all(not isinstance(value, str) for value in values)
        longest = min(len(title), HEADER_OVER_NUMBERS if numeric else HEADER_WIDEST)
        for value in values:
            longest = max(longest, 10 if isinstance(value, date) else len(str(value)))
        width = max(NARROWEST, min(longest + 2, WIDEST))
        sheet.column_dimensions[get_column_letter(index)].width = width
        lines = max(lines, -(-len(title) // (width - 2)))
    sheet.row_dimensions[1].height = min(lines, HEADER_LINES) * LINE_HEIGHT


def _as_text(cell: Any) -> None:
    """openpyxl makes a formula of any text starting with "=": keep it text. The quote prefix
    (Excel's leading apostrophe) keeps a formula-like text text when someone edits the cell."""
    cell.data_type = TYPE_STRING
    if _looks_like_formula(cell.value):
        cell.quotePrefix = True


def _looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_START)


def render_csv(table: Table) -> bytes:
    """UTF-8 with a byte-order mark and ';' between fields: what Swedish Excel opens right.
    Texts are in double quotes and numbers are not, so that a reader that takes quoted fields
    as text (LibreOffice Calc's "Format quoted field as text") keeps 0380 as 0380. Excel opened
    by double-click ignores the quotes; the "Om data" sheet says how to keep the zero there."""
    lines = [";".join(csv_field(value) for value in table.header)]
    lines += [";".join(csv_field(value) for value in row) for row in table.rows]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")


def csv_field(value: Any) -> str:
    """One field: a number or a date as it is (yyyy-mm-dd), a text quoted, with a single quote
    before a text a spreadsheet would take for a formula (OWASP's advice)."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if _looks_like_formula(text):
        text = f"'{text}"
    return '"' + text.replace('"', '""') + '"'
