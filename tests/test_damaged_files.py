"""Only a missing file is new: an empty, cut-short or foreign one stops the start, by name."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from storage.atomic import DamagedFileError
from storage.programme import ProgrammeStore
from storage.store import Store
from tests.conftest import make_engine, play_until

ROOT = Path(__file__).resolve().parent.parent
ANNA = "terminal:anna"
SPOILT = {
    "empty": b"",
    "cut short": b'{"respondent": {"1": {"id": "terminal:an',
    "a list": b"[]",
    "a string": b'"hello"',
    "tables of numbers": b'{"reviews": {"1": 5}}',
    "a review without its id": b'{"reviews": {"1": {"state": "intro"}}}',
    "not text": bytes(range(256)),
}


def started(folder: Path) -> Path:
    """A folder where Anna has answered a few questions; her file's path."""
    play_until(make_engine(folder), ANNA, "q.mapping")
    return next((folder / "respondents").glob("*.json"))


@pytest.mark.parametrize("content", SPOILT.values(), ids=SPOILT.keys())
def test_a_spoilt_respondent_file_stops_the_start_by_name(tmp_path: Path, content: bytes) -> None:
    folder = tmp_path / "data"
    path = started(folder)
    path.write_bytes(content)
    with pytest.raises(DamagedFileError) as raised:
        Store(folder)
    assert str(raised.value).startswith(f"{path} is damaged (")
    assert "your latest backup of the data folder" in str(raised.value)
    assert path.read_bytes() == content  # left as found, for the operator to look at


@pytest.mark.parametrize("content", [b"", b"[]", b'{"coordinators": []}', b"\xff\xfe"])
def test_a_spoilt_programme_or_version_file_stops_the_start_by_name(
    tmp_path: Path, content: bytes
) -> None:
    folder = tmp_path / "data"
    started(folder)
    for name in ("programme.json", "selfreview.json"):
        path = folder / name
        saved = path.read_bytes() if path.exists() else None
        path.write_bytes(content)
        with pytest.raises(DamagedFileError, match=f"^{path} is damaged"):
            Store(folder)
        if saved is None:
            path.unlink()
        else:
            path.write_bytes(saved)


def test_a_file_emptied_while_running_is_damaged_not_new(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    engine = make_engine(folder)
    play_until(engine, ANNA, "q.mapping")
    programme = ProgrammeStore(folder)
    with programme.open() as stored:
        stored.add_coordinator(1, 0, "2026-11-24")
    next((folder / "respondents").glob("*.json")).write_bytes(b"")
    (folder / "programme.json").write_bytes(b"")
    with pytest.raises(DamagedFileError, match="damaged \\(empty\\)"):
        engine.current(ANNA)
    with pytest.raises(DamagedFileError, match="damaged \\(empty\\)"):
        programme.coordinators()


def test_the_terminal_chat_and_an_export_refuse_an_empty_programme_in_one_line(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "data"
    started(folder)
    (folder / "programme.json").write_bytes(b"")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "SELFREVIEW_"))}
    for command in (
        ["chat", "--as", "anna"],
        ["export", "--format", "csv", "--out", str(tmp_path / "all.csv")],
    ):
        result = subprocess.run(
            [sys.executable, "-m", "bot.cli", *command, "--db", str(folder)],
            env={**env, "PYTHONPATH": str(ROOT)},
            input="1\n",
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 2
        assert result.stderr.splitlines() == [
            f"selfreview: {folder / 'programme.json'} is damaged (empty), so the bot will not "
            "start without it. Put the file back from your latest backup of the data folder, "
            "or move it aside to go on without it, then start again."
        ]
    assert not (tmp_path / "all.csv").exists()


def test_stray_copies_in_respondents_are_named_and_left_alone(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "data"
    path = started(folder)
    strays = [
        path.with_name(f"{path.stem} - Kopia.json"),
        path.with_name(f"{path.stem} 2.json"),
        path.with_name("anteckningar.json"),
    ]
    for stray in strays:
        shutil.copy(path, stray)
    strays[-1].write_text("not even JSON", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        engine = make_engine(folder)
    assert engine.store.respondent_ids() == [ANNA]  # what the bot's start lists
    for stray in strays:
        assert f"{stray} is not a respondent's file (a copy?): left alone, not read" in caplog.text
        assert stray.exists()
    assert engine.current(ANNA).prompt.step == "q.mapping"
