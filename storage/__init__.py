"""The only code that touches the database (TinyDB, one small file per respondent and one
for the programme), with atomic, durable writes and the checks and upgrades made at start."""

from storage.atomic import DamagedFileError
from storage.programme import ProgrammeStore
from storage.store import RespondentFile, StorageError, Store

__all__ = ["DamagedFileError", "ProgrammeStore", "RespondentFile", "StorageError", "Store"]
