"""Timeline: events over time by type and country; drag over the chart to pick a period."""
from __future__ import annotations

from conflictmap.ui import charts, filters, layout, queries, resources
from conflictmap.ui.state import to_filter

layout.page_setup("Timeline")
state = filters.sidebar_filters()
db_url = resources.settings().db_url
flt = to_filter(state)

layout.metrics_row(queries.summary(db_url, flt))
daily = queries.counts_by_day(db_url, flt)
charts.period_picker(daily, state)
charts.weekly_and_by_country(daily, queries.counts_by_country(db_url, flt))
layout.footer()
