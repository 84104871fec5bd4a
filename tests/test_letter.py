"""Area 6 and the letter of intent: proposals from weak answers, decisions, roles and dates."""

from __future__ import annotations

from dialogues.review import letter
from dialogues.review.engine import Engine
from tests.conftest import play, play_until
from tests.script import EXPECTED_PROPOSALS, WHOLE_REVIEW

ANNA = "terminal:anna"


def test_proposals_come_from_weak_answers_most_important_first(engine: Engine) -> None:
    reply = play_until(engine, ANNA, "letter.propose")
    review = engine.store.active_review(ANNA)
    ids = [p.commitment.id for p in letter.proposals(engine.questionnaire, review)]
    assert ids == EXPECTED_PROPOSALS
    # Families with children come before documentation, as the slides weigh them.
    assert ids.index("no_children_evicted") < ids.index("documentation_uniform")
    assert reply.notices[0].startswith("Dags för avsiktsförklaringen")
    assert "10 åtaganden" in reply.notices[0]
    assert reply.prompt.text.startswith(
        "Förslag 1 av 10:\nInför skriftliga rutiner så att inga barnfamiljer vräks"
    )
    assert (
        "Utifrån ert svar på ”Rutiner så att barnfamiljer inte vräks”: ”Nej”" in reply.prompt.text
    )


def test_an_answer_of_no_homelessness_proposes_nothing_by_itself(engine: Engine) -> None:
    play_until(engine, ANNA, "q.knowledge")
    engine.answer(ANNA, "4")
    review = engine.store.active_review(ANNA)
    assert letter.proposals(engine.questionnaire, review) == []


def test_adopted_commitments_need_a_role_and_a_date(engine: Engine) -> None:
    play_until(engine, ANNA, "letter.propose")
    reply = engine.answer(ANNA, "Ta med")
    assert reply.prompt.step == "letter.role"
    assert engine.skip(ANNA).error.startswith("Det här behövs för åtagandet")
    reply = engine.answer(ANNA, "Socialchef")
    assert reply.prompt.step == "letter.due"
    assert reply.prompt.kind == "date"
    assert engine.answer(ANNA, "igår").error.startswith("Jag förstår inte datumet")
    assert engine.answer(ANNA, "2026-01-01").error == "Datumet behöver ligga fram i tiden."
    reply = engine.answer(ANNA, "30/6 2027")
    assert reply.prompt.text.startswith("Förslag 2 av 10:")
    item = engine.store.active_review(ANNA)["letter"]["items"][0]
    assert item == {
        "commitment": "no_children_evicted",
        "text": None,
        "adopted": True,
        "role": "Socialchef",
        "due": "2027-06-30",
    }


def test_declined_proposals_are_not_in_the_letter(engine: Engine) -> None:
    play(engine, ANNA, WHOLE_REVIEW)
    summary = engine.summary(ANNA)
    letter_part = summary.split("Avsiktsförklaring")[-1]
    assert "1. Inför skriftliga rutiner så att inga barnfamiljer vräks" in letter_part
    assert "2. Ta fram en skriftlig handlingsplan mot hemlöshet" in letter_part
    assert "3. Inventera kommunens sociala kontrakt Ansvarig: Enhetschef vuxen." in letter_part
    assert "kartläggning" not in letter_part


def test_back_in_the_letter_undoes_one_decision_at_a_time(engine: Engine) -> None:
    play_until(engine, ANNA, "letter.propose")
    engine.answer(ANNA, "1")
    engine.answer(ANNA, "Socialchef")
    assert engine.back(ANNA).prompt.step == "letter.role"  # from the date back to the role
    reply = engine.back(ANNA)  # from the role back to the proposal: the adoption is undone
    assert reply.prompt.step == "letter.propose"
    assert reply.prompt.text.startswith("Förslag 1 av 10:")
    assert engine.store.active_review(ANNA)["letter"]["items"] == []
    engine.answer(ANNA, "2")
    reply = engine.back(ANNA)  # take the declined first proposal up again
    assert reply.prompt.text.startswith("Förslag 1 av 10:")
    items = engine.store.active_review(ANNA)["letter"]["items"]
    assert [(i["adopted"], i.get("reopened")) for i in items] == [(False, True)]  # until decided


def test_own_commitments_can_be_added_until_done(engine: Engine) -> None:
    play_until(engine, ANNA, "letter.propose")
    for _ in EXPECTED_PROPOSALS:
        engine.skip(ANNA)  # skipping a proposal leaves it out
    reply = engine.current(ANNA)
    assert reply.prompt.step == "letter.own"
    for text, role, due in (
        ("Eget ett", "Roll ett", "2027-01-15"),
        ("Eget två", "Roll två", "2027-02-15"),
    ):
        assert engine.answer(ANNA, text).prompt.step == "letter.role"
        engine.answer(ANNA, role)
        assert engine.answer(ANNA, due).prompt.step == "letter.own"
    reply = engine.answer(ANNA, "Klar")
    assert reply.prompt.kind == "done"
    adopted = letter.adopted(engine.store.active_review(ANNA))
    assert [item["text"] for item in adopted] == ["Eget ett", "Eget två"]


