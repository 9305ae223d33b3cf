"""Ingest: upload article files or paste text; per-file results and errors."""
from __future__ import annotations

import streamlit as st

from conflictmap.ui import app as ui

ui.page_setup("Ingest")
limit_mb = max(1, ui.settings().max_upload_bytes // (1024 * 1024))

st.title("Ingest articles")
st.caption(
    "Plain-text pages, HTML pages, JSONL exports and RSS/Atom feeds. Each file is read on its own: "
    f"a file that cannot be used is reported below and never stops the others. Limit {limit_mb} MB per file."
)
uploads = st.file_uploader(
    "Article files", accept_multiple_files=True, key="cm_w_uploads", max_upload_size=limit_mb,
)
with st.expander("Or paste an article"):
    pasted_name = st.text_input("Name (a label only)", value="pasted.txt", key="cm_w_paste_name")
    pasted = st.text_area("Text", height=200, key="cm_w_paste_text",
                          placeholder="Headline on the first line, then the story.")

documents = [(f.name, f.getvalue()) for f in uploads or []]
if pasted and pasted.strip():
    documents.append((pasted_name.strip() or "pasted.txt", pasted.encode("utf-8")))

# Never disabled: text typed in the box is only committed when the box loses focus,
# which is the same click that presses this button.
if st.button("Ingest", type="primary"):
    if documents:
        st.session_state["cm_ingest_results"] = ui.ingest_documents(documents)
    else:
        st.warning("Choose files or paste an article first.")

results = st.session_state.get("cm_ingest_results")
if results:
    new = sum(r["new"] for r in results)
    events = sum(r["events"] for r in results)
    failed = sum(1 for r in results if r["errors"])
    if new:
        st.success(f"{new} new article(s), {events} event(s).")
    else:
        st.info("No new article.")
    if failed:
        st.warning(f"{failed} document(s) had errors; see the table.")
    st.dataframe(results, hide_index=True, width="stretch")
    ui.link_to_map("Show them on the map")
ui.footer()
