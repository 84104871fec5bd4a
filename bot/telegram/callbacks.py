"""What a button carries: an action, the step it was shown at, and a value, within 64 bytes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

MAX_BYTES = 64  # Telegram's limit for callback_data

CHOOSE, TOGGLE, CONFIRM, BACK, SKIP, PAUSE, INFO, RESUME, DELETE, LANGUAGE = (
    "c", "t", "d", "b", "s", "p", "i", "r", "x", "l",
)  # fmt: skip
ORGANISATION, OVERVIEW, FOLLOW_UP, EXPORT = "g", "o", "f", "e"
JOINT_CONTACT, JOINT_LINE = "j", "k"  # the municipality's joint letter: its contact, its lines
REMINDERS_OFF = "q"  # under a reminder: no more reminders
SHARE, EXAMPLE = "h", "w"  # learning examples: a municipality's consent; a coordinator's removal
ACTIONS = {
    CHOOSE, TOGGLE, CONFIRM, BACK, SKIP, PAUSE, INFO, RESUME, DELETE, LANGUAGE,
    ORGANISATION, OVERVIEW, FOLLOW_UP, EXPORT, JOINT_CONTACT, JOINT_LINE, REMINDERS_OFF, SHARE,
    EXAMPLE,
}  # fmt: skip


@dataclass(frozen=True)
class Press:
    action: str
    step: str = ""
    value: str = ""

    def encode(self) -> str:
        data = f"{self.action}|{self.step}|{self.value}"
        if len(data.encode()) > MAX_BYTES:
            raise ValueError(f"callback data over {MAX_BYTES} bytes: {data!r}")
        return data


def decode(data: str | None) -> Press | None:
    """The press a button's data stands for, or None if it is not one of ours (forged, old)."""
    if not data or len(data.encode()) > MAX_BYTES:
        return None
    parts = data.split("|")
    if len(parts) != 3 or parts[0] not in ACTIONS:
        return None
    return Press(*parts)


def is_press(*actions: str) -> Callable[[object], bool]:
    """A pattern for PTB's CallbackQueryHandler: data that decodes to a press of these actions."""

    def matches(data: object) -> bool:
        press = decode(data) if isinstance(data, str) else None
        return press is not None and press.action in actions

    return matches
