"""The map's layers as pure functions of the rows they are given: the first view, the density-cell
size, the filter keys the browser narrows on, and when rows already sent still answer a filter."""
from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

from conflictmap.model import EventFilter
from conflictmap.render.layers import (
    MAP_MAX_CELLS,
    WORLD_BOUNDS,
    cells_bounds,
    covers,
    day_number,
    event_layer_data,
    event_rows,
    fit_density_cells,
    initial_bounds,
    reference_rows,
    sent_filter,
    view_filter,
)

CELLS = [{"lat": 33.5, "lon": 36.3, "events": 4}, {"lat": 35.9, "lon": 36.6, "events": 2},
         {"lat": 34.4, "lon": 40.1, "events": 1}]


def test_cells_bounds_frame_the_cells_without_padding() -> None:
    assert cells_bounds(CELLS) == [[33.5, 36.3], [35.9, 40.1]]
    assert cells_bounds([]) is None


def test_initial_bounds_prefer_points_then_cells_then_the_world() -> None:
    points = [[1.0, 2.0], [3.0, 4.0]]
    assert initial_bounds(points, CELLS) == points
    assert initial_bounds(None, CELLS) == [[33.5, 36.3], [35.9, 40.1]]
    world = initial_bounds(None, [])
    assert world == [[-50.0, -150.0], [70.0, 150.0]] == [list(c) for c in WORLD_BOUNDS]
    world.append([0.0, 0.0])  # a fresh list each time: the caller may keep it in session state
    assert initial_bounds(None, None) == [[-50.0, -150.0], [70.0, 150.0]]


def _grid(cells_at_quarter_degree: int) -> tuple[list[float], object]:
    """A fake ``grid_counts``: each doubling of the cell size quarters the number of cells."""
    asked: list[float] = []

    def grid_counts(cell: float) -> list[dict]:
        asked.append(cell)
        n = max(1, int(cells_at_quarter_degree / (cell / 0.25) ** 2))
        return [{"lat": 0.0, "lon": 0.0, "events": 1}] * n

    return asked, grid_counts


def test_density_cells_keep_the_finest_grid_that_fits() -> None:
    asked, grid_counts = _grid(100)
    assert fit_density_cells(grid_counts) == (0.25, grid_counts(0.25))
    assert asked[0] == 0.25 and len(asked) == 2  # one query, plus the one in the assertion

    asked, grid_counts = _grid(40_000)  # 40,000 -> 10,000 -> 2,500 cells
    cell, cells = fit_density_cells(grid_counts)
    assert (cell, len(cells)) == (1.0, 2_500) and len(cells) <= MAP_MAX_CELLS
    assert asked == [0.25, 0.5, 1.0]


def test_density_cells_stop_at_sixteen_degrees() -> None:
    asked, grid_counts = _grid(100_000)  # still 24 cells at 16 degrees
    cell, cells = fit_density_cells(grid_counts, max_cells=10)
    assert cell == 16.0 and len(cells) > 10
    assert asked == [0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0]


# What the browser filters in place (``view_filter``) and when the rows it holds still answer a filter (``covers``).
D1, D2, D3 = date(2017, 10, 1), date(2017, 10, 15), date(2017, 11, 1)


def test_day_numbers_count_from_the_browser_epoch() -> None:
    assert day_number(date(1970, 1, 1)) == 0 and day_number(date(1970, 1, 2)) == 1
    assert day_number(date(2017, 10, 1)) == 17440
    assert day_number(None) is None and day_number("2017-10-01") is None


def test_sent_filter_frees_what_the_browser_can_narrow() -> None:
    flt = EventFilter(date_from=D1, date_to=D3, event_types=("Battles",), actors=("IS",), countries=("SY",),
                      text="raqqa", min_fatalities=5, max_geo_precision=1, max_time_precision=2)
    assert sent_filter(flt) == EventFilter(date_from=D1, date_to=D3, actors=("IS",), countries=("SY",), text="raqqa")
    assert covers(sent_filter(flt), flt)


