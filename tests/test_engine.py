"""The dialogue engine: every path an official can take through the review."""

from __future__ import annotations

from pathlib import Path

import pytest

from dialogues.review import flow
from dialogues.review.engine import Engine
from tests.conftest import make_engine, play, play_until
from tests.script import WHOLE_REVIEW

ANNA = "terminal:anna"


def test_a_whole_review_ends_in_the_summary(engine: Engine) -> None:
    reply = play(engine, ANNA, WHOLE_REVIEW)
    assert reply.prompt.kind == "done"
    assert reply.prompt.step == flow.DONE
    summary = engine.summary(ANNA)
    assert "Preliminär" not in summary
    assert "Socialchef" in summary and "2027-06-30" in summary
    assert "Inventera kommunens sociala kontrakt" in summary


def test_the_first_question_of_each_area_comes_with_the_area_intro(engine: Engine) -> None:
    reply = engine.current(ANNA)
    reply = engine.answer(ANNA, "1")
    assert reply.notices[0].startswith("Överblick.")
    steps = [step for _, step in WHOLE_REVIEW]
    reply = play(engine, ANNA, WHOLE_REVIEW[1 : steps.index("recap.overview")])
    assert reply.notices == ()
    reply = engine.answer(ANNA, "1")
    assert reply.prompt.step == "q.action_plan"
    assert reply.notices[0].startswith("Planer.")


def test_progress_counts_the_questions_of_the_area(engine: Engine) -> None:
    reply = play_until(engine, ANNA, "q.housing_guidelines")
    assert reply.prompt.progress == "Område 2 av 6 · fråga 2 av 3 · ca 9 min kvar"


def test_no_follow_up_unless_the_answer_asks_for_one(engine: Engine) -> None:
    play_until(engine, ANNA, "q.definition")
    reply = engine.answer(ANNA, "1")  # Socialstyrelsen's definition: nothing to tell
    assert reply.prompt.step == "q.knowledge"


def test_no_homelessness_here_is_an_answer_with_its_own_follow_up(engine: Engine) -> None:
    play_until(engine, ANNA, "q.knowledge")
    reply = engine.answer(ANNA, "Vi har ingen hemlöshet här")
    assert reply.prompt.step == "f.knowledge"
    assert "sociala kontrakt" in reply.prompt.text
    reply = engine.answer(ANNA, "Vi har frågat socialtjänsten och bostadsbolaget.")
    assert reply.prompt.step == "q.mapping"
    assert "Vi har frågat socialtjänsten" in engine.summary(ANNA)


def test_evaluation_is_asked_only_of_what_is_followed_up(tmp_path: Path) -> None:
    asked = {}
    for answer, label in (("1", "yes"), ("2", "partly"), ("3", "no"), ("4", "dont_know")):
        engine = make_engine(tmp_path / label)
        play_until(engine, ANNA, "q.followed_up")
        reply = engine.answer(ANNA, answer)
        asked[label] = reply.prompt.step
    assert asked == {
        "yes": "q.evaluated",
        "partly": "q.evaluated",
        "no": "q.outreach",
        "dont_know": "q.outreach",
    }


def test_a_skipped_condition_question_skips_what_depends_on_it(engine: Engine) -> None:
    play_until(engine, ANNA, "q.followed_up")
    reply = engine.skip(ANNA)
    assert reply.prompt.step == "q.outreach"
    assert "fråga 4 av 6" in reply.prompt.progress  # the left-out question keeps its number


def test_the_plan_content_follow_up_is_asked_only_when_there_is_a_plan(tmp_path: Path) -> None:
    with_plan, without_plan = make_engine(tmp_path / "a"), make_engine(tmp_path / "b")
    play_until(with_plan, ANNA, "q.action_plan")
    play_until(without_plan, ANNA, "q.action_plan")
    assert with_plan.answer(ANNA, "1").prompt.step == "f.action_plan"
    assert without_plan.answer(ANNA, "4").prompt.step == "q.housing_guidelines"


def test_back_goes_across_areas_past_the_recap(engine: Engine) -> None:
    play_until(engine, ANNA, "q.housing_guidelines")
    assert engine.back(ANNA).prompt.step == "q.action_plan"
    reply = engine.back(ANNA)
    assert reply.prompt.step == "q.owner_directives"
    assert reply.prompt.selected == ("general_only",)


