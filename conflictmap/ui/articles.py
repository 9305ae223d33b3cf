"""The Articles page's pieces: the search, choosing an article (also by link), reading it with its marks.

An article arrives by ``?article=<id>`` from the map's "Read this article"
links, even when the search in force does not list it. Its title, source line
and body are escaped by ``conflictmap.render.html``; places and event
sentences are marked there. Under them a table says why each sentence became
an event (the cue, the sides, the death toll and the words it was read from);
``st.dataframe`` shows its cells as text.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st

from conflictmap.model import ACTOR_TYPES
from conflictmap.render import html
from conflictmap.ui.layout import link_column, safe_html, table_rows
from conflictmap.ui.queries import article, articles
from conflictmap.ui.state import QP_ARTICLE, W_ARTICLE_PICK, W_ARTICLE_SEARCH

#: The columns of the article list, of an article's places and of its events.
LIST_COLUMNS = ["published", "title", "agency", "dateline", "events", "mentions", "url"]
PLACE_COLUMNS = ["surface", "place", "country_code", "feature", "score", "resolved_by"]
EVENT_COLUMNS = ["event_date", "event_type", "place", "fatalities_best", "actors"]
#: The columns of the "why an event" table (:func:`evidence_rows`) with their headings and help.
EVIDENCE_COLUMNS = {
    "event_type": ("Event type", "ACLED event type."),
    "cue": ("Cue", "The words that made the sentence an event of this type."),
    "sides": ("Actor 1 \u2192 actor 2", "The side that acted and the side acted upon, as ACLED's roles."),
    "deaths": ("Deaths", "Best estimate of the dead, with the range the text gives."),
    "deaths_phrase": ("Death toll from", "The words the fatality figures were read from."),
    "interaction": ("Interaction", "ACLED's code of the two sides' types, lower digit first; 0: a side alone."),
    "civilian_targeting": ("Civilians targeted", "The violence was aimed at civilians."),
    "sentence": ("Sentence", "The sentence the event was read from."),
}
#: Widths of the evidence columns: the reasons stay in view, the sentence takes the rest.
_EVIDENCE_WIDTHS = {"event_type": "medium", "cue": "small", "sides": "medium", "deaths": "small",
                    "deaths_phrase": "medium", "interaction": "small", "civilian_targeting": "small",
                    "sentence": "large"}


def article_search(db_url: str) -> list[dict[str, Any]]:
    """The search box and the list of matching articles (at most 200); returns the list."""
    query = st.text_input("Search titles and text", key=W_ARTICLE_SEARCH)
    found = articles(db_url, query)
    st.caption(f"{len(found)} article(s){' (first 200)' if len(found) >= 200 else ''}")
    st.dataframe(table_rows(found, LIST_COLUMNS), hide_index=True, width="stretch",
                 column_config={"url": link_column()})
    return found


def article_reader(db_url: str, found: Sequence[Mapping[str, Any]]) -> None:
    """The chosen article (:func:`article_picker`), its places and events side by side, why each is an event."""
    chosen = article_picker(db_url, found)
    doc = article(db_url, chosen) if chosen else None
    if doc is None:
        if not chosen:
            st.info("No article matches this search.")
        return
    article_view(doc)
    left, right = st.columns(2)
    with left:
        st.subheader(f"Places ({len(doc['mentions'])})")
        st.dataframe(table_rows(doc["mentions"], PLACE_COLUMNS), hide_index=True, width="stretch")
    with right:
        st.subheader(f"Events ({len(doc['events'])})")
        st.dataframe(table_rows(doc["events"], EVENT_COLUMNS), hide_index=True, width="stretch")
    if doc["events"]:
        event_evidence(doc["events"])


def event_evidence(events: Sequence[Mapping[str, Any]]) -> None:
    """The table of why each event sentence is an event (:func:`evidence_rows`)."""
    st.subheader("Why each sentence is an event")
    st.caption("Empty cells: the text named none, or the event was stored before these were recorded. "
               "An incident several articles reported keeps its first report's sentence and figures.")
    config = {
        key: (st.column_config.CheckboxColumn if key == "civilian_targeting" else st.column_config.Column)(
            label, help=help_text, width=_EVIDENCE_WIDTHS[key])
        for key, (label, help_text) in EVIDENCE_COLUMNS.items()
    }
    st.dataframe(evidence_rows(events), hide_index=True, width="stretch", column_config=config)


def interaction_label(code: int | None) -> str:
    """ACLED's interaction code with the actor types its digits name.

    >>> interaction_label(17), interaction_label(60), interaction_label(None)
    ('17: State forces vs. Civilians', '60: Protesters alone', '')
    """
    if code is None:
        return ""
    first, second = divmod(int(code), 10)
    if first not in ACTOR_TYPES or (second and second not in ACTOR_TYPES):
        return f"{code}: unknown actor types"
    if not second:
        return f"{code}: {ACTOR_TYPES[first]} alone"
    return f"{code}: {ACTOR_TYPES[first]} vs. {ACTOR_TYPES[second]}"


def sides_label(actor1: str | None, actor2: str | None) -> str:
    """``"actor1 \u2192 actor2"``, one side alone, or "" when the text names neither."""
    if actor1 and actor2:
        return f"{actor1} \u2192 {actor2}"
    if actor2:
        return f"(unnamed) \u2192 {actor2}"
    return actor1 or ""


def evidence_rows(events: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One row per event (``Store.article_events`` rows) with the keys of ``EVIDENCE_COLUMNS``, plain values."""
    return [
        {
            "event_type": " / ".join(t for t in (ev.get("event_type"), ev.get("sub_event_type")) if t),
            "cue": ev.get("cue") or "",
            "sides": sides_label(ev.get("actor1"), ev.get("actor2")),
            "deaths": html.fatalities_label(ev.get("fatalities_best"), ev.get("fatalities_low"),
                                            ev.get("fatalities_high")),
            "deaths_phrase": ev.get("deaths_phrase") or "",
            "interaction": interaction_label(ev.get("interaction")),
            "civilian_targeting": bool(ev.get("civilian_targeting")),
            "sentence": ev.get("excerpt") or "",
        }
        for ev in events
    ]


