"""Sweden's municipalities and counties, and finding one from what a coordinator types."""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from dialogues.review.checking import parse_yaml
from dialogues.review.loader import ContentError


@dataclass(frozen=True)
class County:
    code: str  # two digits, e.g. "03"
    name: str  # e.g. "Uppsala län"


@dataclass(frozen=True)
class Municipality:
    code: str  # four digits, the county's two first, e.g. "0380"
    name: str  # e.g. "Uppsala"
    county: County


def _exact(text: str) -> str:
    """A name as written, accents kept: one Unicode form, lower case, "kommun" and hyphens
    aside, so "HÅBO" and "Håbo kommun" find Håbo and never Habo."""
    lowered = unicodedata.normalize("NFC", text).casefold()
    return " ".join(lowered.replace("-", " ").replace("kommun", "").split())


def _fold(text: str) -> str:
    """Lower case without accents or punctuation, so "malmo" finds Malmö and "upplands vasby" Upplands Väsby."""
    decomposed = unicodedata.normalize("NFKD", _exact(text))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


class Municipalities:
    """All municipalities, found by code or (typo-tolerant) by name."""

    def __init__(self, counties: list[County], municipalities: list[Municipality]) -> None:
        self.counties = counties
        self.all = municipalities
        self.by_code = {m.code: m for m in municipalities}
        self._by_name = {_exact(m.name): m for m in municipalities}
        # Folding makes some names one (Håbo and Habo): each folded name keeps all of them.
        self._by_folded_name: dict[str, list[Municipality]] = {}
        for m in municipalities:
            self._by_folded_name.setdefault(_fold(m.name), []).append(m)

    def find(self, typed: str) -> list[Municipality]:
        """The municipality meant: exact code or name first (accents count), then the name
        without accents, else the closest names (best first)."""
        text = typed.strip()
        if text in self.by_code:
            return [self.by_code[text]]
        if _exact(text) in self._by_name:
            return [self._by_name[_exact(text)]]
        folded = _fold(text)
        if folded in self._by_folded_name:  # more than one when only accents tell them apart
            return list(self._by_folded_name[folded])
        close = difflib.get_close_matches(folded, self._by_folded_name, n=3, cutoff=0.75)
        return [m for name in close for m in self._by_folded_name[name]][:3]

    def county(self, typed: str) -> County | None:
        """A county by code ("03") or name ("Uppsala län", "uppsala")."""
        folded = _fold(typed).removesuffix(" lan").removesuffix("s")
        for county in self.counties:
            name = _fold(county.name).removesuffix(" lan").removesuffix("s")
            if typed.strip() == county.code or folded == name:
                return county
        return None


MUNICIPALITIES_FILE = Path(__file__).with_name("municipalities.yaml")


def load_municipalities(path: Path = MUNICIPALITIES_FILE) -> Municipalities:
    data = parse_yaml(path.read_text(encoding="utf-8"))
    counties, municipalities = [], []
    for raw in data["counties"]:
        county = County(str(raw["code"]), raw["name"])
        counties.append(county)
        for code, name in raw["municipalities"].items():
            if not (isinstance(code, str) and len(code) == 4 and code.startswith(county.code)):
                raise ContentError(
                    f"{path.name}: {name}: code {code!r} is not four digits starting {county.code}"
                )
            municipalities.append(Municipality(code, name, county))
    return Municipalities(counties, municipalities)


@cache
def default_municipalities() -> Municipalities:
    return load_municipalities()
