"""The data folder over time: check every file loads, copy the folder, bring it up to date.

The schema version lives in selfreview.json. A folder written by an earlier version is copied
whole to backups/ first, then migrated one version at a time; the new version number is
written last, so a migration cut short by a crash simply runs again. A file that cannot be
read stops everything: starting with some answers silently missing would be worse. Only a
missing file is new: an empty, cut-short or foreign one (JSON of another shape) is damaged.

History:
    1  one TinyDB file per respondent (issues 2-5)
    2  reviews count their saved changes ("turn"); a Telegram respondent notes the turn of
       the question they were last shown, so that a question owed after a crash is found
    3  the letter is chosen from one list: the step "letter.propose" is "letter.choose", and
       every item of a letter has an id (one decided before keeps its commitment, "c.<id>")
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from storage.atomic import (
    DamagedFileError,
    dump_json,
    is_tinydb,
    parse_json,
    write_atomically,
)

log = logging.getLogger(__name__)

SCHEMA_VERSION = 3
FIRST_VERSION = 1  # the version of a folder with respondents but no selfreview.json
BACKUPS = "backups"
RESPONDENTS = "respondents"  # one file a respondent
UNDER_WAY = "upgrade-under-way.json"  # names the copy an upgrade started from, until it ends
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


def _to_3(respondent: Data) -> Data:
    """Letters of one commitment at a time become letters chosen from a list. Every decision
    is kept: an item keeps its commitment, role and date, and gets an id."""
    for review in respondent.get("reviews", {}).values():
        for key in ("state", "resume_to"):
            if review.get(key) == "letter.propose":
                review[key] = "letter.choose"
        own = 0
        for item in review.get("letter", {}).get("items", []):
            item.pop("reopened", None)
            if "id" in item:
                continue
            if item.get("commitment"):
                item["id"] = f"c.{item['commitment']}"
            else:
                own += 1
                item["id"] = f"own.{own}"
            item.update(theme=None, sources=[], keep=False)
    return respondent


# Each step takes one respondent's file (as TinyDB's JSON) from version n to n + 1.
STEPS: dict[int, Callable[[Data], Data]] = {1: _to_2, 2: _to_3}


class MigrationError(RuntimeError):
    """An upgrade could not be finished (a full disk); it runs again at the next start."""


def read(path: Path, shape: Callable[[Any], bool] = is_tinydb) -> Any:
    """A file's JSON, or DamagedFileError if it is empty, cut short, not JSON or not `shape`."""
    return _parsed(path.read_bytes(), shape, lambda: path)


