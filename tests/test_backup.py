"""`selfreview backup` and `selfreview restore`: every answer comes back, the restored folder
starts, and nothing is ever lost or overwritten while a bot holds the folder."""

from __future__ import annotations

import shutil
import tarfile
from pathlib import Path

import pytest

from bot.cli import main
from storage.folder_lock import FolderLock
from storage.heartbeat import Heartbeat
from tests.conftest import make_engine, play
from tests.script import WHOLE_REVIEW

PEOPLE = ["telegram:1001", "telegram:1002", "terminal:anna"]


def filled(folder: Path) -> dict[str, object]:
    """A folder with real respondents (two whole reviews, one half-way); what each has."""
    engine = make_engine(folder)
    for number, person in enumerate(PEOPLE):
        play(engine, person, WHOLE_REVIEW if number < 2 else WHOLE_REVIEW[:12])
    return {person: engine.export(person) for person in PEOPLE}


def archive_in(dest: Path) -> Path:
    (found,) = dest.glob("selfreview-backup-*.tar.gz")
    return found


def test_backup_wipe_restore_brings_back_every_answer_and_the_folder_starts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, dest = tmp_path / "data", tmp_path / "backups"
    before = filled(folder)
    Heartbeat(folder).beat("polling")
    (folder / "respondents" / "x.json.abc.tmp").write_text("{half", encoding="utf-8")
    (folder / "backups" / "old").mkdir(parents=True)
    assert main(["backup", str(dest), "--db", str(folder)]) == 0
    archive = archive_in(dest)
    assert capsys.readouterr().out == f"{archive} (4 files)\n"  # 3 respondents + schema note
    with tarfile.open(archive) as tar:
        names = sorted(tar.getnames())
    top = archive.name.removesuffix(".tar.gz")
    assert all(name.startswith(f"{top}/") for name in names)
    assert not [n for n in names if n.endswith((".lock", ".tmp", "heartbeat.json", "old"))]

    shutil.rmtree(folder)
    assert main(["restore", str(archive), "--db", str(folder)]) == 0
    said = capsys.readouterr().out
    assert said == f"restored 3 respondents (schema 3) from {archive} into {folder}\n"
    engine = make_engine(folder)  # it starts: every file loads
    assert {person: engine.export(person) for person in PEOPLE} == before


def test_backup_and_restore_refuse_while_a_process_holds_the_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, dest = tmp_path / "data", tmp_path / "backups"
    before = filled(folder)
    assert main(["backup", str(dest), "--db", str(folder)]) == 0
    archive = archive_in(dest)
    capsys.readouterr()
    files = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    with FolderLock(folder) as held:
        assert main(["restore", str(archive), "--db", str(folder), "--force"]) == 2
        assert capsys.readouterr().err.startswith(
            f"selfreview: {folder} is in use by a running selfreview (pid "
        )
        assert main(["backup", str(dest), "--db", str(folder)]) == 2
        assert "stop it, back it up, then start it again" in capsys.readouterr().err
        assert held.path.exists()
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == files
    assert list(dest.iterdir()) == [archive]
    assert {person: make_engine(folder).export(person) for person in PEOPLE} == before


def test_restore_into_a_folder_with_data_needs_force_and_keeps_the_old_data_aside(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saved, dest, folder = tmp_path / "saved", tmp_path / "backups", tmp_path / "data"
    wanted = filled(saved)
    assert main(["backup", str(dest), "--db", str(saved)]) == 0
    archive = archive_in(dest)
    engine = make_engine(folder)
    play(engine, "telegram:2002", WHOLE_REVIEW[:5])
    old = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*.json")}
    capsys.readouterr()

    assert main(["restore", str(archive), "--db", str(folder)]) == 2
    assert "already holds data (respondents); give --force" in capsys.readouterr().err
    assert {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*.json")} == old

    assert main(["restore", str(archive), "--db", str(folder), "--force"]) == 0
    (aside,) = (folder / "backups").glob("before-restore-*")
    assert capsys.readouterr().out.endswith(f"what the folder held before is in {aside}\n")
    assert {p.relative_to(aside): p.read_bytes() for p in aside.rglob("*.json")} == old
    restored = make_engine(folder)
    assert {person: restored.export(person) for person in PEOPLE} == wanted
    assert not restored.is_known("telegram:2002")


def test_an_archive_with_a_damaged_file_restores_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "data"
    filled(folder)
    bad = tmp_path / "bad.tar.gz"
    with tarfile.open(bad, "w:gz") as tar:
        for path in sorted((folder / "respondents").iterdir()):
            tar.add(path, f"selfreview-backup-x/respondents/{path.name}")
        cut = tmp_path / "cut.json"
        cut.write_bytes(path.read_bytes()[:40])
        tar.add(cut, "selfreview-backup-x/selfreview.json")
    empty = tmp_path / "empty"
    assert main(["restore", str(bad), "--db", str(empty)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"selfreview: {bad}: selfreview.json is damaged ("), err
    assert err.endswith("; nothing was restored\n")
    assert [p.name for p in empty.rglob("*") if p.is_file()] == [".lock"]
    assert main(["restore", str(tmp_path / "cut.json"), "--db", str(empty)]) == 2
    assert "cannot be read as a backup of selfreview" in capsys.readouterr().err
