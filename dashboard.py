"""ConflictMap: the map of events found in news articles. Run with ``streamlit run dashboard.py``.

This file is the map page and the app's router: ``ui.navigation`` lists it
first (as "Map") ahead of the pages in ``pages/``.
"""
from __future__ import annotations

import streamlit as st

from conflictmap.ui import app as ui


def map_view() -> None:
    """The map of events, its metrics, the selected event and the events per day."""
    ui.page_setup("Map")
    state = ui.sidebar_filters(layers=True)
    config = ui.settings()
    db_url = config.db_url
    flt = ui.to_filter(state)

    st.title("ConflictMap")
    counts = ui.summary(db_url, flt)
    ui.metrics_row(counts)

    # Large sets are drawn as density cells aggregated in the database, never as 100k points.
    dense = counts["events"] > config.map_point_limit
    layer = None if dense else ui.event_layer(db_url, flt)
    density = (counts["events"], ui.density_cells(db_url, flt)[1]) if dense else None
    ref_layer = ui.reference_layer(db_url, flt) if state["reference"] else None
    map_col, detail_col = st.columns([3, 1], gap="medium")
    with map_col:
        selected = ui.event_map(layer, ref_layer, online=state["tiles"], density=density)
        if dense:
            st.info(f"{counts['events']:,} events match: the map shows where they are as density circles. "
                    f"Narrow the filters below {config.map_point_limit:,} events to see each event and its source.")
        elif counts["events"] == 0:
            st.warning("No event matches these filters.")
    with detail_col:
        st.subheader("Selected event")
        ui.event_details(ui.event_detail(db_url, selected) if selected else None)

    chart = ui.charts.events_per_day(ui.counts_by_day(db_url, flt))
    if chart is not None:
        st.altair_chart(chart, width="stretch")
    ui.footer()


ui.navigation(map_view).run()
