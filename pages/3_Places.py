"""Places: every resolved place with its mentions; correct a wrong one (applied at once, kept for later ingests)."""
from __future__ import annotations

import streamlit as st

from conflictmap.ui import app as ui

ui.page_setup("Places")
db_url = ui.settings().db_url

st.title("Places")
flash = st.session_state.pop("cm_places_flash", None)
if flash:
    st.success(flash)
query = st.text_input("Search places and the names articles used", key="cm_w_place_search")
rows = ui.places(db_url, query)
st.dataframe(
    ui.table_rows(rows, ["name", "country_code", "feature", "mentions", "events", "surfaces", "corrected", "lat", "lon"]),
    hide_index=True, width="stretch",
)
if not rows:
    st.info("No place matches this search.")
    ui.footer()
    st.stop()

st.subheader("Correct a place")
by_id = {row["place_id"]: row for row in rows}
place_id = st.selectbox(
    "Place resolved wrongly", list(by_id), key="cm_w_fix_place",
    format_func=lambda pid: f"{by_id[pid]['name']} ({by_id[pid]['country_code'] or '?'}) \u00b7 "
                            f"{by_id[pid]['mentions']} mention(s)",
)
current = by_id[place_id]
surface = st.selectbox("Name as written in the articles", current["surfaces"], key="cm_w_fix_surface")
source = st.radio("Move it to", ["a place already on the map", "a place from the gazetteer"],
                  horizontal=True, key="cm_w_fix_source")
if source == "a place already on the map":
    targets = [row for row in ui.places(db_url, "") if row["place_id"] != place_id]
else:
    text = st.text_input("Search the gazetteer", value=surface or "", key="cm_w_fix_gazetteer")
    targets = ui.gazetteer_search(text)
options = {row["place_id"]: row for row in targets}
target_id = st.selectbox(
    "Correct place", list(options), key="cm_w_fix_target", index=None, placeholder="Choose a place",
    format_func=lambda pid: f"{options[pid]['name']} ({options[pid]['country_code'] or '?'}, "
                            f"{options[pid]['feature']}) {options[pid]['lat']:.3f}, {options[pid]['lon']:.3f}",
)
if st.button("Apply correction", type="primary", disabled=not (surface and target_id)):
    moved = ui.apply_correction(surface, options[target_id])
    name, place = ui.markup.escape_markdown(surface), ui.markup.escape_markdown(options[target_id]["name"])
    st.session_state["cm_places_flash"] = (
        f"\u201c{name}\u201d now resolves to {place}: {moved} event(s) moved. Later ingests apply the same fix."
    )
    st.rerun()
with st.expander("Corrections stored"):
    st.dataframe(ui.table_rows(ui.corrections(db_url), ["created_at", "surface", "place", "country_code", "article_id"]),
                 hide_index=True, width="stretch")
ui.footer()
