"""Identity numbers are refused in any separator; phone and case numbers are kept; blank is empty."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import luhn

from dialogues.review.engine import Engine
from dialogues.review.inputs import InvalidAnswer, clean_text, contains_identity_number
from tests.conftest import play_until

DASHES = ["-", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212", "\ufe63"]
SEPARATORS = [*DASHES, "+", "", " ", "\u00a0", " - ", " \u2013 "]
INVISIBLE = [
    "\u200b",  # zero-width space
    "\u200c",  # zero-width non-joiner
    "\u200d",  # zero-width joiner
    "\u2060",  # word joiner
    "\ufeff",  # byte order mark
    "\u200e",
    "\u200f",  # direction marks
    *[chr(code) for code in range(0x202A, 0x202F)],  # direction embeddings and overrides
    *[chr(code) for code in range(0x2066, 0x206A)],  # direction isolates
    "\u00ad",  # soft hyphen
    "\u3164",  # Hangul filler, a "blank letter"
]
AROUND_SV = ["Klienten ", "Familjen med pnr ", "(", "Ärende gällande ", "", "Hej, "]
AROUND_EN = [" moved out.", " fick bo kvar", ")", "", ", and the family stayed", "."]


def _no_digits(char: str) -> bool:
    """Surrounding text with no digits, not even ones that normalise to digits (e.g. '²')."""
    return not any(c.isdigit() for c in unicodedata.normalize("NFKC", char))


SURROUNDING = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Nd"), blacklist_characters="\r").filter(
        _no_digits
    ),
    max_size=20,
)


@st.composite
def identity_numbers(draw: st.DrawFn) -> str:
    """A personnummer or samordningsnummer as people write them: a real date, a right check digit."""
    born = draw(st.dates(min_value=date(1880, 1, 1), max_value=date(2026, 11, 24)))
    coordination = draw(st.booleans())
    day = born.day + (60 if coordination else 0)
    nine = f"{born:%y%m}{day:02d}{draw(st.integers(0, 999)):03d}"
    ten = nine + luhn.calc_check_digit(nine)
    date_part, last_four = ten[:6], ten[6:]
    if draw(st.booleans()):
        date_part = f"{born.year // 100}{date_part}"  # twelve digits
    if draw(st.booleans()):
        pairs = [date_part[i : i + 2] for i in range(0, len(date_part), 2)]
        date_part = (
            " ".join(pairs) if len(pairs) == 3 else f"{''.join(pairs[:2])} {' '.join(pairs[2:])}"
        )
    separator = draw(st.sampled_from(SEPARATORS))
    return date_part + separator + last_four


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    number=identity_numbers(),
    before=st.one_of(st.sampled_from(AROUND_SV), SURROUNDING),
    after=st.one_of(st.sampled_from(AROUND_EN), SURROUNDING),
)
def test_identity_numbers_are_refused_whatever_the_separator(
    number: str, before: str, after: str
) -> None:
    text = before + number + after
    assert contains_identity_number(text)
    with pytest.raises(InvalidAnswer) as refused:
        clean_text(text)
    assert refused.value.key == "err_personnummer"


@st.composite
def phone_numbers(draw: st.DrawFn) -> str:
    """Swedish phone numbers in their usual groups, national or international."""
    mobile = draw(st.booleans())
    area = f"7{draw(st.integers(0, 9))}" if mobile else str(draw(st.integers(8, 999)))
    size = 7 if mobile else draw(st.integers(5, 8))
    digits = "".join(str(draw(st.integers(0, 9))) for _ in range(size))
    groups = {5: (3, 2), 6: (2, 2, 2), 7: (3, 2, 2), 8: (3, 3, 2)}[size]
    grouped, at = [], 0
    for length in groups:
        grouped.append(digits[at : at + length])
        at += length
    subscriber = draw(st.sampled_from([" ".join(grouped), digits]))
    if draw(st.booleans()):
        return f"+46 {area} {subscriber}"
    return f"0{area}{draw(st.sampled_from([*DASHES, ' ', ' - ']))}{subscriber}"


@st.composite
def case_numbers(draw: st.DrawFn) -> str:
    """Diarienummer as municipalities write them: Dnr 2013/123, SN 2012.0456, KS 2013-0456-12."""
    prefix = draw(st.sampled_from(["Dnr", "Dnr SN", "SN", "KS", "Diarienummer", "Case no."]))
    year = draw(st.integers(1990, 2030))
    serial = draw(st.integers(1, 99999))
    width = draw(st.integers(1, 5))
    separator = draw(st.sampled_from(["/", ".", *DASHES, " "]))
    tail = draw(st.sampled_from(["", "-12", ":3"]))
    return f"{prefix} {year}{separator}{serial:0{width}d}{tail}"


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    number=st.one_of(phone_numbers(), case_numbers()),
    before=st.sampled_from(["Ring ", "Telefon: ", "Se ", "Call ", "", "Beslut i "]),
    after=st.sampled_from(["", " (växeln)", ", weekdays", ".", " om vräkningar"]),
)
def test_phone_and_case_numbers_are_kept(number: str, before: str, after: str) -> None:
    text = before + number + after
    assert not contains_identity_number(text)
    assert clean_text(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "Klient 121212–1212",  # en dash, as word processors and phones write it
        "12 12 12-1212",
        "Klient 121212\u22121212",  # minus sign
        "Klient 121212\u20111212",  # non-breaking hyphen
        "Klient 121212\u20141212",  # em dash
        "Client 19121212 1212 moved",
        "Client 1912 12 12-1212 moved",
        "811228-9875",  # a wrong check digit still points at a person
        "1212\u200b12-1212",  # a zero-width space hides nothing
        "８１１２２８-９８７４",  # full-width digits
        "\u00e4rende 121272-1212",  # samordningsnummer: day 12 + 60
    ],
)
def test_identity_numbers_met_in_use_are_refused(text: str) -> None:
    assert contains_identity_number(text)


@pytest.mark.parametrize(
    "text",
    [
        "Telefon 08-123 456 78",
        "070-123 45 67",
        "+46 70 123 45 67",
        "Ring 0101 010000",  # found by hypothesis: an area code and six digits, a date unevenly
        "Trelleborg 0410 123456",
        "Stockholm 08 12012345",
        "Dnr 2013/123",
        "SN 2012.0456",
        "Ca 9 000 ansökningar och 2 600 avhysningar om året",
        "1 450 000 kr under 2012–2013",
        "811232-9874",  # 32 December is no date
        "811300-9874",  # nor is month 13
        "19811328-9874",
        "23811228-9874",  # nor a 12-digit number from the 24th century
    ],
)
def test_numbers_that_are_no_identity_numbers_are_kept(text: str) -> None:
    assert not contains_identity_number(text)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from([*INVISIBLE, " ", "\n", "\t", "\u00a0"]), min_size=1))
def test_an_answer_of_invisible_characters_only_is_empty(chars: list[str]) -> None:
    with pytest.raises(InvalidAnswer) as refused:
        clean_text("".join(chars))
    assert refused.value.key == "err_empty"


@pytest.mark.parametrize("invisible", INVISIBLE)
def test_invisible_characters_at_the_edges_are_not_stored(invisible: str) -> None:
    assert clean_text(f"{invisible} Bra samverkan{invisible}\u200b") == "Bra samverkan"


def test_a_flag_at_the_end_keeps_its_tags() -> None:
    england = "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"
    assert clean_text(f"Bra {england}") == f"Bra {england}"


def test_an_invisible_answer_is_refused_as_empty_in_the_dialogue(engine: Engine) -> None:
    play_until(engine, "terminal:anna", "q.works_well")
    before = engine.store.active_review("terminal:anna")
    reply = engine.answer("terminal:anna", "\u200b\u200d\u2060\ufeff")
    assert reply.prompt.step == "q.works_well"
    assert reply.error == engine.questionnaire.text("err_empty", "sv")
    assert engine.store.active_review("terminal:anna") == before
    reply = engine.answer("terminal:anna", "\u200bSamverkan med bostadsbolaget\u200f")
    assert reply.error is None
    answers = engine.store.active_review("terminal:anna")["answers"]
    assert answers["works_well"]["value"] == "Samverkan med bostadsbolaget"


def test_a_choice_sent_with_invisible_characters_is_read(engine: Engine) -> None:
    play_until(engine, "terminal:anna", "q.mapping")
    reply = engine.answer("terminal:anna", "\u200b1\u200e")
    assert reply.error is None


@pytest.mark.parametrize(
    ("step", "typed"),
    [
        ("f.definition", "Som för klient 121212–1212"),  # a follow-up
        ("letter.own", "Hjälp familjen 12 12 12-1212"),  # an own commitment
        ("letter.role", "Handläggare för 19121212\u22121212"),  # a role
    ],
)
def test_every_free_text_refuses_identity_numbers(engine: Engine, step: str, typed: str) -> None:
    play_until(engine, "terminal:anna", step)
    before = engine.store.active_review("terminal:anna")
    reply = engine.answer("terminal:anna", typed)
    assert reply.prompt.step == step
    assert reply.error == engine.questionnaire.text("err_personnummer", "sv")
    assert engine.store.active_review("terminal:anna") == before
