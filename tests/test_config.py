"""Settings: the environment over .env, and clear errors for what is malformed."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, Settings


def test_the_environment_wins_over_the_dotenv_file(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("SELFREVIEW_DB=from-file\nSELFREVIEW_API_RATE=50\n", encoding="utf-8")
    settings = Settings.load({"SELFREVIEW_DB": "from-env"}, dotenv)
    assert settings.db == Path("from-env")
    assert settings.api_rate == 50.0
    assert Settings.load({}, tmp_path / "none").api_rate == 30.0  # Telegram's flood limit


# Below one request a second (or not finite) the bot would hardly ever, or never, answer.
@pytest.mark.parametrize("raw", ["fast", "0", "-3", "0.5", "1e-9", "nan", "inf", "-inf"])
def test_a_malformed_rate_is_named(tmp_path: Path, raw: str) -> None:
    with pytest.raises(ConfigError, match=f"SELFREVIEW_API_RATE: '{raw}' .* \\(1 or more\\)"):
        Settings.load({"SELFREVIEW_API_RATE": raw}, tmp_path / "none")


def test_a_rate_of_one_is_the_least_taken(tmp_path: Path) -> None:
    assert Settings.load({"SELFREVIEW_API_RATE": "1"}, tmp_path / "none").api_rate == 1.0


@pytest.mark.parametrize("raw", ["²", "٣", "12,x"])
def test_a_coordinator_that_is_not_a_plain_number_is_named(tmp_path: Path, raw: str) -> None:
    with pytest.raises(
        ConfigError, match=r"SELFREVIEW_COORDINATORS: '.*' is not a Telegram user id"
    ):
        Settings.load({"SELFREVIEW_COORDINATORS": raw}, tmp_path / "none")


def test_a_dotenv_file_that_is_not_text_is_named(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_bytes(bytes(range(256)))
    with pytest.raises(ConfigError, match=f"^{dotenv}: cannot be read \\(not UTF-8 text\\)"):
        Settings.load({}, dotenv)


def test_the_token_never_shows(tmp_path: Path) -> None:
    token = "123456:" + "a" * 35
    settings = Settings.load({"TELEGRAM_BOT_TOKEN": token}, tmp_path / "none")
    assert token not in repr(settings) and token not in str(settings)


@pytest.mark.parametrize(
    ("raw", "chat"), [("", None), (" 12345678 ", 12345678), ("-1001234567890", -1001234567890)]
)
def test_the_admin_chat_is_a_person_or_a_group(tmp_path: Path, raw: str, chat: int | None) -> None:
    assert Settings.load({"SELFREVIEW_ADMIN_CHAT": raw}, tmp_path / "none").admin_chat == chat


@pytest.mark.parametrize("raw", ["@operators", "-", "0", "12 34", "²", "-100x"])
def test_an_admin_chat_that_is_not_a_chat_id_is_named(tmp_path: Path, raw: str) -> None:
    with pytest.raises(ConfigError, match=r"SELFREVIEW_ADMIN_CHAT: '.*' is not a Telegram chat id"):
        Settings.load({"SELFREVIEW_ADMIN_CHAT": raw}, tmp_path / "none")
