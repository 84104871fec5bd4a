"""The municipality's joint letter: its members' commitments merged by theme, settled by one
contact, and agreed with the decision's body, date and case number."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from dialogues.errors import Refusal
from dialogues.programme import joint_letter
from dialogues.programme.consolidated import consolidated, consolidated_text
from dialogues.programme.programme import Programme
from dialogues.review import letter
from dialogues.review.engine import Engine
from storage.programme import ProgrammeStore
from storage.store import Store
from tests.conftest import TODAY, play
from tests.script import WHOLE_REVIEW

COORDINATOR = 900
SOCIAL, HOUSING, PLANNING = "telegram:111", "telegram:222", "telegram:333"
UNTIL_LETTER = WHOLE_REVIEW[: [step for _, step in WHOLE_REVIEW].index("letter.choose")]
HOUSING_LETTER = [
    ("1,3", "letter.choose"),  # evictions and children, knowledge and mapping
    ("Bostadschef", "letter.role"),
    ("Q3 2027", "letter.due"),
    ("Analyschef", "letter.role"),
    ("2027-10-31", "letter.due"),
    ("/skip", "letter.own"),
]


def finish(programme: Programme, respondent: str, steps: list[tuple[str, str]]) -> None:
    engine = programme.engine
    for typed, _ in steps:
        reply = engine.skip(respondent) if typed == "/skip" else engine.answer(respondent, typed)
        assert reply.error is None, (typed, reply.error)


@pytest.fixture
def programme(tmp_path: Path) -> Programme:
    clock = lambda: datetime(2026, 11, 25, 10, 0, tzinfo=UTC)  # noqa: E731
    ticks = itertools.count()
    engine = Engine(  # a clock that only goes forward: who finished first is known
        Store(tmp_path),
        today=lambda: TODAY,
        clock=lambda: (
            datetime(2026, 11, 24, 10, tzinfo=UTC) + timedelta(seconds=next(ticks))
        ).isoformat(),
    )
    programme = Programme(engine, ProgrammeStore(tmp_path), frozenset({COORDINATOR}), clock=clock)
    token = programme.invite("Uppsala", added_by=COORDINATOR).token
    for user, (rid, organisation) in enumerate(
        [(SOCIAL, "social_services"), (HOUSING, "housing_company"), (PLANNING, "planning")],
        start=111,
    ):
        programme.join(rid, user, token)
        programme.set_organisation(rid, organisation)
    play(programme.engine, SOCIAL, WHOLE_REVIEW)  # evictions, plans, keep collaboration, own
    play(programme.engine, HOUSING, UNTIL_LETTER)
    finish(programme, HOUSING, HOUSING_LETTER)
    return programme


def test_the_lines_merge_the_members_choices_by_theme_most_chosen_first(
    programme: Programme,
) -> None:
    draft = joint_letter.read(programme, "0380", "sv")
    assert draft.status == "none" and draft.contact is None
    keys = [line.key for line in draft.lines]
    assert keys[0] == "theme:evictions"  # chosen by two members
    assert set(keys[1:4]) == {"theme:plans", "theme:knowledge", "theme:collaboration"}
    assert keys[4].startswith(f"own:{SOCIAL}:")  # their own commitments last
    evictions = draft.lines[0]
    assert evictions.wording.startswith("Inför rutiner så att inga barnfamiljer vräks")
    assert [(m.organisation, m.role, m.due) for m in evictions.members] == [
        ("Socialtjänsten", "Socialchef", "2027-06-30"),
        ("Bostadsbolaget", "Bostadschef", "2027-09-30"),
    ]
    collaboration = next(line for line in draft.lines if line.key == "theme:collaboration")
    assert collaboration.wording.startswith("Håll samverkan i fasta former")  # keep and spread


def test_only_the_contact_settles_it_and_only_a_member_can_be_contact(
    programme: Programme,
) -> None:
    assert joint_letter.proposed_contact(programme, "0380") == SOCIAL  # the first to finish
    with pytest.raises(Refusal) as refused:
        joint_letter.set_contact(programme, "0380", "telegram:999")
    assert refused.value.key == "err_not_member"
    joint_letter.set_contact(programme, "0380", HOUSING)
    with pytest.raises(Refusal) as refused:
        joint_letter.settle(programme, "0380", SOCIAL, "theme:evictions", "sv", keep=True)
    assert refused.value.key == "err_not_contact"
    assert joint_letter.read(programme, "0380", "sv").status == "draft"
    assert joint_letter.status(programme, "0380") == "draft"


def settle_all(programme: Programme, contact: str) -> None:
    for line in joint_letter.read(programme, "0380", "sv").lines:
        keep = not line.key.startswith("own:")
        joint_letter.settle(programme, "0380", contact, line.key, "sv", keep=keep)
        if keep:
            joint_letter.set_role(programme, "0380", contact, line.key, "Socialchef")
            joint_letter.set_due(programme, "0380", contact, line.key, "juni 2027")


def test_the_contact_keeps_rewords_drops_and_agrees(programme: Programme) -> None:
    joint_letter.set_contact(programme, "0380", SOCIAL)
    joint_letter.settle(
        programme, "0380", SOCIAL, "theme:plans", "sv", keep=True, wording="Anta en handlingsplan."
    )
    with pytest.raises(Refusal) as refused:
        joint_letter.agree(programme, "0380", SOCIAL, "sv", "Socialnämnden", "idag", "SN 2026/112")
    assert refused.value.key == "err_letter_unsettled"  # lines left, and no role for plans
    settle_all(programme, SOCIAL)
    joint_letter.set_role(programme, "0380", SOCIAL, "theme:plans", "Kommundirektör")
    joint_letter.set_due(programme, "0380", SOCIAL, "theme:plans", "Q4 2027")
    with pytest.raises(Refusal) as refused:
        joint_letter.agree(programme, "0380", SOCIAL, "sv", "Socialnämnden", "2027-01-01", "1")
    assert refused.value.key == "err_date_future"
    joint_letter.agree(
        programme, "0380", SOCIAL, "sv", "Socialnämnden", "2026-11-20", "SN 2026/112"
    )
    agreed = joint_letter.read(programme, "0380", "sv")
    assert agreed.status == "agreed" and agreed.lines == ()
    assert agreed.decision == {"body": "Socialnämnden", "date": "2026-11-20", "case": "SN 2026/112"}
    kept = [(i["key"], i["wording"][:24], i["role"], i["due"]) for i in agreed.kept]
    assert kept[0] == ("theme:plans", "Anta en handlingsplan.", "Kommundirektör", "2027-12-31")
    assert len(kept) == 4 and all(role and due for _, _, role, due in kept)
    assert [i["key"] for i in agreed.items if not i["kept"]] == [f"own:{SOCIAL}:own.1"]
    with pytest.raises(Refusal) as refused:
        joint_letter.settle(programme, "0380", SOCIAL, "theme:plans", "sv", keep=False)
    assert refused.value.key == "err_letter_agreed"


def test_a_kept_line_stays_whatever_the_members_do_and_new_choices_add_lines(
    programme: Programme,
) -> None:
    joint_letter.set_contact(programme, "0380", SOCIAL)
    settle_all(programme, SOCIAL)
    assert joint_letter.read(programme, "0380", "sv").lines == ()
    # The housing company goes back to its list and swaps knowledge for follow-up.
    engine = programme.engine
    engine.back(HOUSING)
    reply = engine.back(HOUSING)
    assert reply.prompt.step == "letter.choose"
    engine.toggle(HOUSING, "knowledge", "letter.choose")
    engine.toggle(HOUSING, "follow_up", "letter.choose")
    engine.confirm(HOUSING, "letter.choose")
    engine.answer(HOUSING, "Kvalitetschef")
    engine.answer(HOUSING, "Q1 2028")
    engine.skip(HOUSING)
    review = programme.respondents.active_review(HOUSING)
    assert "follow_up" in [i["id"] for i in letter.adopted(review)]
    draft = joint_letter.read(programme, "0380", "sv")
    assert [line.key for line in draft.lines] == ["theme:follow_up"]  # a new line to settle
    assert "theme:knowledge" in [i["key"] for i in draft.kept]  # kept, in its words


def test_forgetting_the_contact_leaves_the_letter_without_one(programme: Programme) -> None:
    joint_letter.set_contact(programme, "0380", HOUSING)
    programme.forget(HOUSING, 222)
    assert joint_letter.read(programme, "0380", "sv").contact is None


def test_a_member_who_has_not_begun_is_not_counted_as_a_respondent(programme: Programme) -> None:
    result = consolidated(programme, "0380", "en")
    assert result.respondents == 2  # the planning office joined but has answered nothing
    text = consolidated_text("Uppsala", result, programme.engine.questionnaire, "en")
    assert text.startswith("Consolidated summary for Uppsala: 2 respondents")
