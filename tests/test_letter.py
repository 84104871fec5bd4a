"""The letter of intent: one list of themes to choose three to five from, roles and dates for
the chosen ones only, their own words, and decisions that nothing but unticking takes away."""

from __future__ import annotations

from dialogues.review import letter
from dialogues.review.engine import Engine
from tests.conftest import play, play_until
from tests.script import EXPECTED_CHOICES, EXPECTED_PROPOSALS, WHOLE_REVIEW

ANNA = "terminal:anna"
UNTIL_LETTER = WHOLE_REVIEW[: [step for _, step in WHOLE_REVIEW].index("letter.choose")]


def test_the_list_holds_one_line_per_theme_most_important_first(engine: Engine) -> None:
    reply = play_until(engine, ANNA, "letter.choose")
    review = engine.store.active_review(ANNA)
    ids = [p.commitment.id for p in letter.proposals(engine.questionnaire, review)]
    assert ids == EXPECTED_PROPOSALS
    prompt = reply.prompt
    assert prompt.kind == "multi" and prompt.maximum == 5
    assert [choice.id for choice in prompt.options] == [*EXPECTED_CHOICES, "none"]
    assert prompt.text.startswith("Dags för avsiktsförklaringen")
    assert "inom 6 områden" in prompt.text
    assert "Välj tre till fem" in prompt.text
    # One merged commitment per theme, worded from the answers behind it.
    assert "\n1. Vräkningar och barn: Inför rutiner så att inga barnfamiljer vräks." in prompt.text
    assert "Behåll och sprid – Samverkan:" in prompt.text
    assert "Ert eget, från ”Det fortsatta arbetet”: Ta fram en handlingsplan under 2027." in (
        prompt.text
    )
    assert len(prompt.text) < 4096
    for choice in prompt.options:
        assert len(choice.label) <= 40, choice.label
    # The answers behind each line are its "more info".
    assert "• Rutiner så att barnfamiljer inte vräks: ”Nej”" in prompt.info


def test_an_answer_of_no_homelessness_proposes_nothing_by_itself(engine: Engine) -> None:
    play_until(engine, ANNA, "q.knowledge")
    engine.answer(ANNA, "4")
    review = engine.store.active_review(ANNA)
    assert letter.proposals(engine.questionnaire, review) == []


def test_only_the_chosen_need_a_role_and_a_date(engine: Engine) -> None:
    play_until(engine, ANNA, "letter.choose")
    assert engine.answer(ANNA, "1 2 3 4 5 6").error.startswith("Välj högst 5")
    reply = engine.answer(ANNA, "2 4")
    assert reply.prompt.step == "letter.role"
    assert reply.prompt.text.startswith("Åtagande 1 av 2:\nTa fram en skriftlig handlingsplan")
    assert engine.skip(ANNA).error.startswith("Det här behövs för åtagandet")
    reply = engine.answer(ANNA, "Socialchef")
    assert reply.prompt.step == "letter.due"
    assert reply.prompt.kind == "date"
    assert engine.answer(ANNA, "igår").error.startswith("Jag förstår inte datumet")
    assert engine.answer(ANNA, "2026-01-01").error == "Datumet behöver ligga fram i tiden."
    reply = engine.answer(ANNA, "30/6 2027")
    assert reply.prompt.text.startswith("Åtagande 2 av 2:\nUtveckla samverkan med hyresvärdar")
    engine.answer(ANNA, "Bostadschef")
    reply = engine.answer(ANNA, "Q3 2027")
    assert reply.prompt.step == "letter.own"
    assert reply.prompt.text.startswith("Avsiktsförklaringen har 2 åtaganden – tre till fem")
    items = engine.store.active_review(ANNA)["letter"]["items"]
    assert [(i["id"], i["adopted"], i["role"], i["due"]) for i in items] == [
        ("evictions", False, None, None),
        ("plans", True, "Socialchef", "2027-06-30"),
        ("knowledge", False, None, None),
        ("landlords", True, "Bostadschef", "2027-09-30"),
        ("follow_up", False, None, None),
        ("support", False, None, None),
        ("keep.collaboration", False, None, None),
    ]  # their own draft, not chosen, is offered again rather than kept as declined


def test_ticks_on_buttons_are_kept_until_done_and_stop_at_five(engine: Engine) -> None:
    play_until(engine, ANNA, "letter.choose")
    for option in ("evictions", "plans", "knowledge", "landlords", "draft"):
        assert engine.toggle(ANNA, option, "letter.choose").error is None
    refused = engine.toggle(ANNA, "support", "letter.choose")
    assert refused.error.startswith("Välj högst 5")
    assert set(refused.prompt.selected) == {"evictions", "plans", "knowledge", "landlords", "draft"}
    reply = engine.confirm(ANNA, "letter.choose")
    assert reply.prompt.text.startswith("Åtagande 1 av 5:")


def test_done_typed_after_ticking_buttons_takes_the_ticks(engine: Engine) -> None:
    play_until(engine, ANNA, "letter.choose")
    for option in ("evictions", "plans", "knowledge"):
        engine.toggle(ANNA, option, "letter.choose")
    reply = engine.answer(ANNA, "Klar")
    assert reply.prompt.text.startswith("Åtagande 1 av 3:")


