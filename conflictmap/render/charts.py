"""Altair charts of event counts, coloured like the map. Pure: rows in, chart out (no streamlit)."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import altair as alt
import pandas as pd

from conflictmap.render.layers import type_color

#: Name of the interval selection on the Timeline chart (read back by the page).
PERIOD_SELECTION = "period"


def _type_scale(types: Sequence[str]) -> alt.Scale:
    present = sorted(set(types))
    return alt.Scale(domain=present, range=[type_color(t) for t in present])


def events_per_day(rows: Sequence[Mapping[str, Any]], height: int = 220, selectable: bool = False) -> alt.Chart | None:
    """Stacked bars of events per day by type; None when there is nothing to draw.

    Parameters
    ----------
    rows : sequence of mapping
        ``Store.counts_by_day`` rows: ``day``, ``event_type``, ``events``.
    height : int
        Chart height in pixels.
    selectable : bool
        Add an x-interval selection named :data:`PERIOD_SELECTION` (drag to pick a period).
    """
    if not rows:
        return None
    frame = pd.DataFrame(list(rows))
    frame["day"] = pd.to_datetime(frame["day"])
    chart = (
        alt.Chart(frame, height=height)
        .mark_bar()
        .encode(
            # Day-level time unit: ticks fall on whole days, never "03 AM", however short the range.
            x=alt.X("yearmonthdate(day):T", title=None, axis=alt.Axis(format="%b %d")),
            y=alt.Y("sum(events):Q", title="Events per day"),
            color=alt.Color("event_type:N", scale=_type_scale(frame["event_type"]), title="Event type"),
            tooltip=[alt.Tooltip("yearmonthdate(day):T", title="day"), alt.Tooltip("event_type:N", title="type"),
                     alt.Tooltip("sum(events):Q", title="events")],
        )
    )
    if selectable:
        chart = chart.add_params(alt.selection_interval(name=PERIOD_SELECTION, encodings=["x"]))
    return chart


def events_per_week(rows: Sequence[Mapping[str, Any]], height: int = 220) -> alt.Chart | None:
    """Lines of events per week by type (smoother than days for long periods)."""
    if not rows:
        return None
    frame = pd.DataFrame(list(rows))
    frame["week"] = pd.to_datetime(frame["day"]).dt.to_period("W").dt.start_time
    weekly = frame.groupby(["week", "event_type"], as_index=False)["events"].sum()
    return (
        alt.Chart(weekly, height=height)
        .mark_line(point=True)
        .encode(
            x=alt.X("week:T", title="Week"),
            y=alt.Y("events:Q", title="Events per week"),
            color=alt.Color("event_type:N", scale=_type_scale(weekly["event_type"]), title="Event type"),
            tooltip=["week:T", "event_type:N", "events:Q"],
        )
    )


def events_by_country(rows: Sequence[Mapping[str, Any]], height: int = 220) -> alt.Chart | None:
    """Horizontal bars of events per country code, with fatalities in the tooltip."""
    if not rows:
        return None
    frame = pd.DataFrame(list(rows))
    frame["country_code"] = frame["country_code"].replace("", "unknown")
    return (
        alt.Chart(frame, height=height)
        .mark_bar(color="#5b6b7a")
        .encode(
            y=alt.Y("country_code:N", sort="-x", title="Country"),
            x=alt.X("events:Q", title="Events"),
            tooltip=["country_code:N", "events:Q", "fatalities:Q"],
        )
    )