def test_back_returns_to_a_follow_up_that_was_asked(engine: Engine) -> None:
    play_until(engine, ANNA, "q.knowledge")
    reply = engine.back(ANNA)
    assert reply.prompt.step == "f.definition"
    assert reply.prompt.current == "Vi räknar bara akut hemlöshet"


def test_back_at_the_start_says_so(engine: Engine) -> None:
    reply = engine.current(ANNA)
    reply = engine.back(ANNA)
    assert reply.error == "Ni är redan vid början."
    assert reply.prompt.step == "intro"


def test_back_from_the_letter_returns_to_the_open_questions(engine: Engine) -> None:
    play_until(engine, ANNA, "letter.choose")
    reply = engine.back(ANNA)
    assert reply.prompt.step == "q.next_year"
    assert reply.prompt.current == "Ta fram en handlingsplan under 2027."


def test_skip_leaves_the_question_open(engine: Engine) -> None:
    play_until(engine, ANNA, "q.mapping")
    reply = engine.skip(ANNA)
    assert reply.prompt.step == "q.assistance_count"
    assert "Obesvarat: Egna kartläggningar" in engine.summary(ANNA)


def test_skip_keeps_an_answer_given_before(engine: Engine) -> None:
    play_until(engine, ANNA, "q.assistance_count")
    engine.back(ANNA)
    engine.skip(ANNA)
    assert "Egna kartläggningar: ”Nej”" in engine.summary(ANNA)


def test_a_changed_answer_is_kept_in_the_history(engine: Engine) -> None:
    play_until(engine, ANNA, "q.assistance_count")
    engine.back(ANNA)
    engine.answer(ANNA, "1")
    review = engine.store.active_review(ANNA)
    assert review["answers"]["mapping"]["value"] == "continuous"
    assert review["history"][-1] | {"at": None} == {
        "question": "mapping",
        "old": "never",
        "new": "continuous",
        "at": None,
    }


def test_pause_and_resume_return_to_the_same_question(engine: Engine) -> None:
    play_until(engine, ANNA, "q.mapping")
    reply = engine.pause(ANNA)
    assert reply.prompt.kind == "paused"
    assert engine.answer(ANNA, "1").error.startswith("Självskattningen är pausad")
    reply = engine.resume(ANNA)
    assert reply.prompt.step == "q.mapping"
    assert reply.notices == ("Välkommen tillbaka! Vi fortsätter där ni var.",)


def test_a_new_process_continues_where_the_respondent_was(tmp_path: Path) -> None:
    first = make_engine(tmp_path)
    play_until(first, ANNA, "q.income_support")
    first.pause(ANNA)
    second = make_engine(tmp_path)  # as after a restart: nothing in memory
    assert second.current(ANNA).prompt.kind == "paused"
    reply = second.resume(ANNA)
    assert reply.prompt.step == "q.income_support"
    assert second.summary(ANNA).count("”") >= 4


def test_restart_begins_afresh_and_keeps_the_old_review(engine: Engine) -> None:
    play_until(engine, ANNA, "q.mapping")
    reply = engine.restart(ANNA)
    assert reply.prompt.step == "intro"
    assert reply.notices[0].startswith("Ni har börjat om")
    reviews = engine.store.reviews(ANNA)
    assert [review["status"] for review in reviews] == ["archived", "active"]
    assert reviews[0]["answers"]["definition"]["value"] == "own"
    assert reviews[1]["answers"] == {}


def test_an_input_handed_over_twice_is_taken_once(engine: Engine) -> None:
    """After a crash, Telegram hands over again what the bot had taken but not confirmed."""
    play_until(engine, ANNA, "f.definition")
    text = "Vi räknar bara akut hemlöshet"
    assert engine.answer(ANNA, text, delivery=41).prompt.step == "q.knowledge"
    assert engine.answer(ANNA, text, delivery=41).repeated
    assert engine.skip(ANNA, delivery=40).repeated  # older still: taken too
    review = engine.store.active_review(ANNA)
    assert review["state"] == "q.knowledge"
    assert "knowledge" not in review["answers"]
    assert review["last_delivery"] == 41


