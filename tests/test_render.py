"""Splitting long texts for Telegram's 4,096-character messages."""

from __future__ import annotations

from html import escape

from bot.telegram.render import split_message


def test_short_text_is_one_piece() -> None:
    assert split_message("Kort.") == ["Kort."]


def test_pieces_break_at_paragraphs_first() -> None:
    paragraphs = [f"Stycke {n}\n" + "text " * 30 for n in range(10)]
    pieces = split_message("\n\n".join(paragraphs), limit=400)
    assert all(len(escape(piece)) <= 400 for piece in pieces)
    assert all(piece.startswith("Stycke") for piece in pieces)
    assert "\n\n".join(pieces) == "\n\n".join(paragraphs)


def test_a_paragraph_too_long_breaks_at_lines_then_anywhere() -> None:
    text = "rubrik\n" + "\n".join("rad & <mer> " * 5 for _ in range(20)) + "\n" + "x" * 900
    pieces = split_message(text, limit=300)
    assert all(len(escape(piece)) <= 300 for piece in pieces)
    assert "".join(pieces).replace("\n", "") == text.replace("\n", "")
