"""Feeds: each feed `conflictmap watch` polls, its last poll, last new item, items ingested and last error."""
from __future__ import annotations

from conflictmap.ui import feeds, layout, resources

layout.page_setup("Feeds", heading="Watched feeds")
feeds.feeds_table(resources.settings().db_url)
layout.footer()
