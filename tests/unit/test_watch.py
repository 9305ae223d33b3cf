"""``conflictmap watch`` without a network: the feeds file, backoff, the schedule, feed state, items, HTTP.

HTTP goes through ``httpx.MockTransport`` here (the real server tests are in
tests/integration/test_watch.py); the geoparser is the fixture slice's.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from conflictmap.config import load_settings
from conflictmap.geo.geoparser import Geoparser
from conflictmap.geo.loader import load_fixture
from conflictmap.ingest.feeditems import DocumentError, read_document
from conflictmap.ingest.feeds import read_feed
from conflictmap.ingest.feedsfile import FeedsFileError, parse_feeds, read_feeds_file
from conflictmap.ingest.fetch import MAX_REDIRECTS, USER_AGENT, Fetcher, FetchError
from conflictmap.model import Article, IngestSummary, ItemError
from conflictmap.pipeline import store_items
from conflictmap.store import Store
from conflictmap.watch import BACKOFF_CAP, CycleSummary, FeedResult, Watcher, backoff_delay
from tests.conftest import ROOT
from tests.fixtures.feed_server import atom_feed, story

SLICE = ROOT / "tests" / "fixtures" / "gazetteer_slice.json"
T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def geoparser() -> Geoparser:
    return Geoparser(load_fixture(SLICE))


# -- the feeds file ---------------------------------------------------------------------------------


def test_the_example_feeds_file_parses() -> None:
    feeds = read_feeds_file(ROOT / "data" / "feeds.example.toml")
    assert [f.kind for f in feeds] == ["url", "url", "folder"]
    assert feeds[0].source == "https://news.example/feed.xml" and feeds[0].label == "Example news"
    assert feeds[2].folder == (ROOT / "data" / "samples").resolve()
    assert len({f.key for f in feeds}) == 3


def test_defaults_and_relative_folders(tmp_path: Path) -> None:
    (tmp_path / "drop").mkdir()
    feeds = parse_feeds('[[feed]]\nurl = "https://news.example/a.xml"\n[[feed]]\nfolder = "drop"\ninterval = 30\n',
                        tmp_path)
    assert feeds[0].label == "news.example" and feeds[0].interval == 600 and feeds[0].timeout == 20
    assert feeds[1].label == "drop" and feeds[1].source == str(tmp_path / "drop") and feeds[1].interval == 30
    # The key follows the source, not the label: relabelling keeps a feed's state.
    relabelled = parse_feeds('[[feed]]\nurl = "https://news.example/a.xml"\nlabel = "A"\n', tmp_path)
    assert relabelled[0].key == feeds[0].key


@pytest.mark.parametrize("text, fragment", [
    ("not toml [", "not valid TOML"),
    ("", "no feeds"),
    ("[feed]\nurl = 'https://a.example/x'\n", "no feeds"),
    ("title = 'x'\n[[feed]]\nurl = 'https://a.example/x'\n", "unknown top-level key 'title'"),
    ("[[feed]]\nlabel = 'Lonely'\n", "feed 1 (label 'Lonely'): give exactly one of url and folder"),
    ("[[feed]]\nurl = 'https://a.example/x'\nfolder = 'x'\n", "feed 1: give exactly one"),
    ("[[feed]]\nurl = 'https://a.example/x'\n[[feed]]\nlabel = 'B'\nurl = 'ftp://a.example/x'\n",
     "feed 2 (label 'B'): url must be an http:// or https:// address"),
    ("[[feed]]\nurl = 'https://a.example/x'\nintervall = 5\n", "unknown key 'intervall'"),
    ("[[feed]]\nurl = 'https://a.example/x'\ninterval = 0.1\n", "interval must be at least 1 seconds"),
    ("[[feed]]\nurl = 'https://a.example/x'\ninterval = true\n", "interval must be a number of seconds"),
    ("[[feed]]\nurl = 'https://a.example/x'\ntimeout = 600\n", "timeout must be over 0 and at most 120"),
    ("[[feed]]\nurl = 'https://a.example/x'\n[[feed]]\nurl = 'https://a.example/x'\n",
     "feed 2: the same url as feed 1"),
    ("[[feed]]\nfolder = 'no-such-folder'\n", "the folder"),
    ("[[feed]]\nurl = 'https://a.example/x'\nlabel = 3\n", "label must be a string"),
])
def test_mistakes_name_the_table(tmp_path: Path, text: str, fragment: str) -> None:
    with pytest.raises(FeedsFileError) as info:
        parse_feeds(text, tmp_path, name="feeds.toml")
    message = str(info.value)
    assert fragment in message and message.startswith("feeds.toml") and "\n" not in message


# -- backoff and the cycle line ---------------------------------------------------------------------


def test_backoff_doubles_from_the_interval_and_is_capped() -> None:
    assert backoff_delay(60, 0) == 60
    assert [backoff_delay(60, n) for n in (1, 2, 3, 4, 5, 6)] == [120, 240, 480, 960, 1920, BACKOFF_CAP]
    assert backoff_delay(60, 500) == BACKOFF_CAP  # no overflow however long a feed fails
    assert backoff_delay(7200, 3) == 7200  # a feed polled less often than the cap is never polled more often
    assert backoff_delay(60, 1, retry_after=900) == 900
    assert backoff_delay(60, 1, retry_after=10 ** 9) == BACKOFF_CAP


def test_the_cycle_line() -> None:
    summary = CycleSummary([FeedResult("a", new=10), FeedResult("b", new=2, not_modified=False),
                            FeedResult("c", error="the server answered 500 Internal Server Error")])
    assert summary.line() == "3 feeds polled: 12 new articles, 1 feed failed"
    one = CycleSummary([FeedResult("a", new=1, failed_items=2), FeedResult("b", not_modified=True)])
    assert one.line() == "2 feeds polled: 1 new article, 0 feeds failed, 1 unchanged; 2 items could not be read"


# -- the state in the store -------------------------------------------------------------------------


@pytest.fixture()
def any_store(backend_url: str) -> Iterator[Store]:
    """An empty store on SQLite, then on PostgreSQL (skipped where no server can start)."""
    store = Store(backend_url)
    yield store
    store.dispose()


def test_feed_state_round_trip(any_store: Store) -> None:
    store = any_store
    store.register_feed("k1", label="One", kind="url", source="https://a.example/x", interval_s=60)
    store.register_feed("k1", label="Renamed", kind="url", source="https://a.example/x", interval_s=90)
    row = store.feed_state("k1")
    assert row is not None and row["label"] == "Renamed" and row["interval_s"] == 90 and row["last_poll"] is None
    assert store.record_poll("k1", at=T0, next_poll=T0 + timedelta(minutes=1), validators=('"e1"', "LM1")) == 0
    assert store.record_poll("k1", at=T0, next_poll=T0 + timedelta(minutes=2), error="no answer") == 1
    assert store.record_poll("k1", at=T0, next_poll=T0 + timedelta(minutes=4), error="no answer again") == 2
    row = store.feed_state("k1")
    assert row["failures"] == 2 and row["last_error"] == "no answer again" and row["last_error_at"] == T0
    assert (row["etag"], row["last_modified"]) == ('"e1"', "LM1")  # a failure keeps the validators
    assert row["next_poll"] == T0 + timedelta(minutes=4) and row["next_poll"].tzinfo is not None
    later = T0 + timedelta(hours=1)
    assert store.record_poll("k1", at=later, next_poll=later, validators=("", "")) == 0
    row = store.feed_state("k1")
    assert row["failures"] == 0 and row["last_success"] == later and row["etag"] == ""
    assert row["last_error"] == "no answer again"  # kept, shown as "since recovered"
    assert store.feed_state("nope") is None


def test_seen_items_and_counts(any_store: Store) -> None:
    store = any_store
    store.register_feed("k", label="K", kind="url", source="https://a.example/x", interval_s=60)
    store.register_feed("other", label="O", kind="url", source="https://b.example/x", interval_s=60)
    long_key = "https://a.example/" + "x" * 5000
    store.mark_item_seen("k", "guid-1", "a1", at=T0)
    store.mark_item_seen("k", long_key, "a2", at=T0 + timedelta(minutes=5))
    store.mark_item_seen("k", "guid-1", "zz")  # idempotent: the first mark stays
    store.mark_item_seen("k", "bad", None, note="no text")
    store.mark_item_seen("other", "guid-9", "a9")
    assert store.seen_items("k", ["guid-1", long_key, "bad", "new"]) == {"guid-1", long_key, "bad"}
    assert store.seen_items("other", ["guid-1"]) == set()
    assert store.seen_items("k", [f"g{i}" for i in range(1200)]) == set()  # chunked IN lists
    rows = {r["feed_key"]: r for r in store.feed_rows()}
    assert rows["k"]["items_ingested"] == 2 and rows["k"]["last_new_item"] == T0 + timedelta(minutes=5)
    assert rows["other"]["items_ingested"] == 1


# -- items of a document ----------------------------------------------------------------------------


def test_atom_items_are_keyed_by_id_and_full_items_are_no_teasers() -> None:
    items = read_document(atom_feed([1, 2], "http://x.example"), "http://x.example/feed.xml")
    assert [i.key for i in items] == ["urn:test:story:1", "urn:test:story:2"]
    assert all(isinstance(i.item, Article) and not i.teaser for i in items)
    assert items[0].link == "http://x.example/story/1"


def _rss(*items: str) -> bytes:
    return ('<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>' + "".join(items)
            + "</channel></rss>").encode()


def test_teasers_and_keys_of_rss_items() -> None:
    _title, text = story(3)
    long_text = " ".join([text] * 5)
    doc = _rss(
        "<item><guid>g1</guid><title>Short</title><link>https://x.example/1</link>"
        "<description>Civilians were killed in shelling, a monitor said.</description></item>",
        f"<item><title>Long</title><link>https://x.example/2</link><description>{long_text}</description></item>",
        "<item><title>No text</title><link>https://x.example/3</link></item>",
        "<item><title>No link</title><description>Civilians were killed in shelling, a monitor said.</description>"
        "</item>",
    )
    items = read_document(doc, "https://x.example/feed.xml")
    assert [i.teaser for i in items] == [True, False, True, False]
    assert items[0].key == "g1" and items[1].key == "https://x.example/2" and items[3].key.startswith("hash:")
    assert isinstance(items[2].item, ItemError)


def test_the_feed_reader_gives_one_item_per_entry_even_when_one_is_bad() -> None:
    # read_document pairs read_feed's output with the entries: this is the contract it relies on.
    doc = _rss("<item><title>Empty</title></item>",
               "<item><title>Ok</title><description>Shelling killed two people in Homs, a monitor said.</description>"
               "</item>")
    assert [type(x) for x in read_feed(doc, "f")] == [ItemError, Article]


@pytest.mark.parametrize("body, fragment", [
    (b"", "empty"),
    (b"<!doctype html><html><body><p>Hello</p></body></html>", "an HTML page"),
    (b'<?xml version="1.0"?><rss><channel><title>x</ti', "not well-formed XML"),
    (_rss("<item><title>a</title><description>Shelling killed two people in Homs.</description></item>")[:-30],
     "cut off or broken"),
])
def test_documents_that_are_no_feed(body: bytes, fragment: str) -> None:
    with pytest.raises(DocumentError, match=fragment):
        read_document(body, "https://x.example/feed")


def test_a_feed_without_items_and_a_sloppy_but_complete_feed() -> None:
    assert read_document(_rss(), "https://x.example/feed.xml") == []
    sloppy = _rss("<item><title>Guns & roses</title><link>https://x.example/9</link>"
                  f"<description>{' '.join([story(1)[1]] * 5)}</description></item>")
    assert len(read_document(sloppy, "https://x.example/feed.xml")) == 1


def test_json_and_jsonl_endpoints_go_through_the_record_readers() -> None:
    _t, text = story(4)
    records = [{"title": "A", "url": "https://x.example/a", "text": text}, {"title": "No text"}]
    items = read_document(json.dumps({"articles": records}).encode(), "https://x.example/api")
    assert items[0].key == "https://x.example/a" and isinstance(items[0].item, Article)
    assert items[1].key == "" and isinstance(items[1].item, ItemError)
    lines = "\n".join(json.dumps({"title": "B", "text": story(n)[1]}) for n in (5, 6)).encode()
    items = read_document(lines, "https://x.example/items.jsonl")
    assert [i.key.startswith("article:") for i in items] == [True, True]


# -- HTTP -------------------------------------------------------------------------------------------


def _fetcher(handler: Callable[[httpx.Request], httpx.Response], **kwargs: object) -> Fetcher:
    return Fetcher(transport=httpx.MockTransport(handler), **kwargs)  # type: ignore[arg-type]


def test_conditional_requests_and_304() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.headers.get("If-None-Match") == '"v1"':
            return httpx.Response(304)
        return httpx.Response(200, content=b"<rss/>", headers={"ETag": '"v1"', "Last-Modified": "LM"})

    with _fetcher(handler) as fetcher:
        first = fetcher.get("https://x.example/f", timeout=5)
        again = fetcher.get("https://x.example/f", timeout=5, etag=first.etag, last_modified=first.last_modified)
    assert (first.status, first.body, first.etag, first.last_modified) == (200, b"<rss/>", '"v1"', "LM")
    assert again.not_modified and again.etag == '"v1"'
    assert seen[1].headers["If-Modified-Since"] == "LM"
    assert seen[0].headers["User-Agent"] == USER_AGENT and "ConflictMap" in USER_AGENT


@pytest.mark.parametrize("handler, fragment", [
    (lambda r: httpx.Response(500), "the server answered 500 Internal Server Error"),
    (lambda r: httpx.Response(404), "404 Not Found"),
    (lambda r: httpx.Response(200, content=b"x" * 2000), "larger than"),
    (lambda r: httpx.Response(200, headers={"Content-Length": "999999999"}, content=b""), "larger than"),
    (lambda r: httpx.Response(302, headers={"Location": str(r.url) + "x"}), f"more than {MAX_REDIRECTS} times"),
])
def test_failures_are_plain_words(handler: Callable[[httpx.Request], httpx.Response], fragment: str) -> None:
    with _fetcher(handler, max_bytes=1000) as fetcher, pytest.raises(FetchError, match=fragment):
        fetcher.get("https://x.example/f", timeout=5)


def test_retry_after_is_read_from_503() -> None:
    with _fetcher(lambda r: httpx.Response(503, headers={"Retry-After": "120"})) as fetcher:
        with pytest.raises(FetchError) as info:
            fetcher.get("https://x.example/f", timeout=5)
    assert info.value.retry_after == 120


def test_a_connection_failure_names_the_host() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with _fetcher(handler) as fetcher, pytest.raises(FetchError, match="could not connect to x.example"):
        fetcher.get("https://x.example/f", timeout=5)


# -- the schedule -----------------------------------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


def test_each_feed_on_its_schedule_and_a_failing_one_backs_off(empty_store: Store, geoparser: Geoparser) -> None:
    feeds = parse_feeds('[[feed]]\nurl = "https://a.example/f"\ninterval = 10\n'
                        '[[feed]]\nurl = "https://b.example/f"\ninterval = 25\n'
                        '[[feed]]\nurl = "https://c.example/f"\ninterval = 10\n', Path("."))
    clock = FakeClock()
    polls: dict[str, list[float]] = {"a.example": [], "b.example": [], "c.example": []}

    def handler(request: httpx.Request) -> httpx.Response:
        polls[request.url.host].append((clock.now - T0).total_seconds())
        return httpx.Response(500) if request.url.host == "c.example" else httpx.Response(200, content=_rss())

    watcher = Watcher(feeds, empty_store, geoparser, load_settings(), fetcher=_fetcher(handler), clock=clock)

    def wait(seconds: float) -> None:
        clock.now += timedelta(seconds=seconds)
        if clock.now - T0 > timedelta(seconds=100):
            watcher.stop()

    watcher.run(wait=wait)
    assert polls["a.example"] == [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]
    assert polls["b.example"] == [0, 25, 50, 75, 100]
    assert polls["c.example"] == [0, 20, 60]  # 10 * 2, then 10 * 4 after two failures
    state = empty_store.feed_state(feeds[2].key)
    assert state["failures"] == 3 and "500" in state["last_error"]
    assert state["next_poll"] == T0 + timedelta(seconds=60 + 80)
    assert watcher.failing() == {"c.example": "the server answered 500 Internal Server Error"}


def test_a_restart_keeps_the_schedule_from_the_store(empty_store: Store, geoparser: Geoparser) -> None:
    feeds = parse_feeds('[[feed]]\nurl = "https://a.example/f"\ninterval = 30\n', Path("."))
    clock = FakeClock()
    times: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        times.append((clock.now - T0).total_seconds())
        return httpx.Response(200, content=_rss())

    Watcher(feeds, empty_store, geoparser, load_settings(), fetcher=_fetcher(handler), clock=clock).run_once()
    clock.now += timedelta(seconds=12)
    restarted = Watcher(feeds, empty_store, geoparser, load_settings(), fetcher=_fetcher(handler), clock=clock)

    def wait(seconds: float) -> None:
        clock.now += timedelta(seconds=seconds)
        if len(times) >= 2:
            restarted.stop()

    restarted.run(wait=wait)
    assert times == [0, 30]  # not polled again at 12 s, when it restarted


def test_an_article_written_before_a_kill_is_marked_not_stored_again(empty_store: Store,
                                                                       geoparser: Geoparser) -> None:
    # SIGKILL between write_article and the seen-mark: the next poll finds the article by its id.
    feeds = parse_feeds('[[feed]]\nurl = "https://a.example/f"\n', Path("."))
    body = atom_feed([1, 2], "https://a.example")
    first = read_document(body, feeds[0].source)[0]
    store_items([first.item], empty_store, geoparser, IngestSummary())
    fetcher = _fetcher(lambda r: httpx.Response(200, content=body))
    result = Watcher(feeds, empty_store, geoparser, load_settings(), fetcher=fetcher).poll(feeds[0])
    assert (result.new, result.duplicate) == (1, 1)
    assert empty_store.facets()["articles"] == 2
    assert empty_store.seen_items(feeds[0].key, [first.key]) == {first.key}
