"""Four municipalities through the whole review, as their officials would go: a strong one, a
weak one, one with "no homelessness here", and one who goes back and changes things."""

from __future__ import annotations

import random
from typing import Any

import pytest

from dialogues.review import letter
from dialogues.review.engine import Engine
from dialogues.review.prompts import Reply

ANNA = "telegram:111"
STRONG: dict[str, Any] = {
    "definition": "sos",
    "knowledge": "good",
    "mapping": "continuous",
    "assistance_count": "1 450",
    "income_support": "yes",
    "housing_market": "shortage",
    "owner_directives": "social_responsibility",
    "action_plan": "adopted",
    "housing_guidelines": "yes",
    "planning_tools": ["land_allocation", "development_agreements"],
    "landlord_collaboration": "agreement",
    "internal_collaboration": "well",
    "external_actors": "yes",
    "documentation": "systematic",
    "followed_up": "yes",
    "evaluated": "yes",
    "outreach": "yes",
    "eviction_routines": "written_adopted",
    "children_routines": "yes",
    "housing_solutions": ["housing_first", "social_contracts", "emergency"],
    "further_support": ["housing_support", "debt_counselling", "economic_assistance"],
    "residence_permit": "yes",
    "tailoring": "large",
    "works_well": "Bostad först och det vräkningsförebyggande arbetet.",
    "works_less_well": "Bostadsbristen gör det svårt att hitta lägenheter.",
    "challenges": "Fler unga vuxna som söker bostad.",
    "next_year": "Sprida arbetssättet med Bostad först till grannkommunerna.",
}
WEAK: dict[str, Any] = {
    "definition": "none",
    "knowledge": "little",
    "mapping": "never",
    "assistance_count": "1 450",
    "income_support": "no",
    "housing_market": "shortage",
    "owner_directives": "none",
    "action_plan": "none",
    "housing_guidelines": "no_guidelines",
    "planning_tools": ["not_used"],
    "landlord_collaboration": "none",
    "internal_collaboration": "poorly",
    "external_actors": "no",
    "documentation": "not_documented",
    "followed_up": "no",
    "outreach": "no",
    "eviction_routines": "none",
    "children_routines": "no",
    "housing_solutions": ["staircase", "category"],
    "further_support": ["economic_assistance"],
    "residence_permit": "no",
    "tailoring": "small",
    "works_well": "Enskilda handläggare gör ett bra jobb.",
    "works_less_well": "Vi saknar en gemensam bild och samarbete med bostadsbolaget.",
    "challenges": "Bostadsbristen.",
    "next_year": "Ta fram en handlingsplan mot hemlöshet under 2027.",
}
NO_HOMELESSNESS: dict[str, Any] = {
    "definition": "dont_know",
    "knowledge": "no_homelessness",
    "mapping": "never",
    "assistance_count": "dont_know",
    "income_support": "dont_know",
    "housing_market": "balance",
    "owner_directives": "dont_know",
    "action_plan": "none",
    "housing_guidelines": "dont_know",
    "planning_tools": ["dont_know"],
    "landlord_collaboration": "dont_know",
    "internal_collaboration": "dont_know",
    "external_actors": "dont_know",
    "documentation": "dont_know",
    "followed_up": "dont_know",
    "outreach": "dont_know",
    "eviction_routines": "dont_know",
    "children_routines": "dont_know",
    "housing_solutions": ["dont_know"],
    "further_support": ["economic_assistance"],
    "residence_permit": "dont_know",
    "tailoring": "dont_know",
    "works_well": "Vi har ingen hemlöshet här.",
    "works_less_well": "Inget särskilt.",
    "challenges": "Inga.",
}


def answer_as(engine: Engine, persona: dict[str, Any], reply: Reply) -> Reply:
    """One input, as the persona answers the current step (buttons where there are options)."""
    prompt = reply.prompt
    step = prompt.step
    if step in ("intro",) or step.startswith("recap."):
        return engine.choose(ANNA, [prompt.options[0].id], step)
    if step == "gaps":
        return engine.choose(ANNA, ["continue"], step)
    value = persona.get(step[2:]) if step.startswith("q.") else None
    if value is None:
        return engine.skip(ANNA, step=step)
    if prompt.kind in ("single", "multi"):
        return engine.choose(ANNA, value if isinstance(value, list) else [value], step)
    if prompt.kind == "number" and value == "dont_know":
        return engine.choose(ANNA, ["dont_know"], step)
    return engine.answer(ANNA, value)


