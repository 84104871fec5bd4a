"""Bad input gets a clear answer in the user's language and the same question again."""

from __future__ import annotations

from datetime import date

import pytest

from dialogues.review.dates import parse_due_date
from dialogues.review.engine import Engine
from dialogues.review.inputs import InvalidAnswer, contains_identity_number
from tests.conftest import TODAY, play_until

ANNA = "terminal:anna"


@pytest.mark.parametrize(
    ("step", "typed", "error"),
    [
        (
            "q.mapping",
            "",
            "Jag fick inget svar. Skriv ett svar, eller hoppa över frågan med /skip.",
        ),
        (
            "q.mapping",
            "   \t ",
            "Jag fick inget svar. Skriv ett svar, eller hoppa över frågan med /skip.",
        ),
        ("q.mapping", "0", "Välj ett av alternativen 1–4."),
        ("q.mapping", "5", "Välj ett av alternativen 1–4."),
        ("q.mapping", "kanske", "Välj ett av alternativen 1–4."),
        ("q.planning_tools", "1,9", "Välj ett eller flera av alternativen 1–6, t.ex. 1,3."),
        (
            "q.assistance_count",
            "många",
            "Skriv ett tal, t.ex. 1200 – eller välj ett av alternativen.",
        ),
        (
            "q.assistance_count",
            "12,5",
            "Skriv ett tal, t.ex. 1200 – eller välj ett av alternativen.",
        ),
        ("q.assistance_count", "-3", "Skriv ett tal mellan 0 och 1000000."),
        ("q.assistance_count", "2000000", "Skriv ett tal mellan 0 och 1000000."),
        (
            "q.works_well",
            "x" * 1001,
            "Svaret är för långt: högst 1000 tecken, ert har 1001. Korta det gärna och skicka igen.",
        ),
        (
            "q.works_well",
            "bra\x00samverkan",
            "Svaret innehåller tecken som inte går att spara (styrtecken). Skriv det med vanlig text.",
        ),
        (
            "q.works_well",
            "Vi hjälpte 811228-9874 snabbt",
            None,
        ),  # checked below: the personnummer text
    ],
)
def test_bad_input_is_explained_and_the_question_asked_again(
    engine: Engine, step: str, typed: str, error: str | None
) -> None:
    play_until(engine, ANNA, step)
    before = engine.store.active_review(ANNA)
    reply = engine.answer(ANNA, typed)
    assert reply.prompt.step == step
    assert reply.error == (error or engine.questionnaire.text("err_personnummer", "sv"))
    assert engine.store.active_review(ANNA) == before  # nothing stored, nothing lost


def test_bad_input_is_explained_in_english_to_an_english_respondent(engine: Engine) -> None:
    engine.current("t:en", lang="en")
    engine.answer("t:en", "1")
    reply = engine.answer("t:en", "")
    assert reply.error == "I got no answer. Write one, or skip the question with /skip."


def test_a_personnummer_refusal_says_why(engine: Engine) -> None:
    play_until(engine, ANNA, "q.works_well")
    reply = engine.answer(ANNA, "Familjen med 19811228-9874 fick bo kvar")
    assert "personnummer" in reply.error
    assert "sekretess" in reply.error


@pytest.mark.parametrize(
    "text",
    [
        "811228-9874",
        "8112289874",
        "19811228-9874",
        "198112289874",
        "811228+9874",
        "811228 9874",
        "klienten (811228-9874) flyttade",
        "samordningsnummer 701063-2391",
        "811228-9875",  # a wrong check digit: still date-shaped, still someone's
    ],
)
def test_personal_identity_numbers_are_found_in_any_common_format(text: str) -> None:
    assert contains_identity_number(text)


@pytest.mark.parametrize(
    "text",
    [
        "Ca 9 000 ansökningar och 2 600 avhysningar om året",
        "Diarienummer 2026-1234",
        "Telefon 08-123 456 78",
        "",
    ],
)
def test_other_numbers_are_not_taken_for_identity_numbers(text: str) -> None:
    assert not contains_identity_number(text)


def test_numbers_may_be_written_with_spaces_or_as_an_estimate(engine: Engine) -> None:
    for typed, stored in (("1 200", 1200), ("ca 850", 850), ("12\u00a0000", 12000)):
        play_until(engine, ANNA, "q.assistance_count")
        engine.answer(ANNA, typed)
        assert engine.store.active_review(ANNA)["answers"]["assistance_count"]["value"] == stored
        engine.back(ANNA)
        engine.back(ANNA)
        engine.restart(ANNA)


def test_a_number_question_also_takes_its_option_by_name(engine: Engine) -> None:
    play_until(engine, ANNA, "q.assistance_count")
    reply = engine.answer(ANNA, "vet inte")
    assert reply.error is None
    assert engine.store.active_review(ANNA)["answers"]["assistance_count"]["value"] == "dont_know"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2027-06-30", date(2027, 6, 30)),
        ("20270630", date(2027, 6, 30)),
        ("30/6 2027", date(2027, 6, 30)),
        ("30/6-2027", date(2027, 6, 30)),
        ("30/6-27", date(2027, 6, 30)),
        ("30.6.2027", date(2027, 6, 30)),
        ("30 juni 2027", date(2027, 6, 30)),
        ("30 jun 2027", date(2027, 6, 30)),
        ("30 June 2027", date(2027, 6, 30)),
        ("June 30, 2027", date(2027, 6, 30)),
        ("1 mars", date(2027, 3, 1)),  # no year: the next 1 March
        ("  31 december 2026 ", date(2026, 12, 31)),
    ],
)
def test_dates_in_swedish_and_iso_formats(typed: str, expected: date) -> None:
    assert parse_due_date(typed, TODAY) == expected


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("2026-11-24", "err_date_past"),
        ("1/1 2020", "err_date_past"),
        ("31/2 2027", "err_date"),
        ("2027-13-01", "err_date"),
        ("snart", "err_date"),
        ("30 smarch 2027", "err_date"),
        ("2040-01-01", "err_date_far"),
    ],
)
def test_impossible_past_and_far_dates_are_refused(typed: str, key: str) -> None:
    with pytest.raises(InvalidAnswer) as refused:
        parse_due_date(typed, TODAY)
    assert refused.value.key == key


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("juni 2027", "2027-06-30"),
        ("June 2027", "2027-06-30"),
        ("i december 2026", "2026-12-31"),
        ("slutet av februari 2028", "2028-02-29"),
        ("Q2 2027", "2027-06-30"),
        ("kv 1 2027", "2027-03-31"),
        ("kvartal 3 2027", "2027-09-30"),
        ("2027-Q4", "2027-12-31"),
    ],
)
def test_a_month_or_a_quarter_means_its_last_day(typed: str, meant: str) -> None:
    assert parse_due_date(typed, date(2026, 11, 25)).isoformat() == meant


def test_a_month_or_quarter_already_over_is_in_the_past() -> None:
    with pytest.raises(InvalidAnswer) as refused:
        parse_due_date("Q3 2026", date(2026, 11, 25))
    assert refused.value.key == "err_date_past"
