"""Random input to the engine: whatever is sent, in any order, nothing breaks and nothing
stored breaks the rules."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dialogues.review import flow
from dialogues.review.engine import Engine
from dialogues.review.inputs import contains_identity_number
from tests.conftest import make_engine

TEXTS = st.one_of(
    st.sampled_from(["1", "2", "3", "4", "1,3", "9", "0", "", "  ", "Klar", "Ta med", "2027-06-30", "31/2 2027",
                     "1 200", "-5", "vet inte", "811228-9874", "Ring 811228-9874", "x" * 1001, "\x00", "Ja"]),
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=30),
)  # fmt: skip
ACTIONS = st.lists(
    st.tuples(
        st.sampled_from(
            ["answer", "choose", "toggle", "confirm", "skip", "back", "pause", "resume", "restart"]
        ),
        st.sampled_from([0, 1, 2]),  # which of three respondents
        TEXTS,
        st.sampled_from(
            [
                "sos",
                "own",
                "never",
                "land_allocation",
                "not_used",
                "evictions",
                "draft",
                "none",
                "done",
                "x",
            ]
        ),
    ),
    max_size=60,
)


def act(engine: Engine, action: str, respondent: str, text: str, option: str) -> None:
    step = engine.current(respondent).prompt.step
    calls = {
        "answer": lambda: engine.answer(respondent, text),
        "choose": lambda: engine.choose(respondent, [option], step),
        "toggle": lambda: engine.toggle(respondent, option, step),
        "confirm": lambda: engine.confirm(respondent, step),
        "skip": lambda: engine.skip(respondent),
        "back": lambda: engine.back(respondent),
        "pause": lambda: engine.pause(respondent),
        "resume": lambda: engine.resume(respondent),
        "restart": lambda: engine.restart(respondent),
    }
    reply = calls[action]()
    assert reply.prompt.step in engine.machine.states
    assert reply.prompt.text or reply.prompt.kind == "done"


@pytest.mark.parametrize("examples", [60, pytest.param(300, marks=pytest.mark.proof)])
def test_any_sequence_of_input_keeps_every_review_valid(examples: int) -> None:
    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(ACTIONS)
    def check(actions: list) -> None:
        with tempfile.TemporaryDirectory() as folder:
            engine = make_engine(Path(folder))
            people = ["telegram:1", "telegram:2", "terminal:åsa"]
            for action, who, text, option in actions:
                act(engine, action, people[who], text, option)
            for person in people:
                review = engine.store.active_review(person)
                if review is None:
                    continue
                assert review["state"] in engine.machine.states
                if review["state"] == flow.PAUSED:
                    assert review["resume_to"] in engine.machine.states
                stored = repr(review)
                typed = [
                    e["value"] for e in review["answers"].values() if isinstance(e["value"], str)
                ]
                typed += [e["text"] for e in review["follow_ups"].values()]
                typed += [i["text"] or "" for i in review["letter"]["items"]] + [
                    i["role"] or "" for i in review["letter"]["items"]
                ]
                assert not any(contains_identity_number(text) for text in typed)
                assert not re.search(r"[\x00-\x08\x0b-\x1f]", "".join(typed))
                assert all(len(text) <= 1000 for text in typed)
                for other in people:
                    if other != person:
                        assert other not in stored  # nobody's data in anyone else's review
                engine.summary(person)
                engine.status(person)
            assert engine.sessions.held() == []

    check()
