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


def time_axis(first: pd.Timestamp, last: pd.Timestamp, title: str | None = None) -> alt.Axis:
    """An x axis whose ticks suit the span: days for a fortnight, weeks, months, then years.

    Labels carry the year whenever the range spans years and never repeat: a tick
    falls on a whole day, week, month or year, and the label names exactly that.
    """
    span = (last - first).days
    years = first.year != last.year
    if span <= 14:
        return alt.Axis(title=title, values=[d.isoformat() for d in pd.date_range(first, last, freq="D").date],
                        format="%b %d, %Y" if years else "%b %d", labelAngle=0)
    if span <= 120:
        return alt.Axis(title=title, tickCount={"interval": "week", "step": 1},
                        format="%b %d, %Y" if years else "%b %d")
    if span <= 3 * 366:
        step = 1 if span <= 400 else 3
        return alt.Axis(title=title, tickCount={"interval": "month", "step": step}, format="%b %Y")
    return alt.Axis(title=title, tickCount={"interval": "year", "step": 1}, format="%Y")


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
            x=alt.X("yearmonthdate(day):T", title=None, axis=time_axis(frame["day"].min(), frame["day"].max())),
            y=alt.Y("sum(events):Q", title="Events per day", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color("event_type:N", scale=_type_scale(frame["event_type"]), title="Event type"),
            tooltip=[alt.Tooltip("yearmonthdate(day):T", title="day"), alt.Tooltip("event_type:N", title="type"),
                     alt.Tooltip("sum(events):Q", title="events")],
        )
    )
    if selectable:
        chart = chart.add_params(alt.selection_interval(name=PERIOD_SELECTION, encodings=["x"]))
    return chart


#: Past this many days the over-time lines count months, not weeks.
MONTHLY_AFTER_DAYS = 730


def events_per_week(rows: Sequence[Mapping[str, Any]], height: int = 220) -> alt.Chart | None:
    """Lines of events per week by type, per month when the data spans over two years.

    Every period of the range is drawn for every type: a quiet period is a zero,
    never a line interpolated across it.
    """
    if not rows:
        return None
    frame = pd.DataFrame(list(rows))
    days = pd.to_datetime(frame["day"])
    monthly = (days.max() - days.min()).days > MONTHLY_AFTER_DAYS
    unit, freq = ("month", "MS") if monthly else ("week", "7D")
    frame["period"] = days.dt.to_period("M" if monthly else "W").dt.start_time
    counted = frame.groupby(["period", "event_type"], as_index=False)["events"].sum()
    periods = pd.date_range(counted["period"].min(), counted["period"].max(), freq=freq)
    grid = pd.MultiIndex.from_product([periods, sorted(counted["event_type"].unique())],
                                      names=["period", "event_type"])
    counted = counted.set_index(["period", "event_type"]).reindex(grid, fill_value=0).reset_index()
    return (
        alt.Chart(counted, height=height)
        .mark_line(point=len(periods) <= 60)
        .encode(
            x=alt.X("period:T", axis=time_axis(periods.min(), periods.max(), unit.capitalize())),
            y=alt.Y("events:Q", title=f"Events per {unit}", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color("event_type:N", scale=_type_scale(counted["event_type"]), title="Event type"),
            tooltip=[alt.Tooltip("period:T", title=unit, format="%b %Y" if monthly else "%b %d, %Y"),
                     alt.Tooltip("event_type:N", title="type"), alt.Tooltip("events:Q", title="events")],
        )
    )


#: How many countries the bars name; the rest are summed as "other countries".
TOP_COUNTRIES = 12


def events_by_country(rows: Sequence[Mapping[str, Any]], names: Mapping[str, str] | None = None,
                      height: int | None = None) -> alt.Chart | None:
    """Horizontal bars of events per country, by name, every bar labelled; fatalities in the tooltip.

    ``names`` maps ISO codes to country names (a code without one is shown as
    the code). Past :data:`TOP_COUNTRIES` countries the rest are one "other
    countries" bar, so no label is dropped for want of room.
    """
    if not rows:
        return None
    frame = pd.DataFrame(list(rows)).sort_values("events", ascending=False, kind="stable")
    names = names or {}
    frame["country"] = [names.get(c, c) if c else "unknown" for c in frame["country_code"]]
    if len(frame) > TOP_COUNTRIES:
        rest = frame.iloc[TOP_COUNTRIES - 1 :]
        other = {"country": f"other countries ({len(rest)})", "country_code": "",
                 "events": int(rest["events"].sum()), "fatalities": int(rest["fatalities"].sum())}
        frame = pd.concat([frame.iloc[: TOP_COUNTRIES - 1], pd.DataFrame([other])], ignore_index=True)
    order = list(frame["country"])
    return (
        # A fixed step per bar: every country gets a readable row whatever the container's height.
        alt.Chart(frame, height=height or alt.Step(24))
        .mark_bar(color="#5b6b7a")
        .encode(
            y=alt.Y("country:N", sort=order, title=None, axis=alt.Axis(labelLimit=220, labelOverlap=False)),
            x=alt.X("events:Q", title="Events", axis=alt.Axis(tickMinStep=1)),
            tooltip=[alt.Tooltip("country:N", title="country"), "events:Q", "fatalities:Q"],
        )
    )
