"""Readings with four outcomes: strength, to develop, to find out ("Vet inte"), to note (facts).

Each walk goes through the real engine: the answers named are given by their labels, every
other question is skipped, so what the summary and the letter say comes from those alone.
"""

from __future__ import annotations

from dialogues.review import letter
from dialogues.review.engine import Engine
from dialogues.review.prompts import Reply
from dialogues.review.report import build_report
from tests.conftest import TODAY

ANNA = "terminal:anna"
DONT_KNOW = "Vet inte"


def walk(engine: Engine, answers: dict[str, list[str] | str], every: str | None = None) -> Reply:
    """Answer the named questions by their labels (`every`: that label wherever offered), skip
    the rest, go on past the list of what was left unanswered, and stop at the letter."""
    reply = engine.current(ANNA)
    reply = engine.answer(ANNA, "1")  # the welcome
    while not reply.prompt.step.startswith("letter"):
        step = reply.prompt.step
        labels = [choice.label for choice in reply.prompt.options]
        wanted = answers.get(step.removeprefix("q."))
        if wanted is None and every in labels and step.startswith("q."):
            wanted = every
        if step.startswith("recap."):
            reply = engine.answer(ANNA, "1")
        elif step == "gaps":
            reply = engine.answer(ANNA, "2")  # on to the letter
        elif wanted is None or step.startswith("f."):
            reply = engine.skip(ANNA)
        else:
            picked = [wanted] if isinstance(wanted, str) else wanted
            numbers = [str(labels.index(label) + 1) for label in picked if label in labels]
            reply = engine.answer(ANNA, ",".join(numbers) if numbers else picked[0])
        assert reply.error is None, (step, reply.error)
    return reply


def proposed(engine: Engine) -> dict[str, str]:
    review = engine.store.active_review(ANNA)
    return {
        p.commitment.id: p.commitment.text("sv")
        for p in letter.proposals(engine.questionnaire, review)
    }


def area_part(summary: str, title: str) -> str:
    return next(part for part in summary.split("\n\n") if part.split("\n")[0].endswith(title))


def test_dont_know_everywhere_yields_only_finding_out(engine: Engine) -> None:
    walk(engine, {}, every=DONT_KNOW)
    texts = proposed(engine)
    assert len(texts) >= 15  # all but "evaluated", not asked when follow-up is not known
    for text in texts.values():
        assert text.startswith("Ta reda på"), text  # never an action
    summary = engine.summary(ANNA)
    assert "Att ta reda på:" in summary
    assert "Att utveckla" not in summary
    assert "Styrkor:" not in summary
    assert "• Ägardirektiv till bostadsbolaget: ”Vet inte”" in area_part(summary, "Överblick")
    assert "Ge det kommunala bostadsbolaget" not in str(texts)


def test_dont_know_reads_as_to_find_out_in_the_recap_and_in_english(engine: Engine) -> None:
    reply = walk(engine, {"owner_directives": DONT_KNOW})
    engine.set_language(ANNA, "en")
    summary = engine.summary(ANNA)
    assert "To find out:\n• Owner directives to the housing company: “Don't know”" in summary
    review = engine.store.active_review(ANNA)
    proposal = letter.proposals(engine.questionnaire, review)[0]
    assert proposal.commitment.text("en").startswith("Find out what the municipality's owner")
    assert reply.prompt.step.startswith("letter")


def test_a_count_is_noted_never_a_strength(engine: Engine) -> None:
    walk(engine, {"assistance_count": "1450"})
    summary = engine.summary(ANNA)
    overview = area_part(summary, "Överblick")
    assert overview.split("\n") == [
        "1. Överblick",
        "Att notera:",
        "• Antal med ekonomiskt bistånd: ”1\u00a0450”",
        "Obesvarat: Definition av hemlöshet, Kunskap om hemlösheten i kommunen, Egna"
        " kartläggningar, Försörjningsstöd som inkomst, Bostadsmarknaden, Ägardirektiv till"
        " bostadsbolaget",
    ]
    report = build_report(engine.questionnaire, engine.store.active_review(ANNA), "sv", TODAY)
    assert report.areas[0].strengths == ()
    assert report.areas[0].noted == ("Antal med ekonomiskt bistånd: 1\u00a0450",)
    assert report.areas[0].shares == (0, 0, 1, 6)
    assert proposed(engine) == {}


