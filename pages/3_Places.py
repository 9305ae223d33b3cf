"""Places: every resolved place with its mentions; correct a wrong one (applied at once, kept for later ingests)."""
from __future__ import annotations

from conflictmap.ui import layout, places, resources

layout.page_setup("Places")
db_url = resources.settings().db_url

rows = places.place_table(db_url)  # the page stops here when no place matches
places.correction_form(db_url, rows)
places.stored_corrections(db_url)
layout.footer()
