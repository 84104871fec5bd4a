"""The questionnaire content: complete, in both languages, and checked with clear errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dialogues.review.content import LANGUAGES, Questionnaire
from dialogues.review.diagram import markdown
from dialogues.review.engine import Engine
from dialogues.review.loader import CONTENT_DIR, ContentError, load_questionnaire
from storage.store import Store


def test_every_question_of_the_slides_is_there() -> None:
    q = load_questionnaire()
    assert [area.title("sv") for area in q.areas] == [
        "Överblick",
        "Planer",
        "Samverkan",
        "Rutiner och metoder",
        "Utformning av insatser",
        "Styrkor och svagheter",
    ]
    assert [len(area.questions) for area in q.areas] == [7, 3, 3, 6, 4, 4]
    assert len(list(q.questions)) == 27


def test_every_answer_has_a_reading_and_every_gap_a_commitment_worded_for_it() -> None:
    q = load_questionnaire()
    suggesting = ("partial", "missing", "find_out")
    for question in q.questions:
        for option in question.options:
            assert option.reading in ("strength", "partial", "missing", "find_out", "neutral")
            assert (option.reading in suggesting) == (option.commitment is not None), option
            if option.commitment:
                assert q.commitments[option.commitment].fits == option.reading, option
    used = {o.commitment for question in q.questions for o in question.options}
    used |= {c.commitment for question in q.questions for c in question.combinations}
    assert used - {None} == set(q.commitments)  # no commitment is unreachable


# The verbs a commitment starts with, by the answer it is worded for (DOMAIN.md, "Reading").
VERBS = {
    "missing": ("Ta fram", "Inled", "Inför", "Bygg upp"),
    "partial": ("Besluta", "Utveckla", "Bredda"),
    "find_out": ("Ta reda på",),
}


def test_each_commitment_is_worded_for_the_answers_it_comes_from() -> None:
    q = load_questionnaire()
    for commitment in q.commitments.values():
        assert commitment.text("sv").startswith(VERBS[commitment.fits]), commitment
        assert commitment.text("en").startswith("Find out") == (commitment.fits == "find_out")


def test_no_dont_know_yields_an_action() -> None:
    q = load_questionnaire()
    dont_knows = [o for question in q.questions for o in question.options if o.id == "dont_know"]
    assert len(dont_knows) >= 20
    for option in dont_knows:
        assert option.reading == "find_out"
        assert q.commitments[str(option.commitment)].text("sv").startswith("Ta reda på")


def test_a_count_is_never_a_strength() -> None:
    q = load_questionnaire()
    for question in q.questions:
        if question.kind == "number":
            assert all(o.reading in ("find_out", "neutral") for o in question.options)


def test_housing_solutions_offer_what_municipalities_use_and_both_multiple_choices_unknown() -> (
    None
):
    q = load_questionnaire()
    labels = [o.label("sv") for o in q.question("housing_solutions").options]
    assert "Sociala kontrakt" in labels
    assert "Akutboende eller härbärge" in labels
    for question_id in ("housing_solutions", "further_support"):
        options = {o.id: o for o in q.question(question_id).options}
        assert options["dont_know"].exclusive and options["dont_know"].label("sv") == "Vet inte"
        assert options["other"].label("sv") == "Annat" and not options["other"].exclusive
        assert options["other"].follow_up is not None  # "Annat": which?


def test_background_facts_of_the_slides_are_offered_as_more_info() -> None:
    q = load_questionnaire()
    info = " ".join(question.info("sv") for question in q.questions if question.info)
    for fact in (
        "fyra situationer",
        "9 000",
        "2 600",
        "2010:879",
        "2007–2009",
        "tidiga signaler",
        "600 barn",
    ):
        assert fact in info


def info_of(q: Questionnaire, question_id: str, lang: str) -> str:
    info = q.question(question_id).info
    assert info is not None, question_id
    return info(lang)


def test_the_background_gives_each_figure_its_year_and_source() -> None:
    q = load_questionnaire()
    for lang, source in (("sv", "Kronofogdens siffror"), ("en", "Kronofogden's figures")):
        for question_id in ("eviction_routines", "children_routines"):
            info = info_of(q, question_id, lang)
            assert source in info and "2012–2013" in info, (question_id, lang)
    evictions = info_of(q, "eviction_routines", "sv")
    assert "ca 400 hyresgäster om året" in evictions and "hyresnämnden" in evictions
    children = info_of(q, "children_routines", "sv")
    assert "600 barn" in children and "oklart" in children
    law = info_of(q, "owner_directives", "sv")
    assert "i allmännyttigt syfte främja bostadsförsörjningen" in law
    assert "samhällsansvar" in law
    law_en = info_of(q, "owner_directives", "en")
    assert "in the public interest, promote housing provision" in law_en


def test_more_info_ends_with_the_reading_list_of_the_slides(tmp_path: Path) -> None:
    engine = Engine(Store(tmp_path / "db"))
    engine.current("t:1")
    engine.answer("t:1", "1")
    for lang, heading in (("sv", "Läs mer"), ("en", "Read more")):
        engine.set_language("t:1", lang)
        shown = engine.info("t:1").notices[0]
        assert shown.split("\n\n")[-1].startswith(heading)
        assert "Sociala-hyreskontrakt-via-kommunen" in shown
        assert "socialstyrelsen.se/hemloshet" in shown
        assert "kronofogden.se" in shown
        assert "2012–2013" in shown  # the links are as old as the slides


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, folder)
    return folder


def edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "old", "new", "message"),
    [
        (
            "area1_overview.yaml",
            '      en: How does the municipality define "homelessness"?\n',
            "",
            "area1_overview.yaml: question 'definition': text: missing translation 'en'",
        ),
        (
            "area4_routines.yaml",
            "      question: followed_up",
            "      question: followed_upp",
            "area4_routines.yaml: question 'evaluated': ask_if refers to unknown question 'followed_upp'",
        ),
        (
            "area4_routines.yaml",
            '      answer_in: ["yes", partly]',
            '      answer_in: ["yes", sometimes]',
            "area4_routines.yaml: question 'evaluated': ask_if names 'sometimes', which is not an option of 'followed_up'",
        ),
        (
            "area1_overview.yaml",
            "          en: Socialstyrelsen's definition\n        reading: strength\n",
            "          en: Socialstyrelsen's definition\n",
            "area1_overview.yaml: question 'definition': option 'sos' has no reading",
        ),
        (
            "area2_plans.yaml",
            "  - id: housing_guidelines",
            "  - id: action_plan",
            "area2_plans.yaml: question 'action_plan': duplicate question id",
        ),
        (
            "area3_collaboration.yaml",
            "  - id: landlord_collaboration",
            "  - id: definition",  # a question id of another file
            "area3_collaboration.yaml: question 'definition': duplicate question id",
        ),
        (
            "area1_overview.yaml",
            "      - id: own\n",
            "      - id: sos\n",
            "area1_overview.yaml: question 'definition': duplicate option id 'sos'",
        ),
        (
            "area1_overview.yaml",
            "        commitment: mapping_regular\n",
            "        commitment: mappings\n",
            "area1_overview.yaml: question 'mapping': option 'occasional' suggests unknown commitment 'mappings'",
        ),
        (
            "area1_overview.yaml",
            "        reading: partial\n        commitment: mapping_regular\n",
            "        reading: partial\n",
            "area1_overview.yaml: question 'mapping': option 'occasional' reads as partial but suggests no commitment",
        ),
        (
            "area1_overview.yaml",
            "        reading: partial\n        commitment: mapping_regular\n",
            "        reading: partial\n        commitment: mapping\n",
            "area1_overview.yaml: question 'mapping': option 'occasional' reads as partial but suggests commitment 'mapping', which is worded for missing answers",
        ),
        (
            "area1_overview.yaml",
            "        reading: find_out\n        commitment: find_out_definition\n",
            "        reading: missing\n        commitment: definition\n",
            "area1_overview.yaml: question 'definition': option 'dont_know' must read as find_out",
        ),
        (
            "area1_overview.yaml",
            "        reading: missing\n        commitment: definition\n",
            "        reading: weakness\n        commitment: definition\n",
            "area1_overview.yaml: question 'definition': option 'none': reading 'weakness' is now 'partial' or 'missing'",
        ),
        (
            "commitments.yaml",
            "    for: missing\n",
            "",
            "commitments.yaml: commitment 'no_children_evicted': give for: partial | missing | find_out",
        ),
        (
            "area5_interventions.yaml",
            "        without: [housing_first]\n",
            "        without: [housing_frist]\n",
            "area5_interventions.yaml: question 'housing_solutions': combination 1 names 'housing_frist', which is not an option here",
        ),
        (
            "area5_interventions.yaml",
            "        commitment: housing_first_broaden\n",
            "        commitment: housing_first\n",
            "area5_interventions.yaml: question 'housing_solutions': combination 1 reads as partial but suggests commitment 'housing_first', which is worded for missing answers",
        ),
        (
            "area5_interventions.yaml",
            "        reading: find_out\n        exclusive: true\n        commitment: find_out_support\n",
            "        reading: find_out\n        commitment: find_out_support\n",
            "area5_interventions.yaml: question 'further_support': option 'dont_know' of a multiple choice needs exclusive: true",
        ),
        (
            "area3_collaboration.yaml",
            '      - id: "yes"\n        reading: strength\n        follow_up:',
            "      - id: yes\n        reading: strength\n        follow_up:",
            "area3_collaboration.yaml: question 'external_actors': option id must be a word of letters, digits and _, not True (write yes and no in quotes: \"yes\")",
        ),
        (
            "area1_overview.yaml",
            "    kind: single\n",
            "    kind: dropdown\n",
            "area1_overview.yaml: question 'definition': kind must be one of single, multi, number, scale, text, not 'dropdown'",
        ),
        (
            "area1_overview.yaml",
            "    short:\n",
            "    shrot:\n",
            "area1_overview.yaml: question 'definition': the question has unknown key(s): shrot",
        ),
        (
            "area2_plans.yaml",
            "questions:\n",
            "questions: [\n",
            "area2_plans.yaml: is not valid YAML",
        ),
        (
            "ui.yaml",
            'en: "Area {area} of {areas} · question {number} of {count} · about',
            'en: "Area {area} of {areas} · question {nummer} of {count} · about',
            "ui.yaml: text 'progress': the text: the languages use different {placeholders}",
        ),
        (
            "area1_overview.yaml",
            "          sv: Liten\n",
            "          sv: Liten, vi har inte kartlagt något alls ännu\n",
            "area1_overview.yaml: question 'knowledge': option 'little' label 'sv' is over 40 characters: too long for a button",
        ),
        (
            "commitments.yaml",
            "  - id: eviction_routines",
            "  - id: no_children_evicted",
            "commitments.yaml: commitment 'no_children_evicted': duplicate commitment id",
        ),
    ],
)
def test_broken_content_gives_one_clear_error(
    content: Path, name: str, old: str, new: str, message: str
) -> None:
    edit(content, name, old, new)
    with pytest.raises(ContentError) as error:
        load_questionnaire(content)
    assert str(error.value).startswith(message)


def test_wording_changes_need_no_code(content: Path, tmp_path: Path) -> None:
    edit(
        content,
        "area1_overview.yaml",
        "Hur definieras ”hemlöshet” i kommunen?",
        "Vad menar kommunen med hemlöshet?",
    )
    engine = Engine(Store(tmp_path / "db"), load_questionnaire(content))
    engine.current("t:1")
    assert engine.answer("t:1", "1").prompt.text == "Vad menar kommunen med hemlöshet?"


def test_every_text_exists_in_every_language() -> None:
    q = load_questionnaire()
    for key, text in q.texts.items():
        for lang in LANGUAGES:
            assert text(lang).strip(), key


def test_the_flow_diagram_beside_the_code_is_up_to_date() -> None:
    committed = (Path(__file__).parent.parent / "dialogues" / "review" / "flow.md").read_text(
        encoding="utf-8"
    )
    assert committed == markdown(load_questionnaire()), (
        "run: selfreview diagram > dialogues/review/flow.md"
    )
