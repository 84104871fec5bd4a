"""How soon a second `selfreview run` on a data folder in use is refused.

Run with `make bench`. A first process (the terminal chat) holds the folder; a second
`selfreview run` with a token is started on it again and again, and the time from its start
to its exit (refused, exit 2) is measured. The floor is a process that only imports the
`selfreview` command, measured in the same run: the refusal costs what is above it.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 15


def timed(command: list[str], env: dict[str, str], expected: int) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    assert result.returncode == expected, result.stderr
    return elapsed * 1000


def main() -> None:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "SELFREVIEW_"))}
    env = {**clean, "PYTHONPATH": str(ROOT), "TELEGRAM_BOT_TOKEN": "424242:" + "x" * 35}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "data"
        holder = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "chat", "--db", str(folder), "--as", "anna"],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert holder.stdout is not None and holder.stdout.readline()
        try:
            floor, refused = [], []
            for _ in range(RUNS):  # interleaved, so that both see the same load
                floor.append(timed([sys.executable, "-c", "import bot.cli"], env, 0))
                second = [sys.executable, "-m", "bot.cli", "run", "--db", str(folder)]
                refused.append(timed(second, env, 2))
        finally:
            holder.kill()
            holder.wait()
    low, high = statistics.median(floor), statistics.median(refused)
    print("A second `selfreview run` on a data folder in use (median of", RUNS, "starts):")
    print(f"  refused after {high:.0f} ms; importing the command alone: {low:.0f} ms")
    print(f"  ratio to that floor: {high / low:.2f}")


if __name__ == "__main__":
    main()
