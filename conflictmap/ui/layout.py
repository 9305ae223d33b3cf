"""What every page shares: page setup, navigation, the metrics row, escaped HTML, tables, credits.

HTML reaches the page only through :func:`safe_html`, built by
``conflictmap.render.html`` (article text already escaped); tables go through
:func:`table_rows`, so only http(s) links reach a link column.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import streamlit as st

from conflictmap.render import html
from conflictmap.ui.actions import ensure_store
from conflictmap.ui.resources import vendor_assets

PAGE_CSS = """
.cm-html mark.cm-place, .cm-html mark.cm-mention { background: #ffe08a; padding: 0 2px; }
.cm-html mark.cm-corrected { background: #b8e3c4; padding: 0 2px; }
.cm-html span.cm-event { background: #fde4dc; border-bottom: 2px solid #d55e00; }
.cm-html .cm-nolink { color: #6b7280; word-break: break-all; }
.cm-html .cm-body { white-space: pre-wrap; line-height: 1.6; max-width: 60rem; }
.cm-html blockquote { margin: 0.4rem 0; padding-left: 0.8rem; border-left: 3px solid #d0d4d9; }
"""
CREDITS = (
    "Places: Who's On First (CC0) and GeoNames (CC BY 4.0). Reference layer: UCDP GED 19.1 (CC BY 4.0), Sundberg & "
    "Melander 2013; Högbladh 2019. Country outlines: Natural Earth (public domain). Map: Leaflet."
)

#: The pages after the map: file (relative to dashboard.py), navigation label, URL path.
PAGES = (
    ("pages/1_Timeline.py", "Timeline", "Timeline"),
    ("pages/2_Articles.py", "Articles", "Articles"),
    ("pages/3_Places.py", "Places", "Places"),
    ("pages/4_Ingest.py", "Ingest", "Ingest"),
    ("pages/5_Export.py", "Export", "Export"),
    ("pages/6_Feeds.py", "Feeds", "Feeds"),
    ("pages/7_Alerts.py", "Alerts", "Alerts"),
)
_MAP_PAGE: list[Any] = []
#: Pages that write to the store; a read-only dashboard leaves them out.
WRITING_PAGES = frozenset({"Ingest"})


def navigation(map_view: Callable[[], None]) -> Any:
    """The app's navigation: the map first, labelled "Map", then ``PAGES``; returns the page to run.

    Without it Streamlit labels the entry page after its file name ("dashboard").
    """
    from conflictmap.ui.resources import settings

    map_page = st.Page(map_view, title="Map", default=True)
    _MAP_PAGE[:] = [map_page]
    shown = visible_pages(settings().read_only)
    return st.navigation([map_page, *(st.Page(path, title=title, url_path=url) for path, title, url in shown)])


def visible_pages(read_only: bool) -> list[tuple[str, str, str]]:
    """``PAGES`` as the navigation lists them: a read-only dashboard has no page that writes."""
    return [p for p in PAGES if not (read_only and p[1] in WRITING_PAGES)]


def link_to_map(label: str) -> None:
    """A link to the map page (kept from this run's navigation)."""
    st.page_link(_MAP_PAGE[0] if _MAP_PAGE else "dashboard.py", label=label)


def page_setup(title: str, heading: str | None = None) -> None:
    """Page config, local map assets, a store that is never empty, and the page's heading.

    Parameters
    ----------
    title : str
        The page's name in the browser tab ("<title> | ConflictMap").
    heading : str, optional
        The heading drawn on the page; ``title`` when omitted.
    """
    # No page_icon: a Material icon there is fetched from a font CDN, and the app must work offline.
    st.set_page_config(page_title=f"{title} | ConflictMap", layout="wide")
    require_login()
    vendor_assets()
    st.html(f"<style>{PAGE_CSS}</style>")
    ensure_store()
    st.title(heading or title)


def login_configured() -> bool:
    """Whether ``.streamlit/secrets.toml`` sets up Streamlit's OpenID Connect login (an ``[auth]`` table)."""
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 (no secrets file at all: Streamlit raises its own error type)
        return False


def require_login() -> None:
    """With a login configured, every page asks for it first; corrections then name the user.

    Without one the dashboard is open to whoever reaches it (it listens on 127.0.0.1 unless told
    otherwise; see the README on sharing it).
    """
    if not login_configured() or st.user.get("is_logged_in", False):
        return
    st.title("ConflictMap")
    st.info("This dashboard asks you to log in first.")
    st.button("Log in", on_click=st.login, type="primary")
    st.stop()


def footer() -> None:
    """Data credits required by the licences."""
    st.divider()
    st.caption(CREDITS)


#: The metrics row: label, ``Store.summary`` key, help text.
_METRICS = (
    ("Events", "events", "Incidents matching the filters; reports of one incident by several articles count once."),
    ("Reports", "reports", "Article reports behind these events: an incident three articles reported counts three."),
    ("Places", "places", "Distinct resolved places with at least one matching event."),
    ("Fatalities", "fatalities", "Sum of each event's best fatality estimate (events without a figure add none)."),
)


def metrics_row(counts: Mapping[str, int]) -> None:
    """Events, reports, places and fatalities in view."""
    for col, (label, key, help_text) in zip(st.columns(len(_METRICS)), _METRICS, strict=True):
        col.metric(label, f"{counts.get(key, 0):,}", help=help_text)


def safe_html(body: str) -> None:
    """Show HTML built with ``conflictmap.render.html`` (all article text in it already escaped)."""
    st.html(f'<div class="cm-html">{body}</div>')


# Tables: plain text only.
def link_column(label: str = "Source") -> Any:
    """A link column; only http(s) URLs reach it (see :func:`table_rows`)."""
    return st.column_config.LinkColumn(label, display_text="open")


#: Columns of text: a missing value is an empty cell (numbers stay missing, not zero).
_TEXT_COLUMNS = frozenset({"title", "agency", "dateline", "surface", "place", "country_code", "feature",
                           "resolved_by", "event_type", "actors", "excerpt"})


def table_rows(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> list[dict[str, Any]]:
    """Rows for ``st.dataframe``: chosen columns, lists joined, unsafe URLs blanked.

    ``st.dataframe`` shows cells as text, so titles and excerpts cannot run;
    only the link column could, hence :func:`conflictmap.render.html.safe_url`.
    """
    out = []
    for row in rows:
        item: dict[str, Any] = {}
        for col in columns:
            value = row.get(col)
            if col == "url":
                value = html.safe_url(value) or ""  # no link: an empty cell, not "None"
            elif isinstance(value, (list, tuple)):
                value = ", ".join(str(v) for v in value)
            elif value is None and col in _TEXT_COLUMNS:
                value = ""
            item[col] = value
        out.append(item)
    return out
