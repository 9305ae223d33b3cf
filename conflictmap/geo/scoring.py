"""The scoring rules of resolution: weights, the score of a candidate, and the vetoes.

``geoparser.Geoparser`` runs the passes over a text and hands each name's
``Context`` here; this module owns what a pass asks about one name: the weights
of the resolution score, the score of each candidate given the story's
countries, places and the cues around the name (``cues``), and the checks that
leave a name unresolved rather than wrong. It needs only the gazetteer and the
model. Weights were set by measurement on the dev sets (``bench/geoparse_eval.py``).
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from conflictmap.geo.cues import Name
from conflictmap.geo.gazetteer import MATCH_FOLD, MATCH_NORM, MATCH_VOWEL, Gazetteer
from conflictmap.geo.names import COMPASS_WORDS, norm_key
from conflictmap.model import Place, haversine_km

#: Towns below this size in a country the story never names, far from its other
#: places, are left unresolved (see ``implausible``).
_IMPLAUSIBLE_POP = 500_000
#: Weights of the resolution score (set by measurement on the dev sets, see README).
_MAIN_NAME, _NEAR, _CITY_ADMIN, _STATE_ADMIN = 0.25, 0.25, 0.15, 0.3
_HOLDS_TOWN = 0.5
#: Share of the country bonus left to a village named like a world city.
_HOMONYM_DAMP = 0.25
#: Bonus for the kind of place the names listed with a name resolved to.
_SIBLING = 0.3
_FEATURE_PRIOR = {"country": 0.45, "region": 0.3, "natural": 0.3, "admin1": 0.0, "city": 0.0, "admin2": -0.15}
#: Words that name provinces in many countries ("Western", "North Eastern", "Coast").
_GENERIC_WORDS = COMPASS_WORDS | frozenset({
    "coast", "coastal", "lakes", "lake", "highlands", "islands", "island", "plateau", "valley", "river",
    "rift", "delta", "mountains", "capital", "province", "region", "district"})
#: Bonus for a town inside the unit named just after it ("Austin, Indiana").
_IN_UNIT = 0.6
#: Bonus for a place in the country most of the names listed with it are in.
_SIBLING_COUNTRY = 0.2
#: A town this small, in a country the story never names and this far (km)
#: from every place the story locates, is another place of the same name
#: ("Heathrow" in a London story is not the Florida village).
_TINY_TOWN, _TINY_FAR = 50_000, 1000
#: A town this close (km) to a point of a district of its name is the district's seat
#: (``_seats``); a seat counts as a town of at least ``_SEAT_POP`` (village
#: gazetteers give most towns no population) and the district defers to it by
#: ``_SEAT_DEFER`` unless the text says "district".
_SEAT_KM, _SEAT_POP, _SEAT_DEFER = 30.0, 20_000, 0.2
#: Two villages of the name whose scores differ by less than ``_TIE`` and that lie
#: more than ``_TIE_KM`` apart leave the name unplaced (``tied``).
_TIE, _TIE_KM = 0.1, 50.0
#: A town this close (km) to a place of the story may lie across a border from it (see ``abroad``).
_BORDER_KM = 150
#: The weight a country needs in the story (named twice, or named and a town of
#: it placed) before towns outside the story's countries need cause (``abroad``).
SETTLED = 2.0


@dataclass(frozen=True)
class Context:
    """What the story says around one name when its candidates are ranked.

    Attributes
    ----------
    countries : Counter[str]
        The story's countries with the other names' choices (without the name's own vote).
    anchors : Sequence[Place]
        Places of the story; nearness to them counts.
    named : Counter[str]
        The countries the text names itself (countries, demonyms, hints): the
        checks that leave a dubious place unresolved ask about these alone, so
        that two dubious choices cannot vouch for each other.
    admins : dict[tuple[str, str], float]
        Bonus for towns of a state (see ``state_admins``).
    town : Place or None
        The town just before the name ("Atlanta, <Georgia>").
    unit : Place or None
        The unit just after the name ("<Austin>, Indiana").
    sibling_kind, sibling_country : str or None
        The kind and the country most of the names listed with it resolved to.
    chosen : frozenset[str]
        The countries of the other names' current choices, however unsure: a
        story's towns locate its country even when their names are common
        (see ``abroad``).
    """

    countries: Counter[str]
    anchors: Sequence[Place]
    named: Counter[str]
    admins: dict[tuple[str, str], float] = field(default_factory=dict)
    town: Place | None = None
    unit: Place | None = None
    sibling_kind: str | None = None
    sibling_country: str | None = None
    chosen: frozenset[str] = frozenset()


# -- the score of a candidate ----------------------------------------------------


def state_admins(places: Sequence[Place]) -> dict[tuple[str, str], float]:
    """The bonus each state or province earns from the places of the story in it.

    Parameters
    ----------
    places : Sequence[Place]
        The other names' current places (and the hints' towns).

    Returns
    -------
    dict[tuple[str, str], float]
        ``(country_code, admin1)`` -> bonus for its towns: a state named in the
        text ("Iowa") vouches more than a town of it.
    """
    admins: dict[tuple[str, str], float] = {}
    for p in places:
        if p.admin1 and p.feature in ("admin1", "city"):
            weight = _STATE_ADMIN if p.feature == "admin1" else _CITY_ADMIN
            key2 = (p.country_code, p.admin1)
            admins[key2] = max(weight, admins.get(key2, 0.0))
    return admins


def score_candidates(gazetteer: Gazetteer, item: Name, ctx: Context) -> list[tuple[float, int]]:
    """Score every candidate of ``item`` in its story's context, best first.

    Parameters
    ----------
    gazetteer : Gazetteer
        Holds the candidates' places.
    item : Name
        The name; its ``candidates`` must not be empty.
    ctx : Context
        What the story says around the name.

    Returns
    -------
    list[tuple[float, int]]
        ``(score, place index)``, highest first.
    """
    places = gazetteer.places
    total = sum(v for v in ctx.countries.values() if v > 0) or 1.0
    # The biggest town of the name: a village a hundredth its size is not
    # made likely by its country alone ("London" in a US story is London,
    # England, unless the story names a state or a place near the village).
    # A sea or a region counts as a world city here: "Pacific" in a US story
    # is the ocean, not the Missouri town.
    # So does a state: "Oklahoma" in a list of states is not the Pennsylvania village.
    top_town = max((_size(places[i]) for i, q in item.candidates
                    if q >= MATCH_NORM
                    and places[i].feature in ("city", "region", "natural", "country", "admin1")),
                   default=0)
    scored: list[tuple[float, int]] = []
    anchor_points = _points(ctx.anchors[:40])
    seats = _seats(places, item.candidates)
    for idx, quality in item.candidates:
        place = places[idx]
        # One running sum, in a fixed order: the scores must not change in the last bit.
        s = _prior(place, quality, item, seats.get(idx))
        s = _story_bonus(s, place, ctx, total, top_town)
        s = _cue_bonus(s, place, item)
        if anchor_points and place.feature not in ("country",):
            near = _nearest_km(place.lat, place.lon, anchor_points)
            s += _NEAR * math.exp(-near / 250.0)
        scored.append((s, idx))
    scored.sort(reverse=True)
    return scored


def _seats(places: Sequence[Place], candidates: Sequence[tuple[int, float]]) -> dict[int, int]:
    """The towns among ``candidates`` that are the seat of a district among them, and the districts.

    A district is mostly named after its seat ("Hawija", "Maarrat al-Numan",
    "Deir ez-Zor"): a town of the name within ``_SEAT_KM`` of the district's
    point, in its country, is the seat, and a bare name is the town, not the
    district nor a namesake village elsewhere.

    Returns
    -------
    dict[int, int]
        Place index -> the population it stands for: a seat the district's
        tenth (at least ``_SEAT_POP``), a district with a seat ``-1`` (it defers).
    """
    units = [i for i, q in candidates if places[i].feature == "admin2" and q >= MATCH_FOLD]
    if not units:
        return {}
    out: dict[int, int] = {}
    for i, q in candidates:
        town = places[i]
        if town.feature != "city" or q < MATCH_FOLD:
            continue
        for u in units:
            unit = places[u]
            if (unit.country_code == town.country_code
                    and haversine_km(town.lat, town.lon, unit.lat, unit.lon) <= _SEAT_KM):
                out[i] = max(out.get(i, 0), _SEAT_POP, unit.population // 10)
                out[u] = -1
    return out


def _prior(place: Place, quality: float, item: Name, seat: int | None = None) -> float:
    """The score before the story is read: the name match, the main name, size and kind.

    ``seat`` is what ``_seats`` says of the place: the population a district's
    seat stands for, or -1 for a district whose seat is a candidate too.
    """
    s = 1.2 * quality
    if norm_key(place.name) == item.key:
        s += _MAIN_NAME
    # Admin units sum their members' population: scale it down so a big
    # city beats the province it gives its name to.
    pop = place.population / 10 if place.feature in ("admin1", "admin2") else place.population
    if seat is not None and seat > 0:
        pop = max(pop, seat)
    elif seat is not None and not item.admin_cue:
        s -= _SEAT_DEFER
    if place.feature in ("region", "natural"):
        pop = max(pop, 2_000_000)  # seas and regions have no population
    s += min(1.0, math.log10(pop + 10) / 7.0) * 1.2
    s += _FEATURE_PRIOR.get(place.feature, 0.0)
    if place.place_id.startswith("sup:"):
        s += 0.15
    return s


def _story_bonus(s: float, place: Place, ctx: Context, total: float, top_town: int) -> float:
    """``s`` plus what the story's countries (``total``: their weight), states, neighbours
    and lists say for ``place``."""
    share = max(0.0, ctx.countries.get(place.country_code, 0.0)) / total if place.country_code else 0.0
    if share:
        damp = _HOMONYM_DAMP if (place.feature == "city" and top_town >= 1_000_000
                                 and place.population * 100 < top_town
                                 and not ctx.admins.get((place.country_code, place.admin1))) else 1.0
        s += (0.15 + 0.45 * share) * damp
    if place.feature in ("city", "admin2"):
        s += ctx.admins.get((place.country_code, place.admin1), 0.0)
    elif ctx.town is not None and place.feature in ("admin1", "country"):
        # "Atlanta, Georgia": the state or country that holds the town just before.
        if place.country_code == ctx.town.country_code and (
                place.feature == "country" or place.admin1 == ctx.town.admin1):
            s += _HOLDS_TOWN
    if ctx.sibling_kind is not None and place.feature == ctx.sibling_kind:
        s += _SIBLING
        if ctx.sibling_country is not None and place.country_code == ctx.sibling_country:
            # Listed names are of one kind and mostly of one country
            # ("Georgia, Oklahoma, Pennsylvania").
            s += _SIBLING_COUNTRY
    if ctx.unit is not None and place.feature in ("city", "admin2") and _holds(ctx.unit, place):
        s += _IN_UNIT
    return s


def _cue_bonus(s: float, place: Place, item: Name) -> float:
    """``s`` plus what the words around the name say: a state's office, an admin word."""
    if item.gov_cue:
        s += 0.4 if place.feature == "admin1" else (-0.2 if place.feature in ("city", "admin2") else 0.0)
    if item.admin_cue:
        s += 0.5 if place.feature in ("admin1", "admin2", "region") else -0.2
    return s


