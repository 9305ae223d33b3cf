"""The charts on the pages: draws what ``conflictmap.render.charts`` builds, and the Timeline's period pick.

A chart with nothing to draw is left out. The period pick reads the Altair
interval selection back (``on_select="rerun"``) and offers a button whose
callback narrows every page's date filter.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import altair as alt
import streamlit as st

from conflictmap.pipeline import country_names
from conflictmap.render.charts import PERIOD_SELECTION, events_by_country, events_per_day, events_per_week
from conflictmap.ui.filters import set_period
from conflictmap.ui.state import W_TIMELINE_CHART, period_from_selection


def _show(chart: alt.Chart | None) -> None:
    if chart is not None:
        st.altair_chart(chart, width="stretch")


def show_events_per_day(rows: Sequence[Mapping[str, Any]]) -> None:
    """Stacked bars of events per day by type (``Store.counts_by_day`` rows)."""
    _show(events_per_day(rows))


def show_events_per_week(rows: Sequence[Mapping[str, Any]]) -> None:
    """Lines of events per week (per month past two years) by type (``Store.counts_by_day`` rows)."""
    _show(events_per_week(rows))


def show_events_by_country(rows: Sequence[Mapping[str, Any]]) -> None:
    """Bars of events per country by name (``Store.counts_by_country`` rows)."""
    _show(events_by_country(rows, country_names()))


def weekly_and_by_country(daily: Sequence[Mapping[str, Any]], by_country: Sequence[Mapping[str, Any]]) -> None:
    """Side by side: events over time by type, and events per country with their table."""
    left, right = st.columns(2)
    with left:
        st.subheader("By type, over time")
        show_events_per_week(daily)
    with right:
        st.subheader("By country")
        show_events_by_country(by_country)
        names = country_names()
        table = [{"country": names.get(r["country_code"], r["country_code"]) or "unknown", **r} for r in by_country]
        st.dataframe(table, hide_index=True, width="stretch")


def period_picker(rows: Sequence[Mapping[str, Any]], state: Mapping[str, Any]) -> None:
    """Events per day with a drag-to-pick period and the button that applies it to the filters.

    Parameters
    ----------
    rows : sequence of mapping
        ``Store.counts_by_day`` rows.
    state : mapping
        The filter state (its applied period keys the chart, so applying one clears the drawn selection).
    """
    chart = events_per_day(rows, height=280, selectable=True)
    if chart is None:
        st.warning("No event matches these filters.")
        return
    st.caption("Drag across the chart to pick a period, then apply it to every page's filters.")
    chart_key = f"{W_TIMELINE_CHART}_{state['date_from']}_{state['date_to']}"
    picked = st.altair_chart(chart, width="stretch", on_select="rerun", key=chart_key)
    period = period_from_selection(picked.selection.get(PERIOD_SELECTION))
    if period is not None:
        lo, hi = period
        st.button(
            f"Filter to {lo.isoformat()} \u2013 {hi.isoformat()}",
            on_click=set_period, args=(lo, hi), type="primary",
        )
