"""An operator's mistake at start gets one line and a non-zero exit, never a traceback."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def selfreview(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "SELFREVIEW_"))}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        env={**clean, "PYTHONPATH": str(ROOT), **env},
        cwd=cwd,
        input="/quit\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.splitlines()
    return line


def test_a_data_folder_that_is_a_file_is_said_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "data").write_text("not a folder", encoding="utf-8")
    assert one_line(selfreview(tmp_path, "run", "--db", "data")) == (
        "selfreview: the data folder data cannot be used (File exists); "
        "check that it is a folder you may write to"
    )


def test_a_malformed_setting_is_said_in_one_line(tmp_path: Path) -> None:
    """Every setting's check is in test_config; here, that the command says it in one line."""
    assert one_line(selfreview(tmp_path, "run", SELFREVIEW_COORDINATORS="²")).startswith(
        "selfreview: SELFREVIEW_COORDINATORS: '²' is not a Telegram user id"
    )


def test_a_binary_dotenv_is_said_in_one_line(tmp_path: Path) -> None:
    (tmp_path / ".env").write_bytes(bytes(range(256)))
    assert one_line(selfreview(tmp_path, "run")).startswith(
        "selfreview: .env: cannot be read (not UTF-8 text)"
    )


@contextlib.contextmanager
def mounted(folder: Path) -> Iterator[Path]:
    """A small file system of its own at `folder`, to make read-only."""
    folder.mkdir()
    if subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(folder)], capture_output=True
    ).returncode:
        pytest.skip("no file system can be mounted here")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


def test_a_read_only_data_folder_is_said_in_one_line(tmp_path: Path) -> None:
    with mounted(tmp_path / "disk") as disk:
        assert selfreview(tmp_path, "chat", "--db", "disk/data").returncode == 0  # written once
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        for folder in ("disk/data", "disk/new"):
            assert one_line(selfreview(tmp_path, "chat", "--db", folder)) == (
                f"selfreview: the data folder {folder} cannot be used (Read-only file system); "
                "check that it is a folder you may write to"
            )