# -- better unresolved than wrong ------------------------------------------------


def unresolved(item: Name, place: Place, quality: float, ctx: Context) -> bool:
    """Whether the best candidate of ``item`` is too doubtful to keep.

    Parameters
    ----------
    item : Name
        The name.
    place : Place
        Its best-scored candidate.
    quality : float
        How well the name matched that place.
    ctx : Context
        What the story says around the name (``countries``, ``named``, ``anchors``).

    Returns
    -------
    bool
        True when the name should be left unresolved.
    """
    countries, named, anchors = ctx.countries, ctx.named, ctx.anchors
    if quality < MATCH_FOLD:
        # A consonant-outline match alone is weak: keep it only when the
        # article's countries or places vouch for it.
        # A place of the story within 400 km vouches for it, within 150 km
        # for a match by consonant outline alone: "Kogelo" in a Kenya story
        # is neither Kigali, 400 km away in Rwanda, nor Keighley in the
        # England the story also names.
        radius = 400 if quality >= MATCH_VOWEL else 150
        near = any(haversine_km(place.lat, place.lon, a.lat, a.lon) < radius for a in anchors[:40])
        # The country alone vouches only while the story has no located
        # places: "Oahu" in a Honolulu story is not Ohio, nor "Capitol" in an
        # Oklahoma City story Capitola, although both stories name the US.
        located = any(a.feature in ("city", "admin2") for a in anchors[:40])
        in_named = countries.get(place.country_code, 0.0) > 0
        if not near and (located or not in_named):
            return True
    if item.admin_cue and place.feature == "city" and named.get(place.country_code, 0.0) <= 0:
        # "Nyanza province" in a Kenya story: no province of that name is
        # known, and a town of it in a country the story never names is not it.
        return True
    return (implausible(place, named, anchors, item.surface, sum(v for v in countries.values() if v > 0))
            or (item.part and not vouched_part(place, countries, anchors)))


