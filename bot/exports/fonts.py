"""The documents' typeface: one TrueType family, embedded in the PDF and drawn into pictures."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import reportlab
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

REGULAR, BOLD = "Body", "Body-Bold"

# DejaVu covers far more scripts than the Vera that ships with reportlab; both have å ä ö.
FONT_CANDIDATES = (
    (
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ),
    (
        Path(reportlab.__file__).parent / "fonts" / "Vera.ttf",
        Path(reportlab.__file__).parent / "fonts" / "VeraBd.ttf",
    ),
)


@cache
def font_files() -> tuple[Path, Path]:
    """The regular and bold TrueType files: the first pair found."""
    for regular, bold in FONT_CANDIDATES:
        if regular.exists() and bold.exists():
            return regular, bold
    raise RuntimeError("no TrueType font found for the documents")


@cache
def fonts() -> tuple[str, str]:
    """The fonts registered with reportlab, so every character typed shows as typed."""
    regular, bold = font_files()
    pdfmetrics.registerFont(TTFont(REGULAR, str(regular)))
    pdfmetrics.registerFont(TTFont(BOLD, str(bold)))
    # so that <b> in a paragraph finds the bold face (table headers, annex titles)
    pdfmetrics.registerFontFamily(
        REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD
    )
    return REGULAR, BOLD