def test_partial_answers_get_partial_wording(engine: Engine) -> None:
    walk(
        engine,
        {
            "eviction_routines": "Skriftliga, men inte beslutade",
            "external_actors": "Delvis",
            "landlord_collaboration": "Regelbunden, men utan överenskommelse",
            "action_plan": "Den håller på att tas fram",
            "income_support": "Vissa gör det",
        },
    )
    texts = proposed(engine)
    assert texts["eviction_routines_adopt"].startswith("Besluta de skriftliga rutinerna")
    assert texts["external_collaboration_broaden"].startswith("Bredda samverkan")
    assert texts["landlord_agreement_write"].startswith("Besluta en skriftlig överenskommelse")
    assert texts["action_plan_adopt"].startswith("Besluta handlingsplanen")
    assert texts["income_support_more"].startswith("Utveckla dialogen")
    assert len(texts) == 5
    for text in texts.values():
        assert not text.startswith(("Ta fram", "Inled", "Inför")), text


def test_missing_answers_get_wording_to_start(engine: Engine) -> None:
    walk(engine, {"eviction_routines": "Nej", "external_actors": "Nej"})
    texts = proposed(engine)
    assert texts == {
        "eviction_routines": texts["eviction_routines"],
        "external_collaboration": texts["external_collaboration"],
    }
    assert texts["eviction_routines"].startswith("Ta fram och besluta")
    assert texts["external_collaboration"].startswith("Inled samverkan")


def test_a_staircase_without_housing_first_is_something_to_develop(engine: Engine) -> None:
    walk(engine, {"housing_solutions": ["Trappstegsboende", "Kategoribostäder"]})
    part = area_part(engine.summary(ANNA), "Utformning av insatser")
    assert "Att utveckla:\n• Boendelösningar: ”Ingen Bostad först bland boendelösningarna”" in part
    assert "Att notera:\n• Boendelösningar: ”Trappstegsboende, Kategoribostäder”" in part
    texts = proposed(engine)
    assert list(texts) == ["housing_first_broaden"]
    assert texts["housing_first_broaden"].startswith("Bredda boendelösningarna med Bostad först")


def test_housing_first_among_the_solutions_leaves_nothing_to_develop(engine: Engine) -> None:
    walk(engine, {"housing_solutions": ["Trappstegsboende", "Bostad först", "Sociala kontrakt"]})
    assert proposed(engine) == {}
    part = area_part(engine.summary(ANNA), "Utformning av insatser")
    assert "Styrkor:\n• Boendelösningar: ”Bostad först”" in part
    assert "Att notera:\n• Boendelösningar: ”Trappstegsboende, Sociala kontrakt”" in part


def test_support_without_housing_support_or_debt_counselling_is_something_to_develop(
    engine: Engine,
) -> None:
    walk(engine, {"further_support": ["Ekonomiskt bistånd"]})
    part = area_part(engine.summary(ANNA), "Utformning av insatser")
    assert "Varken boendestöd eller budget- och skuldrådgivning" in part.split("Att notera")[0]
    assert list(proposed(engine)) == ["support_broaden"]


def test_support_with_debt_counselling_leaves_nothing_to_develop(engine: Engine) -> None:
    walk(engine, {"further_support": ["Ekonomiskt bistånd", "Budget- och skuldrådgivning"]})
    assert proposed(engine) == {}


def test_dont_know_in_a_multiple_choice_stands_alone(engine: Engine) -> None:
    walk(engine, {"housing_solutions": DONT_KNOW})
    assert list(proposed(engine)) == ["find_out_housing_solutions"]
    engine.restart(ANNA)
    reply = engine.current(ANNA)
    while reply.prompt.step != "q.housing_solutions":
        reply = (
            engine.answer(ANNA, "1")
            if reply.prompt.step in ("intro",) or reply.prompt.step.startswith("recap.")
            else engine.skip(ANNA)
        )
    labels = [choice.label for choice in reply.prompt.options]
    typed = f"1,{labels.index(DONT_KNOW) + 1}"
    assert engine.answer(ANNA, typed).error == "”Vet inte” går inte att kombinera med andra val."
    other = labels.index("Annat") + 1
    reply = engine.answer(ANNA, f"1,{other}")  # "Annat" goes with others, and asks which
    assert reply.error is None
    assert reply.prompt.step == "f.housing_solutions"
    assert reply.prompt.text.startswith("Berätta kort vilka andra boendelösningar")


def test_the_shortage_follow_up_is_not_asked_after_a_surplus(engine: Engine) -> None:
    reply = engine.current(ANNA)
    while reply.prompt.step != "q.housing_market":
        reply = engine.answer(ANNA, "1") if reply.prompt.step == "intro" else engine.skip(ANNA)
    after_surplus = engine.answer(ANNA, "Överskott på bostäder")
    assert "bristen" not in after_surplus.prompt.text
    engine.back(ANNA)
    after_shortage = engine.answer(ANNA, "Brist på bostäder")
    assert after_shortage.prompt.step == "f.housing_market"
    assert "var bristen är störst" in after_shortage.prompt.text
    engine.back(ANNA)
    after_dont_know = engine.answer(ANNA, DONT_KNOW)
    assert after_dont_know.prompt.step == "q.owner_directives"  # nothing to tell
