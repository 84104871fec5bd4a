"""The list of Sweden's municipalities, and finding one as a coordinator types it."""

from __future__ import annotations

import unicodedata

import pytest
import yaml

from dialogues.programme.municipalities import MUNICIPALITIES_FILE, load_municipalities


def test_all_290_municipalities_in_21_counties() -> None:
    data = load_municipalities()
    assert len(data.all) == 290
    assert len(data.counties) == 21
    codes = [m.code for m in data.all]
    assert len(set(codes)) == 290
    assert all(
        m.code.isdigit() and len(m.code) == 4 and m.code[:2] == m.county.code for m in data.all
    )
    assert len({m.name for m in data.all}) == 290
    assert data.by_code["0180"].name == "Stockholm"
    assert data.by_code["0980"].county.name == "Gotlands län"


def test_a_municipality_is_found_by_code_name_or_a_near_miss() -> None:
    data = load_municipalities()
    assert [m.name for m in data.find("1280")] == ["Malmö"]
    assert [m.name for m in data.find("malmo")] == ["Malmö"]
    assert [m.name for m in data.find("Upplands Väsby kommun")] == ["Upplands Väsby"]
    assert [m.name for m in data.find("upplands vasby")] == ["Upplands Väsby"]
    assert data.find("Götebrog")[0].name == "Göteborg"
    assert data.find("Örnsköldvik")[0].name == "Örnsköldsvik"
    assert data.find("Atlantis") == []


def test_a_county_is_found_by_code_or_name() -> None:
    data = load_municipalities()
    assert data.county("03").name == "Uppsala län"
    assert data.county("Uppsala län").code == "03"
    assert data.county("västra götaland").code == "14"
    assert data.county("Skåne").code == "12"
    assert data.county("Narnia") is None


def _without_accents(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _alike_without_accents() -> list[tuple[str, str]]:
    """Every pair of names in municipalities.yaml that only accents tell apart."""
    data = yaml.safe_load(MUNICIPALITIES_FILE.read_text(encoding="utf-8"))
    names = [name for county in data["counties"] for name in county["municipalities"].values()]
    return [
        (a, b)
        for i, a in enumerate(names)
        for b in names[i + 1 :]
        if _without_accents(a) == _without_accents(b)
    ]


PAIRS = _alike_without_accents()


def test_some_names_differ_only_by_accents() -> None:
    assert ("Håbo", "Habo") in PAIRS or ("Habo", "Håbo") in PAIRS


@pytest.mark.parametrize("pair", PAIRS, ids=["/".join(pair) for pair in PAIRS])
def test_each_name_alike_without_accents_finds_its_own_municipality(
    pair: tuple[str, str],
) -> None:
    data = load_municipalities()
    for name in pair:
        code = next(m.code for m in data.all if m.name == name)
        for typed in (
            name,
            name.upper(),
            name.lower(),
            unicodedata.normalize("NFD", name),  # as some keyboards send it
            f"{name} kommun",
        ):
            assert [m.code for m in data.find(typed)] == [code], typed


def test_a_name_without_its_accents_is_asked_about_when_two_municipalities_fit() -> None:
    data = load_municipalities()
    assert [m.code for m in data.find("Håbo")] == ["0305"]  # Uppsala län
    assert [m.code for m in data.find("Habo")] == ["0643"]  # Jönköpings län
    assert sorted(m.code for m in data.find("Hàbo")) == ["0305", "0643"]  # which one?
