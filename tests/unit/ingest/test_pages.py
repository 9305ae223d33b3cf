"""Plain-text news pages: the seed page, other wire styles, datelines and dates."""
from __future__ import annotations

import html
from datetime import date
from pathlib import Path

import pytest

from conflictmap.config import ROOT
from conflictmap.ingest import read_bytes, read_paths
from conflictmap.ingest.dates import find_date, parse_date_value
from conflictmap.ingest.stories import NO_DATE, TEASER
from conflictmap.ingest.wire import ends_story, parse_dateline
from conflictmap.model import Article, ItemError, make_article_id

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "ingest"
SEED = ROOT / "data" / "samples" / "spacewar-2017-11-04.txt"
LIMIT = 50 * 1024 * 1024


def _articles(path: Path) -> list[Article]:
    results = list(read_paths([path], max_bytes=LIMIT))
    assert all(isinstance(r, Article) for r in results), results
    return results  # type: ignore[return-value]


@pytest.fixture(scope="module")
def seed() -> list[Article]:
    if not SEED.exists():
        pytest.skip(f"the seed page is not in the repo yet ({SEED.relative_to(ROOT)})")
    return _articles(SEED)


def test_seed_page_gives_the_main_story_and_the_douma_teaser(seed: list[Article]) -> None:
    assert [(a.title, a.published, a.dateline, a.agency) for a in seed] == [
        ("Anti-IS forces converge on Syria border town", date(2017, 11, 4), "Deir Ezzor, Syria", "AFP"),
        ("Air strikes kill six in Syria 'truce zone': monitor", date(2017, 11, 2), "Douma, Syria", "AFP"),
    ]
    assert all(a.origin == str(SEED) for a in seed)
    assert all(a.article_id == make_article_id(a.body) for a in seed)


def test_seed_main_body_runs_from_the_lead_to_the_sign_off(seed: list[Article]) -> None:
    body = seed[0].body
    assert body.startswith("Syrian and allied forces converged Saturday on holdout Islamic State")
    assert body.endswith('project a veneer of legitimacy", Dillon said.')
    for sentence in (
        "Iraqi forces retook Al-Qaim, also on Friday.",
        "killed dozens of people displaced by fighting in the province",
        '"Fighting pitted Hashed al-Shaabi units against the Islamic State in the Hiri area,"',
    ):
        assert sentence in body
    assert seed[0].warnings == ()


@pytest.mark.parametrize(
    "boilerplate",
    [
        "Anti-IS forces converge",  # the title is not part of the body
        "by Staff Writers",
        "(AFP) Nov 4",
        "Fleeing civilians",  # crossheads are layout
        "After IS -",
        "burs-jmm-rh",
        "WAR REPORT",
        "Related Links",
        "Thanks for being here",
        "paypal",
        "Share this article",
        "Russia conducts ballistic missile tests",
        "Copyright",
        "Douma",  # the teaser is its own article
    ],
)
def test_seed_main_body_has_no_boilerplate(seed: list[Article], boilerplate: str) -> None:
    assert boilerplate not in seed[0].body


def test_seed_teaser_keeps_whole_sentences_of_its_summary(seed: list[Article]) -> None:
    teaser = seed[1]
    assert teaser.body.startswith("Syrian government air strikes killed at least six civilians")
    assert teaser.body.endswith("has been in place since July.")
    assert "read more" not in teaser.body and "At a medica" not in teaser.body
    assert TEASER in teaser.warnings


def test_seed_page_as_html_gives_the_same_two_articles(seed: list[Article]) -> None:
    # The seed page turned into HTML, one <p> per line, with its title in <title>:
    # trafilatura and the same story cutter must find the same stories and ids.
    lines = [line for line in SEED.read_text(encoding="utf-8").split("\n") if line.strip()]
    paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
    page = f"<html><head><title>{html.escape(seed[0].title)}</title></head><body><div>{paragraphs}</div></body></html>"
    results = list(read_bytes(page.encode(), "seed.html", max_bytes=LIMIT))
    assert [(a.article_id, a.title, a.published) for a in results if isinstance(a, Article)] == [
        (a.article_id, a.title, a.published) for a in seed
    ]


