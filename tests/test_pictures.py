"""The pictures: PNGs of a size a phone shows well, with å, ä, ö, sent before the text that
says the same (the summary, /overview, /consolidated), and the text still sent when a picture
cannot be drawn."""

from __future__ import annotations

import io
import os
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest
from PIL import Image

from bot.pictures.agreement import Row, agreement_png
from dialogues.programme.consolidated import consolidated
from dialogues.programme.scope_shares import scope_shares
from dialogues.review.report import build_report
from tests import picture_samples
from tests.conftest import play, play_until
from tests.fake_bot_api import Call, FakeBotApi
from tests.script import WHOLE_REVIEW
from tests.telegram_harness import InProcessBot, Official
from tests.test_telegram_coordinators import BOSS, join

PHONE = 1280  # Telegram keeps a photo's long side up to this; more is only scaled down


def opened(png: bytes) -> Image.Image:
    """The picture as Pillow reads it back, checked to be a PNG of a size worth sending."""
    picture = Image.open(io.BytesIO(png))
    picture.load()
    assert picture.format == "PNG"
    width, height = picture.size
    assert 800 <= width <= PHONE  # sharp on a phone's screen, not cut down by Telegram
    assert 300 <= height <= 2.5 * width  # tall enough to read, not a strip to scroll forever
    return picture


def drawn(make: Callable[[], bytes]) -> bytes:
    """Draw a picture, failing on any warning (a glyph missing from the font is one)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return make()


@pytest.mark.parametrize(
    "make",
    [
        picture_samples.summary_sample,
        lambda: picture_samples.summary_sample("en"),
        lambda: picture_samples.overview_sample(12),
        picture_samples.agreement_sample,
    ],
    ids=["summary", "summary-en", "overview-12", "agreement"],
)
def test_each_picture_is_a_png_a_phone_shows_well(make: Callable[[], bytes]) -> None:
    picture = opened(drawn(make))
    colours = {colour for _, colour in picture.convert("RGB").getcolors(1 << 20)}
    assert (0x00, 0x72, 0xB2) in colours  # the report chart's blue: the bars are there


def test_all_290_municipalities_fit_one_picture_with_their_letters() -> None:
    places = picture_samples.places()
    assert len(places) == 290 and {"Åre", "Älvsbyn", "Östersund"} <= {p.name for p in places}
    picture = opened(drawn(picture_samples.overview_sample))
    assert picture.size[1] <= 2 * PHONE  # once Telegram scales it, a square still shows


def test_typed_names_are_drawn_as_typed() -> None:
    """A "$" in an organisation's name is not mathematics, and a long one is shortened."""
    name = "Stiftelsen $100 & Hem_Härbärge {Östra} Göinge " * 4
    words = picture_samples.agreement_words(picture_samples.Q, "Håbo $", "sv")
    rows = [Row("Fråga $x$", (("strengths",), ()), True)]
    opened(drawn(lambda: agreement_png([name, "Bostadsbolaget"], [("1. Överblick", rows)], words)))


def test_pictures_drawn_in_threads_at_once_are_those_drawn_alone() -> None:
    """The bot draws off the event loop, several at once: nothing is shared between them."""
    makes = [picture_samples.summary_sample, lambda: picture_samples.summary_sample("en")] * 2
    alone = [make() for make in makes[:2]] * 2
    with ThreadPoolExecutor(len(makes)) as pool:
        together = list(pool.map(lambda make: make(), makes))
    assert together == alone


def test_the_areas_of_the_summary_are_the_reports_bars(api: FakeBotApi, tmp_path: Path) -> None:
    """The summary's picture and the documents' chart come from one place in the domain."""
    from tests.conftest import make_engine

    engine = make_engine(tmp_path / "db")
    play_until(engine, "anna", "q.eviction_routines")
    bars = engine.area_bars("anna")
    review = engine.store.active_review("anna")
    report = build_report(engine.questionnaire, review, "sv", date(2026, 11, 24))
    assert [shares for _, shares in bars] == [area.bars[0][1] for area in report.areas]
    assert bars[0][0] == "1. Överblick" and sum(bars[0][1]) == pytest.approx(1)
    assert bars[4][1][-1] == 1  # area 5 not reached: all of it unanswered


@pytest.fixture
def bot(api: FakeBotApi, tmp_path: Path) -> Iterator[InProcessBot]:
    running = InProcessBot(api, tmp_path / "db", coordinators=frozenset({BOSS})).start()
    yield running
    running.stop()


