"""The pictures in the chat: the time to draw the national overview (all 290 municipalities, the
coordinator's /overview; target under 0.5 s), the summary's six areas and a municipality's
agreement grid, each the median of several draws. The floor, measured in the same run, is an
empty page of the overview's size saved as PNG: what any picture of that size costs. The first
draw in a process also pays for importing matplotlib, printed apart."""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402

from bot.pictures import style  # noqa: E402
from bot.pictures.overview import WIDTH  # noqa: E402
from tests import picture_samples  # noqa: E402

DRAWS = 7
TARGET = 0.5  # seconds for the national overview


def median(draw: Callable[[], object]) -> float:
    times = []
    for _ in range(DRAWS):
        start = time.perf_counter()
        draw()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    start = time.perf_counter()
    overview = picture_samples.overview_sample()
    first = time.perf_counter() - start
    width, height = Image.open(BytesIO(overview)).size
    inches = height / style.DPI

    def empty() -> bytes:
        return style.png(style.page(WIDTH, inches), inches)

    floor = median(empty)
    national = median(picture_samples.overview_sample)
    summary = median(picture_samples.summary_sample)
    agreement = median(picture_samples.agreement_sample)
    verdict = "within" if national < TARGET else "OVER"
    print(f"pictures (median of {DRAWS} draws; floor: an empty {width}×{height} PNG)")
    print(f"  floor: {floor * 1000:.0f} ms")
    print(
        f"  national overview, 290 municipalities: {national * 1000:.0f} ms "
        f"({national / floor:.1f}× the floor; {verdict} the {TARGET} s target)"
    )
    print(f"  summary, six areas: {summary * 1000:.0f} ms ({summary / floor:.1f}× the floor)")
    print(f"  agreement grid: {agreement * 1000:.0f} ms ({agreement / floor:.1f}× the floor)")
    print(f"  first draw in a process, with importing matplotlib: {first:.2f} s")


if __name__ == "__main__":
    main()
