"""The data folder over time: check every file loads, copy the folder, bring it up to date.

The schema version lives in selfreview.json. A folder written by an earlier version is copied
whole to backups/ first, then migrated one version at a time; the new version number is
written last, so a migration cut short by a crash simply runs again. A file that cannot be
read stops everything: starting with some answers silently missing would be worse.

History:
    1  one TinyDB file per respondent (issues 2-5)
    2  reviews count their saved changes ("turn"); a Telegram respondent notes the turn of
       the question they were last shown, so that a question owed after a crash is found
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from storage.atomic import DamagedFileError, write_atomically

log = logging.getLogger(__name__)

SCHEMA_VERSION = 2
FIRST_VERSION = 1  # the version of a folder with respondents but no selfreview.json
BACKUPS = "backups"
Data = dict[str, dict[str, Any]]


def _to_2(respondent: Data) -> Data:
    """Version 1 wrote each answer before sending the next question: what a respondent was
    last shown is taken to be their review as it stands."""
    reviews = respondent.get("reviews", {})
    for review in reviews.values():
        review.setdefault("turn", 0)
    active = next((r for r in reviews.values() if r.get("status") == "active"), None)
    person = respondent.get("respondent", {}).get("1", {})
    shown = person.get("telegram")
    if active is not None and shown and "prompt_turn" not in shown:
        shown["prompt_turn"] = f"{active['id']}:{active['turn']}"
    return respondent


# Each step takes one respondent's file (as TinyDB's JSON) from version n to n + 1.
STEPS: dict[int, Callable[[Data], Data]] = {1: _to_2}


def read(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8") or "{}")
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise DamagedFileError(damage_message(path, str(error))) from error


def damage_message(path: Path, reason: str) -> str:
    folder = path.parent.parent if path.parent.name == "respondents" else path.parent
    backups = sorted((folder / BACKUPS).glob("schema-*"))
    where = (
        f"the copy in {backups[-1] / path.relative_to(folder)} (made before the last upgrade)"
        if backups and (backups[-1] / path.relative_to(folder)).exists()
        else "your latest backup of the data folder"
    )
    return (
        f"{path} is damaged ({reason}), so the bot will not start without it. "
        f"Put the file back from {where}, or move it aside to go on without it, then start again."
    )


def check(folder: Path, respondent_files: list[Path]) -> None:
    """Every file in the folder must load; the first that does not stops the start."""
    for path in [folder / "selfreview.json", folder / "programme.json", *respondent_files]:
        if path.exists():
            read(path)


def stored_version(folder: Path, respondent_files: list[Path]) -> int | None:
    """The folder's schema version; None for a new, empty folder."""
    meta = folder / "selfreview.json"
    if meta.exists():
        return read(meta)["meta"]["1"]["schema_version"]
    return FIRST_VERSION if respondent_files else None


def backup(folder: Path, version: int) -> Path:
    """A whole copy of the folder as it was, under backups/ (complete, or not there at all)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = folder / BACKUPS / f"schema-{version}-{stamp}"
    count = 1
    while target.exists():  # two upgrades in one second (one cut short): keep both copies
        count += 1
        target = folder / BACKUPS / f"schema-{version}-{stamp}-{count}"
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    shutil.copytree(folder, partial, ignore=shutil.ignore_patterns(BACKUPS, "*.tmp"))
    partial.rename(target)
    return target


def migrate(folder: Path, respondent_files: list[Path], version: int) -> Path:
    """Copy the folder, then bring every respondent's file up to SCHEMA_VERSION."""
    copy = backup(folder, version)
    for step in range(version, SCHEMA_VERSION):
        for path in respondent_files:
            data = STEPS[step](read(path))
            write_atomically(path, json.dumps(data, ensure_ascii=False, separators=(",", ":")))
        write_version(folder, step + 1)
    log.warning(
        "data folder %s upgraded from schema %d to %d; a copy of it as it was is in %s",
        folder,
        version,
        SCHEMA_VERSION,
        copy,
    )
    return copy


def write_version(folder: Path, version: int) -> None:
    meta = {"meta": {"1": {"schema_version": version}}}
    write_atomically(folder / "selfreview.json", json.dumps(meta))
