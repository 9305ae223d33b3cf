"""The gazetteer index: name -> places, with transliteration-tolerant keys, and its lookups.

``Gazetteer`` holds every place and indexes each of its names under the keys of
``geo.names`` (norm, fold, vowel, consonant skeleton; short capitals apart). It
does no file I/O: ``geo.loader`` reads, caches and unpickles the full index
(built by ``geo.build``) and the fixture slices; ``from_records`` builds one
from plain rows. Look-ups never raise on odd input. The sources and how the
index points were chosen: docs/GEOPARSER.md.
"""
from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from conflictmap.geo.names import fold_key, is_latin, norm_key, skeleton_key, state_abbreviation, vowel_key
from conflictmap.geo.records import PlaceRecord, record_from_row
from conflictmap.model import FEATURE_PROMINENCE, Place

#: How well a looked-up name matched a gazetteer name, by key level (see ``names``;
#: the vowel level only counts when no closer level matched).
MATCH_NORM, MATCH_FOLD, MATCH_VOWEL, MATCH_SKELETON = 1.0, 0.9, 0.8, 0.7


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
    units : Mapping[int, tuple[str, str]], optional
        Place index -> (region name, county name) where a source knows them
        (the village layer); see ``region_county``.
    """

    def __init__(self, records: Iterable[PlaceRecord], demonyms: dict[str, str] | None = None,
                 common_words: Iterable[str] = (), dictionary_words: Iterable[str] = (),
                 units: Mapping[int, tuple[str, str]] | None = None) -> None:
        #: Where files derived from this index on first use are kept (``loader`` sets it
        #: beside the cached index; None: kept in memory only).
        self.derived_dir: Path | None = None
        self.common_words: frozenset[str] = frozenset(common_words)
        self.dictionary_words: frozenset[str] = frozenset(dictionary_words) | self.common_words
        self.places: _PlaceList = _PlaceList()
        # Key -> place indices: an int, or a list while building (``_append``) and a tuple after
        # (``_freeze_tables``).
        self._norm: _Buckets = _Buckets()
        self._fold: _Buckets = _Buckets()
        self._vowel: _Buckets = _Buckets()
        self._skel: _Buckets = _Buckets()
        self._acronyms: _Buckets = _Buckets()
        self._countries: dict[str, int] = {}
        self._ids: dict[str, int] = {}
        self.demonyms: dict[str, str] = dict(demonyms or {})
        for record in records:
            self._add(record)
        # Region and county names as one small table of distinct pairs and a
        # 4-byte row per place: a million places share a few ten thousand pairs.
        self._unit_of = array("I", bytes(4 * len(self.places)))
        pairs: dict[tuple[str, str], int] = {("", ""): 0}
        for idx, pair in (units or {}).items():
            if 0 <= idx < len(self._unit_of):
                self._unit_of[idx] = pairs.setdefault(pair, len(pairs))
        self._unit_names = list(pairs)
        self._freeze_tables()  # the tables hold ints and lists while building; read through ``_Buckets``

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
                     common_words: Iterable[str] = ()) -> Gazetteer:
        """Build a gazetteer from plain dicts (a fixture slice, the supplement).

        Parameters
        ----------
        rows : Iterable[dict[str, object]]
            Each with ``place_id``, ``name``, ``lat``, ``lon``, ``feature`` and
            optionally ``country_code``, ``admin1``, ``population``,
            ``geonameid`` and ``names`` (a list of other names); see
            ``records.record_from_row``.
        demonyms : dict[str, str], optional
            Demonym -> country code (or a place id, kept as written).
        common_words : Iterable[str]
            Lower-case common words (also the dictionary words).

        Returns
        -------
        Gazetteer
            The index of those places.
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
        order = sorted(ranked, key=lambda i: (ranked[i][0], -FEATURE_PROMINENCE.get(self.places[i].feature, 0),
                                              ranked[i][1]))
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

    def region_county(self, idx: int) -> tuple[str, str]:
        """Return the (region, county) names of the place at ``idx``, ``""`` where unknown.

        The first- and second-level units a source (the village layer) files
        the place under, as it names them ("Idlib", "Maarrat al-Nu'man"): kept
        for the resolver to check a place against the units a text names.
        """
        unit_of = getattr(self, "_unit_of", None)
        if unit_of is None or not 0 <= idx < len(unit_of):
            return ("", "")
        return self._unit_names[unit_of[idx]]

    def __len__(self) -> int:
        return len(self.places)

    def _freeze_tables(self) -> None:
        """Turn the key tables' lists into tuples, in place: the form they are pickled and read in.

        The index is pickled as columns, ints and tuples (unpickling millions of
        one-item lists would take seconds), and freezing in place makes no second
        copy of a table at the build's peak.
        """
        for table in (self._norm, self._fold, self._vowel, self._skel, self._acronyms):
            for key, value in dict.items(table):
                if isinstance(value, list):
                    dict.__setitem__(table, key, tuple(value))


