"""Pictures for the chat, drawn with matplotlib from plain domain data and returned as PNG bytes:
an official's six areas, a coordinator's overview, and where a municipality's respondents agree.
Importing this package does not import matplotlib: drawing the first picture does."""

from bot.pictures.agreement import Row, agreement_png
from bot.pictures.areas import areas_png
from bot.pictures.overview import Place, overview_png

__all__ = ["Place", "Row", "agreement_png", "areas_png", "overview_png"]
