"""An older data folder is copied and upgraded on start; a damaged one stops the start."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.telegram.owed import owed_chat
from storage import migrations
from storage.atomic import DamagedFileError, write_atomically
from storage.migrations import SCHEMA_VERSION
from storage.store import StorageError, Store
from tests.conftest import make_engine, play_until

ROOT = Path(__file__).resolve().parent.parent
ANNA = "telegram:111"


def as_version_1(folder: Path) -> dict[str, str]:
    """Rewrite a folder as version 1 wrote it: no turns, no note of the question shown.
    Returns the files' contents, to compare the backup with."""
    for path in (folder / "respondents").glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        for review in data["reviews"].values():
            review.pop("turn", None)
            review.pop("last_delivery", None)
        person = data["respondent"]["1"]
        person["telegram"] = {"chat_id": 111, "prompt_message_id": 1005}
        person["unreachable"] = False
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    (folder / "selfreview.json").write_text('{"meta": {"1": {"schema_version": 1}}}')
    return {
        str(p.relative_to(folder)): p.read_text(encoding="utf-8") for p in folder.rglob("*.json")
    }


def test_a_version_1_folder_is_copied_then_upgraded(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    play_until(make_engine(folder), ANNA, "q.mapping")
    old = as_version_1(folder)
    engine = make_engine(folder)  # the start: checked, copied, upgraded
    (copy,) = (folder / "backups").iterdir()
    assert copy.name.startswith("schema-1-")
    assert {
        str(p.relative_to(copy)): p.read_text(encoding="utf-8") for p in copy.rglob("*.json")
    } == old
    meta = json.loads((folder / "selfreview.json").read_text())
    assert meta["meta"]["1"]["schema_version"] == SCHEMA_VERSION == 3
    review = engine.store.active_review(ANNA)
    assert review["turn"] == 0
    assert engine.store.respondent(ANNA)["telegram"]["prompt_turn"] == f"{review['id']}:0"
    assert owed_chat(engine.store, ANNA) is None  # what they were shown is where they are
    assert engine.current(ANNA).prompt.step == "q.mapping"
    assert engine.answer(ANNA, "1").prompt.step == "q.assistance_count"
    assert (
        owed_chat(engine.store, ANNA) is not None
    )  # moved on: the bot owes them the next question
    make_engine(folder)
    assert len(list((folder / "backups").iterdir())) == 1  # upgraded once, copied once


def test_a_folder_with_answers_but_no_version_file_is_taken_as_version_1(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    play_until(make_engine(folder), ANNA, "q.mapping")
    as_version_1(folder)
    (folder / "selfreview.json").unlink()
    engine = make_engine(folder)
    assert engine.store.active_review(ANNA)["turn"] == 0
    assert engine.current(ANNA).prompt.step == "q.mapping"  # not started empty


def test_an_upgrade_cut_short_runs_again_to_the_same_result(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    play_until(make_engine(folder), ANNA, "q.mapping")
    as_version_1(folder)
    path = next((folder / "respondents").glob("*.json"))
    make_engine(folder)
    upgraded = path.read_text(encoding="utf-8")
    (folder / "selfreview.json").write_text('{"meta": {"1": {"schema_version": 1}}}')
    make_engine(folder)  # as if the version number had not been written before a crash
    assert path.read_text(encoding="utf-8") == upgraded


def test_a_damaged_file_stops_the_start_and_says_how_to_restore_it(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    play_until(make_engine(folder), ANNA, "q.mapping")
    as_version_1(folder)
    make_engine(folder)  # upgraded: there is a copy
    path = next((folder / "respondents").glob("*.json"))
    path.write_text('{"reviews": {"1": {"answ', encoding="utf-8")
    with pytest.raises(DamagedFileError) as raised:
        Store(folder)
    copy = next((folder / "backups").iterdir()) / "respondents" / path.name
    assert str(raised.value).startswith(f"{path} is damaged (")
    assert f"Put the file back from the copy in {copy}" in str(raised.value)
    assert path.read_text(encoding="utf-8") == '{"reviews": {"1": {"answ'  # left as found


def test_selfreview_run_refuses_a_damaged_folder_in_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    make_engine(folder).current(ANNA)
    (folder / "programme.json").write_text("{not json", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "SELFREVIEW_"))}
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "run", "--db", str(folder)],
        env={**env, "TELEGRAM_BOT_TOKEN": "424242:" + "x" * 35, "PYTHONPATH": str(ROOT)},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"selfreview: {folder / 'programme.json'} is damaged (Expecting property name enclosed "
        "in double quotes: line 1 column 2 (char 1)), so the bot will not start without it. "
        "Put the file back from your latest backup of the data folder, or move it aside to go "
        "on without it, then start again."
    ]


