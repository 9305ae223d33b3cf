"""Build rules of the full index, on small inputs: alternate names and the points of admin units."""
from __future__ import annotations

from shapely.geometry import box

from conflictmap.geo.build.admin_points import admin_point, hull_centre, settled
from conflictmap.geo.build.geonames import city_alternates


def test_city_alternates_keep_names_people_write() -> None:
    # Big place: codes and lower-case machine transliterations go, names stay.
    alts = ["Al-Maghar", "maʻa'ʼr", "MGH", "Mughar", "Boons"]
    assert city_alternates("Magh\u0101r", 22957, alts, frozenset({"boons"})) == ["Al-Maghar", "Mughar"]
    # Small place with a transliterated name: only spellings of that same name.
    small = ["At Tamani`ah", "Tamana", "Tamanaa", "Gebelli", "tamana"]
    assert city_alternates("At Tam\u0101ni\u2018ah", 0, small, frozenset()) == ["At Tamani`ah", "Tamana", "Tamanaa"]
    # Small place with a plain name: its alternates are namesakes ("Jamison" for Jemison).
    assert city_alternates("Jemison", 2619, ["Jamison", "Bristol"], frozenset()) == []


def test_hull_centre_is_the_middle_of_the_settled_outline() -> None:
    # A square of towns with a cluster in one corner: the hull centroid stays in
    # the middle of the square (the mean would drift to the cluster).
    square = [(0.0, 0.0), (0.0, 4.0), (4.0, 0.0), (4.0, 4.0)] + [(0.1 * k, 0.1 * k) for k in range(1, 10)]
    lat, lon = hull_centre(square)
    assert abs(lat - 2.0) < 0.01 and abs(lon - 2.0) < 0.01
    # Fewer than five members: their mean; a flat hull (all on one line): the mean too.
    assert hull_centre([(1.0, 1.0), (3.0, 3.0)]) == (2.0, 2.0)
    assert hull_centre([(0.0, float(k)) for k in range(6)]) == (0.0, 2.5)


def test_an_admin_point_off_its_land_falls_back_to_where_people_live() -> None:
    # A mainland city region (lat 35-36, lon 139-140) and a chain of small islands
    # running 300 km south into the sea, each within reach of the next.
    mainland = [(35.0 + 0.2 * k, 139.0 + 0.2 * j, 500_000) for k in range(6) for j in range(6)]
    chain = [(34.5 - 0.6 * k, 139.5 + 0.3 * k, 5_000) for k in range(6)]
    land = box(138.5, 34.5, 140.5, 36.5)  # the mainland only (lon/lat box)
    lat, lon = admin_point(mainland + chain, land)
    assert 35.0 <= lat <= 36.0 and 139.0 <= lon <= 140.0
    # On land, the hull centre stands; with no outline known, too.
    assert admin_point(mainland, land) == admin_point(mainland, None)


def test_isolated_members_are_taken_for_mis_coded_places() -> None:
    # A province of towns between 32 and 35 N, 118 and 121 E, and one town
    # filed under it 1,800 km away: the far one is dropped, the point stays home.
    towns = [(32.0 + 0.5 * i, 118.0 + 0.5 * j) for i in range(7) for j in range(7)]
    far = (29.0, 100.3)
    kept = settled(towns + [far])
    assert far not in kept and len(kept) == len(towns)
    lat, lon = hull_centre(kept)
    assert abs(lat - 33.5) < 0.01 and abs(lon - 119.5) < 0.01
    # A thinly settled unit whose towns are all far apart keeps them all.
    sparse = [(0.0, 0.0), (0.0, 10.0), (10.0, 0.0), (10.0, 10.0), (5.0, 5.0)]
    assert settled(sparse) == sparse