def test_inline_reuters_dateline_takes_the_year_from_the_page() -> None:
    # reuters_inline.txt: menu, section, "Published:" line, headline, byline,
    # "BAGHDAD, Nov 5 (Reuters) - text" wrapped at 72 columns, credits line,
    # related headlines, copyright.
    [article] = _articles(FIXTURES / "reuters_inline.txt")
    assert article.title == "Iraqi troops push into desert near Syrian border"
    assert (article.dateline, article.agency, article.published) == ("BAGHDAD", "Reuters", date(2017, 11, 5))
    assert article.body == (
        "Iraqi troops advanced into the desert west of the town of Rawa on Sunday, a military "
        "statement said, a day after clearing the last districts of Al-Qaim.\n\n"
        "The statement said engineers were removing roadside bombs along the main highway."
    )


def test_page_with_two_agencies_and_a_teaser() -> None:
    # two_agencies.txt: a UPI story with a day-first date, then an IANS teaser
    # whose dateline has no year and ends in "... Read more", then a headline list.
    main, teaser = _articles(FIXTURES / "two_agencies.txt")
    assert (main.title, main.dateline, main.agency, main.published) == (
        "Blast hits convoy on highway south of Kabul", "Kabul, Afghanistan", "UPI", date(2017, 11, 3)
    )
    assert main.body.endswith("No group claimed the attack, the ministry added.")
    assert (teaser.title, teaser.dateline, teaser.agency, teaser.published) == (
        "Border guards trade fire in Kashmir", "Srinagar", "IANS", date(2017, 11, 2)
    )
    assert teaser.body.startswith("Indian and Pakistani border guards")
    assert teaser.body.endswith("told reporters in the state capital.")
    assert "Minister visits" not in teaser.body


def test_page_without_a_date_is_kept_with_a_warning() -> None:
    # no_date.txt: a headline and two paragraphs, no date anywhere.
    [article] = _articles(FIXTURES / "no_date.txt")
    assert article.title == "Protesters rally in capital over fuel prices"
    assert article.published is None
    assert NO_DATE in article.warnings
    assert article.body.startswith("Several thousand people marched")


def test_key_value_header_and_unwrapped_paste() -> None:
    # Text pasted from a browser: no blank lines, one paragraph per line.
    text = (
        "Title: Shelling reported in Daraa\nDate: 2018-06-20\nURL: https://example.org/d\n"
        "Shelling was reported in Daraa city on Wednesday, residents said.\n"
        "Families left the eastern districts, a monitor said.\n"
    )
    [article] = read_bytes(text.encode(), "paste", max_bytes=LIMIT)
    assert isinstance(article, Article)
    assert (article.title, article.published, article.url) == (
        "Shelling reported in Daraa", date(2018, 6, 20), "https://example.org/d"
    )
    assert article.body.split("\n\n") == [
        "Shelling was reported in Daraa city on Wednesday, residents said.",
        "Families left the eastern districts, a monitor said.",
    ]


def test_menu_only_page_is_an_error() -> None:
    [error] = read_bytes(b"Home | News | Sport\nContact us\n", "menu.txt", max_bytes=LIMIT)
    assert isinstance(error, ItemError) and "no article text" in error.reason


@pytest.mark.parametrize(
    ("line", "place", "agency", "day", "rest"),
    [
        ("Deir Ezzor, Syria (AFP) Nov 4, 2017", "Deir Ezzor, Syria", "AFP", date(2017, 11, 4), ""),
        ("Douma, Syria (AFP) Nov 2, 2017", "Douma, Syria", "AFP", date(2017, 11, 2), ""),
        ("Washington (UPI) Nov. 3, 2017", "Washington", "UPI", date(2017, 11, 3), ""),
        ("Kabul, Afghanistan (UPI) 3 November 2017", "Kabul, Afghanistan", "UPI", date(2017, 11, 3), ""),
        ("Mosul, Iraq (AFP) Saturday, November 4, 2017", "Mosul, Iraq", "AFP", date(2017, 11, 4), ""),
        ("BEIRUT (Reuters) - Syrian troops advanced.", "BEIRUT", "Reuters", None, "Syrian troops advanced."),
        ("BEIRUT (AP) — Syrian troops advanced.", "BEIRUT", "AP", None, "Syrian troops advanced."),
        ("WASHINGTON, Nov. 4, 2017 (UPI) -- Aid came.", "WASHINGTON", "UPI", date(2017, 11, 4), "Aid came."),
        ("Deir ez-Zor, Syria (AFP) 2017-11-04 10:30 GMT", "Deir ez-Zor, Syria", "AFP", date(2017, 11, 4), ""),
        ("Washington, D.C. (UPI) Nov 3, 2017", "Washington, D.C.", "UPI", date(2017, 11, 3), ""),
        ("Paris (ESA) Nov 03, 2017", "Paris", "ESA", date(2017, 11, 3), ""),
    ],
)
def test_dateline_styles(line: str, place: str, agency: str, day: date | None, rest: str) -> None:
    parsed = parse_dateline(line)
    assert parsed is not None
    assert (parsed.place, parsed.agency, parsed.rest) == (place, agency, rest)
    assert (parsed.date.to_date() if parsed.date else None) == day


