"""A coordinator's export of the whole programme: 290 municipalities, three finished reviews
each. Prints the time each file takes alone (as `selfreview export --format` makes it), all
three together (as /export sends them), and each file's size (Telegram takes up to 50 MB);
then the ZIP again once every municipality has an agreed joint letter, as a ratio to the
ZIP without letters measured in the same run."""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.exports import COORDINATOR_FORMATS  # noqa: E402
from bot.exports.files import programme_file, programme_files  # noqa: E402
from dialogues.programme import joint_letter  # noqa: E402
from dialogues.programme.municipalities import default_municipalities  # noqa: E402
from dialogues.programme.programme import Programme  # noqa: E402
from storage.programme import ProgrammeStore  # noqa: E402
from tests.conftest import make_engine, play  # noqa: E402
from tests.script import WHOLE_REVIEW  # noqa: E402

PER_MUNICIPALITY = 3
ORGANISATIONS = ("social_services", "housing_company", "planning")


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        engine = make_engine(folder)
        play(engine, "template", WHOLE_REVIEW)
        review = engine.store.active_review("template")
        programme = Programme(engine, ProgrammeStore(folder), frozenset({1}))
        start = time.perf_counter()
        for number, municipality in enumerate(default_municipalities().all):
            token = programme.invite(municipality.code, added_by=1).token
            for seat in range(PER_MUNICIPALITY):
                rid = f"telegram:{100_000 + number * 10 + seat}"
                programme.join(rid, 100_000 + number * 10 + seat, token)
                programme.set_organisation(rid, ORGANISATIONS[seat])
                engine.store.save_review(
                    rid, {**review, "id": engine.store.active_review(rid)["id"]}
                )
        seeded = time.perf_counter() - start
        respondents = 290 * PER_MUNICIPALITY
        print(
            f"export of all 290 municipalities, {respondents} finished reviews (seeded in {seeded:.0f} s)"
        )
        for fmt in COORDINATOR_FORMATS:
            start = time.perf_counter()
            programme_file(programme, "all", fmt, "sv", date.today())
            print(f"  {fmt:>4} alone: {time.perf_counter() - start:.1f} s")
        start = time.perf_counter()
        files = programme_files(programme, "all", "sv", date.today())
        print(f"  all three (/export): {time.perf_counter() - start:.1f} s")
        for name, data in files:
            print(f"  {name.rsplit('.', 1)[1]:>4}: {len(data) / 1_000_000:.2f} MB (limit 50 MB)")
        start = time.perf_counter()
        programme_file(programme, "all", "zip", "sv", date.today())
        floor = time.perf_counter() - start
        agree_every_letter(programme)
        start = time.perf_counter()
        _, data = programme_file(programme, "all", "zip", "sv", date.today())
        with_letters = time.perf_counter() - start
        print(
            f"  zip with 290 agreed joint letters: {with_letters:.1f} s, "
            f"{with_letters / floor:.2f}x the zip without them ({floor:.1f} s); "
            f"{len(data) / 1_000_000:.2f} MB"
        )


def agree_every_letter(programme: Programme) -> None:
    """Every municipality's letter agreed: each theme its members chose kept, with a role and
    a date, the decision recorded (written in one change of the programme file)."""
    rows = []
    for code in programme.scope_codes("all"):
        lines = joint_letter.read(programme, code, "sv").lines
        items = [
            {"key": line.key, "kept": True, "wording": line.wording, "role": "Socialchef",
             "due": "2027-06-30"}
            for line in lines
        ]  # fmt: skip
        rows.append(
            {"code": code, "round": 1, "contact": programme.members(code)[0]["id"],
             "status": "agreed", "items": items, "agreed_at": "2026-11-20T10:00:00+00:00",
             "decision": {"body": "Socialnämnden", "date": "2026-11-20", "case": "SN 2026/1"}}
        )  # fmt: skip
    with programme.store.open() as file:
        for row in rows:
            file.save_letter(row)


if __name__ == "__main__":
    main()