def test_a_tick_handed_over_twice_stays_ticked(engine: Engine) -> None:
    play_until(engine, ANNA, "q.planning_tools")
    tick = lambda delivery: engine.toggle(  # noqa: E731
        ANNA, "land_allocation", "q.planning_tools", delivery=delivery
    )
    tick(7)
    tick(7)
    assert engine.store.active_review(ANNA)["drafts"]["q.planning_tools"] == ["land_allocation"]
    tick(8)  # a new press unticks
    assert engine.store.active_review(ANNA)["drafts"]["q.planning_tools"] == []


def test_a_refused_input_handed_over_again_is_not_refused_again(engine: Engine) -> None:
    """After a crash Telegram hands over what the killed bot had refused, too: told twice,
    the person would type their answer twice, and the second would answer the next question."""
    play_until(engine, ANNA, "q.mapping")
    before = engine.store.active_review(ANNA)
    assert engine.answer(ANNA, "9", delivery=5).error is not None
    again = engine.answer(ANNA, "9", delivery=5)
    assert again.repeated and again.error is None
    after = engine.store.active_review(ANNA)
    assert after["last_delivery"] == 5
    assert {k: v for k, v in after.items() if k != "last_delivery"} == before  # nothing else
    assert engine.answer(ANNA, "1", delivery=6).prompt.step != "q.mapping"  # the next is taken


