"""Articles: search the stored articles and read one with its places and events highlighted."""
from __future__ import annotations

import streamlit as st

from conflictmap.ui import app as ui

ui.page_setup("Articles")
db_url = ui.settings().db_url

st.title("Articles")
query = st.text_input("Search titles and text", key="cm_w_article_search")
found = ui.articles(db_url, query)
st.caption(f"{len(found)} article(s){' (first 200)' if len(found) >= 200 else ''}")
st.dataframe(
    ui.table_rows(found, ["published", "title", "agency", "dateline", "events", "mentions", "url"]),
    hide_index=True, width="stretch", column_config={"url": ui.link_column()},
)

ids = [row["article_id"] for row in found]
titles = {row["article_id"]: f"{row['published'] or 'undated'} \u00b7 {row['title']}" for row in found}
wanted = st.query_params.get(ui.QP_ARTICLE)
if wanted and wanted not in titles:
    extra = ui.article(db_url, wanted)
    if extra is not None:
        ids.insert(0, wanted)
        titles[wanted] = f"{extra['published'] or 'undated'} \u00b7 {extra['title']}"
chosen = st.selectbox(
    "Read", ids, index=ids.index(wanted) if wanted in ids else (0 if ids else None),
    format_func=titles.get, key="cm_w_article_pick",
)
doc = ui.article(db_url, chosen) if chosen else None
if doc is not None:
    ui.article_view(doc)
    for warning in doc.get("warnings") or []:
        st.text(f"Ingest note: {warning}")
    left, right = st.columns(2)
    with left:
        st.subheader(f"Places ({len(doc['mentions'])})")
        st.dataframe(
            ui.table_rows(doc["mentions"], ["surface", "place", "country_code", "feature", "score", "resolved_by"]),
            hide_index=True, width="stretch",
        )
    with right:
        st.subheader(f"Events ({len(doc['events'])})")
        st.dataframe(
            ui.table_rows(doc["events"], ["event_date", "event_type", "place", "fatalities_best", "actors"]),
            hide_index=True, width="stretch",
        )
elif not ids:
    st.info("No article matches this search.")
ui.footer()
