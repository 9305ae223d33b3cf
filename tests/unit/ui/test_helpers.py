"""The ui helpers that shape rows and text for the pages (no Streamlit run needed)."""
from __future__ import annotations

from dataclasses import dataclass

from conflictmap.ui.ingest import collect_documents, ingest_totals
from conflictmap.ui.layout import table_rows
from conflictmap.ui.places import correction_notice, place_label, target_label

ROW = {"place_id": "gn:170592", "place": "Douma", "country_code": "SY", "feature": "city", "lat": 33.5722,
       "lon": 36.4019, "mentions": 2, "surfaces": ["Douma", "Duma"], "url": "javascript:alert(1)"}


def test_table_rows_pick_columns_join_lists_and_blank_unsafe_links() -> None:
    assert table_rows([ROW], ["place", "surfaces", "url", "missing"]) == [
        {"place": "Douma", "surfaces": "Douma, Duma", "url": None, "missing": None}]
    assert table_rows([{**ROW, "url": "https://x.example/a"}], ["url"]) == [{"url": "https://x.example/a"}]


def test_place_labels_and_the_correction_notice() -> None:
    assert place_label(ROW) == "Douma (SY) \u00b7 2 mention(s)"
    assert target_label({**ROW, "country_code": ""}) == "Douma (?, city) 33.572, 36.402"
    notice = correction_notice("[Idlib](javascript:x)", ROW, 3)
    assert notice == ("\u201c\\[Idlib\\]\\(javascript\\:x\\)\u201d now resolves to Douma: 3 event(s) moved. "
                      "Later ingests apply the same fix.")


@dataclass
class _Upload:
    name: str
    data: bytes

    def getvalue(self) -> bytes:
        return self.data


def test_documents_are_the_uploads_then_pasted_text() -> None:
    uploads = [_Upload("a.txt", b"A"), _Upload("b.html", b"<p>B</p>")]
    assert collect_documents(uploads, "x.txt", "  ") == [("a.txt", b"A"), ("b.html", b"<p>B</p>")]
    assert collect_documents(None, "  ", "Story \u00e9") == [("pasted.txt", "Story \u00e9".encode())]


def test_ingest_totals_count_new_articles_events_and_failed_documents() -> None:
    rows = [{"new": 2, "events": 3, "errors": ""}, {"new": 0, "events": 0, "errors": "the file is empty"},
            {"new": 1, "events": 1, "errors": "one item: not a text file"}]
    assert ingest_totals(rows) == {"new": 3, "events": 4, "failed": 2}
