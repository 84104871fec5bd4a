"""The summary: strengths, weaknesses and commitments per area, quoting the respondent's answers."""

from __future__ import annotations

from dialogues.review.engine import Engine
from dialogues.review.summary import summarize
from tests.conftest import play, play_until
from tests.script import WHOLE_REVIEW

ANNA = "terminal:anna"


def area_text(summary: str, title: str) -> str:
    return next(part for part in summary.split("\n\n") if part.split("\n")[0].endswith(title))


def test_the_summary_quotes_answers_under_their_reading(engine: Engine) -> None:
    play(engine, ANNA, WHOLE_REVIEW)
    summary = engine.summary(ANNA)
    overview = area_text(summary, "Överblick")
    assert overview.split("\n") == [
        "1. Överblick",
        "Att utveckla:",
        "• Egna kartläggningar: ”Nej”",
        "• Försörjningsstöd som inkomst: ”Vissa gör det”",
        "• Ägardirektiv till bostadsbolaget: ”Det finns direktiv, men inte om detta”",
        "Att notera:",
        "• Definition av hemlöshet: ”En egen definition” – ”Vi räknar bara akut hemlöshet”",
        "• Kunskap om hemlösheten i kommunen: ”Vi har ingen hemlöshet här”",
        "• Antal med ekonomiskt bistånd: ”1\u00a0200”",  # a count: a fact, never a strength
        "• Bostadsmarknaden: ”Brist på bostäder” – ”Brist på små lägenheter”",
    ]
    analysis = area_text(summary, "Styrkor och svagheter")
    assert (
        "Med egna ord:\n• Det här fungerar bra: ”Samverkan med bostadsbolaget i enskilda ärenden.”"
        in analysis
    )


def test_a_multiple_choice_is_split_by_reading(engine: Engine) -> None:
    play(engine, ANNA, WHOLE_REVIEW)
    interventions = area_text(engine.summary(ANNA), "Utformning av insatser")
    assert "• Boendelösningar: ”Trappstegsboende, Kategoribostäder”" in interventions
    assert "• Ytterligare insatser: ”Boendestöd, Personligt ombud”" in interventions
    assert "• Ytterligare insatser: ”Ekonomiskt bistånd”" in interventions


def test_questions_not_asked_are_not_in_the_summary(engine: Engine) -> None:
    play(engine, ANNA, WHOLE_REVIEW)
    assert "Utvärdering" not in engine.summary(ANNA)  # not asked: nothing is followed up


def test_an_interim_summary_is_available_at_any_point(engine: Engine) -> None:
    engine.current(ANNA)
    assert "Preliminär: 0 av 27 frågor besvarade hittills." in engine.summary(ANNA)
    play_until(engine, ANNA, "q.action_plan")
    summary = engine.summary(ANNA)
    assert "Preliminär: 7 av 27 frågor besvarade hittills." in summary
    assert "Inga åtaganden ännu." in summary


def test_the_summary_is_in_the_respondents_language(engine: Engine) -> None:
    play(engine, ANNA, WHOLE_REVIEW)
    engine.set_language(ANNA, "en")
    summary = engine.summary(ANNA)
    assert summary.startswith("Summary of the self-review")
    assert "• Own mappings: “No”" in summary
    assert "Responsible: Socialchef. Done by 30 June 2027." in summary


def test_the_summary_is_deterministic(engine: Engine) -> None:
    play(engine, ANNA, WHOLE_REVIEW)
    review = engine.store.active_review(ANNA)
    assert summarize(engine.questionnaire, review, "sv") == summarize(
        engine.questionnaire, review, "sv"
    )
    assert engine.summary(ANNA) == engine.summary(ANNA)
