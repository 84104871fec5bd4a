"""Swedish alphabetical order: Å, Ä and Ö after Z (in that order), case and other accents
aside; for every list a document sorts, such as municipalities by name."""

from __future__ import annotations

import unicodedata

# After "z" in code points, in Swedish order; Danish and Norwegian letters and ü as Swedish
# dictionaries file them.
LAST_LETTERS = str.maketrans({"å": "{", "ä": "|", "æ": "|", "ö": "}", "ø": "}", "ü": "y"})


def swedish_key(text: str) -> tuple[str, str]:
    """sorted(names, key=swedish_key): Umeå, Uppsala, Åre, Älvdalen, Örebro."""
    folded = unicodedata.normalize("NFC", text).casefold().translate(LAST_LETTERS)
    plain = unicodedata.normalize("NFKD", folded)
    return "".join(c for c in plain if not unicodedata.combining(c)), text
