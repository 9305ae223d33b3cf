"""ConflictMap: the map of events found in news articles. Run with ``streamlit run dashboard.py``.

This file is the map page and the app's router: ``layout.navigation`` lists it
first (as "Map") ahead of the pages in ``pages/``.
"""
from __future__ import annotations

from conflictmap.ui import charts, filters, layout, mapview, queries, resources
from conflictmap.ui.state import to_filter


def map_view() -> None:
    """The map of events, its metrics, the selected event and the events per day."""
    layout.page_setup("Map", heading="ConflictMap")
    state = filters.sidebar_filters(layers=True)
    db_url = resources.settings().db_url
    flt = to_filter(state)

    mapview.live_map(db_url, flt, with_reference=state["reference"], online=state["tiles"])
    charts.show_events_per_day(queries.counts_by_day(db_url, flt))
    layout.footer()


layout.navigation(map_view).run()
