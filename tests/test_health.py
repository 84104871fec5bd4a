"""`selfreview --version` and `selfreview health`: a real bot, and a holder of the folder
whose heartbeat the test chooses (a child process that takes the lock and writes the note)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from importlib import metadata
from pathlib import Path

import pytest

from bot.cli import main
from storage.heartbeat import HEARTBEAT_NAME, Heartbeat
from tests.bot_process import BotProcess
from tests.fake_bot_api import FakeBotApi
from tests.test_folder_lock import ROOT, environment

HOLDER = textwrap.dedent(
    """
    import json, os, sys
    from storage.folder_lock import FolderLock
    folder, age = sys.argv[1], float(sys.argv[2])
    from datetime import UTC, datetime, timedelta
    lock = FolderLock(folder).acquire()
    at = datetime.now(UTC) - timedelta(seconds=age)
    note = {"time": at.isoformat(timespec="seconds"), "pid": os.getpid(), "via": "polling"}
    with open(os.path.join(folder, "heartbeat.json"), "w") as f:
        json.dump(note, f)
    print("holding", flush=True)
    sys.stdin.read()
    """
)


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[Callable[[float], Path]]:
    """Starts a process holding tmp_path/data with a heartbeat `age` seconds old."""
    started: list[subprocess.Popen[str]] = []

    def start(age: float) -> Path:
        folder = tmp_path / "data"
        child = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(folder), str(age)],
            env=environment(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        started.append(child)
        assert child.stdout is not None and child.stdout.readline() == "holding\n"
        return folder

    yield start
    for child in started:
        child.kill()
        child.wait(10)


def health(folder: Path, *extra: str, prefix: tuple[str, ...] = ()) -> tuple[int, str, str]:
    """`selfreview health` as the operator's shell (or Docker's HEALTHCHECK) runs it."""
    result = subprocess.run(
        [*prefix, sys.executable, "-m", "bot.cli", "health", "--db", str(folder), *extra],
        env=environment(),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return result.returncode, result.stdout, result.stderr


def test_version_is_the_installed_package_s(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as ended:
        main(["--version"])
    assert ended.value.code == 0
    assert capsys.readouterr().out == f"selfreview {metadata.version('selfreview')}\n"


def test_a_polling_bot_is_healthy_and_once_killed_no_bot_holds_the_folder(
    api: FakeBotApi, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "db"
    bot = BotProcess(api, folder, tmp_path / "bot.log")
    try:
        assert bot.start()
        wait_for_heartbeat(folder)  # the first answered poll
        assert main(["health", "--db", str(folder)]) == 0
        out = capsys.readouterr().out
        assert out.startswith(f"healthy: pid {bot.process.pid} holds {folder}, heard from")
        note = json.loads((folder / HEARTBEAT_NAME).read_text(encoding="utf-8"))
        assert note["pid"] == bot.process.pid and note["via"] == "polling"
        before = sorted(folder.rglob("*"))
        bot.kill()
    finally:
        bot.close()
    assert main(["health", "--db", str(folder)]) == 1
    assert capsys.readouterr().err == f"selfreview: no bot holds {folder}\n"
    assert sorted(folder.rglob("*")) == before  # the check left nothing behind


def wait_for_heartbeat(folder: Path) -> dict[str, object]:
    deadline = time.monotonic() + 30  # a file, not a call: the fake API is not told of it
    while not (folder / HEARTBEAT_NAME).exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    return json.loads((folder / HEARTBEAT_NAME).read_text(encoding="utf-8"))


def test_a_webhook_bot_beats_while_no_one_writes(api: FakeBotApi, tmp_path: Path) -> None:
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    folder = tmp_path / "db"
    url = f"http://127.0.0.1:{port}/hook"
    bot = BotProcess(api, folder, tmp_path / "bot.log")
    bot.process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run", "--db", str(folder), "--webhook-url", url,
         "--port", str(port)],
        env=bot.env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        note = wait_for_heartbeat(folder)
        assert note["pid"] == bot.process.pid and note["via"] == "webhook"
        assert main(["health", "--db", str(folder)]) == 0
    finally:
        bot.close()


def test_no_bot_and_no_folder_at_all(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["health", "--db", str(tmp_path / "none")]) == 1
    assert capsys.readouterr().err == f"selfreview: no bot holds {tmp_path / 'none'}\n"
    assert not (tmp_path / "none").exists()


def test_a_stale_heartbeat_says_how_old_and_when(
    holder: Callable[[float], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    folder = holder(312)
    assert main(["health", "--db", str(folder)]) == 1
    line = capsys.readouterr().err
    assert line.startswith("selfreview: no heartbeat for 31"), line
    assert line.endswith(" UTC)\n") and line.count("\n") == 1
    assert main(["health", "--db", str(folder), "--max-age", "400"]) == 0


def test_a_holder_that_never_beat_is_not_healthy(
    tmp_path: Path, holder: Callable[[float], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    folder = holder(0)
    (folder / HEARTBEAT_NAME).unlink()
    assert main(["health", "--db", str(folder)]) == 1
    assert "no heartbeat from the bot holding" in capsys.readouterr().err


def test_an_unwritable_folder_is_said_in_one_line(holder: Callable[[float], Path]) -> None:
    folder = holder(0)
    prefix: tuple[str, ...] = ()
    if os.geteuid() == 0:
        # Root writes anywhere through CAP_DAC_OVERRIDE: the check runs without it, as the
        # service's own non-root user would.
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: a folder cannot be made unwritable")
        caps = "-dac_override,-dac_read_search"
        prefix = (setpriv, "--bounding-set", caps, "--inh-caps", caps, "--")
    assert health(folder, prefix=prefix)[0] == 0  # the same check sees it healthy first
    folder.chmod(0o555)
    try:
        code, out, err = health(folder, prefix=prefix)
    finally:
        folder.chmod(0o755)
    assert (code, out) == (1, ""), err
    assert err == f"selfreview: {folder} is not writable: Permission denied\n"
    assert not list(folder.glob("*.tmp"))


def test_the_heartbeat_is_written_at_most_once_in_its_interval(tmp_path: Path) -> None:
    beat = Heartbeat(tmp_path, interval=3600)
    beat.beat("polling")
    note = json.loads((tmp_path / HEARTBEAT_NAME).read_text(encoding="utf-8"))
    assert note["pid"] == os.getpid()
    age = datetime.now(UTC) - datetime.fromisoformat(note["time"])
    assert timedelta(0) <= age < timedelta(seconds=5)
    (tmp_path / HEARTBEAT_NAME).unlink()
    for _ in range(100):
        beat.beat("polling")
    assert not (tmp_path / HEARTBEAT_NAME).exists()  # the next note waits for the interval
    assert [p.name for p in tmp_path.iterdir()] == []  # and no temporary file was left
