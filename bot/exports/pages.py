"""A PDF canvas that marks every page once it knows how many there are ("Sida 2 av 4"):
reportlab lays pages out one by one, so the marks are drawn when the document is saved."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportlab.pdfgen.canvas import Canvas

Mark = Callable[[Canvas, int, int], None]  # (the page's canvas, its number, how many pages)


def marked(mark: Mark) -> type[Canvas]:
    """A canvas class (for `build(..., canvasmaker=)`) that calls `mark` on every page."""

    class Marked(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            for number, page in enumerate(self._pages, start=1):
                self.__dict__.update(page)
                mark(self, number, len(self._pages))
                super().showPage()
            super().save()

    return Marked