def until_the_letter(
    engine: Engine, persona: dict[str, Any], shown: list[Reply] | None = None
) -> Reply:
    reply = engine.current(ANNA)
    while not reply.prompt.step.startswith("letter."):
        reply = answer_as(engine, persona, reply)
        if shown is not None:
            shown.append(reply)
        assert reply.error is None, (reply.prompt.step, reply.error)
    return reply


def finish_letter(engine: Engine, chosen: list[str]) -> tuple[Reply, int]:
    """Tick `chosen` on the buttons, Done, a role and a date for each, and "nej" to an own
    commitment: the reply at the end and the number of inputs it took."""
    inputs = 0
    for option in chosen:
        assert engine.toggle(ANNA, option, "letter.choose").error is None
        inputs += 1
    reply = engine.confirm(ANNA, "letter.choose")
    inputs += 1
    for number in range(len(chosen)):
        assert reply.prompt.step == "letter.role", reply.prompt
        engine.answer(ANNA, f"Roll {number + 1}")
        reply = engine.answer(ANNA, f"juni {2027 + number}")
        inputs += 2
    reply = engine.answer(ANNA, "nej")
    return reply, inputs + 1


def choice_ids(reply: Reply) -> list[str]:
    return [choice.id for choice in reply.prompt.options]


def letter_part(summary: str) -> str:
    return summary.split("\n\nAvsiktsförklaring\n")[1]


def test_a_weak_municipality_chooses_a_short_letter_in_few_inputs(engine: Engine) -> None:
    reply = until_the_letter(engine, WEAK)
    assert choice_ids(reply) == [
        "evictions",
        "plans",
        "knowledge",
        "landlords",
        "follow_up",
        "collaboration",
        "support",
        "draft",
        "none",
    ]
    assert "inom 7 områden" in reply.prompt.text
    reply, inputs = finish_letter(engine, ["evictions", "plans", "landlords", "draft"])
    assert reply.prompt.kind == "done"
    assert inputs <= 15  # from the first list to the summary
    summary = engine.summary(ANNA)
    chosen = letter_part(summary)
    assert chosen.count("Ansvarig:") == 4
    assert "Ta fram en handlingsplan mot hemlöshet under 2027." in chosen  # their own words
    annex = summary.split("Övriga utvecklingsområden (inte med i avsiktsförklaringen)\n")[1]
    assert [line.split(":")[0] for line in annex.split("\n")] == [
        "• Kunskap och kartläggning",
        "• Uppföljning och utvärdering",
        "• Samverkan",
        "• Stöd och boendelösningar",
    ]
    # A staircase and category housing without Housing First, and economic assistance without
    # housing support or debt counselling, are things to develop ("omvänd filosofi").
    review = engine.store.active_review(ANNA)
    (support,) = [s for s in letter.suggestions(engine.questionnaire, review) if s.id == "support"]
    reasons = [p.answer("sv") for p in support.because]
    assert "Ingen Bostad först bland boendelösningarna" in reasons
    wording = letter.wording(engine.questionnaire, support, "sv")
    assert "Bostad först" in wording and "boendestöd" in wording


def test_a_strong_municipality_is_offered_to_keep_and_spread_what_works(engine: Engine) -> None:
    reply = until_the_letter(engine, STRONG)
    assert reply.prompt.text.startswith("Dags för avsiktsförklaringen")
    assert "Era svar visar inget som behöver utvecklas" in reply.prompt.text
    ids = choice_ids(reply)
    assert ids[-1] == "none" and ids[-2] == "draft"
    assert len([i for i in ids if i.startswith("keep.")]) == 7  # every theme reads as strong
    reply, _ = finish_letter(engine, ["keep.evictions", "keep.support", "draft"])
    assert reply.prompt.kind == "done"
    summary = engine.summary(ANNA)
    chosen = letter_part(summary)
    assert chosen.count("Ansvarig:") == 3
    assert "Sprida arbetssättet med Bostad först till grannkommunerna." in chosen
    assert "Övriga utvecklingsområden" not in summary  # nothing to develop is left out
    engine.back(ANNA)
    again = engine.back(ANNA)  # the list again: what they chose, as they chose it
    assert set(again.prompt.selected) == {"keep.evictions", "keep.support", "own.1"}
    assert "pekar inte längre hit" not in again.prompt.text
    assert again.prompt.text.count("Med i avsiktsförklaringen:") == 3
    assert "Styrkor:" in summary and "Att utveckla" not in summary
    assert "• Antal med ekonomiskt bistånd: ”1\u00a0450”" in summary.split("Att notera:")[1]


