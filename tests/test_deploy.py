"""The deployment kit, checked as far as a machine without a Docker daemon or systemd allows.

Dockerfile: it parses; the image runs `selfreview run` as a user that is not root, checks itself
with `selfreview health`, keeps its data in a volume, copies only paths that exist and that the
build context holds, and builds no secret in. compose.yaml: a named volume at that folder, the
settings from .env, a restart policy. .env.example: every setting bot/config.py reads, no value
that looks like a token. The systemd unit: `systemd-analyze verify` finds nothing, and it keeps
its hardening. Every command these files and the README's Deployment section give is one the
installed `selfreview` knows. No container is built or run here.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath

import pytest
import yaml
from dotenv import dotenv_values

from bot.cli import main
from bot.config import Settings

ROOT = Path(__file__).resolve().parent.parent
UNIT = ROOT / "deploy" / "selfreview.service"
TOKEN_LIKE = re.compile(r"\d{5,15}:[A-Za-z0-9_-]{30,}")  # as bot/config.py takes a token
SECRET_NAME = re.compile(r"TOKEN|SECRET|PASSWORD|PASSWD|API_KEY", re.IGNORECASE)
# Subcommands that come with the operations work (health, backup, restore) on its own branch:
# until it is merged here, a file naming them is checked for the name only.
OPERATIONS = {"health", "backup", "restore"}


# The Dockerfile, read as Docker reads it: instructions, continuations joined, comments dropped.
@dataclass(frozen=True)
class Instruction:
    keyword: str
    args: str
    line: int


def instructions(text: str) -> list[Instruction]:
    found: list[Instruction] = []
    pending: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), 1):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):  # also inside a continuation, as Docker does
            continue
        if not pending:
            start = number
        if stripped.endswith("\\"):
            pending.append(stripped[:-1].strip())
            continue
        keyword, _, args = " ".join([*pending, stripped]).partition(" ")
        found.append(Instruction(keyword.upper(), args.strip(), start))
        pending = []
    assert not pending, "the Dockerfile ends inside a continued line"
    return found


def exec_form(args: str) -> list[str]:
    """A command in exec form (JSON), as signals must reach the bot: no shell in between."""
    assert args.startswith("["), f'{args!r}: give the command in exec form, ["..."]'
    command = json.loads(args)
    assert all(isinstance(part, str) for part in command)
    return command


def flags(args: str) -> tuple[dict[str, str], list[str]]:
    """The --name=value flags in front of an instruction's arguments, and the words after."""
    words = shlex.split(args) if not args.startswith("[") else json.loads(args)
    options = {}
    while words and words[0].startswith("--"):
        name, _, value = words.pop(0)[2:].partition("=")
        options[name] = value
    return options, words


def stages(found: list[Instruction]) -> list[list[Instruction]]:
    result: list[list[Instruction]] = []
    for instruction in found:
        if instruction.keyword == "FROM":
            result.append([])
        assert result, f"line {instruction.line}: {instruction.keyword} before the first FROM"
        result[-1].append(instruction)
    return result


def environment(instruction: Instruction) -> dict[str, str]:
    """ENV's pairs, in either form: `ENV A=1 B=2` or `ENV A 1`."""
    words = shlex.split(instruction.args)
    if "=" not in words[0]:
        return {words[0]: " ".join(words[1:])}
    return dict(word.partition("=")[::2] for word in words)