def _parsed(raw: bytes, shape: Callable[[Any], bool], path: Callable[[], Path]) -> Any:
    """`raw` as JSON of `shape`; `path` names the file only if it is damaged."""
    try:
        data = parse_json(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        reason = "empty" if not raw else str(error)
        raise DamagedFileError(damage_message(path(), reason)) from error
    if not shape(data):
        raise DamagedFileError(damage_message(path(), "not a file of this bot: another shape"))
    return data


def _is_meta(data: Any) -> bool:
    version = data.get("meta", {}).get("1", {}).get("schema_version") if is_tinydb(data) else None
    return isinstance(version, int) and not isinstance(version, bool)


def _is_respondent(data: Any) -> bool:
    """TinyDB's shape, and every review has its id (what an upgrade and the engine rely on)."""
    return is_tinydb(data) and all(
        isinstance(review.get("id"), str) for review in data.get("reviews", {}).values()
    )


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


def check(
    folder: Path,
    respondent_files: list[str],
    seen: Callable[[str, Data], object] | None = None,
    *,
    others: bool = True,
) -> None:
    """Every file in the folder must load; the first that does not stops the start. Each
    respondent's file (named in respondents/), as read, is shown to `seen` with its name
    (start-up reads it only here). `others=False` leaves the folder's other files (the
    version, the programme) to another share of the check."""
    for path, shape in [
        (folder / "selfreview.json", _is_meta),
        (folder / "programme.json", is_tinydb),
    ]:
        if others and path.exists():
            read(path, shape)
    if not respondent_files:
        return
    respondents = folder / RESPONDENTS
    # Opened by name within the folder, in one read each: start-up reads every file, and at
    # 50,000 a Path and a buffered file object for each cost a second.
    directory = os.open(respondents, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for name in respondent_files:
            try:
                raw = _read_whole(name, directory)
            except FileNotFoundError:  # gone since the folder was listed: nothing to check
                continue
            data = _parsed(raw, _is_respondent, lambda: respondents / name)  # noqa: B023 - now
            if seen is not None:
                seen(name, data)
    finally:
        os.close(directory)


_READ = 1 << 16  # a respondent's file is a few KiB: as a rule, one read takes it whole


def _read_whole(name: str, directory: int) -> bytes:
    """A file's bytes, by name within an open folder."""
    fd = os.open(name, os.O_RDONLY, dir_fd=directory)
    try:
        raw = os.read(fd, _READ)
        if len(raw) < _READ:  # a regular file's read comes short only at its end
            return raw
        parts = [raw]
        while part := os.read(fd, _READ):
            parts.append(part)
        return b"".join(parts)
    finally:
        os.close(fd)


def stored_version(folder: Path, respondent_files: Sequence[object]) -> int | None:
    """The folder's schema version; None for a new, empty folder."""
    meta = folder / "selfreview.json"
    if meta.exists():
        return read(meta, _is_meta)["meta"]["1"]["schema_version"]
    return FIRST_VERSION if respondent_files else None


def backup(folder: Path, version: int) -> Path:
    """A whole copy of the folder as it was, under backups/."""
    return _copy(folder, _new_copy(folder, version))


def _new_copy(folder: Path, version: int) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = folder / BACKUPS / f"schema-{version}-{stamp}"
    count = 1
    while target.exists():  # two upgrades in one second: keep both copies
        count += 1
        target = folder / BACKUPS / f"schema-{version}-{stamp}-{count}"
    return target


def _copy(folder: Path, target: Path) -> Path:
    """A whole copy of the folder at `target` (complete, or not there at all); a copy cut
    short before (by a crash or a full disk) is removed first."""
    for stale in target.parent.glob("*.partial"):
        shutil.rmtree(stale, ignore_errors=True)
    partial = target.with_name(target.name + ".partial")
    ignored = shutil.ignore_patterns(BACKUPS, "*.tmp", ".lock", UNDER_WAY)
    try:
        shutil.copytree(folder, partial, ignore=ignored)
        partial.rename(target)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return target


def _copy_for(folder: Path, version: int) -> Path:
    """The copy an upgrade from `version` starts from, made once. The upgrade notes the copy's
    name before making it, and forgets it when done: an upgrade cut short (a full disk, a
    crash) and tried again at the next start uses the same copy, made before anything
    changed, rather than copying the whole folder again at every start."""
    note = folder / UNDER_WAY
    if note.exists():
        under_way = json.loads(note.read_text(encoding="utf-8"))
        copy = folder / BACKUPS / str(under_way.get("copy"))
        if under_way.get("from") == version and copy.is_dir():
            return copy
    target = _new_copy(folder, version)
    write_atomically(note, json.dumps({"from": version, "copy": target.name}))
    return _copy(folder, target)


def migrate(folder: Path, respondent_files: list[Path], version: int) -> Path:
    """Copy the folder, then bring every respondent's file up to SCHEMA_VERSION."""
    try:
        copy = _copy_for(folder, version)
        for step in range(version, SCHEMA_VERSION):
            for path in respondent_files:
                data = STEPS[step](read(path, _is_respondent))
                write_atomically(path, dump_json(data))
            write_version(folder, step + 1)
        (folder / UNDER_WAY).unlink()
    except (OSError, ValueError) as error:
        raise MigrationError(
            f"the data folder {folder} could not be upgraded from schema {version} to "
            f"{SCHEMA_VERSION} ({_reason(error)}); nothing is lost, and the upgrade runs again at the "
            "next start: free some space, or make the folder writable"
        ) from error
    log.warning(
        "data folder %s upgraded from schema %d to %d; a copy of it as it was is in %s",
        folder,
        version,
        SCHEMA_VERSION,
        copy,
    )
    return copy


def _reason(error: Exception) -> str:
    """The plain reason: copytree gathers its files' errors in a list, with their paths."""
    if isinstance(error, shutil.Error) and error.args and isinstance(error.args[0], list):
        return str(error.args[0][0][-1]).split("] ", 1)[-1]
    return getattr(error, "strerror", None) or str(error)


def write_version(folder: Path, version: int) -> None:
    meta = {"meta": {"1": {"schema_version": version}}}
    write_atomically(folder / "selfreview.json", json.dumps(meta))
