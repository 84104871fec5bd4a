"""The coordinators' programme: who coordinates, which municipalities take part, who belongs where.

Officials join a municipality through an invitation code (a Telegram deep link); wrong
codes from one person are slowed down, so codes cannot be guessed by trying.

Every change is one read-change-write of the programme's file (`store.open()`), so that
people joining, coordinators inviting and rounds starting at the same moment all count.
"""

from __future__ import annotations

import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from dialogues.collation import swedish_key
from dialogues.errors import Refusal
from dialogues.programme.labels import ORGANISATIONS
from dialogues.programme.municipalities import Municipalities, Municipality, default_municipalities
from dialogues.review.engine import Engine
from storage.programme import ProgrammeFile, ProgrammeStore
from storage.store import Store

FREE_TRIES = 5  # wrong codes before each further try has to wait
MAX_WAIT = timedelta(hours=1)
FORGIVEN = timedelta(days=1)  # after a day without a wrong code, the count starts again


class ProgrammeError(Refusal):
    """A refused programme action (a wrong code, an unknown municipality, no such role ...)."""


@dataclass(frozen=True)
class Invitation:
    municipality: Municipality
    token: str


def _now() -> datetime:
    return datetime.now(UTC)


class Programme:
    def __init__(
        self,
        engine: Engine,
        store: ProgrammeStore,
        configured_coordinators: frozenset[int] = frozenset(),
        municipalities: Municipalities | None = None,
        clock: Callable[[], datetime] = _now,
    ) -> None:
        self.engine = engine  # the review's own rules: a fresh review, a new round
        self.respondents: Store = engine.store
        self.store = store
        self.configured = configured_coordinators
        self.municipalities = municipalities or default_municipalities()
        self.clock = clock

    def _at(self) -> str:
        return self.clock().isoformat(timespec="seconds")

    # Roles.
    def is_coordinator(self, user_id: int) -> bool:
        return user_id in self.configured or user_id in self.store.coordinators()

    def coordinators(self) -> set[int]:
        """Everyone who coordinates: configured, and added in the chat."""
        return set(self.configured) | self.store.coordinators()

    def add_coordinator(self, user_id: int, added_by: int) -> None:
        with self.store.open() as programme:
            programme.add_coordinator(user_id, added_by, self._at())

    def remove_coordinator(self, user_id: int) -> None:
        if user_id in self.configured:
            raise ProgrammeError("err_coordinator_configured")
        with self.store.open() as programme:
            removed = programme.remove_coordinator(user_id)
        if not removed:
            raise ProgrammeError("err_not_coordinator", user=user_id)

    # Municipalities and invitations.
    def find(self, typed: str) -> Municipality:
        """The one municipality meant, or an error that lists the candidates."""
        found = self.municipalities.find(typed)
        if len(found) == 1:
            return found[0]
        if not found:
            raise ProgrammeError("err_no_municipality", typed=typed)
        names = ", ".join(f"{m.name} ({m.code})" for m in found)
        raise ProgrammeError("err_which_municipality", names=names)

    def invite(self, typed: str, added_by: int) -> Invitation:
        """Add a municipality to the programme (or keep it) and give its current invitation code."""
        municipality = self.find(typed)
        with self.store.open() as programme:
            row = programme.municipality(municipality.code) or {
                "code": municipality.code,
                "token": None,
                "revoked_tokens": [],
                "round": 1,
                "members": [],
                "added_by": added_by,
                "at": self._at(),
            }
            if not row["token"]:
                row["token"] = secrets.token_urlsafe(12)  # 16 characters, fits a deep link
                programme.save_municipality(row)
        return Invitation(municipality, row["token"])

    def revoke(self, typed: str) -> Municipality:
        """The current invitation code stops working; /municipality add makes a new one."""
        municipality = self.find(typed)
        with self.store.open() as programme:
            row = programme.municipality(municipality.code)
            if row is None or not row["token"]:
                raise ProgrammeError("err_no_invitation", name=municipality.name)
            row["revoked_tokens"] = [*row["revoked_tokens"], row["token"]]
            row["token"] = None
            programme.save_municipality(row)
        return municipality

    def in_programme(self) -> list[Municipality]:
        rows = self.store.municipalities()
        return sorted(
            (self.municipalities.by_code[row["code"]] for row in rows),
            key=lambda m: swedish_key(m.name),
        )

    def new_round(self, typed: str) -> tuple[Municipality, int]:
        """A later review round: every member starts fresh; the earlier round is kept archived."""
        municipality = self.find(typed)
        # Held until every member has begun it: someone joining meanwhile is either among
        # them or joins after, into the new round; two new rounds do not cross.
        with self.store.locked():
            with self.store.open() as programme:
                row = programme.municipality(municipality.code)
                if row is None:
                    raise ProgrammeError("err_not_in_programme", name=municipality.name)
                row = {**row, "round": row["round"] + 1}
                programme.save_municipality(row)
            for respondent in self._respondents_of(row):
                self.engine.start_round(respondent["id"], row["round"])
        return municipality, row["round"]

    def round_of(self, code: str) -> int:
        row = self.store.municipality(code)
        return row["round"] if row else 1

    # Joining.
    def _check_pace(self, programme: ProgrammeFile, user_id: int) -> dict[str, Any]:
        now = self.clock()
        tries = programme.attempts(user_id) or {"user_id": user_id, "wrong": 0, "last": None}
        if tries["last"] and now - datetime.fromisoformat(tries["last"]) > FORGIVEN:
            tries = {"user_id": user_id, "wrong": 0, "last": None}
        if tries["wrong"] >= FREE_TRIES:
            wait = min(timedelta(minutes=2 ** (tries["wrong"] - FREE_TRIES)), MAX_WAIT)
            until = datetime.fromisoformat(tries["last"]) + wait
            if now < until:
                minutes = max(1, round((until - now).total_seconds() / 60))
                raise ProgrammeError("err_slow_down", minutes=minutes)
        return tries

    def _check_code(self, user_id: int, token: str) -> str:
        """The code of the municipality an invitation belongs to; a wrong one is counted."""
        forgiven = self.clock() - FORGIVEN
        with self.store.open() as programme:
            tries = self._check_pace(programme, user_id)
            row, revoked = programme.municipality_by_token(token)
            if row is None or revoked:
                programme.save_attempts({**tries, "wrong": tries["wrong"] + 1, "last": self._at()})
                # Rows of a day without a wrong code count for nothing any more (see _check_pace).
                programme.remove_attempts(
                    lambda old: not old["last"] or datetime.fromisoformat(old["last"]) < forgiven
                )
            else:
                programme.remove_attempts(lambda theirs: theirs["user_id"] == user_id)
        if row is None or revoked:  # raised after the block, so that the try is written
            raise ProgrammeError("err_invitation_revoked" if revoked else "err_invitation_wrong")
        return row["code"]

    def join(
        self, respondent_id: str, user_id: int, token: str, lang: str | None = None
    ) -> Municipality:
        """Join the municipality an invitation code belongs to, in its current round."""
        municipality = self.municipalities.by_code[self._check_code(user_id, token)]
        with self.store.locked():  # no new round between taking the round and joining it
            self.engine.current(respondent_id, lang)  # a newcomer is created in their language
            previous = (self.respondents.respondent(respondent_id) or {}).get("municipality")
            if previous not in (None, municipality.code):
                self.engine.put_aside(respondent_id)  # a review is about one municipality
            with self.store.open() as programme:
                if previous not in (None, municipality.code):
                    _set_member(programme, previous, respondent_id, member=False)
                number = _set_member(programme, municipality.code, respondent_id, member=True)
                self.respondents.update_respondent(
                    respondent_id, {"municipality": municipality.code, "joined": self._at()}
                )
                self.engine.enter_round(respondent_id, number)
        return municipality

    def forget(self, respondent_id: str, user_id: int | None = None) -> None:
        """Erase a respondent everywhere: their file, their place in a municipality, the
        reminders sent to them and their wrong invitation codes."""
        reviews = [review["id"] for review in self.respondents.reviews(respondent_id)]
        self.store.forget_person(respondent_id, user_id, reviews)
        self.engine.forget(respondent_id)

    def set_organisation(self, respondent_id: str, organisation: str) -> None:
        if organisation not in ORGANISATIONS:
            raise ProgrammeError("err_organisation")
        self.respondents.update_respondent(respondent_id, {"organisation": organisation})

    def membership(self, respondent_id: str) -> tuple[Municipality | None, str | None]:
        """The respondent's municipality and organisation, if they joined one."""
        respondent = self.respondents.respondent(respondent_id) or {}
        code = respondent.get("municipality")
        return (self.municipalities.by_code.get(code) if code else None), respondent.get(
            "organisation"
        )

    def members(self, code: str) -> list[dict[str, Any]]:
        """The respondents who belong to a municipality."""
        return self._respondents_of(self.store.municipality(code) or {"code": code})

    def _respondents_of(self, row: dict[str, Any]) -> list[dict[str, Any]]:
        found = (self.respondents.respondent(rid) for rid in row.get("members", []))
        return [r for r in found if r and r.get("municipality") == row["code"]]

    # Reminders.
    def parse_scope(self, words: list[str]) -> tuple[str, list[str]]:
        """The scope a /remind or /schedule starts with ("all", a county, a municipality) and the
        words after it. Names must match exactly here, so that no word of a message is taken for one."""
        if words and words[0].casefold() in ("all", "alla"):
            return "all", words[1:]
        for length in (3, 2, 1):
            prefix = " ".join(words[:length])
            if len(words) < length:
                continue
            if prefix.casefold().endswith(("län", "lan")) or (
                prefix.isdigit() and len(prefix) == 2
            ):
                county = self.municipalities.county(prefix)
                if county is not None:
                    return f"county:{county.code}", words[length:]
            found = self.municipalities.find(prefix)
            if len(found) == 1 and (
                prefix == found[0].code
                or unicodedata.normalize("NFC", prefix).casefold() == found[0].name.casefold()
            ):
                return f"municipality:{found[0].code}", words[length:]
        raise ProgrammeError("remind_usage")

    def scope_name(self, scope: str, lang: str) -> str:
        kind, _, value = scope.partition(":")
        if kind == "county":
            return next(c.name for c in self.municipalities.counties if c.code == value)
        if kind == "municipality":
            return self.municipalities.by_code[value].name
        return self.engine.questionnaire.text("scope_all", lang)

    def scope_codes(self, scope: str) -> list[str]:
        """The codes of the municipalities in the programme that a scope covers."""
        codes = [row["code"] for row in self.store.municipalities()]
        kind, _, value = scope.partition(":")
        if kind == "county":
            return [code for code in codes if code.startswith(value)]
        if kind == "municipality":
            return [code for code in codes if code == value]
        return codes

    def unfinished(self, scope: str) -> list[dict[str, Any]]:
        """Members with a review still open who have reminders on and have not blocked the bot."""
        chosen = []
        for code in self.scope_codes(scope):
            for respondent in self.members(code):
                if respondent.get("reminders") is False or respondent.get("unreachable"):
                    continue
                review = self.respondents.active_review(respondent["id"])
                if review is not None and review.get("finished") is None:
                    chosen.append(respondent)
        return chosen

    def set_reminders(self, respondent_id: str, on: bool) -> None:
        self.respondents.update_respondent(respondent_id, {"reminders": on})

    def mark_unreachable(self, respondent_id: str, unreachable: bool = True) -> None:
        self.respondents.update_respondent(respondent_id, {"unreachable": unreachable})


def _set_member(programme: ProgrammeFile, code: str, respondent_id: str, *, member: bool) -> int:
    """The programme keeps each municipality's members, so nothing scans every respondent.
    The municipality's round, for a new member to begin their review in."""
    row = programme.municipality(code)
    if row is None:
        return 1
    members = [rid for rid in row.get("members", []) if rid != respondent_id]
    programme.save_municipality(
        {**row, "members": [*members, respondent_id] if member else members}
    )
    return int(row["round"])
