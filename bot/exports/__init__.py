"""Files made from reviews: an official's report (PDF, Word) and data (JSON), a coordinator's
workbook, CSV and ZIP of consolidated summaries. No Telegram here: the command line makes the
same files. The renderers' libraries load when a file is made, not when the bot starts."""

OFFICIAL_FORMATS = ("pdf", "docx", "json")
COORDINATOR_FORMATS = ("xlsx", "csv", "zip")

__all__ = ["COORDINATOR_FORMATS", "OFFICIAL_FORMATS"]
