"""Names: one person however Unicode spells them, and any name within the id limit has a file."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

from bot.terminal import terminal_id
from storage.store import MAX_ID_LENGTH, Store
from tests.conftest import make_engine, play_until

ROOT = Path(__file__).resolve().parent.parent
NFC, NFD = unicodedata.normalize("NFC", "Åsa"), unicodedata.normalize("NFD", "Åsa")


def chat(folder: Path, name: str, typed: str = "/quit\n") -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "SELFREVIEW_"))}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "chat", "--db", str(folder), "--as", name],
        env={**clean, "PYTHONPATH": str(ROOT)},
        input=typed,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_long_name_of_two_byte_letters_has_a_review_to_come_back_to(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    name = "å" * 88  # 176 bytes: too long a file name as it was encoded before
    first = chat(folder, name, "Börja\n")
    assert first.returncode == 0, first.stderr
    again = chat(folder, name)
    assert again.returncode == 0, again.stderr
    assert "Välkommen tillbaka! Vi fortsätter där ni var." in again.stdout
    (path,) = (folder / "respondents").glob("*.json")
    assert len(path.name.encode()) <= 210
    assert Store(folder).respondent_ids() == [f"terminal:{name}"]


def test_every_id_within_the_limit_has_a_file_and_is_listed(tmp_path: Path) -> None:
    store = Store(tmp_path)
    ids = [
        "terminal:" + "å" * (MAX_ID_LENGTH - 9),
        "terminal:" + "𝄞" * (MAX_ID_LENGTH - 9),  # four bytes each
        "terminal:" + "å" * 80 + "x",
        "terminal:" + "å" * 80 + "y",  # the same first bytes: another person, another file
    ]
    for number, respondent_id in enumerate(ids):
        store.save_respondent({"id": respondent_id, "lang": "sv", "n": number})
    assert store.respondent_ids() == sorted(ids)
    for number, respondent_id in enumerate(ids):
        assert store.respondent(respondent_id)["n"] == number
    assert all(len(p.name.encode()) <= 210 for p in (tmp_path / "respondents").iterdir())


def test_ordinary_ids_keep_the_file_names_they_had(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.save_respondent({"id": "telegram:123", "lang": "sv"})
    store.save_respondent({"id": "x" * MAX_ID_LENGTH, "lang": "sv"})
    names = sorted(p.name for p in (tmp_path / "respondents").iterdir())
    assert names == ["dGVsZWdyYW06MTIz.json", "eHh4" * 50 + ".json"]


def test_a_long_name_stored_before_names_were_shortened_is_still_found(tmp_path: Path) -> None:
    """85 å worked before (a 240-character file name): that file stays theirs."""
    respondent_id = "terminal:" + "å" * 85
    play_until(make_engine(tmp_path), respondent_id, "q.mapping")
    (path,) = (tmp_path / "respondents").glob("*.json")
    old_name = base64.urlsafe_b64encode(respondent_id.encode()).decode().rstrip("=") + ".json"
    path.rename(path.with_name(old_name))
    engine = make_engine(tmp_path)
    assert engine.store.respondent_ids() == [respondent_id]
    assert engine.current(respondent_id).prompt.step == "q.mapping"
    engine.answer(respondent_id, "1")
    assert [p.name for p in (tmp_path / "respondents").iterdir()] == [old_name]


def test_a_name_typed_composed_or_decomposed_is_one_person(tmp_path: Path) -> None:
    engine = make_engine(tmp_path)
    assert NFC != NFD
    play_until(engine, terminal_id(NFD, engine.is_known), "q.mapping")
    assert engine.current(terminal_id(NFC, engine.is_known)).prompt.step == "q.mapping"
    assert engine.store.respondent_ids() == [f"terminal:{NFC}"]


def test_a_decomposed_name_stored_before_keeps_its_review(tmp_path: Path) -> None:
    engine = make_engine(tmp_path)
    play_until(engine, f"terminal:{NFD}", "q.mapping")  # as the chat stored it before
    assert terminal_id(NFC, engine.is_known) == f"terminal:{NFD}"
    assert terminal_id(NFD, engine.is_known) == f"terminal:{NFD}"


def test_a_name_over_the_limit_is_said_in_one_line(tmp_path: Path) -> None:
    result = chat(tmp_path / "data", "x" * 200)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"selfreview: --as: a name of at most {MAX_ID_LENGTH - 9} characters, please"
    ]
