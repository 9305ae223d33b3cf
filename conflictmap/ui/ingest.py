"""The Ingest page's widgets: the upload and paste form, the Ingest button, the per-file results.

Each document is ingested on its own by :func:`conflictmap.ui.actions.ingest_documents`;
its row (new, duplicate, failed, events, errors) is kept in session state so the
results stay on the page across reruns.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

import streamlit as st

from conflictmap.ui.actions import ingest_documents
from conflictmap.ui.layout import link_to_map
from conflictmap.ui.resources import settings
from conflictmap.ui.state import SS_INGEST_RESULTS, W_PASTE_NAME, W_PASTE_TEXT, W_UPLOADS

_MB = 1024 * 1024


class Upload(Protocol):
    """What the page needs of an uploaded file (``st.file_uploader``'s ``UploadedFile``)."""

    name: str

    def getvalue(self) -> bytes: ...


def upload_limit_mb() -> int:
    """The per-file upload limit in whole megabytes (at least 1), for the uploader and its caption."""
    return max(1, settings().max_upload_bytes // _MB)


def collect_documents(uploads: Iterable[Upload] | None, pasted_name: str, pasted: str) -> list[tuple[str, bytes]]:
    """The uploads, then the pasted text when there is any, as ``(name, bytes)`` pairs."""
    documents = [(f.name, f.getvalue()) for f in uploads or []]
    if pasted and pasted.strip():
        documents.append((pasted_name.strip() or "pasted.txt", pasted.encode("utf-8")))
    return documents


def upload_form() -> list[tuple[str, bytes]]:
    """What the page reads, the file uploader and the paste box; returns the documents given.

    A read-only dashboard (``CONFLICTMAP_READ_ONLY=1``) lists no Ingest page; opened
    by its address all the same, the page says so and stops.
    """
    if settings().read_only:
        st.info("This dashboard is read-only: articles are ingested on the analysts' own copy.")
        st.stop()
    limit_mb = upload_limit_mb()
    st.caption(
        "Plain-text pages, HTML pages, JSONL exports and RSS/Atom feeds. Each file is read on its own: "
        f"a file that cannot be used is reported below and never stops the others. Limit {limit_mb} MB per file."
    )
    uploads = st.file_uploader("Article files", accept_multiple_files=True, key=W_UPLOADS, max_upload_size=limit_mb)
    with st.expander("Or paste an article"):
        pasted_name = st.text_input("Name (a label only)", value="pasted.txt", key=W_PASTE_NAME)
        pasted = st.text_area("Text", height=200, key=W_PASTE_TEXT,
                              placeholder="Headline on the first line, then the story.")
    return collect_documents(uploads, pasted_name, pasted)


def ingest_button(documents: Sequence[tuple[str, bytes]]) -> None:
    """The Ingest button: ingests ``documents`` and keeps their rows for :func:`ingest_results`."""
    # Never disabled: text typed in the box is only committed when the box loses focus,
    # which is the same click that presses this button.
    if st.button("Ingest", type="primary"):
        if documents:
            st.session_state[SS_INGEST_RESULTS] = ingest_documents(documents)
        else:
            st.warning("Choose files or paste an article first.")


def ingest_totals(results: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    """New articles, events, and documents with errors over :func:`ingest_documents`' rows."""
    return {
        "new": sum(r["new"] for r in results),
        "events": sum(r["events"] for r in results),
        "failed": sum(1 for r in results if r["errors"]),
    }


def ingest_results() -> None:
    """The last ingest's totals, its per-file rows, and a link to the map (nothing before the first ingest)."""
    results = st.session_state.get(SS_INGEST_RESULTS)
    if not results:
        return
    totals = ingest_totals(results)
    if totals["new"]:
        st.success(f"{totals['new']} new article(s), {totals['events']} event(s).")
    else:
        st.info("No new article.")
    if totals["failed"]:
        st.warning(f"{totals['failed']} document(s) had errors; see the table.")
    st.dataframe(results, hide_index=True, width="stretch")
    link_to_map("Show them on the map")