def _title(row: Mapping[str, Any]) -> str:
    return f"{row['published'] or 'undated'} \u00b7 {row['title']}"


def article_picker(db_url: str, found: Sequence[Mapping[str, Any]]) -> str | None:
    """The "Read" choice over ``found`` (``Store.list_articles`` rows) and the linked article; its id."""
    ids = [row["article_id"] for row in found]
    titles = {row["article_id"]: _title(row) for row in found}
    wanted = st.query_params.get(QP_ARTICLE)
    if wanted and wanted not in titles:
        extra = article(db_url, wanted)
        if extra is not None:
            ids.insert(0, wanted)
            titles[wanted] = _title(extra)
    return st.selectbox(
        "Read", ids, index=ids.index(wanted) if wanted in ids else (0 if ids else None),
        format_func=titles.get, key=W_ARTICLE_PICK,
    )


def article_view(doc: Mapping[str, Any]) -> None:
    """An article: escaped title and source line, its body with places and event sentences marked, ingest notes."""
    esc = html.escape_text
    source = doc.get("agency") or doc.get("publisher") or "unknown source"
    safe_html(
        f"<h3>{esc(doc['title'])}</h3>"
        f"<p>{esc(doc.get('published') or 'undated')} \u00b7 {esc(source)} \u00b7 "
        f"{esc(doc.get('dateline') or 'no dateline')} \u00b7 {html.link_html(doc.get('url'))}</p>"
        "<p><mark class='cm-mention'>place</mark> <mark class='cm-corrected'>corrected place</mark> "
        "<span class='cm-event'>event sentence</span></p>"
        f"<div class='cm-body'>{html.highlight_article(doc['body'], doc['mentions'], doc['events'])}</div>"
    )
    for warning in doc.get("warnings") or []:
        st.text(f"Ingest note: {warning}")