@pytest.mark.parametrize(
    ("line", "place", "rest"),
    [
        ("DAMASCUS, Syria - US warships fired missiles.", "DAMASCUS, Syria", "US warships fired missiles."),
        ("KYIV, Ukraine \u2014 Russian forces shelled the city.", "KYIV, Ukraine", "Russian forces shelled the city."),
        ("KYIV, Ukraine\u2014Russian forces shelled the city.", "KYIV, Ukraine", "Russian forces shelled the city."),
        ("DEIR EZ-ZOR, Syria -- Clashes went on.", "DEIR EZ-ZOR, Syria", "Clashes went on."),
        ("WASHINGTON \u2014 Aid came.", "WASHINGTON", "Aid came."),
    ],
)
def test_a_text_may_open_with_a_dateline_without_an_agency(line: str, place: str, rest: str) -> None:
    parsed = parse_dateline(line, opening=True)
    assert parsed is not None and (parsed.place, parsed.agency, parsed.rest) == (place, "", rest)
    # Further down a page such a line is no sign of a new story.
    assert parse_dateline(line) is None


@pytest.mark.parametrize(
    "line",
    ["BREAKING - Explosion hits the port.", "NATO - Allies met.", "US - Iran talks resumed.",
     "BREAKING NEWS \u2014 Missiles hit Kharkiv.", "ISRAEL-HAMAS WAR \u2014 Strikes hit Rafah.",
     "LIVE UPDATES \u2014 Missiles hit Kharkiv.", "WORLD NEWS - Talks resumed.",
     "The army - and its allies - advanced.", "Syrian troops - backed by jets - advanced."],
)
def test_kickers_acronyms_and_sentences_are_no_agency_less_datelines(line: str) -> None:
    assert parse_dateline(line, opening=True) is None


def test_an_opening_capitals_dateline_leaves_the_body_and_hints_the_story() -> None:
    text = ("Title: US strikes Syrian air base\nDate: 2017-04-07\n\n"
            "DAMASCUS, Syria \u2014 US warships fired 59 cruise missiles at a base in Homs province.\n")
    [article] = read_bytes(text.encode(), "strike.txt", max_bytes=LIMIT)
    assert isinstance(article, Article)
    assert article.dateline == "DAMASCUS, Syria"
    assert article.body.startswith("US warships fired")


def test_year_less_dateline_keeps_month_and_day() -> None:
    parsed = parse_dateline("New Delhi, Nov 4 (IANS) Officials said on Saturday.")
    assert parsed is not None and parsed.date is not None
    assert (parsed.place, parsed.agency, parsed.date.year, parsed.date.month, parsed.date.day) == (
        "New Delhi", "IANS", None, 11, 4
    )
    assert parsed.rest == "Officials said on Saturday."


@pytest.mark.parametrize(
    "line",
    [
        "Islamic State (IS) fighters regrouped near the border.",
        "Syrian and allied forces converged (AFP) on the town.",
        "The Syrian Observatory for Human Rights (SOHR) said.",
        "said Rami Abdel Rahman (AFP) -",
    ],
)
def test_sentences_with_parentheses_are_not_datelines(line: str) -> None:
    assert parse_dateline(line) is None