def test_covers_only_narrower_views_of_the_same_rows() -> None:
    sent = EventFilter(date_from=D1, date_to=D3, countries=("SY",))
    assert covers(sent, sent)
    assert covers(sent, replace(sent, date_from=D2, event_types=("Riots",), min_fatalities=1, max_geo_precision=2))
    assert not covers(sent, replace(sent, date_from=date(2017, 9, 30)))  # the period grew
    assert not covers(sent, replace(sent, date_to=None))  # open-ended is wider than any end
    assert not covers(sent, replace(sent, countries=("IQ",)))  # other rows
    assert not covers(sent, replace(sent, actors=("IS",)))  # actors select rows, never narrowed in place
    assert not covers(sent, replace(sent, admin1=("Idlib",)))  # so do first-level units
    assert not covers(replace(sent, admin1=("Idlib",)), sent)
    assert not covers(sent, replace(sent, text="idlib"))
    assert covers(replace(sent, text="idlib "), replace(sent, text=" idlib"))  # the store strips the search
    typed = replace(sent, event_types=("Battles", "Riots"))
    assert covers(typed, replace(typed, event_types=("Riots",)))
    assert not covers(typed, replace(typed, event_types=()))  # all types is wider than two
    assert not covers(replace(sent, min_fatalities=3), replace(sent, min_fatalities=1))
    assert not covers(replace(sent, max_time_precision=1), sent)
    assert covers(EventFilter(), EventFilter(date_from=D2, date_to=D3, event_types=("Battles",)))


def test_view_filter_speaks_the_keys_of_the_layer() -> None:
    assert view_filter(EventFilter()) == {"day": [None, None], "type": None, "geo": None, "time": None,
                                          "deaths": None}
    view = view_filter(EventFilter(date_from=D1, date_to=D3, event_types=("Riots", "Battles", "Nowhere"),
                                   min_fatalities=2, max_geo_precision=1, max_time_precision=2),
                       ("Battles", "Protests", "Riots"))
    assert view == {"day": [17440, 17471], "type": [0, 2], "geo": 1, "time": 2, "deaths": 2}
    # A type the layer holds no row of matches nothing, not everything.
    assert view_filter(EventFilter(event_types=("Riots",)), ("Battles",))["type"] == []


def test_event_rows_carry_one_key_column_per_filter() -> None:
    base = {"lat": 1.0, "lon": 2.0, "event_id": "a", "place": "X", "title": "t", "url": None}
    rows = [
        {**base, "event_type": "Riots", "event_date": D2, "geo_precision": 2, "time_precision": 1,
         "fatalities_best": 4},
        {**base, "event_type": None, "event_date": None, "geo_precision": None, "time_precision": 3,
         "fatalities_best": None},
        {**base, "lat": None, "event_type": "Battles"},  # no point: no row and no key
        {**base, "event_type": "Battles", "event_date": D3, "geo_precision": 1, "time_precision": 2,
         "fatalities_best": 0},
    ]
    tables = event_rows(rows)
    assert len(tables["rows"]) == 3
    assert tables["type_keys"] == ["Riots", "Battles"]
    assert tables["keys"] == {"day": [day_number(D2), None, day_number(D3)], "type": [0, None, 1],
                              "geo": [2, None, 1], "time": [1, 3, 2], "deaths": [4, 0, 0]}
    data = event_layer_data(rows)
    assert data.type_keys == ("Riots", "Battles") and json.loads(data.keys) == tables["keys"]
    assert json.loads(data.payload())["rows"] == json.loads(data.rows)


def test_reference_rows_carry_day_and_death_keys() -> None:
    tables = reference_rows([{"lat": 1.0, "lon": 2.0, "event_date": D1, "deaths_best": 7},
                             {"lat": 1.0, "lon": 2.0, "event_date": D3, "deaths_best": None}])
    assert tables["keys"] == {"day": [day_number(D1), day_number(D3)], "deaths": [7, 0]}