def test_no_homelessness_here_and_dont_know_only_ask_to_find_out(engine: Engine) -> None:
    shown: list[Reply] = []
    reply = until_the_letter(engine, NO_HOMELESSNESS, shown)
    # "Det fortsatta arbetet" was left open: the list of what is unanswered comes first.
    (gaps,) = [r.prompt for r in shown if r.prompt.step == "gaps"]
    assert "en fråga står obesvarad.\n• Det fortsatta arbetet" in gaps.text
    review = engine.store.active_review(ANNA)
    for suggestion in letter.suggestions(engine.questionnaire, review):
        for proposal in suggestion.because:
            if proposal.answer("sv") == "Vet inte":  # never an action
                assert proposal.commitment.fits == "find_out", proposal
                assert proposal.commitment.short("sv").startswith("ta reda på")
    # "No homelessness here" is a fact to note, not a strength, and proposes nothing itself.
    assert not any(
        p.question.id == "knowledge" for p in letter.proposals(engine.questionnaire, review)
    )
    summary = engine.summary(ANNA)
    overview = summary.split("\n\n")[2]
    assert (
        "Att notera:\n• Kunskap om hemlösheten i kommunen: ”Vi har ingen hemlöshet här”" in overview
    )
    themes = [s for s in letter.suggestions(engine.questionnaire, review) if s.because]
    only_unknown = [s for s in themes if all(p.commitment.fits == "find_out" for p in s.because)]
    for suggestion in only_unknown:
        assert letter.wording(engine.questionnaire, suggestion, "sv").startswith("Ta reda på")
    assert reply.prompt.step == "letter.choose"


def forward(engine: Engine, reply: Reply) -> Reply:
    """On, keeping every answer and the letter as they are."""
    prompt = reply.prompt
    step = prompt.step
    if step == "letter.choose":
        return engine.confirm(ANNA, step)
    if step in ("letter.role", "letter.due"):
        return engine.answer(ANNA, "Ny roll" if step == "letter.role" else "Q1 2028")
    if step == "letter.own":
        return engine.answer(ANNA, "klar")
    if step == "gaps":
        return engine.choose(ANNA, ["continue"], step)
    if prompt.kind == "multi" and prompt.selected:
        return engine.confirm(ANNA, step)
    if prompt.kind == "single" and prompt.selected:
        return engine.choose(ANNA, list(prompt.selected), step)
    if prompt.kind == "single" and not step.startswith("q."):
        return engine.choose(ANNA, [prompt.options[0].id], step)
    return engine.skip(ANNA, step=step)


def change(engine: Engine, reply: Reply, rng: random.Random) -> Reply:
    """A different answer to a question with options (else on, as it is)."""
    prompt = reply.prompt
    if prompt.step.startswith("q.") and prompt.kind == "single":
        others = [c.id for c in prompt.options if c.id not in prompt.selected]
        return engine.choose(ANNA, [rng.choice(others)], prompt.step)
    if prompt.step.startswith("q.") and prompt.kind == "text":
        return engine.answer(ANNA, rng.choice(["Mer samverkan.", "En ny plan under 2028."]))
    return forward(engine, reply)


@pytest.mark.parametrize("seed", range(6))
def test_back_and_forth_never_loses_a_commitment(engine: Engine, seed: int) -> None:
    """Finished with four commitments: any mix of /back, changed answers and going on again,
    ending at the summary, keeps the four with their roles and dates."""
    until_the_letter(engine, WEAK)
    reply, _ = finish_letter(engine, ["evictions", "plans", "landlords", "draft"])
    assert reply.prompt.kind == "done"
    kept = [
        (i["id"], i["role"], i["due"]) for i in letter.adopted(engine.store.active_review(ANNA))
    ]
    assert len(kept) == 4
    rng = random.Random(seed)
    for _ in range(120):
        move = rng.choice(["back", "back", "back", "change", "forward"])
        if reply.prompt.kind == "done" or move == "back":
            reply = engine.back(ANNA)
        elif move == "change":
            reply = change(engine, reply, rng)
        else:
            reply = forward(engine, reply)
        review = engine.store.active_review(ANNA)
        assert len(letter.adopted(review)) == 4, (seed, reply.prompt.step)
    for _ in range(200):
        if reply.prompt.kind == "done":
            break
        reply = forward(engine, reply)
    assert reply.prompt.kind == "done"
    after = [
        (i["id"], i["role"], i["due"]) for i in letter.adopted(engine.store.active_review(ANNA))
    ]
    assert after == kept
