"""The terminal chat end to end, as a subprocess with piped input."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.script import WHOLE_REVIEW

ROOT = Path(__file__).resolve().parent.parent


def chat(db: Path, lines: list[str], *args: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "NO_COLOR"}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "chat", "--db", str(db), *args],
        input="".join(f"{line}\n" for line in lines),
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        env=env,
        timeout=60,
        check=False,
    )


def test_a_whole_review_from_piped_input(tmp_path: Path) -> None:
    result = chat(tmp_path, [typed for typed, _ in WHOLE_REVIEW], "--as", "anna")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    out = result.stdout
    assert "\033[" not in out  # no colour codes when not on a terminal
    assert "Hur definieras ”hemlöshet” i kommunen?" in out
    assert "  1. Socialstyrelsens definition" in out
    assert "Klart med Överblick!" in out
    assert "  1. Vräkningar och barn" in out and "  9. Inget av dessa just nu" in out
    assert "Åtagande 1 av 3:" in out
    assert "Vill ni lägga till ett eget?" in out and "  1. Klar" in out  # numbered too
    assert "Tack! Självskattningen är klar." in out
    summary = out[out.index("Sammanfattning av självskattningen") :]
    assert "• Egna kartläggningar: ”Nej”" in summary
    assert "Stadsmissionen & <Frälsningsarmén>" in summary
    assert "1. Inför rutiner så att inga barnfamiljer vräks." in summary
    assert out.rstrip().endswith("Hej då! Allt är sparat – starta igen för att fortsätta.")


def test_an_interrupted_review_resumes_where_it_stopped(tmp_path: Path) -> None:
    inputs = [typed for typed, _ in WHOLE_REVIEW]
    first = chat(tmp_path, inputs[:7], "--as", "anna")  # ends of input after the number question
    assert first.returncode == 0
    assert "[Område 1 av 6 · fråga 5 av 7 · ca " in first.stdout.split("\n\n")[-2]
    second = chat(tmp_path, ["/status", *inputs[7:]], "--as", "anna")
    assert second.returncode == 0, second.stderr
    assert second.stdout.startswith("Välkommen tillbaka! Vi fortsätter där ni var.")
    assert "1. Överblick: 4 av 7 besvarade" in second.stdout
    assert "Tack! Självskattningen är klar." in second.stdout
    other = chat(tmp_path, [], "--as", "bo")  # someone else starts at the welcome
    assert other.stdout.startswith("Hej!")


def test_pause_then_start_again_resumes(tmp_path: Path) -> None:
    chat(tmp_path, ["1", "/pause"], "--as", "anna")
    again = chat(tmp_path, [], "--as", "anna")
    assert again.stdout.startswith("Välkommen tillbaka!")
    assert "Hur definieras ”hemlöshet” i kommunen?" in again.stdout


def test_commands_and_bad_input(tmp_path: Path) -> None:
    result = chat(
        tmp_path,
        [
            "1",
            "/info",
            "/help",
            "/hello",
            "7",
            "",
            "/back",
            "/back",
            "/skip",
            "/summary",
            "/quit",
            "1",
        ],
        "--as",
        "anna",
    )
    out = result.stdout
    assert result.returncode == 0
    assert "Socialstyrelsens definition har fyra situationer" in out
    assert "Kommandon: /back tillbaka" in out
    assert "Det kommandot känner jag inte till." in out
    assert "Välj ett av alternativen 1–4." in out
    assert "Jag fick inget svar." in out
    assert "Ni är redan vid början." in out
    assert "Här finns inget att hoppa över." in out
    assert "Preliminär: 0 av 27 frågor besvarade hittills." in out


def test_english_on_request(tmp_path: Path) -> None:
    result = chat(tmp_path, ["1", "/skip", "x" * 2000], "--as", "eve", "--lang", "en")
    assert "Hi! This is your municipality's self-review" in result.stdout
    assert "[Area 1 of 6 · question 2 of 7 · about " in result.stdout
    assert "The answer is too long" not in result.stdout  # a choice question: not free text
    assert "Choose one of the options 1–4." in result.stdout
