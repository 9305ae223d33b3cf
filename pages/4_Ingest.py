"""Ingest: upload article files or paste text; per-file results and errors."""
from __future__ import annotations

from conflictmap.ui import ingest, layout

layout.page_setup("Ingest", heading="Ingest articles")
documents = ingest.upload_form()
ingest.ingest_button(documents)
ingest.ingest_results()
layout.footer()