def full_disk(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def full_for_respondents(path: Path, text: str) -> None:
    """The disk fills up while the respondents' files are upgraded."""
    if path.parent.name == "respondents":
        full_disk()
    write_atomically(path, text)


def copies(folder: Path) -> list[str]:
    return sorted(p.name for p in (folder / "backups").iterdir())


@pytest.mark.parametrize("where", ["copying the folder", "upgrading the files"])
def test_an_upgrade_on_a_full_disk_leaves_no_partial_copy_and_copies_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    folder = tmp_path / "data"
    play_until(make_engine(folder), ANNA, "q.mapping")
    old = as_version_1(folder)
    if where == "copying the folder":
        monkeypatch.setattr(shutil, "copyfile", full_disk)
    else:
        monkeypatch.setattr(migrations, "write_atomically", full_for_respondents)
    for _ in range(3):  # every restart on the full disk
        with pytest.raises(StorageError) as raised:
            Store(folder)
        assert str(raised.value) == (
            f"the data folder {folder} could not be upgraded from schema 1 to {SCHEMA_VERSION} "
            "(No space left on device); nothing is lost, and the upgrade runs again at the next "
            "start: free some space, or make the folder writable"
        )
        assert not any(name.endswith(".partial") for name in copies(folder))
        assert len(copies(folder)) == (0 if where == "copying the folder" else 1)
    monkeypatch.undo()  # space again
    engine = make_engine(folder)
    (copy,) = copies(folder)  # one copy of the folder as it was, however many tries
    assert {
        str(p.relative_to(folder / "backups" / copy)): p.read_text(encoding="utf-8")
        for p in (folder / "backups" / copy).rglob("*.json")
    } == old
    assert engine.current(ANNA).prompt.step == "q.mapping"
    assert not (folder / migrations.UNDER_WAY).exists()


def test_a_copy_a_crash_cut_short_is_removed_at_the_next_upgrade(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    play_until(make_engine(folder), ANNA, "q.mapping")
    as_version_1(folder)
    stale = folder / "backups" / "schema-1-20261124T100000Z.partial" / "respondents"
    stale.mkdir(parents=True)
    (stale / "half.json").write_text("{", encoding="utf-8")
    make_engine(folder)
    (copy,) = copies(folder)
    assert copy.startswith("schema-1-") and not copy.endswith(".partial")


def test_a_file_of_another_shape_stops_the_upgrade_before_any_copy(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    play_until(make_engine(folder), ANNA, "q.mapping")
    as_version_1(folder)
    path = next((folder / "respondents").glob("*.json"))
    path.write_text('{"reviews": {"1": {"status": "active"}}}', encoding="utf-8")
    for _ in range(3):  # each restart is refused, and copies nothing
        with pytest.raises(DamagedFileError, match=f"^{path} is damaged \\(not a file of this"):
            Store(folder)
    assert not (folder / "backups").exists()


def test_a_letter_decided_one_suggestion_at_a_time_is_kept_in_the_list(tmp_path: Path) -> None:
    """Version 2 letters held one commitment per item and the step "letter.propose": after
    the upgrade every adopted one is still in the letter with its role and date, ticked in the
    list, and the list is where the review goes on."""
    folder = tmp_path / "data"
    play_until(make_engine(folder), ANNA, "letter.choose")
    (path,) = (folder / "respondents").glob("*.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    (review,) = data["reviews"].values()
    review["state"] = "letter.propose"
    review["letter"]["items"] = [
        {"commitment": "no_children_evicted", "text": None, "adopted": True,
         "role": "Socialchef", "due": "2027-06-30"},
        {"commitment": "mapping", "text": None, "adopted": False, "role": None, "due": None,
         "reopened": True},
        {"commitment": None, "text": "Eget åtagande", "adopted": True,
         "role": "Enhetschef", "due": "2027-09-30"},
    ]  # fmt: skip
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    (folder / "selfreview.json").write_text('{"meta": {"1": {"schema_version": 2}}}')
    engine = make_engine(folder)
    reply = engine.current(ANNA)
    assert reply.prompt.step == "letter.choose"
    assert set(reply.prompt.selected) == {"c.no_children_evicted", "own.1"}
    assert "Inför skriftliga rutiner så att inga barnfamiljer vräks" in reply.prompt.text
    assert "Med i avsiktsförklaringen: Socialchef, senast 2027-06-30." in reply.prompt.text
    summary = engine.summary(ANNA)
    assert "1. Inför skriftliga rutiner så att inga barnfamiljer vräks" in summary
    assert "2. Eget åtagande Ansvarig: Enhetschef." in summary


def test_a_file_longer_than_one_read_is_checked_whole(tmp_path: Path) -> None:
    """Start-up reads a file in reads of 64 KiB: a longer one is read to its end, and what
    glances at it at start-up sees all of it."""
    folder = tmp_path / "db"
    make_engine(folder).current("telegram:7", "sv")
    note = "å" * 100_000  # 200 KB in UTF-8: four reads
    with Store(folder).open("telegram:7") as file:
        file.update_respondent({"note": note})
    seen = Store(folder, glance=lambda file: (file.respondent() or {}).get("note")).glanced
    assert seen == {"telegram:7": note}