def photo_then_text(api: FakeBotApi, chat: int, begins: str) -> Call:
    """The latest picture sent to a chat, checked to open and to come before a text that
    `begins` so."""
    photo = api.sent(chat, "sendPhoto")[-1]
    calls = api.by_chat[chat]
    text = next(c for c in calls[calls.index(photo) + 1 :] if c.method == "sendMessage")
    assert text.text.startswith(begins)
    png = next(iter(photo.files.values()))
    opened(png)
    if keep := os.environ.get("SELFREVIEW_PICTURES"):  # a folder to save them in, to look at
        Path(keep).mkdir(parents=True, exist_ok=True)
        (Path(keep) / f"chat-{chat}-{len(os.listdir(keep))}.png").write_bytes(png)
    return photo


def test_the_summary_opens_with_the_six_areas(api: FakeBotApi, bot: InProcessBot) -> None:
    anna = Official(api, 111)
    anna.send("/summary")  # nothing answered yet: no picture of nothing
    assert api.sent(111, "sendPhoto") == []
    play_until(bot.engine, "telegram:111", "q.eviction_routines")
    anna.send("/summary")
    photo = photo_then_text(api, 111, "Sammanfattning")
    assert photo.params["caption"].startswith("Era svar per område")


def test_the_text_goes_even_when_the_picture_cannot_be_drawn(
    api: FakeBotApi, bot: InProcessBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object) -> bytes:
        raise ValueError("no picture today")

    monkeypatch.setattr("bot.telegram.summary_view.summary_picture", broken)
    play_until(bot.engine, "telegram:111", "q.eviction_routines")
    sent = Official(api, 111).send("/summary")
    assert sent[0].text.startswith("Sammanfattning")
    assert api.sent(111, "sendPhoto") == []


def test_the_overview_and_consolidated_open_with_pictures(
    api: FakeBotApi, bot: InProcessBot
) -> None:
    boss = Official(api, BOSS)
    social = join(api, boss, 111, "Uppsala", "Socialtjänsten")
    join(api, boss, 222, "Uppsala", "Bostadsbolaget")
    join(api, boss, 333, "Åre", "Annan verksamhet")
    play(bot.engine, "telegram:111", WHOLE_REVIEW)
    play_until(bot.engine, "telegram:222", "q.mapping")
    boss.send("/overview")
    photo = photo_then_text(api, BOSS, "Översikt: 2 kommuner")
    assert photo.params["caption"].startswith("Hela programmet: hur långt varje kommun")
    boss.send("/overview Jämtlands län")
    photo = api.sent(BOSS, "sendPhoto")[-1]
    assert photo.params["caption"].startswith("Jämtlands län:")
    before = len(api.sent(BOSS, "sendPhoto"))
    boss.send("/overview Uppsala")  # one municipality's respondents: text alone
    assert len(api.sent(BOSS, "sendPhoto")) == before

    social.send("/consolidated")
    photo = photo_then_text(api, 111, "Sammanställning för Uppsala: 2 svarande")
    assert photo.params["caption"].startswith("Uppsala: fråga för fråga")
    Official(api, 333).send("/consolidated")  # nobody has begun in Åre: text alone
    assert api.sent(333, "sendPhoto") == []


def test_the_overviews_areas_need_five_municipalities(api: FakeBotApi, bot: InProcessBot) -> None:
    programme = bot.programme
    names = ["Ale", "Alingsås", "Alvesta", "Aneby", "Arboga"]
    for number, name in enumerate(names):
        token = programme.invite(name, added_by=BOSS).token
        rid = f"telegram:{1000 + number}"
        programme.join(rid, 1000 + number, token)
        if number < 4:
            play_until(bot.engine, rid, "q.income_support")
    few = scope_shares(programme, None, "sv")
    assert few.behind == 4 and all(shares is None for _, shares in few.areas)
    play_until(bot.engine, "telegram:1004", "q.income_support")
    enough = scope_shares(programme, None, "sv")
    assert enough.behind == 5
    (name, shares), *rest = enough.areas
    assert name == "1. Överblick" and shares is not None and sum(shares) == pytest.approx(1)
    assert all(shares is None for _, shares in rest)  # nobody has reached area 2


def test_consolidated_has_a_column_per_respondent_who_began(
    api: FakeBotApi, bot: InProcessBot
) -> None:
    programme = bot.programme
    token = programme.invite("Uppsala", added_by=BOSS).token
    for user_id, organisation in ((1, "social_services"), (2, "housing_company"), (3, "other")):
        programme.join(f"telegram:{user_id}", user_id, token)
        programme.set_organisation(f"telegram:{user_id}", organisation)
    play_until(bot.engine, "telegram:1", "q.mapping")
    play_until(bot.engine, "telegram:2", "q.knowledge")
    result = consolidated(programme, "0380", "sv")
    assert result.columns == ("Socialtjänsten", "Bostadsbolaget")  # 3 has not begun
    first = result.areas[0][1][0]
    assert len(first.readings) == 2 and all(first.readings)
    second = result.areas[0][1][1]  # answered by the first respondent only
    assert second.readings[0] and second.readings[1] == ()
