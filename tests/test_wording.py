"""Wording: "ni" throughout in Swedish, no title said twice, one option named, plurals right."""

from __future__ import annotations

import re

import pytest

from dialogues.review.content import Text
from dialogues.review.engine import Engine
from dialogues.review.loader import load_questionnaire
from tests.test_readings import ANNA, walk

DU = re.compile(r"\b(du|dig|din|ditt|dina)\b", re.IGNORECASE)


def every_text() -> list[tuple[str, Text]]:
    q = load_questionnaire()
    texts: list[tuple[str, Text | None]] = list(q.texts.items())
    for area in q.areas:
        texts += [(f"{area.id} intro", area.intro), (f"{area.id} title", area.title)]
        for question in area.questions:
            texts += [(question.id, question.text), (question.id, question.info)]
            texts += [(question.id, question.follow_up), (question.id, question.short)]
            texts += [(question.id, o.label) for o in question.options]
            texts += [(question.id, o.follow_up) for o in question.options]
            texts += [(question.id, c.label) for c in question.combinations]
    texts += [(c.id, c.text) for c in q.commitments.values()]
    texts += [(c.id, c.short) for c in q.commitments.values()]
    texts += [(t.id, t.title) for t in q.themes.values()]
    texts += [(t.id, t.keep) for t in q.themes.values()]
    return [(name, text) for name, text in texts if text is not None]


def test_swedish_says_ni_throughout() -> None:
    for name, text in every_text():
        assert not DU.search(text("sv")), (name, text.sv)


def test_an_area_intro_does_not_repeat_its_title() -> None:
    for area in load_questionnaire().areas:
        for lang in ("sv", "en"):
            assert area.title(lang).casefold() not in area.intro(lang).casefold(), area.id


def test_a_lone_option_is_named_not_numbered(engine: Engine) -> None:
    engine.current(ANNA)
    assert engine.answer(ANNA, "kanske").error == "Välj ”Börja” – eller skriv 1."
    engine.set_language(ANNA, "en")
    assert engine.answer(ANNA, "maybe").error == 'Choose "Start" – or type 1.'
    assert engine.choose(ANNA, ["nothing"], "intro").error == 'Choose "Start" – or type 1.'


@pytest.mark.parametrize(
    ("key", "count", "sv", "en"),
    [
        ("status_letter", 1, "Avsiktsförklaring: 1 åtagande", "Letter of intent: 1 commitment"),
        ("status_letter", 2, "Avsiktsförklaring: 2 åtaganden", "Letter of intent: 2 commitments"),
        ("status_letter", 0, "Avsiktsförklaring: 0 åtaganden", "Letter of intent: 0 commitments"),
        (
            "overview_title",
            1,
            "Översikt: 1 kommun i programmet",
            "Overview: 1 municipality in the programme",
        ),
        (
            "overview_title",
            12,
            "Översikt: 12 kommuner i programmet",
            "Overview: 12 municipalities in the programme",
        ),
    ],
)
def test_plurals_are_right_in_both_languages(key: str, count: int, sv: str, en: str) -> None:
    q = load_questionnaire()
    assert q.text(key, "sv", count=count) == sv
    assert q.text(key, "en", count=count) == en


def test_one_suggested_commitment_is_one_not_ones(engine: Engine) -> None:
    reply = walk(engine, {"eviction_routines": "Nej"})
    assert "föreslår jag åtaganden inom 1 område, de viktigaste först" in reply.prompt.text


def test_a_new_answer_gets_a_short_word_that_fits_how_it_reads(engine: Engine) -> None:
    engine.answer(ANNA, "1")  # the welcome
    strong = engine.choose(ANNA, ["sos"], "q.definition")
    assert strong.ack is not None and "styrka" in strong.ack
    missing = engine.choose(ANNA, ["little"], "q.knowledge")
    assert missing.ack in load_questionnaire().text("ack_missing", "sv").split("|")
    engine.back(ANNA)
    again = engine.choose(ANNA, ["little"], "q.knowledge")
    assert again.ack is None  # the same answer again: nothing new to say
    engine.back(ANNA)
    partial = engine.choose(ANNA, ["some"], "q.knowledge")
    assert partial.ack in load_questionnaire().text("ack_partial", "sv").split("|")
    not_known = engine.choose(ANNA, ["never"], "q.mapping")
    assert not_known.prompt.step == "q.assistance_count" and not_known.ack is not None
    fact = engine.answer(ANNA, "1 450")
    assert fact.ack is None  # a count is a fact to note: nothing to say about it
    acks = [strong.ack, partial.ack, not_known.ack]
    assert len(set(acks)) == len(acks)  # varied, not the same words every time


def test_not_knowing_is_met_kindly_in_both_languages(engine: Engine) -> None:
    engine.answer(ANNA, "1")
    reply = engine.choose(ANNA, ["dont_know"], "q.definition")
    assert "ta reda på" in (reply.ack or "")
    engine.set_language(ANNA, "en")
    engine.back(ANNA)
    reply = engine.choose(ANNA, ["own"], "q.definition")  # neither strong nor weak
    assert reply.ack is None and reply.prompt.step == "f.definition"
    engine.skip(ANNA)
    reply = engine.choose(ANNA, ["little"], "q.knowledge")
    assert reply.ack in load_questionnaire().text("ack_missing", "en").split("|")


def test_every_word_on_an_answer_has_its_variants_in_both_languages() -> None:
    q = load_questionnaire()
    for reading in ("strength", "partial", "missing", "find_out"):
        text = q.texts[f"ack_{reading}"]
        assert len(text("sv").split("|")) == len(text("en").split("|")) >= 2, reading
