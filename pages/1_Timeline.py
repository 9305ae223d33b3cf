"""Timeline: events over time by type and country; drag over the chart to pick a period."""
from __future__ import annotations

import streamlit as st

from conflictmap.ui import app as ui

ui.page_setup("Timeline")
state = ui.sidebar_filters()
db_url = ui.settings().db_url
flt = ui.to_filter(state)

st.title("Timeline")
ui.metrics_row(ui.summary(db_url, flt))

daily = ui.counts_by_day(db_url, flt)
chart = ui.charts.events_per_day(daily, height=280, selectable=True)
if chart is None:
    st.warning("No event matches these filters.")
else:
    st.caption("Drag across the chart to pick a period, then apply it to every page's filters.")
    # The key follows the applied period, so applying one clears the drawn selection.
    chart_key = f"cm_timeline_chart_{state['date_from']}_{state['date_to']}"
    picked = st.altair_chart(chart, width="stretch", on_select="rerun", key=chart_key)
    period = ui.viewstate.period_from_selection(picked.selection.get(ui.charts.PERIOD_SELECTION))
    if period is not None:
        lo, hi = period
        st.button(
            f"Filter to {lo.isoformat()} \u2013 {hi.isoformat()}",
            on_click=ui.set_period, args=(lo, hi), type="primary",
        )

left, right = st.columns(2)
with left:
    st.subheader("By type, per week")
    weekly = ui.charts.events_per_week(daily)
    if weekly is not None:
        st.altair_chart(weekly, width="stretch")
with right:
    st.subheader("By country")
    by_country = ui.counts_by_country(db_url, flt)
    country_chart = ui.charts.events_by_country(by_country)
    if country_chart is not None:
        st.altair_chart(country_chart, width="stretch")
    st.dataframe(by_country, hide_index=True, width="stretch")
ui.footer()
