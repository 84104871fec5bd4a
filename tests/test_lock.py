"""The pinned dependencies: every dependency pyproject.toml names is in the lock at a version it
allows (a stale lock fails here, in `make test`; `make lock` mends it), every pin has its hashes,
the tests run on exactly what is locked, and `make` installs from the lock."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.locks import DEV_LOCK, LOCK, ROOT, pins

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
RUNTIME = [Requirement(r) for r in PROJECT["dependencies"]]
DEV = [Requirement(r) for r in PROJECT["optional-dependencies"]["dev"]]
# What python-telegram-bot's extras bring (pyproject names the extras, not the packages).
EXTRAS = {"webhooks": "tornado", "rate-limiter": "aiolimiter", "job-queue": "apscheduler"}


def unpinned(required: list[Requirement], locked: dict) -> list[str]:
    """Requirements the lock leaves out or pins at a version they do not allow."""
    wrong = []
    for requirement in required:
        versions = [pin.version for pin in locked.get(canonicalize_name(requirement.name), [])]
        allowed = [requirement.specifier.contains(v, prereleases=True) for v in versions]
        if not (allowed and all(allowed)):
            wrong.append(str(requirement))
        for extra in requirement.extras:
            if extra in EXTRAS and EXTRAS[extra] not in locked:
                wrong.append(f"{requirement.name}[{extra}]: {EXTRAS[extra]}")
    return wrong


@pytest.mark.parametrize(("lock", "required"), [(LOCK, RUNTIME), (DEV_LOCK, RUNTIME + DEV)])
def test_the_lock_pins_every_dependency_pyproject_names(lock, required) -> None:
    missing = unpinned(required, pins(lock))
    assert not missing, f"{lock.name} is stale, run `make lock`: {missing}"


def test_a_dependency_added_to_pyproject_alone_is_caught() -> None:
    added = [*RUNTIME, Requirement("not-yet-locked>=1.0"), Requirement("tinydb>=99")]
    assert unpinned(added, pins(LOCK)) == ["not-yet-locked>=1.0", "tinydb>=99"]


def test_the_runtime_lock_holds_no_dev_tools_and_the_dev_lock_the_same_versions() -> None:
    runtime, dev = pins(LOCK), pins(DEV_LOCK)
    assert not {canonicalize_name(r.name) for r in DEV} & set(runtime)
    for name, pinned in runtime.items():
        assert [str(p.requirement) for p in pinned] == [str(p.requirement) for p in dev[name]]


@pytest.mark.parametrize("lock", [LOCK, DEV_LOCK])
def test_every_pin_has_its_hashes(lock) -> None:
    for name, pinned in pins(lock).items():
        for pin in pinned:
            assert pin.hashes, f"{lock.name}: {name} has no hash"
            assert all(re.fullmatch(r"sha256:[0-9a-f]{64}", h) for h in pin.hashes), name


def installed(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def test_the_tests_run_on_exactly_what_is_locked() -> None:
    for name, pinned in pins(DEV_LOCK).items():
        applying = [pin.version for pin in pinned if pin.applies()]
        assert len(applying) <= 1, f"{name}: one pin for this Python, not {applying}"
        if applying:
            assert installed(name) == applying[0], f"{name}: run `make .venv/.installed`"


def test_make_installs_from_the_locks_and_reinstalls_when_they_change() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    values = dict(re.findall(r"^(\w+) :?= (\S+)$", makefile, re.MULTILINE))
    assert (ROOT / values["LOCK"]) == LOCK and (ROOT / values["DEV_LOCK"]) == DEV_LOCK
    stamp = re.search(r"^\$\(STAMP\):(.*)\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert stamp, "the Makefile's $(STAMP) rule"
    assert set(stamp[1].split()) >= {"pyproject.toml", "$(LOCK)", "$(DEV_LOCK)"}
    installs = [line for line in stamp[2].splitlines() if " install " in line]
    assert "--require-hashes -r $(DEV_LOCK)" in installs[0]
    assert all("--require-hashes" in line or "--no-deps" in line for line in installs)
    assert re.search(r"^lock:", makefile, re.MULTILINE)