@pytest.fixture(scope="module")
def dockerfile() -> list[Instruction]:
    return instructions((ROOT / "Dockerfile").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def final(dockerfile: list[Instruction]) -> list[Instruction]:
    """The stage the image is made of: the last one."""
    return stages(dockerfile)[-1]


def one(stage: list[Instruction], keyword: str) -> Instruction:
    found = [i for i in stage if i.keyword == keyword]
    assert len(found) == 1, f"the final stage needs one {keyword}, has {len(found)}"
    return found[0]


def the_command(stage: list[Instruction]) -> list[str]:
    """What the container runs: ENTRYPOINT followed by CMD."""
    command: list[str] = []
    for keyword in ("ENTRYPOINT", "CMD"):
        given = [i for i in stage if i.keyword == keyword]
        if given:
            command += exec_form(given[-1].args)
    return command


def healthcheck(stage: list[Instruction]) -> list[str]:
    options, words = flags(one(stage, "HEALTHCHECK").args)
    assert words[0] == "CMD", "HEALTHCHECK CMD [...]"
    assert set(options) <= {"interval", "timeout", "start-period", "start-interval", "retries"}
    rest = one(stage, "HEALTHCHECK").args.split("CMD", 1)[1].strip()
    return exec_form(rest)


def data_folder(stage: list[Instruction]) -> str:
    volumes = [v for i in stage if i.keyword == "VOLUME" for v in flags(i.args)[1]]
    assert len(volumes) == 1, f"one VOLUME, the data folder; found {volumes}"
    return volumes[0]


def test_the_dockerfile_parses_into_stages_from_a_slim_python(
    dockerfile: list[Instruction],
) -> None:
    known = {"FROM", "ENV", "ARG", "WORKDIR", "COPY", "RUN", "VOLUME", "USER", "EXPOSE"}
    known |= {"HEALTHCHECK", "ENTRYPOINT", "CMD", "LABEL", "STOPSIGNAL"}
    assert {i.keyword for i in dockerfile} <= known
    required = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "requires-python"
    ]
    least = re.fullmatch(r">=\s*3\.(\d+)", required)
    assert least, f"requires-python {required!r}: expected >=3.N"
    for stage in stages(dockerfile):
        image = flags(stage[0].args)[1][0]
        match = re.fullmatch(r"python:3\.(\d+)-slim(-\w+)?", image)
        assert match, f"{image}: a slim Python image"
        assert int(match[1]) >= int(least[1]), f"{image} is older than {required}"


def test_the_image_runs_the_bot_as_a_user_that_is_not_root(final: list[Instruction]) -> None:
    user = one(final, "USER")
    name = user.args.split(":")[0]
    assert name not in {"root", "0"}
    assert user.line < min(i.line for i in final if i.keyword in {"ENTRYPOINT", "CMD"})
    assert not [i for i in final if i.keyword == "RUN" and i.line > user.line], (
        "nothing runs as the user at build time, after USER"
    )


def test_the_image_runs_selfreview_run_and_checks_itself_with_selfreview_health(
    final: list[Instruction],
) -> None:
    assert the_command(final) == ["selfreview", "run"]
    assert healthcheck(final)[:2] == ["selfreview", "health"]


def test_the_data_folder_is_a_volume_the_bot_is_told_to_use(final: list[Instruction]) -> None:
    folder = data_folder(final)
    settings = {k: v for i in final if i.keyword == "ENV" for k, v in environment(i).items()}
    assert settings["SELFREVIEW_DB"] == folder
    # The folder exists in the image before VOLUME (a new volume starts as it is), owned by the
    # user the bot runs as, who must write there.
    (made,) = [i for i in final if i.keyword == "RUN" and "useradd" in i.args]
    uid = re.search(r"--uid\s+(\d+)", made.args)
    name = re.search(r"useradd\b[^&;]*\s(\w+)\s*(?:&&|;|$)", made.args)
    assert uid and name, f"line {made.line}: useradd --uid N ... NAME"
    assert one(final, "USER").args.split(":")[0] in {uid[1], name[1]}
    owned = rf"install -d -o {name[1]}\b.*\s{re.escape(folder)}(\s|$)"
    assert re.search(owned, made.args), f"line {made.line}: {folder} is made for {name[1]}"
    assert made.line < one(final, "VOLUME").line


def pip_installs(script: str) -> list[list[str]]:
    """The words after `pip install` in each command of a RUN's shell script."""
    commands: list[list[str]] = [[]]
    for word in shlex.split(script):
        if word in {"&&", ";", "||"}:
            commands.append([])
        else:
            commands[-1].append(word)
    return [
        c[c.index("install") :]
        for c in commands
        if "install" in c and any(w.endswith("pip") for w in c[: c.index("install")])
    ]


