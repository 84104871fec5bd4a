"""What one input costs the disk, through the real bot: file reads and writes are counted."""

from __future__ import annotations

import collections
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.telegram import catch_up, owed
from storage.atomic import AtomicJSONStorage
from storage.store import Store
from tests.conftest import make_engine
from tests.fake_bot_api import FakeBotApi
from tests.telegram_harness import InProcessBot, Official

BOSS = 4711


@pytest.fixture
def bot(api: FakeBotApi, tmp_path: Path) -> Iterator[InProcessBot]:
    running = InProcessBot(api, tmp_path / "db", coordinators=frozenset({BOSS})).start()
    yield running
    running.stop()


@pytest.fixture
def disk(monkeypatch: pytest.MonkeyPatch) -> collections.Counter[str]:
    """Reads and writes of database files, counted as they happen."""
    counts: collections.Counter[str] = collections.Counter()
    read, write = AtomicJSONStorage.read, AtomicJSONStorage.write

    def counted_read(storage: AtomicJSONStorage) -> object:
        counts["reads"] += 1
        return read(storage)

    def counted_write(storage: AtomicJSONStorage, data: dict) -> None:
        counts["writes"] += 1
        write(storage, data)

    monkeypatch.setattr(AtomicJSONStorage, "read", counted_read)
    monkeypatch.setattr(AtomicJSONStorage, "write", counted_write)
    return counts


def test_a_button_press_and_a_typed_answer_read_and_write_little(
    api: FakeBotApi, bot: InProcessBot, disk: collections.Counter[str]
) -> None:
    anna = Official(api, 111)
    anna.send("/start")
    anna.tap("Börja")
    disk.clear()
    anna.press(anna.option_data(2))  # "our own definition": its follow-up comes next
    press = dict(disk)
    disk.clear()
    anna.send("Vi räknar bara akut hemlöshet")
    typed = dict(disk)
    print(f"\none press: {press}; one typed answer: {typed}")
    # A press: the engine's session (one read, one write with the answer) and the note of the
    # question shown (one read, one write). A typed answer reads once more: which question
    # the person had in front of them.
    assert press["reads"] <= 2 and press["writes"] <= 2, press
    assert typed["reads"] <= 3 and typed["writes"] <= 2, typed


def test_a_coordinator_who_only_asks_leaves_no_respondent_file(
    api: FakeBotApi, bot: InProcessBot
) -> None:
    boss = Official(api, BOSS)
    for command in ("/help", "/overview", "/language", "/status", "/summary", "/consolidated"):
        assert boss.send(command), f"no answer to {command}"
    boss.tap("English")  # choosing a language is a choice worth keeping: it makes the file
    folder = bot.db / "respondents"
    assert [path.name for path in folder.iterdir()] != []
    boss.send("/delete")
    boss.tap("Yes")
    assert list(folder.iterdir()) == []
    for command in ("/help", "/overview", "/language", "/export"):
        assert boss.send(command)
    assert list(folder.iterdir()) == []


def test_start_up_reads_each_respondents_file_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check that every file loads and the search for questions owed share one reading."""
    engine = make_engine(tmp_path / "db")
    for number in range(5):
        engine.current(f"telegram:{number}", "sv")
    engine.answer("telegram:3", "1")  # saved, its next question never sent: owed
    reads: collections.Counter[str] = collections.Counter()
    read_bytes, open_fd = Path.read_bytes, os.open

    def counted(path: Path) -> bytes:
        reads[path.name] += 1
        return read_bytes(path)

    def opened(path: str | Path, flags: int, *args: Any, **kwargs: Any) -> int:
        if not flags & os.O_DIRECTORY:  # a file, read by name within its folder
            reads[Path(path).name] += 1
        return open_fd(path, flags, *args, **kwargs)

    monkeypatch.setattr(Path, "read_bytes", counted)
    monkeypatch.setattr(os, "open", opened)
    store = Store(tmp_path / "db", glance=owed.glance)
    assert catch_up.find_owed(store) == {"telegram:3"}
    files = [path.name for path in (tmp_path / "db" / "respondents").iterdir()]
    assert len(files) == 5 and all(reads[name] == 1 for name in files), reads