def tied(places: Sequence[Place], scored: Sequence[tuple[float, int]],
         candidates: Sequence[tuple[int, float]], anchors: Sequence[Place] = ()) -> bool:
    """Whether the best candidate, a village, is no better than a namesake far from it in its country.

    Village gazetteers hold many places of one name in one country ("Al-Shafa"
    near Albu Kamal and near Raqqa): when nothing in the story tells them apart
    (scores within ``_TIE``) and they lie over ``_TIE_KM`` apart, either point
    would be a guess, and a guess is worse than no point. A town with a known
    population of ``_SEAT_POP`` or more, or a district's seat, is no village here.
    The story's places do tell them apart when the best lies within ``_TIE_KM``
    of one of them and the namesake does not (Al-Shafa in a story of Albu Kamal).

    Parameters
    ----------
    places : Sequence[Place]
        The gazetteer's places.
    scored : Sequence[tuple[float, int]]
        ``(score, place index)``, best first (``score_candidates``).
    candidates : Sequence[tuple[int, float]]
        The name's candidates with their match quality (to find the seats).
    anchors : Sequence[Place]
        The story's places (the hints' and the confident choices of other names).

    Returns
    -------
    bool
        True when the name should be left unresolved.
    """
    best_s, best = scored[0]
    place = places[best]
    if place.feature != "city" or place.population >= _SEAT_POP or _seats(places, candidates).get(best, 0) > 0:
        return False
    points = [(a.lat, a.lon) for a in anchors[:40] if a.place_id != place.place_id]

    def located(p: Place) -> bool:
        return any(haversine_km(p.lat, p.lon, lat, lon) <= _TIE_KM for lat, lon in points)

    best_located = located(place)
    for s, idx in scored[1:]:
        if best_s - s >= _TIE:
            break
        other = places[idx]
        if (other.feature == "city" and other.country_code == place.country_code
                and haversine_km(place.lat, place.lon, other.lat, other.lon) > _TIE_KM
                and not (best_located and not located(other))):
            return True
    return False