def test_the_image_installs_exactly_the_locked_dependencies_and_no_dev_tools(
    dockerfile: list[Instruction],
) -> None:
    installs = [(i, c) for i in dockerfile if i.keyword == "RUN" for c in pip_installs(i.args)]
    commands = [command for _, command in installs]
    assert commands, "the image installs the package with pip"
    # Each pip install either takes the runtime lock with its hashes, or adds nothing unlocked.
    locked = [c for c in commands if "--require-hashes" in c]
    assert locked and all(c[c.index("-r") + 1] == "requirements.lock" for c in locked)
    for command in commands:
        assert "--require-hashes" in command or "--no-deps" in command, command
        assert not any("[dev]" in word or "dev.lock" in word for word in command), command
    # The lock is copied in before it is installed from.
    (copy,) = [i for i in dockerfile if i.keyword == "COPY" and "requirements.lock" in i.args]
    first = min(i.line for i, command in installs if "--require-hashes" in command)
    assert copy.line < first
    assert "requirements.lock" in copied(dockerfile)


def test_no_secret_is_built_into_the_image(dockerfile: list[Instruction]) -> None:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert not TOKEN_LIKE.search(text)
    for instruction in dockerfile:
        if instruction.keyword == "ENV":
            for name, value in environment(instruction).items():
                assert not (SECRET_NAME.search(name) and value), f"ENV {name} holds a secret"
        if instruction.keyword == "ARG":
            name, _, value = instruction.args.partition("=")
            assert not SECRET_NAME.search(name), f"ARG {name}: build arguments stay in the image"
        if instruction.keyword in {"COPY", "ADD"}:
            sources = flags(instruction.args)[1][:-1]
            assert not any(PurePosixPath(s).name.startswith(".env") for s in sources)


# .dockerignore, matched as Docker matches it: the last pattern that matches a path or one of
# its parent folders decides; `!` takes a path back in.
def _regex(pattern: str) -> re.Pattern[str]:
    out, i = "", 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out, i = out + "(?:.*/)?", i + 3
        elif pattern.startswith("**", i):
            out, i = out + ".*", i + 2
        elif pattern[i] == "*":
            out, i = out + "[^/]*", i + 1
        elif pattern[i] == "?":
            out, i = out + "[^/]", i + 1
        else:
            out, i = out + re.escape(pattern[i]), i + 1
    return re.compile(out)


def dockerignore() -> list[tuple[bool, re.Pattern[str]]]:
    rules = []
    for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            back = line.startswith("!")
            rules.append((back, _regex(line.lstrip("!").strip("/"))))
    return rules


def left_out(path: str, rules: list[tuple[bool, re.Pattern[str]]]) -> bool:
    parts = PurePosixPath(path).parts
    prefixes = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    out = False
    for back, regex in rules:
        if any(regex.fullmatch(prefix) for prefix in prefixes):
            out = not back
    return out


def copied(dockerfile: list[Instruction]) -> list[str]:
    """The paths COPY takes from the build context (not those from another stage)."""
    sources = []
    for instruction in dockerfile:
        if instruction.keyword in {"COPY", "ADD"}:
            options, words = flags(instruction.args)
            if "from" not in options:
                sources += words[:-1]
    return sources


def test_every_path_the_image_copies_is_in_the_repository_and_the_build_context(
    dockerfile: list[Instruction],
) -> None:
    rules = dockerignore()
    sources = copied(dockerfile)
    assert sources
    for source in sources:
        assert (ROOT / source).exists(), f"COPY {source}: no such path in the repository"
        assert not left_out(source, rules), f"COPY {source}: .dockerignore leaves it out"
    # What pyproject builds the package from: its readme and each package folder.
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    needed = {project["project"]["readme"], "pyproject.toml"}
    needed |= {p.rstrip("*") for p in project["tool"]["setuptools"]["packages"]["find"]["include"]}
    assert needed <= {PurePosixPath(s).as_posix() for s in sources}


@pytest.mark.parametrize(
    "path",
    [
        ".venv/bin/python",
        "data/respondents/telegram-1.json",
        ".env",
        ".git/HEAD",
        "tests/test_deploy.py",
        ".pytest_cache/v/cache/nodeids",
        ".ruff_cache/CACHEDIR.TAG",
        "bot/__pycache__/cli.cpython-311.pyc",
        "dialogues/review/__pycache__/engine.cpython-311.pyc",
        "selfreview.egg-info/PKG-INFO",
    ],
)
def test_the_build_context_leaves_out_the_venv_data_secrets_and_caches(path: str) -> None:
    assert left_out(path, dockerignore())


@pytest.mark.parametrize(
    "path", ["pyproject.toml", "README.md", "bot/cli.py", "dialogues/review/content/ui.yaml"]
)
def test_the_build_context_holds_what_the_package_is_built_from(path: str) -> None:
    assert (ROOT / path).exists()
    assert not left_out(path, dockerignore())


