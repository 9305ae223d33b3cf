"""Export: download the filtered events as CSV, GeoJSON or GeoPackage."""
from __future__ import annotations

import streamlit as st

from conflictmap.ui import app as ui

ui.page_setup("Export")
state = ui.sidebar_filters()
db_url = ui.settings().db_url
flt = ui.to_filter(state)

st.title("Export events")
rows = ui.events(db_url, flt)
st.caption(f"{len(rows):,} event(s) match the filters in the sidebar (the same filters as the map).")

formats = (
    ("CSV", "csv", "text/csv", ui.export.export_csv),
    ("GeoJSON", "geojson", "application/geo+json", ui.export.export_geojson),
    ("GeoPackage", "gpkg", "application/geopackage+sqlite3", ui.export.export_gpkg),
)
for column, (label, ext, mime, writer) in zip(st.columns(len(formats)), formats, strict=True):
    # A callable defers the work to the click, so an unused format costs nothing on a rerun.
    column.download_button(
        f"Download {label}", data=lambda writer=writer: writer(rows), file_name=f"conflictmap-events.{ext}",
        mime=mime, on_click="ignore", disabled=not rows, key=f"cm_w_export_{ext}", width="stretch",
    )

st.subheader("Preview")
st.dataframe(
    ui.table_rows(rows[:500], ["event_date", "event_type", "place", "country_code", "fatalities_best",
                               "actors", "title", "url"]),
    hide_index=True, width="stretch", column_config={"url": ui.link_column()},
)
ui.footer()