def abroad(place: Place, quality: float, homonym_countries: int, ctx: Context) -> bool:
    """A town-level point outside every country of the story, without the evidence it needs.

    A story that names or locates its countries ("Syria", "Idlib") does not
    report a village in another country unless the name can be nothing else:
    the name matched exactly and only in that one country (``homonym_countries``),
    the place is a city of 500,000 (a world city is its own evidence: "talks
    in Geneva"), or it lies within ``_BORDER_KM`` of a place of the story (a
    border town). "Karak" in a Syria story is not the Pakistani town, nor
    "Madaya" Myanmar's. A story whose countries are not settled (no country
    weighs ``SETTLED``: "a native of Mexico" in a Connecticut court story) is
    left to the other rules.

    Parameters
    ----------
    place : Place
        The best candidate.
    quality : float
        How well the name matched it.
    homonym_countries : int
        In how many countries the name closely matches a place.
    ctx : Context
        The story's countries (with the other names' choices, ``chosen`` too) and places.

    Returns
    -------
    bool
        True when the place should be left unresolved.
    """
    if place.feature not in ("city", "facility") or place.population >= _IMPLAUSIBLE_POP:
        return False
    story = {cc for cc, w in ctx.countries.items() if w > 0} | ctx.chosen
    if not story or place.country_code in story or (max(ctx.countries.values(), default=0.0) < SETTLED
                                                        and not ctx.anchors):
        return False
    if quality >= MATCH_NORM and homonym_countries == 1:
        return False
    return not any(haversine_km(place.lat, place.lon, a.lat, a.lon) < _BORDER_KM for a in ctx.anchors[:40])


