"""The coordinators' tables as an Excel workbook and as CSV for Swedish Excel."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from dialogues.programme.tables import Table


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
        sheet.freeze_panes = "A2"
        for index, title in enumerate(table.header, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = min(
                max(12, len(str(title)) * 0.9), 45
            )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def render_csv(table: Table) -> bytes:
    """UTF-8 with a byte-order mark and ';' between fields: what Swedish Excel opens right."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(table.header)
    writer.writerows(table.rows)
    return out.getvalue().encode("utf-8-sig")
