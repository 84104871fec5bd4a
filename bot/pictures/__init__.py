"""Pictures for the chat and the documents, drawn with matplotlib from plain domain data and
returned as PNG bytes: an official's six areas, a coordinator's overview, and where a
municipality's respondents agree. Importing this package does not import matplotlib."""

from bot.pictures.areas import areas_png

__all__ = ["areas_png"]
