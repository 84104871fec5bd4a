"""The layout keeps its promises: Telegram only in bot/telegram, and what does not need a
library does not load it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("telegram", "reportlab", "openpyxl", "docx", "matplotlib")


def test_only_bot_telegram_imports_telegram() -> None:
    importing = {
        path.relative_to(ROOT).parent.as_posix()
        for folder in ("bot", "dialogues", "storage")
        for path in (ROOT / folder).rglob("*.py")
        if re.search(r"^(from|import) telegram\b", path.read_text(encoding="utf-8"), re.M)
    }
    assert importing == {"bot/telegram"}


def loaded_by(code: str, stdin: str = "") -> set[str]:
    """Which of the heavy libraries a fresh interpreter has loaded after running `code`."""
    probe = f"{code}\nimport sys\nprint('loaded:', *(m for m in {HEAVY!r} if m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", probe], input=stdin, capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    return set(result.stdout.splitlines()[-1].removeprefix("loaded:").split())


def test_the_chat_and_export_help_load_no_telegram(tmp_path: Path) -> None:
    chat = f"from bot.cli import main\nmain(['chat', '--db', {str(tmp_path / 'db')!r}])"
    assert loaded_by(chat, stdin="1\n") == set()
    export_help = "from bot.cli import main\ntry:\n    main(['export', '--help'])\nexcept SystemExit:\n    pass"
    assert loaded_by(export_help) == set()


def test_the_bot_loads_the_document_libraries_only_when_a_document_is_made() -> None:
    assert loaded_by("import bot.telegram.app") == {"telegram"}