def test_the_finished_letter_and_the_annex(engine: Engine) -> None:
    play(engine, ANNA, WHOLE_REVIEW)
    summary = engine.summary(ANNA)
    letter_part = summary.split("\n\nAvsiktsförklaring\n")[-1]
    assert "1. Inför rutiner så att inga barnfamiljer vräks. Ansvarig: Socialchef." in letter_part
    assert "2. Ta fram en skriftlig handlingsplan" in letter_part
    assert "3. Håll samverkan i fasta former" in letter_part
    assert "4. Inventera kommunens sociala kontrakt Ansvarig: Enhetschef vuxen." in letter_part
    annex = summary.split("Övriga utvecklingsområden (inte med i avsiktsförklaringen)\n")[1]
    assert "• Kunskap och kartläggning: Inför en egen regelbunden kartläggning" in annex
    assert "Vräkningar" not in annex


def test_own_commitments_can_be_added_until_done(engine: Engine) -> None:
    play_until(engine, ANNA, "letter.choose")
    reply = engine.answer(ANNA, "Inget av dessa just nu")
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


def test_a_review_without_anything_to_suggest_offers_own_commitments(engine: Engine) -> None:
    reply = play(engine, ANNA, [("1", "intro")])
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
        play(engine, other, UNTIL_LETTER)
        engine.answer(other, "1")
        engine.answer(other, "Socialchef")
        assert engine.answer(other, "juni 2027").prompt.step == "letter.own"
        reply = engine.answer(other, said)
        assert reply.prompt.kind == "done", said
        own = [i for i in letter.adopted(engine.store.active_review(other)) if i["text"]]
        assert own == [], said


def test_back_from_the_finished_review_keeps_the_letter(engine: Engine) -> None:
    reply = play(engine, ANNA, WHOLE_REVIEW)
    assert reply.prompt.kind == "done"
    reply = engine.back(ANNA)
    assert reply.prompt.step == "letter.own"
    assert reply.prompt.text.startswith("Avsiktsförklaringen har 4 åtaganden.")
    reply = engine.back(ANNA)
    assert reply.prompt.step == "letter.choose"
    assert set(reply.prompt.selected) == {"evictions", "plans", "keep.collaboration", "own.1"}
    assert "Med i avsiktsförklaringen: Socialchef, senast 2027-06-30." in reply.prompt.text
    assert len(letter.adopted(engine.store.active_review(ANNA))) == 4  # all still there


def test_going_back_through_a_finished_letter_and_on_again_keeps_every_decision(
    engine: Engine,
) -> None:
    """Finished with four commitments (role and date each): /back into the list and out into
    the questions, change an answer, and come back: the four are kept, ticked, and a kept
    one is not asked for its role and date again."""
    play(engine, ANNA, WHOLE_REVIEW)
    kept = letter.adopted(engine.store.active_review(ANNA))
    assert len(kept) == 4
    while not engine.current(ANNA).prompt.step.startswith("q."):
        engine.back(ANNA)
        assert len(letter.adopted(engine.store.active_review(ANNA))) == 4
    assert engine.current(ANNA).prompt.step == "q.next_year"  # out in the questions
    engine.answer(ANNA, "Ta fram en handlingsplan och en bostadsförsörjningsplan.")  # changed
    reply = engine.current(ANNA)
    assert reply.prompt.step == "letter.choose"
    assert set(reply.prompt.selected) == {"evictions", "plans", "keep.collaboration", "own.1"}
    assert "Ta fram en handlingsplan och en bostadsförsörjningsplan." in reply.prompt.text
    reply = engine.confirm(ANNA, "letter.choose")  # as it was
    assert reply.prompt.step == "letter.own"  # a kept one is not asked again
    assert engine.skip(ANNA).prompt.kind == "done"
    after = letter.adopted(engine.store.active_review(ANNA))
    assert [(i["id"], i["role"], i["due"]) for i in after] == [
        (i["id"], i["role"], i["due"]) for i in kept
    ]


def test_a_changed_answer_rewords_its_theme_and_says_so(engine: Engine) -> None:
    """The children's routines answered "Ja" after all: nothing in the evictions theme is left
    to develop, so it is offered to keep; the commitment in the letter stays, with its role
    and date, saying that the answers no longer point to it, until they untick it."""
    play(engine, ANNA, WHOLE_REVIEW)
    review = engine.store.active_review(ANNA)
    engine.back(ANNA)
    while engine.current(ANNA).prompt.step != "q.children_routines":
        engine.back(ANNA)
    reply = engine.answer(ANNA, "1")  # yes: a strength now
    while reply.prompt.step != "letter.choose":
        reply = engine.answer(ANNA, "1") if reply.prompt.kind != "text" else engine.skip(ANNA)
    assert {"evictions", "keep.evictions"} <= {c.id for c in reply.prompt.options}
    assert "Era svar pekar inte längre hit" in reply.prompt.text  # still in, until removed
    assert set(reply.prompt.selected) >= {"evictions"}
    review = engine.store.active_review(ANNA)
    assert len(letter.adopted(review)) == 4


def test_unticking_removes_one_and_ticking_again_brings_its_role_back(engine: Engine) -> None:
    play(engine, ANNA, WHOLE_REVIEW)
    engine.back(ANNA)
    engine.back(ANNA)
    reply = engine.toggle(ANNA, "plans", "letter.choose")
    assert "plans" not in reply.prompt.selected
    engine.confirm(ANNA, "letter.choose")
    assert len(letter.adopted(engine.store.active_review(ANNA))) == 3
    engine.back(ANNA)
    engine.toggle(ANNA, "plans", "letter.choose")
    assert engine.confirm(ANNA, "letter.choose").prompt.step == "letter.own"
    assert len(letter.adopted(engine.store.active_review(ANNA))) == 4
