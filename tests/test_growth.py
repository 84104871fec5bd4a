"""Nothing grows without bound per person: a changed answer, a fresh start."""

from __future__ import annotations

from dialogues.review.engine import Engine
from dialogues.review.stored import KEPT_CHANGES, KEPT_PUT_ASIDE
from tests.conftest import play_until

ANNA = "terminal:anna"


def change_what_works(engine: Engine, times: int) -> None:
    """Answer what works well, go back, answer it otherwise: `times` changes."""
    for n in range(times):
        engine.answer(ANNA, f"Det som fungerar, version {n} " + "x" * 500)
        engine.back(ANNA)


def test_an_answer_changed_a_thousand_times_costs_what_one_changed_a_few_times_does(
    engine: Engine,
) -> None:
    play_until(engine, ANNA, "q.works_well")
    change_what_works(engine, 10)
    path = engine.store._path(ANNA)
    after_a_few = path.stat().st_size
    change_what_works(engine, 1_000)
    review = engine.store.active_review(ANNA)
    changes = [c for c in review["history"] if c["question"] == "works_well"]
    assert len(changes) == 1 + KEPT_CHANGES
    assert changes[0]["old"].startswith("Det som fungerar, version 0")  # the first kept
    assert changes[-1]["new"].startswith("Det som fungerar, version 999")
    assert path.stat().st_size < after_a_few * 1.1


def test_starting_over_again_and_again_keeps_the_latest_few_and_every_rounds_result(
    engine: Engine,
) -> None:
    engine.answer(ANNA, "1")
    engine.start_round(ANNA, 2)  # round 1's review: a result, kept whatever follows
    for _ in range(3 * KEPT_PUT_ASIDE):
        engine.answer(ANNA, "1")
        engine.restart(ANNA)
    reviews = engine.store.reviews(ANNA)
    put_aside = [r for r in reviews if r.get("put_aside")]
    rounds = [r for r in reviews if r["status"] == "archived" and not r.get("put_aside")]
    assert len(put_aside) == KEPT_PUT_ASIDE and len(rounds) == 1
    assert reviews[-1]["status"] == "active"