def implausible(place: Place, countries: Counter[str], anchors: Sequence[Place], surface: str,
                context: float | None = None) -> bool:
    """A town (under 500,000 people) in a country the story never mentions, over
    500 km from all its places: better unresolved than wrong ("Al-Shafa" in a
    Deir Ezzor story is not the Saudi town, and the Syrian village is not in
    the gazetteer).

    Parameters
    ----------
    place : Place
        The candidate.
    countries : Counter[str]
        The countries the story names.
    anchors : Sequence[Place]
        Places of the story.
    surface : str
        The name as written.
    context : float, optional
        How much country context the story has; the sum of ``countries`` by default.

    Returns
    -------
    bool
        True when the place is better left unresolved.
    """
    # How much country context the story has (with the other names' choices).
    weight = context if context is not None else sum(v for v in countries.values() if v > 0)
    if place.feature == "admin1":
        # A state or province named by English words ("Western", "North
        # West"), of a country the story never names, far from all its
        # places: "Western" in a Kenya story is not Rwanda's province.
        # ("Massachusetts" in a Peru story is Massachusetts.)
        words = norm_key(surface).split()
        return (bool(words) and all(w in _GENERIC_WORDS for w in words)
                and countries.get(place.country_code, 0.0) <= 0
                and bool(anchors) and _far_from_all(place, anchors, 500))
    if place.feature not in ("city", "admin2") or place.population >= _IMPLAUSIBLE_POP:
        return False
    if countries.get(place.country_code, 0.0) > 0:
        return False
    if place.population < _TINY_TOWN and anchors and _far_from_all(place, anchors, _TINY_FAR):
        return True
    if weight < 2:
        return False
    return bool(anchors) and _far_from_all(place, anchors, 500)


def vouched_part(place: Place, countries: Counter[str], anchors: Sequence[Place]) -> bool:
    """Whether the story vouches for a place found from part of a longer name ("Manila Cathedral").

    It does when the place is near another place of the story (150 km), or a
    big town or a state in a country the story names: "Stonewall Golf Club" is
    not in the small town Stonewall, Manitoba, nor "Pearl Harbor" in Pearl.

    Parameters
    ----------
    place : Place
        The candidate.
    countries : Counter[str]
        The story's countries.
    anchors : Sequence[Place]
        Places of the story.

    Returns
    -------
    bool
        True when the place may stand.
    """
    if any(haversine_km(place.lat, place.lon, a.lat, a.lon) < 150 for a in anchors[:40]):
        return True
    big = place.feature == "admin1" or place.population >= 100_000
    return big and countries.get(place.country_code, 0.0) > 0


def big(place: Place) -> bool:
    """Whether ``place`` is a country, a state, a region or a town of 100,000 or more.

    Parameters
    ----------
    place : Place
        The place.

    Returns
    -------
    bool
        True for a place a common word or a demonym may well name.
    """
    return place.feature in ("country", "admin1", "region") or place.population >= 100_000


# -- distances and sizes ---------------------------------------------------------


def _points(places: Sequence[Place]) -> list[tuple[float, float, float]]:
    """(lat, lon, cos lat) in radians of ``places``, for ``_nearest_km``."""
    out = []
    for p in places:
        lat = math.radians(p.lat)
        out.append((lat, math.radians(p.lon), math.cos(lat)))
    return out


def _nearest_km(lat: float, lon: float, points: Sequence[tuple[float, float, float]]) -> float:
    """Great-circle distance (km) from (lat, lon) in degrees to the nearest of ``points``
    (see ``_points``); the haversine formula with the point's terms computed once."""
    la, lo = math.radians(lat), math.radians(lon)
    cl = math.cos(la)
    best = 4.0
    for plat, plon, pcos in points:
        h = math.sin((plat - la) / 2) ** 2 + cl * pcos * math.sin((plon - lo) / 2) ** 2
        if h < best:  # noqa: PLR1730 (a builtin call per point is slower)
            best = h
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(best)))


def _size(place: Place) -> int:
    """Population, with seas and regions (which have none) counted as 2 million."""
    return max(place.population, 2_000_000) if place.feature in ("region", "natural") else place.population


def _holds(unit: Place, place: Place) -> bool:
    """Whether ``unit`` (a country, state or county) holds ``place``; a county by
    its state and distance (100 km), as places carry no county code."""
    if unit.country_code != place.country_code:
        return False
    if unit.feature == "country":
        return True
    if unit.admin1 != place.admin1:
        return False
    return unit.feature == "admin1" or haversine_km(unit.lat, unit.lon, place.lat, place.lon) < 100


def _far_from_all(place: Place, anchors: Sequence[Place], km: float) -> bool:
    return all(haversine_km(place.lat, place.lon, a.lat, a.lon) > km for a in anchors[:40])
