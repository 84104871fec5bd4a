"""The municipality's joint letter as a file: PDF to sign, Word to edit."""

from __future__ import annotations

from datetime import date

from dialogues.errors import Refusal
from dialogues.programme.joint_document import build
from dialogues.programme.programme import Programme

LETTER_FORMATS = ("pdf", "docx")


def letter_file(
    programme: Programme, code: str, fmt: str, lang: str, today: date
) -> tuple[str, bytes]:
    """(file name, contents) of the municipality's letter of this round."""
    if fmt not in LETTER_FORMATS:
        raise Refusal("export_unknown_format", formats=", ".join(LETTER_FORMATS))
    document = build(programme, code, lang, today)
    if fmt == "pdf":
        from bot.exports.letter_pdf import render_letter_pdf as render  # loaded when needed
    else:
        from bot.exports.letter_word import render_letter_docx as render
    return f"{document.file_stem}.{fmt}", render(document)
