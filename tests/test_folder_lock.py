"""One process per data folder, and writes that never share a temporary file."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from storage.atomic import write_atomically
from storage.folder_lock import FolderInUseError, FolderLock
from storage.store import StorageError

ROOT = Path(__file__).resolve().parent.parent


def environment(**extra: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "SELFREVIEW_"))}
    return {**clean, "PYTHONPATH": str(ROOT), **extra}


def selfreview(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        env=environment(**env),
        input="/quit\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def holding_chat(folder: Path) -> subprocess.Popen[str]:
    """`selfreview chat` on the folder, waiting for input: it holds the folder."""
    chat = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "chat", "--db", str(folder), "--as", "anna"],
        env=environment(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert chat.stdout is not None
    assert chat.stdout.readline().strip()  # the first question is out: it holds the folder
    return chat


def test_a_second_process_on_a_folder_in_use_is_refused_until_the_first_is_killed(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "data"
    first = holding_chat(folder)
    try:
        refused = [
            selfreview("chat", "--db", str(folder), "--as", "bo"),
            selfreview("run", "--db", str(folder), TELEGRAM_BOT_TOKEN="424242:" + "x" * 35),
            selfreview("run", "--db", str(folder)),  # no token: the terminal chat
        ]
        for result in refused:
            assert result.returncode == 2
            assert result.stderr.splitlines() == [
                f"selfreview: {folder} is in use by another selfreview process (pid {first.pid}); "
                "stop it first, or give this one another data folder"
            ]
            assert result.stdout == ""
    finally:
        first.send_signal(signal.SIGKILL)
        first.communicate(timeout=10)
    # The OS released the lock with the killed process: no stale pid file stands in the way.
    after = selfreview("chat", "--db", str(folder), "--as", "anna")
    assert after.returncode == 0, after.stderr
    assert after.stderr == ""


def test_an_export_beside_a_running_bot_reads_and_writes_nothing_in_the_folder(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "data"
    first = holding_chat(folder)
    try:
        before = {p: p.stat().st_mtime_ns for p in folder.rglob("*")}
        out = tmp_path / "anna.json"
        result = selfreview(
            "export", "--format", "json", "--respondent", "terminal:anna", "--out", str(out),
            "--db", str(folder),
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert json.loads(out.read_text(encoding="utf-8"))["respondent"]["id"] == "terminal:anna"
        assert {p: p.stat().st_mtime_ns for p in folder.rglob("*")} == before
    finally:
        first.send_signal(signal.SIGKILL)
        first.communicate(timeout=10)


def test_the_lock_is_refused_in_one_process_too_and_free_again_after_release(
    tmp_path: Path,
) -> None:
    with FolderLock(tmp_path), pytest.raises(FolderInUseError, match=f"pid {os.getpid()}"):
        FolderLock(tmp_path).acquire()
    with FolderLock(tmp_path):  # released: taken again
        pass


def test_taking_the_folder_clears_temporary_files_a_crash_left(tmp_path: Path) -> None:
    (tmp_path / "respondents").mkdir()
    left = [tmp_path / "programme.json.abc123.tmp", tmp_path / "respondents" / "x.json.q1w2.tmp"]
    for path in left:
        path.write_text("{half", encoding="utf-8")
    kept = tmp_path / "respondents" / "x.json"
    kept.write_text("{}", encoding="utf-8")
    with FolderLock(tmp_path):
        assert not any(path.exists() for path in left)
        assert kept.exists()


def test_a_folder_that_cannot_be_used_is_said_in_one_line(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "data"
    not_a_folder.write_text("I am a file", encoding="utf-8")
    with pytest.raises(StorageError, match=f"the data folder {not_a_folder} cannot be used"):
        FolderLock(not_a_folder).acquire()


def test_writes_of_one_file_at_once_each_use_a_temporary_file_of_their_own(
    tmp_path: Path,
) -> None:
    path = tmp_path / "programme.json"
    texts = [json.dumps({"writer": n, "filler": "x" * 20_000}) for n in range(6)]
    failures: list[BaseException] = []

    def write_many(text: str) -> None:
        try:
            for _ in range(60):
                write_atomically(path, text)
        except BaseException as error:  # collected: the test names it
            failures.append(error)

    threads = [threading.Thread(target=write_many, args=(text,)) for text in texts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert path.read_text(encoding="utf-8") in texts  # one writer's text, whole
    assert [p.name for p in tmp_path.iterdir()] == ["programme.json"]  # no temporary file left


def test_a_write_refused_by_a_full_disk_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "programme.json"
    write_atomically(path, "{}")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError, match="No space left"):
        write_atomically(path, '{"a": {}}')
    monkeypatch.undo()
    assert [p.name for p in tmp_path.iterdir()] == ["programme.json"]
    assert path.read_text(encoding="utf-8") == "{}"
