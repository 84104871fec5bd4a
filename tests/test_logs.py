"""Logs an operator can search: one JSON object a line on request, readable text by default,
never the token."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, Settings

ROOT = Path(__file__).resolve().parent.parent


def chat_with_a_stray_file(tmp_path: Path, **env: str) -> list[str]:
    """The terminal chat on a folder holding a stray copy, which is logged as a warning."""
    folder = tmp_path / "data"
    (folder / "respondents").mkdir(parents=True)
    (folder / "respondents" / "anna - Kopia.json").write_text("{}", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "chat", "--db", str(folder), "--as", "anna"],
        input="",
        capture_output=True,
        text=True,
        cwd=tmp_path,  # no .env from the repository
        env={**{k: v for k, v in os.environ.items() if not k.startswith("SELFREVIEW_")}, **env},
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return [line for line in result.stderr.splitlines() if line]


def test_json_logs_are_one_object_a_line(tmp_path: Path) -> None:
    lines = chat_with_a_stray_file(tmp_path, SELFREVIEW_LOG_FORMAT="json", PYTHONPATH=str(ROOT))
    assert lines
    for line in lines:
        record = json.loads(line)
        assert set(record) >= {"time", "level", "logger", "event"}
        assert record["time"].endswith("+00:00")
    assert any("anna - Kopia.json" in json.loads(line)["event"] for line in lines)


def test_text_logs_by_default(tmp_path: Path) -> None:
    lines = chat_with_a_stray_file(tmp_path, PYTHONPATH=str(ROOT))
    assert lines and lines[0].startswith("WARNING ")


def test_an_unknown_log_format_is_refused_by_name() -> None:
    with pytest.raises(ConfigError) as refused:
        Settings.load({"SELFREVIEW_LOG_FORMAT": "xml"}, dotenv=Path("/nonexistent"))
    assert "SELFREVIEW_LOG_FORMAT" in str(refused.value)
    assert Settings.load({"SELFREVIEW_LOG_FORMAT": "JSON"}, dotenv=Path("/x")).log_format == "json"
