"""The list of Sweden's municipalities, and finding one as a coordinator types it."""

from __future__ import annotations

from dialogues.programme.municipalities import load_municipalities


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