class _PlaceList:
    """The places as columns (arrays, interned codes); ``Place`` objects are made on access.

    A million places as tuples of nine objects take about a gigabyte and
    seconds to unpickle; as arrays and two lists of strings, a fifth of that.
    ``rows`` gives the places as tuples in ``records.astuple_place`` order.
    """

    def __init__(self) -> None:
        self.names: list[str] = []
        self.lat, self.lon = array("d"), array("d")
        self.population, self.gid = array("q"), array("q")
        # Place ids "gn:<geonameid>" and "wof:<number>" are made from numbers;
        # any other id is kept as written in ``other_ids``.
        self.id_kind, self.id_number = array("B"), array("q")
        self.other_ids: dict[int, str] = {}
        self.codes: list[str] = []  # feature, country and admin1 codes, each string once
        self.feature, self.cc, self.admin1 = array("I"), array("I"), array("I")
        self._code_of: dict[str, int] = {}
        # Places made so far: resolution asks for the same few candidates many
        # times. Bounded by the number of places; not pickled.
        self._made: dict[int, Place] = {}

    def _code(self, text: str) -> int:
        code = self._code_of.get(text)
        if code is None:
            code = self._code_of[text] = len(self.codes)
            self.codes.append(text)
        return code

    def append(self, place: Place) -> None:
        idx = len(self.names)
        pid, gid = place.place_id, place.geonameid
        if gid is not None and pid == f"gn:{gid}":
            self.id_kind.append(1)
            self.id_number.append(0)
        elif pid.startswith("wof:") and pid[4:].isdigit() and str(int(pid[4:])) == pid[4:]:
            self.id_kind.append(2)
            self.id_number.append(int(pid[4:]))
        else:
            self.id_kind.append(0)
            self.id_number.append(0)
            self.other_ids[idx] = pid
        self.names.append(place.name)
        self.lat.append(place.lat)
        self.lon.append(place.lon)
        self.population.append(place.population)
        self.gid.append(-1 if gid is None else gid)
        self.feature.append(self._code(place.feature))
        self.cc.append(self._code(place.country_code))
        self.admin1.append(self._code(place.admin1))

    def row(self, idx: int) -> tuple[object, ...]:
        """The place at ``idx`` as a tuple in ``Place``'s field order."""
        kind, gid = self.id_kind[idx], self.gid[idx]
        if kind == 1:
            pid = f"gn:{gid}"
        elif kind == 2:
            pid = f"wof:{self.id_number[idx]}"
        else:
            pid = self.other_ids[idx]
        codes = self.codes
        return (pid, self.names[idx], self.lat[idx], self.lon[idx], codes[self.feature[idx]],
                codes[self.cc[idx]], codes[self.admin1[idx]], self.population[idx], None if gid < 0 else gid)

    @property
    def rows(self) -> _Rows:
        """The places as tuples (``records.astuple_place`` order), made on access."""
        return _Rows(self)

    def __getitem__(self, idx: int) -> Place:
        place = self._made.get(idx)
        if place is None:
            if idx < 0:
                idx += len(self.names)
            place = self._made[idx] = Place(*self.row(idx))  # type: ignore[arg-type]
        return place

    def __len__(self) -> int:
        return len(self.names)

    def __iter__(self) -> Iterator[Place]:
        return (Place(*self.row(i)) for i in range(len(self.names)))  # type: ignore[arg-type]

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        state["_made"] = {}
        return state


class _Rows(Sequence[tuple[object, ...]]):
    """A read-only view of a ``_PlaceList`` as tuples."""

    def __init__(self, places: _PlaceList) -> None:
        self._places = places

    def __len__(self) -> int:
        return len(self._places)

    def __getitem__(self, idx: int) -> tuple[object, ...]:  # type: ignore[override]
        if idx < 0:
            idx += len(self._places)
        if not 0 <= idx < len(self._places):
            raise IndexError(idx)
        return self._places.row(idx)

    def __iter__(self) -> Iterator[tuple[object, ...]]:
        return (self._places.row(i) for i in range(len(self._places)))


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


def _append(table: _Buckets, key: str, idx: int) -> None:
    """Add ``idx`` under ``key``: a bare int for the first place (most keys have one), then a list.

    A one-item list per key costs about 90 bytes more than the int; over the
    millions of keys of the full index that is half a gigabyte at the build's peak.
    """
    bucket = dict.get(table, key)
    if bucket is None:
        table[key] = idx
    elif isinstance(bucket, int):
        if bucket != idx:
            table[key] = [bucket, idx]
    elif isinstance(bucket, tuple):
        if bucket[-1] != idx:
            table[key] = [*bucket, idx]
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
