"""The Alerts page's pieces: the "as of" day, the cached surge query, the map of alerts and their table.

The rule is ``conflictmap.alerts``'s (docs/ALERTS.md); this module only asks for
its results and lays them out. Each alert links to the Map page filtered to its
unit (country, and first-level unit) and week: the link opens in a new tab, whose new session reads the
filters from the URL (``filters.filter_state``).
"""
from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urljoin

import streamlit as st
from streamlit_folium import st_folium

from conflictmap.alerts import DEFAULT_BASE_URL, DEFAULT_RULE, find_surges, surge_record
from conflictmap.render.alerts_map import build_alerts_map
from conflictmap.render.assets import VENDOR_URL
from conflictmap.render.html import safe_url
from conflictmap.ui.mapview import BASEMAP_PATH
from conflictmap.ui.queries import basemap, map_labels, versioned
from conflictmap.ui.resources import store_at
from conflictmap.ui.state import ALERTS_MAP_KEY, W_ALERTS_AS_OF

_COLUMNS = {
    "unit": "Unit", "level": "Level", "kind": "Kind", "metrics": "Surged", "events": "Events (7 days)",
    "events_mean": "Events/week before", "events_sd": "Events sd", "fatalities": "Deaths (7 days)",
    "fatalities_mean": "Deaths/week before", "fatalities_sd": "Deaths sd", "ratio": "Times baseline",
    "window": "Window", "rule": "Rule that fired", "link": "Map",
}


def map_base_url() -> str:
    """The Map page's address as this browser reached the dashboard (``DEFAULT_BASE_URL`` when unknown).

    The map is the app's default page, one level up from ``/Alerts``, so a
    dashboard served under a path prefix links within it.
    """
    here = getattr(st.context, "url", None)
    base = urljoin(here, "./") if isinstance(here, str) and here else ""
    return base if safe_url(base) else DEFAULT_BASE_URL


@versioned(max_entries=4)
def event_dates(db_url: str) -> tuple[date | None, date | None]:
    """The first and last event date in the store."""
    return store_at(db_url).event_date_range()


@versioned(max_entries=16)
def surge_records(db_url: str, as_of: date | None, base_url: str) -> list[dict[str, Any]]:
    """The alerts for the week ending ``as_of`` as plain records (``conflictmap.alerts.surge_record``)."""
    return [surge_record(s, base_url) for s in find_surges(store_at(db_url), as_of=as_of)]


def as_of_picker(db_url: str) -> date | None:
    """The last day of the week looked at (default the latest event date); None for an empty store."""
    first, last = event_dates(db_url)
    if last is None:
        return None
    if W_ALERTS_AS_OF not in st.session_state:
        st.session_state[W_ALERTS_AS_OF] = last
    picked = st.date_input("As of (the last of the 7 days)", min_value=first, max_value=last, key=W_ALERTS_AS_OF)
    return picked if isinstance(picked, date) else last


def rule_caption() -> None:
    """The rule in one sentence, with a pointer to the reasons."""
    st.caption(DEFAULT_RULE.sentence() + " Admin1 units and countries; political violence only (docs/ALERTS.md).")


def no_alerts() -> None:
    """Say that nothing surged (or that the store holds no events yet)."""
    st.info("No unit surged in the seven days looked at.")


def alerts_map(records: list[dict[str, Any]]) -> None:
    """The surging units on the offline base map (no rerun on pan or zoom: nothing is returned)."""
    basemap_url, basemap_text = basemap(str(BASEMAP_PATH))
    labels_url, labels_text = map_labels()
    fmap = build_alerts_map(records, None if basemap_url else basemap_text, basemap_url=basemap_url,
                            labels=None if labels_url else labels_text, labels_url=labels_url, vendor_url=VENDOR_URL)
    st_folium(fmap, key=ALERTS_MAP_KEY, height=460, use_container_width=True, returned_objects=[])


def alerts_table(records: list[dict[str, Any]]) -> None:
    """One row per alert, with the link to the filtered map (opens in a new tab)."""
    rows = []
    for r in records:
        row = {key: r.get(key) for key in _COLUMNS}
        row["metrics"] = ", ".join(r["metrics"])
        row["window"] = f"{r['window_start']} to {r['window_end']}"
        # Built from our own base URL; checked anyway, as every link column is.
        row["link"] = safe_url(r["link"]) or ""
        rows.append({_COLUMNS[k]: v for k, v in row.items()})
    st.dataframe(rows, hide_index=True, width="stretch",
                 column_config={_COLUMNS["link"]: st.column_config.LinkColumn(_COLUMNS["link"], display_text="open"),
                                _COLUMNS["ratio"]: st.column_config.NumberColumn(format="%.2f")})
