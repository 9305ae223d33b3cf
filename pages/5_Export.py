"""Export: download the filtered events as CSV, GeoJSON or GeoPackage."""
from __future__ import annotations

from conflictmap.ui import downloads, filters, layout, queries, resources
from conflictmap.ui.state import to_filter

layout.page_setup("Export", heading="Export events")
state = filters.sidebar_filters()
db_url = resources.settings().db_url

downloads.export_section(queries.events(db_url, to_filter(state)))
layout.footer()
