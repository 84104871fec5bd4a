"""The lock files read as pip reads them: one pinned requirement a line, with its hashes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
DEV_LOCK = ROOT / "requirements-dev.lock"


@dataclass(frozen=True)
class Pin:
    requirement: Requirement
    hashes: tuple[str, ...]

    @property
    def version(self) -> str:
        (spec,) = self.requirement.specifier
        assert spec.operator == "==", f"{self.requirement}: pinned with =="
        return spec.version

    def applies(self) -> bool:
        """Whether pip installs it here (its marker, e.g. sys_platform == 'win32')."""
        marker = self.requirement.marker
        return marker is None or marker.evaluate()


def pins(path: Path) -> dict[str, list[Pin]]:
    """{canonical name: its pins}; continuation lines joined, comments dropped. A name has more
    than one pin where Python versions need different releases (each with its marker)."""
    logical: list[str] = []
    pending = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split(" #", 1)[0].strip() if not raw.lstrip().startswith("#") else ""
        if not line:
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        logical.append(pending + line)
        pending = ""
    assert not pending, f"{path.name} ends inside a continued line"
    found: dict[str, list[Pin]] = {}
    for line in logical:
        words = line.split(" --hash=")
        requirement = Requirement(words[0].strip())
        pin = Pin(requirement, tuple(w.strip() for w in words[1:]))
        found.setdefault(canonicalize_name(requirement.name), []).append(pin)
    return found
