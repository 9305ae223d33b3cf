"""The map's first view and the density-cell size: pure functions of the rows they are given."""
from __future__ import annotations

from conflictmap.render.layers import MAP_MAX_CELLS, WORLD_BOUNDS, cells_bounds, fit_density_cells, initial_bounds

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
