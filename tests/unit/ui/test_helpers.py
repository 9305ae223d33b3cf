"""The ui helpers that shape rows and text for the pages (no Streamlit run needed)."""
from __future__ import annotations

from dataclasses import dataclass

from conflictmap.model import ACTOR_TYPES
from conflictmap.ui.articles import EVIDENCE_COLUMNS, evidence_rows, interaction_label, sides_label
from conflictmap.ui.ingest import collect_documents, ingest_totals
from conflictmap.ui.layout import table_rows
from conflictmap.ui.places import correction_notice, place_label, target_label

ROW = {"place_id": "gn:170592", "place": "Douma", "country_code": "SY", "feature": "city", "lat": 33.5722,
       "lon": 36.4019, "mentions": 2, "surfaces": ["Douma", "Duma"], "url": "javascript:alert(1)"}


def test_table_rows_pick_columns_join_lists_and_blank_unsafe_links() -> None:
    assert table_rows([ROW], ["place", "surfaces", "url", "missing"]) == [
        {"place": "Douma", "surfaces": "Douma, Duma", "url": "", "missing": None}]
    # Missing text is an empty cell, never the word "None"; a missing number stays missing.
    assert table_rows([{"title": None, "url": None, "events": None}], ["title", "url", "events"]) == [
        {"title": "", "url": "", "events": None}]
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


def test_interaction_codes_name_their_actor_types() -> None:
    assert interaction_label(17) == "17: State forces vs. Civilians"
    assert interaction_label(60) == "60: Protesters alone"
    assert interaction_label(88) == "88: External/Other forces vs. External/Other forces"
    assert interaction_label(None) == ""
    for code in (90, 19, 5):  # digits ACLED does not define
        assert interaction_label(code) == f"{code}: unknown actor types"
    assert all(interaction_label(d * 10).endswith(f"{name} alone") for d, name in ACTOR_TYPES.items())


def test_sides_read_actor1_to_actor2() -> None:
    assert sides_label("Police", "Protesters") == "Police \u2192 Protesters"
    assert sides_label("Police", "") == "Police"
    assert sides_label("", "Civilians") == "(unnamed) \u2192 Civilians"
    assert sides_label("", None) == ""


def test_evidence_rows_say_why_each_sentence_is_an_event() -> None:
    event = {"excerpt": "Police fired on protesters, killing 4.", "event_type": "Protests",
             "sub_event_type": "Excessive force against protesters", "cue": "fired on protesters",
             "actor1": "Police", "actor2": "Protesters", "interaction": 16, "civilian_targeting": False,
             "deaths_phrase": "killing 4", "fatalities_best": 4, "fatalities_low": 4, "fatalities_high": 5}
    old = {"excerpt": "Clashes in Idlib.", "event_type": "Battles", "sub_event_type": ""}  # stored before these
    rows = evidence_rows([event, old])
    assert all(list(r) == list(EVIDENCE_COLUMNS) for r in rows)
    assert rows[0] == {
        "sentence": "Police fired on protesters, killing 4.",
        "event_type": "Protests / Excessive force against protesters", "cue": "fired on protesters",
        "sides": "Police \u2192 Protesters", "interaction": "16: State forces vs. Protesters",
        "civilian_targeting": False, "deaths_phrase": "killing 4", "deaths": "4 (4\u20135)"}
    # Nothing stored: empty cells and "not reported", never a literal None.
    assert rows[1] == {"sentence": "Clashes in Idlib.", "event_type": "Battles", "cue": "", "sides": "",
                       "interaction": "", "civilian_targeting": False, "deaths_phrase": "",
                       "deaths": "not reported"}
    assert list(EVIDENCE_COLUMNS)[-1] == "sentence"  # the reasons come first, in view
