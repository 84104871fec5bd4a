"""The coordinators' tables as an Excel workbook and as CSV for Swedish Excel.

Every cell an official typed (an answer, a role, a commitment, a comment) is text and stays
text: anyone with an invitation link can type `=HYPERLINK(…)`, and the coordinator who opens
the file must never run it (OWASP: CSV injection)."""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from dialogues.programme.tables import Table

# What a spreadsheet takes as the start of a formula (OWASP's list). Numbers the tables hold
# as numbers (a round, a count) are numbers; a text is quoted even when it reads "-5": it was
# typed as text, and the quote keeps it exactly as typed.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def render_xlsx(tables: list[Table]) -> bytes:
    """One sheet per table, bold header row frozen, columns wide enough to read."""
    book = Workbook()
    book.remove(book.active)
    for table in tables:
        sheet = book.create_sheet(table.name[:31])
        sheet.append(table.header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append(row)
        for cells in sheet.iter_rows():
            for cell in cells:
                if isinstance(cell.value, str):
                    _as_text(cell)
        sheet.freeze_panes = "A2"
        for index, title in enumerate(table.header, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = min(
                max(12, len(str(title)) * 0.9), 45
            )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _as_text(cell: Any) -> None:
    """openpyxl makes a formula of any text starting with "=": keep it text. The quote prefix
    (Excel's leading apostrophe) keeps a formula-like text text when someone edits the cell."""
    cell.data_type = TYPE_STRING
    if _looks_like_formula(cell.value):
        cell.quotePrefix = True


def _looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_START)


def render_csv(table: Table) -> bytes:
    """UTF-8 with a byte-order mark and ';' between fields: what Swedish Excel opens right."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([csv_field(value) for value in table.header])
    writer.writerows([csv_field(value) for value in row] for row in table.rows)
    return out.getvalue().encode("utf-8-sig")


def csv_field(value: Any) -> Any:
    """A text a spreadsheet would take for a formula, with a single quote before it (OWASP's
    advice); numbers as they are."""
    if isinstance(value, str) and _looks_like_formula(value):
        return f"'{value}"
    return value