# compose.yaml
@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))


def test_compose_keeps_the_data_in_a_named_volume_and_reads_the_settings_from_env(
    compose: dict, final: list[Instruction]
) -> None:
    (service,) = compose["services"].values()
    assert service["build"] == "."
    env_files = service["env_file"]
    env_files = [env_files] if isinstance(env_files, str | dict) else env_files
    assert [f if isinstance(f, str) else f["path"] for f in env_files] == [".env"]
    folder = data_folder(final)
    assert service["environment"]["SELFREVIEW_DB"] == folder
    mounts = [v.split(":") for v in service["volumes"]]
    named = [source for source, target, *_ in mounts if target == folder]
    assert named and named[0] in compose["volumes"], "a named volume at the data folder"
    assert service["restart"] in {"always", "unless-stopped"}
    for value in service["environment"].values():
        assert not TOKEN_LIKE.search(str(value))
    assert service.get("command", ["run"])[0] == "run"  # CMD's subcommand; ENTRYPOINT is selfreview


# .env.example
def read_names() -> set[str]:
    """The environment variables bot/config.py reads: the quoted TELEGRAM_ and SELFREVIEW_ names."""
    source = (ROOT / "bot" / "config.py").read_text(encoding="utf-8")
    return set(re.findall(r"[\"']((?:TELEGRAM|SELFREVIEW)_[A-Z0-9_]+)[\"']", source))


def test_env_example_names_every_setting_the_bot_reads_with_no_real_value() -> None:
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    names = read_names()
    assert {"TELEGRAM_BOT_TOKEN", "SELFREVIEW_DB", "SELFREVIEW_COORDINATORS"} <= names
    given = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", text, re.MULTILINE))
    assert names <= given, f"missing from .env.example: {sorted(names - given)}"
    assert given <= names, f"read by nothing: {sorted(given - names)}"
    assert not TOKEN_LIKE.search(text)
    assert dotenv_values(ROOT / ".env.example") == {"TELEGRAM_BOT_TOKEN": ""}


def test_env_example_loads_as_it_is_and_with_every_example_uncommented(tmp_path: Path) -> None:
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    as_is = Settings.load({}, ROOT / ".env.example")
    assert as_is.token is None
    uncommented = tmp_path / ".env"
    uncommented.write_text(re.sub(r"^# ([A-Z][A-Z0-9_]*=)", r"\1", text, flags=re.M), "utf-8")
    settings = Settings.load({}, uncommented)
    assert settings.db == Path("/var/lib/selfreview")
    assert settings.coordinators


# The systemd unit
def unit() -> dict[str, list[tuple[str, str]]]:
    """Sections of (key, value) pairs; a key may repeat, as systemd allows."""
    sections: dict[str, list[tuple[str, str]]] = {}
    current = None
    for line in UNIT.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), [])
            continue
        key, _, value = line.partition("=")
        assert current is not None
        current.append((key.strip(), value.strip()))
    return sections


def service() -> dict[str, str]:
    """The [Service] section, the last value of each key (systemd's rule for most keys)."""
    return dict(unit()["Service"])


def test_the_unit_restarts_as_a_user_of_its_own_with_its_state_folder() -> None:
    given = service()
    assert given["Restart"] == "always"
    assert given.get("DynamicUser") == "yes" or given["User"] not in {"root", "0", ""}
    folder = f"/var/lib/{given['StateDirectory']}"
    assert f"SELFREVIEW_DB={folder}" in given["Environment"].split()
    assert given["EnvironmentFile"].startswith("/etc/")  # the token, outside the unit
    assert not TOKEN_LIKE.search(UNIT.read_text(encoding="utf-8"))
    assert unit()["Install"] == [("WantedBy", "multi-user.target")]


HARDENING = {
    "NoNewPrivileges": "yes",
    "ProtectSystem": "strict",
    "ProtectHome": "yes",
    "PrivateTmp": "yes",
    "PrivateDevices": "yes",
    "ProtectKernelTunables": "yes",
    "ProtectKernelModules": "yes",
    "ProtectControlGroups": "yes",
    "RestrictAddressFamilies": "AF_INET AF_INET6 AF_UNIX",
    "RestrictNamespaces": "yes",
    "RestrictSUIDSGID": "yes",
    "LockPersonality": "yes",
    "MemoryDenyWriteExecute": "yes",
    "CapabilityBoundingSet": "",
    "SystemCallArchitectures": "native",
}


