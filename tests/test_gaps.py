"""Questions left unanswered are listed before the letter, to answer now or later."""

from __future__ import annotations

from dialogues.review.engine import Engine
from tests.conftest import play
from tests.script import WHOLE_REVIEW

ANNA = "terminal:anna"
SKIPPED = ("q.mapping", "q.housing_guidelines", "q.works_well")
UP_TO_THE_LETTER = [
    ("/skip" if step in SKIPPED else typed, step)
    for typed, step in WHOLE_REVIEW
    if not step.startswith("letter.")
]


def test_the_skipped_questions_are_listed_and_answered_in_turn(engine: Engine) -> None:
    reply = play(engine, ANNA, UP_TO_THE_LETTER)
    assert reply.prompt.step == "gaps"
    assert "3 frågor står obesvarade" in reply.prompt.text
    for name in ("Egna kartläggningar", "Riktlinjer för bostadsförsörjning", "fungerar bra"):
        assert name in reply.prompt.text
    reply = engine.answer(ANNA, "1")  # answer them now
    assert reply.prompt.step == "q.mapping" and reply.notices == ()
    reply = engine.answer(ANNA, "1")
    assert reply.prompt.step == "q.housing_guidelines"  # the next gap, not the next question
    reply = engine.skip(ANNA)  # still not known
    assert reply.prompt.step == "q.works_well"
    reply = engine.answer(ANNA, "Samverkan med bostadsbolaget.")
    assert reply.prompt.step == "gaps"  # back to what is left
    assert "en fråga står obesvarad" in reply.prompt.text
    reply = engine.answer(ANNA, "2")  # go on to the letter
    assert reply.prompt.step == "letter.choose"
    assert reply.prompt.text.startswith("Dags för avsiktsförklaringen")


def test_finishing_with_gaps_does_not_say_the_review_is_complete(engine: Engine) -> None:
    play(engine, ANNA, UP_TO_THE_LETTER)
    engine.answer(ANNA, "2")  # go on to the letter
    engine.answer(ANNA, "Inget av dessa just nu")
    reply = engine.skip(ANNA)  # no own commitment
    assert reply.prompt.step == "done"
    assert (
        "klar" not in reply.prompt.text
        and "3 frågor står fortfarande obesvarade" in reply.prompt.text
    )


def test_back_from_the_letter_shows_the_gaps_again(engine: Engine) -> None:
    play(engine, ANNA, UP_TO_THE_LETTER)
    reply = engine.answer(ANNA, "2")
    assert reply.prompt.step == "letter.choose"
    assert engine.back(ANNA).prompt.step == "gaps"
    assert engine.back(ANNA).prompt.step == "q.next_year"


def test_a_review_without_gaps_goes_straight_to_the_letter(engine: Engine) -> None:
    steps = [(t, s) for t, s in WHOLE_REVIEW if not s.startswith("letter.")]
    assert play(engine, ANNA, steps).prompt.step == "letter.choose"