def test_a_refusal_is_told_when_the_disk_refuses_to_note_it(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    play_until(engine, ANNA, "q.mapping")

    def full(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("storage.atomic.write_atomically", full)
    reply = engine.answer(ANNA, "9", delivery=5)
    assert reply.error is not None and reply.prompt.step == "q.mapping"


def test_a_button_from_an_earlier_question_changes_nothing(engine: Engine) -> None:
    play_until(engine, ANNA, "q.mapping")
    reply = engine.choose(ANNA, ["sos"], step="q.definition")
    assert reply.error.startswith("Den knappen hör till en tidigare fråga")
    assert reply.prompt.step == "q.mapping"
    assert engine.store.active_review(ANNA)["answers"]["definition"]["value"] == "own"


def test_a_forged_option_is_refused(engine: Engine) -> None:
    play_until(engine, ANNA, "q.mapping")
    reply = engine.choose(ANNA, ["drop table"], step="q.mapping")
    assert reply.error == "Välj ett av alternativen 1–4."
    assert reply.prompt.step == "q.mapping"


def test_buttons_answer_like_typing(engine: Engine) -> None:
    play_until(engine, ANNA, "q.planning_tools")
    reply = engine.choose(ANNA, ["detailed_plans", "land_allocation"], step="q.planning_tools")
    assert reply.prompt.step == "recap.plans"
    answers = engine.store.active_review(ANNA)["answers"]
    assert answers["planning_tools"]["value"] == ["land_allocation", "detailed_plans"]


def test_an_exclusive_option_stands_alone(engine: Engine) -> None:
    play_until(engine, ANNA, "q.planning_tools")
    reply = engine.answer(ANNA, "1,5")
    assert reply.error == "”Verktygen används inte för detta” går inte att kombinera med andra val."
    assert reply.prompt.step == "q.planning_tools"


def test_the_recap_names_strengths_weaknesses_and_open_questions(engine: Engine) -> None:
    reply = play_until(engine, ANNA, "recap.overview")
    text = reply.prompt.text
    assert text.startswith("Klart med Överblick!")
    assert "Styrkor" not in text  # the count of people with economic assistance is a fact
    assert "Att utveckla: Egna kartläggningar, Försörjningsstöd som inkomst" in text


def test_status_shows_progress_per_area(engine: Engine) -> None:
    play_until(engine, ANNA, "q.action_plan")
    status = engine.status(ANNA).splitlines()
    assert status[0] == "1. Överblick: 7 av 7 besvarade"
    assert status[1] == "2. Planer: 0 av 3 besvarade"


def test_english_respondents_get_english(engine: Engine) -> None:
    reply = engine.current("telegram:7", lang="en")
    assert reply.prompt.text.startswith("Hi!")
    reply = engine.answer("telegram:7", "Start")
    assert reply.prompt.text == 'How does the municipality define "homelessness"?'
    assert reply.prompt.progress.startswith("Area 1 of 6 · question 1 of 7 · about ")
    assert engine.answer("telegram:7", "9").error == "Choose one of the options 1–4."


def test_language_can_be_changed(engine: Engine) -> None:
    engine.current(ANNA)
    reply = engine.set_language(ANNA, "en")
    assert reply.prompt.options[0].label == "Start"
    assert make_engine(engine.store.folder).language(ANNA) == "en"


def test_more_info_shows_the_background(engine: Engine) -> None:
    play_until(engine, ANNA, "q.definition")
    assert "fyra situationer" in engine.info(ANNA).notices[0]
    engine.answer(ANNA, "1")
    assert engine.info(ANNA).notices[0] == "Det finns ingen extra information till den här frågan."


def test_two_respondents_never_share_state(engine: Engine) -> None:
    play_until(engine, ANNA, "q.mapping")
    other = "terminal:bo"
    assert engine.current(other).prompt.step == "intro"
    engine.answer(other, "1")
    engine.answer(other, "1")
    assert engine.current(ANNA).prompt.step == "q.mapping"
    assert engine.store.active_review(other)["answers"]["definition"]["value"] == "sos"
    assert engine.store.active_review(ANNA)["answers"]["definition"]["value"] == "own"


def test_the_shared_machine_holds_no_respondent_after_a_message(engine: Engine) -> None:
    play_until(engine, ANNA, "q.mapping")
    engine.answer("terminal:bo", "1")
    assert engine.sessions.held() == []


def test_after_the_summary_more_input_is_answered_not_ignored(engine: Engine) -> None:
    play(engine, ANNA, WHOLE_REVIEW)
    reply = engine.answer(ANNA, "hej")
    assert reply.error.startswith("Självskattningen är klar")
    assert engine.back(ANNA).prompt.step == "letter.own"


def test_multiple_choice_ticks_are_kept_on_disk_until_done(tmp_path: Path) -> None:
    engine = make_engine(tmp_path)
    play_until(engine, ANNA, "q.planning_tools")
    engine.toggle(ANNA, "land_allocation", "q.planning_tools")
    reply = make_engine(tmp_path).toggle(
        ANNA, "detailed_plans", "q.planning_tools"
    )  # a new process
    assert reply.prompt.selected == ("land_allocation", "detailed_plans")
    reply = engine.toggle(ANNA, "land_allocation", "q.planning_tools")  # untick
    assert reply.prompt.selected == ("detailed_plans",)
    reply = engine.confirm(ANNA, "q.planning_tools")
    assert reply.prompt.step == "recap.plans"
    review = engine.store.active_review(ANNA)
    assert review["answers"]["planning_tools"]["value"] == ["detailed_plans"]
    assert review["drafts"] == {}


def test_an_exclusive_tick_clears_the_others_and_the_other_way_round(engine: Engine) -> None:
    play_until(engine, ANNA, "q.planning_tools")
    engine.toggle(ANNA, "land_allocation", "q.planning_tools")
    reply = engine.toggle(ANNA, "not_used", "q.planning_tools")
    assert reply.prompt.selected == ("not_used",)
    reply = engine.toggle(ANNA, "comprehensive_plan", "q.planning_tools")
    assert reply.prompt.selected == ("comprehensive_plan",)


def test_done_with_nothing_ticked_asks_again(engine: Engine) -> None:
    play_until(engine, ANNA, "q.planning_tools")
    reply = engine.confirm(ANNA, "q.planning_tools")
    assert reply.error == "Välj ett eller flera av alternativen 1–6, t.ex. 1,3."
    assert engine.toggle(ANNA, "forged", "q.planning_tools").error is not None
    assert engine.toggle(ANNA, "land_allocation", "q.mapping").error.startswith("Den knappen")


def test_export_holds_everything_about_the_respondent_and_forget_erases_it(engine: Engine) -> None:
    play_until(engine, ANNA, "q.mapping")
    engine.current("terminal:bo")
    data = engine.export(ANNA)
    assert data["respondent"]["id"] == ANNA
    assert data["reviews"][0]["answers"]["definition"]["value"] == "own"
    assert "terminal:bo" not in repr(data)
    engine.forget(ANNA)
    assert not engine.is_known(ANNA)
    assert engine.store.respondent_ids() == ["terminal:bo"]
