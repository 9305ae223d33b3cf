"""The Export page's widgets: a download button per format and a preview of the rows.

The files are written by ``conflictmap.export`` only when a button is clicked
(each button's data is a callable), so an unused format costs nothing on a rerun.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st

from conflictmap import export
from conflictmap.ui.layout import link_column, table_rows
from conflictmap.ui.state import W_EXPORT

#: Download formats: label, file extension, MIME type, writer.
FORMATS = (
    ("CSV", "csv", "text/csv", export.export_csv),
    ("GeoJSON", "geojson", "application/geo+json", export.export_geojson),
    ("GeoPackage", "gpkg", "application/geopackage+sqlite3", export.export_gpkg),
)
#: Rows and columns of the preview table.
PREVIEW_ROWS = 500
PREVIEW_COLUMNS = ["event_date", "event_type", "place", "country_code", "fatalities_best", "actors", "title", "url"]


def export_section(rows: Sequence[Mapping[str, Any]]) -> None:
    """How many events match, a download button per format, and the first rows as a preview."""
    st.caption(f"{len(rows):,} event(s) match the filters in the sidebar (the same filters as the map).")
    for column, (label, ext, mime, writer) in zip(st.columns(len(FORMATS)), FORMATS, strict=True):
        # A callable defers the work to the click, so an unused format costs nothing on a rerun.
        column.download_button(
            f"Download {label}", data=lambda writer=writer: writer(rows), file_name=f"conflictmap-events.{ext}",
            mime=mime, on_click="ignore", disabled=not rows, key=f"{W_EXPORT}_{ext}", width="stretch",
        )
    st.subheader("Preview")
    st.dataframe(table_rows(rows[:PREVIEW_ROWS], PREVIEW_COLUMNS), hide_index=True, width="stretch",
                 column_config={"url": link_column()})
