"""Start-up's check in a child process (storage.check_ahead): what it finds and how it fails.

Each runs in a process of its own, with no other thread, as `selfreview run` does (pytest's
workers run threads, where the check stays in the process)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bot.telegram.owed import glance
from storage.store import Store
from tests.conftest import make_engine

ROOT = Path(__file__).resolve().parent.parent

CHECK = """
import json, os, sys
from pathlib import Path
from bot.telegram.owed import glance
from storage.check_ahead import CheckAhead
look = (lambda file: os._exit(9)) if sys.argv[2] == "dies" else glance
checking = CheckAhead(Path(sys.argv[1]), look)
forked = len(checking._children)
try:
    glanced = checking.store().glanced
except Exception as error:
    print(json.dumps({"forked": forked, "error": [type(error).__name__, str(error)]}))
else:
    print(json.dumps({"forked": forked, "glanced": glanced}))
"""


def check_ahead(folder: Path, how: str = "glance") -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", CHECK, str(folder), how],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


def test_the_child_sees_what_a_check_in_this_process_sees(tmp_path: Path) -> None:
    folder = tmp_path / "db"
    engine = make_engine(folder)
    for number in range(5):  # answered, never shown a question: all five owed
        engine.current(f"telegram:{100 + number}", "sv")
        engine.answer(f"telegram:{100 + number}", "1")
    engine.current("terminal:anna")
    told = check_ahead(folder)
    assert told["forked"] == 2  # two processes, a share each
    expected = Store(folder, glance=glance).glanced
    assert expected == {f"telegram:{100 + n}": 100 + n for n in range(5)}
    assert told["glanced"] == expected


def test_the_damaged_file_named_is_the_first_whichever_share_it_is_in(tmp_path: Path) -> None:
    """Store() names the first damaged file in the order it reads them; so must the shares."""
    folder = tmp_path / "db"
    engine = make_engine(folder)
    for number in range(6):
        engine.current(f"telegram:{100 + number}", "sv")
    paths = sorted((folder / "respondents").glob("*.json"))
    for path in (paths[1], paths[4]):  # one in each half
        path.write_bytes(b"")
    told = check_ahead(folder)
    kind, words = told["error"]  # type: ignore[misc]
    assert kind == "DamagedFileError"
    assert words.startswith(f"{paths[1]} is damaged (empty)")
    paths[1].unlink()  # now the first damaged one is in the second share
    _, words = check_ahead(folder)["error"]  # type: ignore[misc]
    assert words.startswith(f"{paths[4]} is damaged (empty)")


def test_a_stray_file_is_named_once(tmp_path: Path) -> None:
    folder = tmp_path / "db"
    make_engine(folder).current("telegram:100", "sv")
    (folder / "respondents" / "kopia av anna.json").write_text("{}", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-c", CHECK, str(folder), "glance"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert json.loads(result.stdout)["forked"] == 2
    assert result.stderr.count("kopia av anna.json is not a respondent's file") == 1


def test_a_child_that_dies_stops_the_start_with_a_word(tmp_path: Path) -> None:
    folder = tmp_path / "db"
    make_engine(folder).current("telegram:100", "sv")
    told = check_ahead(folder, "dies")
    assert told["error"] == [
        "StorageError",
        f"the check of {folder} at start-up stopped before it finished (exit status 9); "
        "start again",
    ]
