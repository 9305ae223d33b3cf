"""The dashboard's cached queries follow the store's data version (``ui.queries.versioned``)."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import streamlit as st

from conflictmap.model import EventFilter
from conflictmap.store import Store
from conflictmap.ui import queries
from tests.fixtures.store_fixture import build_articles


def test_a_write_elsewhere_shows_on_the_next_call_and_nothing_else_recomputes(
    fresh_db_url: str, monkeypatch
) -> None:
    st.cache_data.clear()
    writer = Store(fresh_db_url)
    (article, mentions, events), *_ = build_articles()  # already in the fixture store
    calls: list[str] = []
    real = Store.summary

    def counting(self: Store, flt: EventFilter) -> dict[str, int]:
        calls.append(self.url)
        return real(self, flt)

    monkeypatch.setattr(Store, "summary", counting)
    first = queries.summary(fresh_db_url, EventFilter())
    assert queries.summary(fresh_db_url, EventFilter()) == first and len(calls) == 1  # unchanged: cached

    # Another process (an ingest, `conflictmap watch`) writes: no cache clear, no wait.
    later = replace(article, article_id="later", body=article.body + " ")
    writer.write_article(later, mentions, [replace(e, event_id="later-ev", article_id="later",
                                                                  event_date=date(2017, 12, 20)) for e in events])
    after = queries.summary(fresh_db_url, EventFilter())
    assert len(calls) == 2 and after["events"] == first["events"] + len(events)
    assert queries.summary(fresh_db_url, EventFilter()) == after and len(calls) == 2
    st.cache_resource.clear()
    st.cache_data.clear()


def test_two_versioned_queries_never_share_a_cache(fixture_db_url: str) -> None:
    st.cache_data.clear()
    flt = EventFilter()
    by_day = queries.counts_by_day(fixture_db_url, flt)
    by_country = queries.counts_by_country(fixture_db_url, flt)
    assert by_day != by_country
    assert by_day == Store(fixture_db_url).counts_by_day(flt)
    assert by_country == Store(fixture_db_url).counts_by_country(flt)
