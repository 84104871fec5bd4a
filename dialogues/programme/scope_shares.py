"""The areas of a coordinator's scope at a glance, for the overview's picture: per area, the mean
share of its municipalities' answers that read as a strength, to develop and to find out, each
municipality in its current round and counting once. As in the workbook's area sheet (the same
`area_shares.figures`), a share is shown only when at least FEWEST municipalities stand behind it."""

from __future__ import annotations

from dataclasses import dataclass, replace

from dialogues.programme.area_shares import FEWEST, READINGS, figures
from dialogues.programme.municipalities import County
from dialogues.programme.programme import Programme
from dialogues.programme.rows import entries

__all__ = ["FEWEST", "READINGS", "ScopeShares", "scope_shares"]

AS_ONE = ("country", "")  # every entry given to `figures` is the scope's: its "country"


@dataclass(frozen=True)
class ScopeShares:
    # per area: "1. Överblick" and its shares per READINGS, or None where fewer than FEWEST
    # municipalities with answers stand behind it
    areas: tuple[tuple[str, tuple[float, ...] | None], ...]
    behind: int  # municipalities with answers in their current round


def scope_shares(programme: Programme, county: County | None, lang: str) -> ScopeShares:
    """The shares of the municipalities in the programme (of one county, if given)."""
    q = programme.engine.questionnaire
    codes = [m.code for m in programme.in_programme() if county is None or m.county == county]
    rounds = {code: programme.round_of(code) for code in codes}
    current = [
        replace(entry, round=0)  # one round for all: each municipality's current one
        for entry in entries(programme, codes)
        if entry.round == rounds[entry.municipality.code]
    ]
    found = figures(q, current)
    shares = found.shares.get((AS_ONE, 0), [None] * (len(q.areas) * len(READINGS)))
    areas = []
    for index, area in enumerate(q.areas):
        part = shares[index * len(READINGS) : (index + 1) * len(READINGS)]
        known = tuple(s for s in part if s is not None)
        whole = len(known) == len(READINGS)  # a reading without a figure: the area has none
        areas.append((f"{area.number}. {area.title(lang)}", known if whole else None))
    return ScopeShares(tuple(areas), len(found.behind.get((AS_ONE, 0), [])))