def test_a_review_without_weak_answers_offers_own_commitments(engine: Engine) -> None:
    strong = [("1", "intro"), ("1", "q.definition"), ("1", "q.knowledge"), ("1", "q.mapping")]
    reply = play(engine, ANNA, strong)
    while not reply.prompt.step.startswith("letter"):
        at_question = reply.prompt.step.startswith(("q.", "f."))
        on_to_the_letter = "2" if reply.prompt.step == "gaps" else "1"  # the gaps stay
        reply = engine.skip(ANNA) if at_question else engine.answer(ANNA, on_to_the_letter)
    assert reply.prompt.step == "letter.own"
    assert "inga åtaganden att föreslå" in reply.notices[0]


def test_a_natural_no_at_an_optional_step_is_taken_as_skipping_it(engine: Engine) -> None:
    """ "nej", "Klart", "Inga fler" or "done" where an own commitment may be added ends the
    letter, and "hoppa över" at an optional follow-up stores nothing to quote back."""
    play_until(engine, ANNA, "q.definition")
    engine.answer(ANNA, "2")  # an own definition: its follow-up is optional
    reply = engine.answer(ANNA, "Hoppa över.")
    assert reply.prompt.step == "q.knowledge"
    assert "definition" not in engine.store.active_review(ANNA)["follow_ups"]
    for said in ("nej", "Klart!", "Inga fler", "done", "1"):
        other = f"terminal:{said}"
        play(engine, other, [(t, s) for t, s in WHOLE_REVIEW if s != "letter.own"][:-3])
        while engine.current(other).prompt.step == "letter.propose":
            engine.answer(other, "2")
        assert engine.current(other).prompt.step == "letter.own"
        reply = engine.answer(other, said)
        assert reply.prompt.kind == "done", said
        own = [i for i in letter.adopted(engine.store.active_review(other)) if not i["commitment"]]
        assert own == [], said


def test_back_from_the_finished_review_says_what_is_true_of_the_letter(engine: Engine) -> None:
    reply = play(engine, ANNA, WHOLE_REVIEW)
    assert reply.prompt.kind == "done"
    reply = engine.back(ANNA)
    assert reply.prompt.step == "letter.own"
    assert "inga åtaganden att föreslå" not in " ".join(reply.notices)
    assert reply.notices[0].startswith("Tillbaka i avsiktsförklaringen")
    assert len(letter.adopted(engine.store.active_review(ANNA))) == 3  # all still there


def test_going_back_through_a_finished_letter_and_on_again_keeps_every_decision(
    engine: Engine,
) -> None:
    """Finished with three commitments (role and date each): /back into the letter, through
    several suggestions and out into the questions, change an answer, and come back: the
    three are kept, and a kept one is not asked for its role and date again."""
    play(engine, ANNA, WHOLE_REVIEW)
    kept = letter.adopted(engine.store.active_review(ANNA))
    assert len(kept) == 3
    for _ in range(4):
        engine.back(ANNA)
    assert len(letter.adopted(engine.store.active_review(ANNA))) == 3  # still in the letter
    while engine.current(ANNA).prompt.step == "letter.propose":
        engine.back(ANNA)
    assert engine.current(ANNA).prompt.step.startswith("q.")  # out in the questions
    engine.answer(ANNA, "Ta fram en handlingsplan och en bostadsförsörjningsplan.")  # changed
    assert len(letter.adopted(engine.store.active_review(ANNA))) == 3
    reply = engine.current(ANNA)
    assert reply.prompt.step == "letter.propose"
    assert "Det här finns med i avsiktsförklaringen nu (Socialchef, senast 2027-06-30)" in (
        reply.prompt.text
    )
    while (reply := engine.current(ANNA)).prompt.step == "letter.propose":
        earlier = " finns med i avsiktsförklaringen nu " in reply.prompt.text
        reply = engine.answer(ANNA, "1" if earlier else "2")  # keep what was kept
        assert reply.prompt.step != "letter.role"  # a kept one is not asked again
    assert engine.skip(ANNA).prompt.kind == "done"
    after = letter.adopted(engine.store.active_review(ANNA))
    assert [(i["commitment"], i["role"], i["due"]) for i in after] == [
        (i["commitment"], i["role"], i["due"]) for i in kept
    ]
