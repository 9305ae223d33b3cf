"""The Timeline charts keep time: years on the ticks when the data spans years, no repeated
labels, quiet weeks drawn as zeros, countries by name with every bar labelled."""
from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from conflictmap.render.charts import TOP_COUNTRIES, events_by_country, events_per_day, events_per_week, time_axis


def _days(*days: date, event_type: str = "Battles") -> list[dict[str, object]]:
    return [{"day": d, "event_type": event_type, "events": 1} for d in days]


def _x_axis(chart) -> dict:  # type: ignore[no-untyped-def]
    return chart.to_dict()["encoding"]["x"]["axis"]


def test_two_days_tick_once_per_day_and_never_repeat_a_label() -> None:
    axis = _x_axis(events_per_day(_days(date(2024, 11, 12), date(2024, 11, 13))))
    assert axis["values"] == ["2024-11-12", "2024-11-13"] and axis["format"] == "%b %d"


def test_years_of_data_carry_the_year_on_every_tick() -> None:
    axis = _x_axis(events_per_day(_days(date(2017, 4, 1), date(2024, 4, 1))))
    assert axis["format"] == "%Y" and axis["tickCount"] == {"interval": "year", "step": 1}
    months = time_axis(pd.Timestamp("2017-03-01"), pd.Timestamp("2017-12-31")).to_dict()
    assert months["format"] == "%b %Y" and months["tickCount"]["interval"] == "month"
    # A short range across new year still names the years.
    assert "%Y" in time_axis(pd.Timestamp("2023-12-20"), pd.Timestamp("2024-01-10")).to_dict()["format"]


def test_quiet_weeks_are_zero_not_a_line_across_them() -> None:
    first = date(2018, 1, 1)
    rows = _days(first, first + timedelta(weeks=10))
    data = events_per_week(rows).to_dict()
    values = next(iter(data["datasets"].values()))
    counts = [v["events"] for v in values]
    assert len(values) == 11 and counts.count(0) == 9 and sum(counts) == 2


def test_countries_by_name_and_the_rest_as_one_labelled_bar() -> None:
    rows = [{"country_code": f"C{i:02d}", "events": 100 - i, "fatalities": i} for i in range(20)]
    rows[0]["country_code"] = "SY"
    chart = events_by_country(rows, {"SY": "Syria"})
    values = next(iter(chart.to_dict()["datasets"].values()))
    labels = [v["country"] for v in values]
    assert labels[0] == "Syria" and len(labels) == TOP_COUNTRIES
    assert labels[-1] == f"other countries ({20 - TOP_COUNTRIES + 1})"
    assert sum(v["events"] for v in values) == sum(r["events"] for r in rows)  # nothing lost in "other"
    assert chart.to_dict()["encoding"]["y"]["axis"]["labelOverlap"] is False  # no label dropped


def test_years_of_weeks_become_months_each_one_drawn() -> None:
    rows = _days(date(2017, 1, 3), date(2024, 6, 5))
    data = events_per_week(rows).to_dict()
    values = next(iter(data["datasets"].values()))
    assert len(values) == (2024 - 2017) * 12 + 6 and data["encoding"]["y"]["title"] == "Events per month"
