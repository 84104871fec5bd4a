"""The coordinators' programme without Telegram: roles, invitations, joining, membership."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from dialogues.programme.programme import Programme, ProgrammeError
from dialogues.review.report import build_report
from storage.programme import ProgrammeStore
from tests.conftest import TODAY, make_engine, play_until

BOSS, OTHER = 900, 901


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def programme(tmp_path: Path, clock: Clock) -> Programme:
    engine = make_engine(tmp_path)
    return Programme(engine, ProgrammeStore(tmp_path), frozenset({BOSS}), clock=clock)


def test_coordinators_come_from_settings_and_from_other_coordinators(programme: Programme) -> None:
    assert programme.is_coordinator(BOSS)
    assert not programme.is_coordinator(OTHER)
    programme.add_coordinator(OTHER, added_by=BOSS)
    assert programme.is_coordinator(OTHER)
    programme.remove_coordinator(OTHER)
    assert not programme.is_coordinator(OTHER)
    with pytest.raises(ProgrammeError) as refused:
        programme.remove_coordinator(BOSS)
    assert refused.value.key == "err_coordinator_configured"


def test_an_invitation_is_unguessable_stable_and_revocable(programme: Programme) -> None:
    first = programme.invite("uppsala", added_by=BOSS)
    assert first.municipality.code == "0380"
    assert len(first.token) == 16 and first.token.replace("-", "").replace("_", "").isalnum()
    assert programme.invite("0380", added_by=BOSS).token == first.token
    programme.revoke("Uppsala")
    second = programme.invite("Uppsala", added_by=BOSS)
    assert second.token != first.token
    with pytest.raises(ProgrammeError) as refused:
        programme.join("telegram:1", 1, first.token)
    assert refused.value.key == "err_invitation_revoked"


def test_an_ambiguous_or_unknown_name_is_explained(programme: Programme) -> None:
    with pytest.raises(ProgrammeError) as refused:
        programme.invite("Atlantis", added_by=BOSS)
    assert refused.value.key == "err_no_municipality"


def test_joining_makes_an_official_a_member_with_an_organisation(programme: Programme) -> None:
    token = programme.invite("Uppsala", added_by=BOSS).token
    found = programme.join("telegram:1", 1, token, lang="en")
    assert found.name == "Uppsala"
    programme.set_organisation("telegram:1", "housing_company")
    municipality, organisation = programme.membership("telegram:1")
    assert (municipality.name, organisation) == ("Uppsala", "housing_company")
    assert [r["id"] for r in programme.members("0380")] == ["telegram:1"]
    assert programme.engine.language("telegram:1") == "en"


def test_an_official_belongs_to_one_municipality_at_a_time(programme: Programme) -> None:
    uppsala = programme.invite("Uppsala", added_by=BOSS).token
    umea = programme.invite("Umeå", added_by=BOSS).token
    programme.join("telegram:1", 1, uppsala)
    play_until(programme.engine, "telegram:1", "q.mapping")
    programme.join("telegram:1", 1, umea)
    assert programme.members("0380") == []
    assert [r["id"] for r in programme.members("2480")] == ["telegram:1"]
    statuses = [review["status"] for review in programme.engine.store.reviews("telegram:1")]
    assert statuses == ["archived", "active"]  # the Uppsala answers are kept, not mixed in


def test_wrong_codes_are_slowed_down(programme: Programme, clock: Clock) -> None:
    token = programme.invite("Uppsala", added_by=BOSS).token
    for _ in range(5):
        with pytest.raises(ProgrammeError) as refused:
            programme.join("telegram:1", 1, "guess" + "x" * 11)
        assert refused.value.key == "err_invitation_wrong"
    with pytest.raises(ProgrammeError) as refused:
        programme.join("telegram:1", 1, token)  # even the right code must wait now
    assert refused.value.key == "err_slow_down"
    clock.now += timedelta(minutes=1, seconds=1)
    assert programme.join("telegram:1", 1, token).name == "Uppsala"
    assert programme.store.attempts(1) is None


def test_forgetting_removes_the_membership_too(programme: Programme, tmp_path: Path) -> None:
    token = programme.invite("Uppsala", added_by=BOSS).token
    programme.join("telegram:1", 1, token)
    programme.forget("telegram:1")
    assert programme.members("0380") == []
    assert "telegram:1" not in (tmp_path / "programme.json").read_text(encoding="utf-8")


def _report_round(programme: Programme, respondent_id: str) -> str:
    """The round the respondent's report names (its "Omgång" line)."""
    review = programme.engine.store.active_review(respondent_id)
    q = programme.engine.questionnaire
    report = build_report(q, review, "sv", TODAY, "Uppsala")
    return dict(report.details)["Omgång"]


def test_someone_joining_after_a_new_round_reviews_in_that_round(programme: Programme) -> None:
    token = programme.invite("Uppsala", added_by=BOSS).token
    programme.join("telegram:1", 1, token)
    programme.new_round("Uppsala")
    programme.join("telegram:2", 2, token)  # new to the bot
    play_until(programme.engine, "telegram:3", "q.mapping")  # began before joining
    programme.join("telegram:3", 3, token)
    for rid in ("telegram:1", "telegram:2", "telegram:3"):
        assert _report_round(programme, rid) == "2", rid
    statuses = [review["status"] for review in programme.engine.store.reviews("telegram:2")]
    assert statuses == ["active"]  # no empty "round 1" review left behind


def test_moving_to_a_municipality_in_another_round_takes_its_round(programme: Programme) -> None:
    uppsala = programme.invite("Uppsala", added_by=BOSS).token
    umea = programme.invite("Umeå", added_by=BOSS).token
    programme.join("telegram:1", 1, uppsala)
    programme.new_round("Uppsala")
    play_until(programme.engine, "telegram:1", "q.mapping")
    programme.join("telegram:1", 1, umea)
    assert _report_round(programme, "telegram:1") == "1"


def test_håbo_is_invited_not_habo(programme: Programme) -> None:
    assert programme.invite("Håbo", added_by=BOSS).municipality.code == "0305"
    assert programme.invite("Habo", added_by=BOSS).municipality.code == "0643"
    assert programme.parse_scope(["Håbo", "hej"]) == ("municipality:0305", ["hej"])
    nfd = unicodedata.normalize("NFD", "Håbo")
    assert programme.parse_scope([nfd, "hej"]) == ("municipality:0305", ["hej"])