@pytest.mark.parametrize(
    ("line", "ends"),
    [
        ("burs-jmm-rh/hkb/srm", True),
        ("sct/dv", True),
        ("(Reporting by Jane Doe; Editing by John Roe)", True),
        ("Related Links", True),
        ("Related UPI Stories", True),
        ("WAR REPORT", True),
        ("Share this article via these popular social media networks", True),
        ("The content herein, unless otherwise known to be public domain, are Copyright 1995-2024", True),
        ("Please consider supporting our journalism.", True),
        ("The post Strikes hit Idlib appeared first on Levant News.", True),
        ("Please note the casualty figures were revised.", False),
        ("Syrian troops advanced on the town, a monitor said.", False),
        ("Copies of the report were shared with officials.", False),
        ("- Fleeing civilians -", False),
    ],
)
def test_lines_that_end_a_story(line: str, ends: bool) -> None:
    assert ends_story(line) is ends


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2017-11-04", date(2017, 11, 4)),
        ("2017-11-04T23:10:00Z", date(2017, 11, 4)),
        ("Nov 4, 2017", date(2017, 11, 4)),
        ("4 November 2017", date(2017, 11, 4)),
        ("Sat, 04 Nov 2017 10:00:00 +0000", date(2017, 11, 4)),
        (1509753600, date(2017, 11, 4)),
        ("Feb 30, 2017", None),
        ("sometime soon", None),
        ("", None),
    ],
)
def test_date_values(value: object, expected: date | None) -> None:
    assert parse_date_value(value) == expected


def test_find_date_ignores_numbers_that_are_not_dates() -> None:
    assert find_date("some 30 kilometres (nearly 20 miles) from Albu Kamal") is None
    assert find_date("around 1,500 jihadist fighters remained") is None


def test_ap_style_page_with_share_buttons_between_headline_and_text() -> None:
    # AP: a menu, the headline, a capitalised byline, a "Published" line, share
    # buttons, "CITY (AP) — text", a "___" rule, then a contributor line and a list.
    page = (
        "Skip to main content\nWorld | U.S. | Politics\n"
        "Syrian troops enter eastern town\nBy ALBERT AJI and PHILIP ISSA\n"
        "Published 10:02 AM EST, November 4, 2017\nShare\nCopy Link\n\n"
        "BEIRUT (AP) — Syrian troops entered a town in the east on Saturday, state media said, as\n"
        "Islamic State defenses crumbled along the Euphrates.\n\n"
        "___\n\nAssociated Press writer Bassem Mroue contributed to this report.\n\nMost read\nOther headline\n"
    )
    [article] = read_bytes(page.encode(), "ap.txt", max_bytes=LIMIT)
    assert isinstance(article, Article)
    assert (article.title, article.published, article.dateline, article.agency) == (
        "Syrian troops enter eastern town", date(2017, 11, 4), "BEIRUT", "AP"
    )
    assert article.body == (
        "Syrian troops entered a town in the east on Saturday, state media said, as "
        "Islamic State defenses crumbled along the Euphrates."
    )


def test_upi_dateline_without_a_place_and_a_dated_byline() -> None:
    page = (
        "Top News\nSyria says army captures Deir ez-Zor\nBy Ed Adamczyk   |   Nov. 3, 2017 at 11:21 AM\n\n"
        "Nov. 3 (UPI) -- The Syrian army said Friday it had taken full control of Deir ez-Zor.\n\n"
        "Related UPI Stories\nIraqi forces enter Al-Qaim\n"
    )
    [article] = read_bytes(page.encode(), "upi.txt", max_bytes=LIMIT)
    assert isinstance(article, Article)
    assert (article.title, article.published, article.dateline, article.agency) == (
        "Syria says army captures Deir ez-Zor", date(2017, 11, 3), "", "UPI"
    )
    assert article.body == "The Syrian army said Friday it had taken full control of Deir ez-Zor."


def test_short_last_sentence_is_kept_and_a_headline_list_dropped() -> None:
    page = (
        "Clashes in Hama\n\nClashes erupted near Hama on Saturday, a monitor said, killing four fighters.\n\n"
        "He denied it.\n\nRelated headline one\nAnother related headline\n"
    )
    [article] = read_bytes(page.encode(), "short.txt", max_bytes=LIMIT)
    assert isinstance(article, Article)
    assert article.body.endswith("\n\nHe denied it.")
