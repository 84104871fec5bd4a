"""Sample pictures from made-up but plausible data: for the tests, the benchmark and the README.

`python -m tests.picture_samples docs` writes docs/overview-picture.png (all 290 municipalities)
and docs/summary-picture.png (an official's six areas); `python -m tests.picture_samples DIR
--all` writes every picture there, to look at."""

from __future__ import annotations

import random
import sys
from pathlib import Path

from bot.pictures.agreement import Row, agreement_png
from bot.pictures.areas import areas_png
from bot.pictures.overview import Place, overview_png
from bot.telegram.pictures import agreement_words, overview_words
from dialogues.collation import swedish_key
from dialogues.programme.municipalities import default_municipalities
from dialogues.review.loader import default_questionnaire

Q = default_questionnaire()
SEGMENTS = ("doc_strong", "doc_weak", "doc_find_out", "doc_noted", "doc_open")


def area_names(lang: str = "sv") -> list[str]:
    return [f"{area.number}. {area.title(lang)}" for area in Q.areas]


def summary_sample(lang: str = "sv") -> bytes:
    """An official half-way through area 5."""
    shares = [
        (0.45, 0.2, 0.1, 0.25, 0.0),
        (0.34, 0.66, 0.0, 0.0, 0.0),
        (0.5, 0.25, 0.25, 0.0, 0.0),
        (0.2, 0.6, 0.2, 0.0, 0.0),
        (0.1, 0.2, 0.0, 0.1, 0.6),
        (0.0, 0.0, 0.0, 0.0, 1.0),
    ]
    labels = [Q.text(key, lang) for key in SEGMENTS]
    title = Q.text("picture_summary_title", lang)
    return areas_png(list(zip(area_names(lang), shares, strict=True)), labels, title, lang)


def places(count: int = 290, seed: int = 14) -> list[Place]:
    """`count` municipalities by county and name, at every stage of a review."""
    chosen = random.Random(seed)
    municipalities = sorted(
        default_municipalities().all[:count] if count < 290 else default_municipalities().all,
        key=lambda m: (m.county.code, swedish_key(m.name)),
    )
    found = []
    for m in municipalities:
        respondents = chosen.choice((0, 1, 2, 3, 4))
        asked = 27 * respondents
        answered = chosen.randint(0, asked) if respondents else 0
        finished = chosen.randint(0, respondents) if answered > asked * 0.6 else 0
        found.append(Place(m.county.name, m.name, respondents, finished, answered, asked))
    return found


def scope_areas(lang: str = "sv", known: bool = True) -> list[tuple[str, tuple[float, ...] | None]]:
    shares = [(0.42, 0.48, 0.1), (0.3, 0.65, 0.05), (0.55, 0.35, 0.1), (0.38, 0.5, 0.12),
              (0.47, 0.43, 0.1), None]  # fmt: skip
    return [
        (name, share if known else None)
        for name, share in zip(area_names(lang), shares, strict=True)
    ]


def overview_sample(count: int = 290, lang: str = "sv") -> bytes:
    scope = Q.text("picture_overview_all", lang)
    words = overview_words(Q, scope, count, 3, lang)
    return overview_png(places(count), scope_areas(lang), words, lang)


def agreement_sample(lang: str = "sv") -> bytes:
    """Three respondents of one municipality, agreeing and differing."""
    chosen = random.Random(3)
    kinds = ("strengths", "weaknesses", "to_find_out", "noted")
    columns = ["Socialtjänsten", "Bostadsbolaget", "Stiftelsen $ Hem & Härbärge i Östra Göinge län"]
    areas = []
    for area in Q.areas:
        rows = []
        for question in area.questions[:6]:
            cells = [(chosen.choice(kinds),) if chosen.random() > 0.1 else () for _ in columns]
            agree = None if question.kind == "text" else len({c for c in cells if c}) <= 1
            rows.append(Row(question.short(lang), tuple(cells), agree))
        areas.append((f"{area.number}. {area.title(lang)}", rows))
    return agreement_png(columns, areas, agreement_words(Q, "Uppsala", lang))


def main(folder: str, everything: bool) -> None:
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    (out / "overview-picture.png").write_bytes(overview_sample())
    (out / "summary-picture.png").write_bytes(summary_sample())
    if everything:
        (out / "overview-county.png").write_bytes(overview_sample(12))
        (out / "agreement.png").write_bytes(agreement_sample())
        (out / "summary-en.png").write_bytes(summary_sample("en"))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "docs", "--all" in sys.argv)