def test_the_unit_keeps_its_hardening() -> None:
    given = service()
    assert {key: given.get(key) for key in HARDENING} == HARDENING


def systemd_analyze() -> str:
    found = shutil.which("systemd-analyze")
    if found is None:
        pytest.skip("systemd-analyze is not on this machine")
    return found


def runnable_copy(tmp_path: Path) -> Path:
    """The unit with ExecStart on the `selfreview` installed beside this Python: verify insists
    that the program exists, and /opt/selfreview is where a server has it, not this machine."""
    program = Path(sys.executable).parent / "selfreview"
    if not program.exists():
        program = tmp_path / "selfreview"
        program.write_text("#!/bin/sh\n", encoding="utf-8")
        program.chmod(0o755)
    copy = tmp_path / UNIT.name
    text = UNIT.read_text(encoding="utf-8")
    assert "ExecStart=/opt/selfreview/.venv/bin/selfreview " in text
    copy.write_text(text.replace("/opt/selfreview/.venv/bin/selfreview", str(program)), "utf-8")
    return copy


def test_systemd_analyze_verify_finds_nothing_in_the_unit(tmp_path: Path) -> None:
    done = subprocess.run(
        [systemd_analyze(), "verify", str(runnable_copy(tmp_path))],
        capture_output=True,
        text=True,
        timeout=30,
    )
    # It exits 0 on unknown keys and values it ignores, but says so: both streams stay empty.
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_systemd_analyze_security_rates_the_unit_exposure_low(tmp_path: Path) -> None:
    done = subprocess.run(
        [systemd_analyze(), "security", "--offline=yes", str(runnable_copy(tmp_path))],
        capture_output=True,
        text=True,
        timeout=30,
    )
    if "--offline" in done.stderr:
        pytest.skip("this systemd-analyze has no offline security review")
    level = re.search(r"Overall exposure level for selfreview\.service: ([\d.]+)", done.stdout)
    assert level, done.stdout[-500:] + done.stderr
    assert float(level[1]) <= 2.0  # systemd's scale: 0 (locked down) to 10 (unprotected)


# The commands these files give, against the installed `selfreview`.
def readme_deployment() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Deployment\n", 1)[1]
    return section.split("\n## ", 1)[0]


def commands_given(final: list[Instruction]) -> list[tuple[str, list[str]]]:
    """(where, argv after `selfreview`) for every command the deployment files run."""
    given = [
        ("Dockerfile CMD", the_command(final)[1:]),
        ("Dockerfile HEALTHCHECK", healthcheck(final)[1:]),
        ("ExecStart", shlex.split(service()["ExecStart"])[1:]),
    ]
    # Overlapping: `docker compose exec selfreview selfreview health` gives its subcommand too.
    for line in re.findall(r"(?=selfreview ([a-z][^`\n]*))", readme_deployment()):
        words = line.split("#")[0].split()
        if words[0] in {*OPERATIONS, "run", "export", "chat"}:
            given.append(("README", words[:1]))
    return given


def test_the_console_script_is_the_installed_packages_selfreview() -> None:
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "scripts"
    ]
    (entry,) = metadata.entry_points(group="console_scripts", name="selfreview")
    assert entry.value == scripts["selfreview"]
    assert entry.load() is main


def test_every_command_the_deployment_gives_is_one_selfreview_knows(
    final: list[Instruction], capsys: pytest.CaptureFixture[str]
) -> None:
    given = commands_given(final)
    assert {argv[0] for _, argv in given} >= {"run", *OPERATIONS}
    waiting = []
    for where, argv in given:
        with pytest.raises(SystemExit) as ended:
            main([*argv, "--help"])  # argparse checks the words, then shows the help and exits
        if ended.value.code != 0 and argv[0] in OPERATIONS:
            waiting.append(argv[0])
            continue
        assert ended.value.code == 0, f"{where}: selfreview {' '.join(argv)}: {capsys.readouterr()}"
    capsys.readouterr()
    if waiting:
        pytest.skip(f"selfreview has no {', '.join(sorted(set(waiting)))} in this checkout yet")
