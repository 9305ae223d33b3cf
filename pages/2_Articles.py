"""Articles: search the stored articles, read one with its places and events highlighted, and why each is an event."""
from __future__ import annotations

from conflictmap.ui import articles, layout, resources

layout.page_setup("Articles")
db_url = resources.settings().db_url

found = articles.article_search(db_url)
articles.article_reader(db_url, found)
layout.footer()
