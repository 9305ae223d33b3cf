"""The dashboard keeps answering while an ingest writes, on both back ends.

A writer thread stores a few hundred articles (two events each) while the test
thread keeps asking what the dashboard pages ask. No read may fail ("database
is locked") and no read may see half an article.
"""
from __future__ import annotations

import threading
from datetime import date, timedelta

from conflictmap.model import Article, Event, EventFilter, Mention, Place, make_event_id
from conflictmap.store import Store

N_ARTICLES = 300


def _article(i: int) -> tuple[Article, list[Mention], list[Event]]:
    # Two sentences, two places; every place lies >= 50 km from every other so no events merge.
    body = f"Shelling hit Alpha{i} on Monday. Clashes broke out in Beta{i} later."
    article = Article.create(f"Report {i}", body, published=date(2017, 1, 1) + timedelta(days=i % 300))
    mentions, events = [], []
    for k, name in enumerate((f"Alpha{i}", f"Beta{i}")):
        start = body.index(name)
        place = Place(f"t:{name}", name, 10.0 + k * 20, i * 0.5 - 75, "city", "SY")  # 50 km apart
        mention = Mention(start, start + len(name), name, place, 0.9)
        sentence_start = 0 if k == 0 else body.index("Clashes")
        sentence_end = body.index(".", sentence_start) + 1
        mentions.append(mention)
        events.append(Event(
            event_id=make_event_id(article.article_id, k), article_id=article.article_id, mention=mention,
            event_date=article.published, time_precision=1, date_phrase="", geo_precision=1,
            event_type="Battles", sub_event_type="Armed clash", excerpt=body[sentence_start:sentence_end],
            excerpt_start=sentence_start, excerpt_end=sentence_end, actors=("IS",),
        ))
    return article, mentions, events


def test_reads_never_fail_or_see_half_an_article_while_an_ingest_writes(backend_url: str) -> None:
    Store(backend_url).dispose()
    items = [_article(i) for i in range(N_ARTICLES)]
    failures: list[BaseException] = []
    done = threading.Event()

    def ingest() -> None:
        writer = Store(backend_url)
        try:
            for article, mentions, events in items:
                writer.write_article(article, mentions, events)
        except BaseException as exc:  # re-raised below, in the test thread
            failures.append(exc)
        finally:
            writer.dispose()
            done.set()

    reader = Store(backend_url)
    thread = threading.Thread(target=ingest)
    thread.start()
    reads = 0
    seen_midway = set()
    while not done.is_set() or reads == 0:
        summary = reader.summary(EventFilter())
        # Every visible article brings both of its events, never one (each is its only report).
        assert summary["events"] % 2 == 0 and summary["reports"] == summary["events"], summary
        if 0 < summary["events"] < 2 * N_ARTICLES:
            seen_midway.add(summary["events"])
        for row in reader.list_articles(limit=5):
            assert row["events"] == 2 and row["mentions"] == 2, row
        reader.counts_by_day(EventFilter(date_from=date(2017, 3, 1)))
        reader.query_events(EventFilter(actors=("IS",)), limit=100)
        reads += 1
    thread.join(timeout=120)
    assert not failures, failures
    assert seen_midway, "no read happened while the ingest was writing"
    assert reader.summary(EventFilter())["events"] == 2 * N_ARTICLES
    # The roll-ups the writer kept in step agree with the events themselves.
    from_rollups = reader.summary(EventFilter())
    reader.use_rollups = False
    assert reader.summary(EventFilter()) == from_rollups
    reader.dispose()
