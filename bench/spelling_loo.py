"""Leave-one-out spelling benchmark: is a village found when the report spells it a way the index does not know?

    .venv/bin/python bench/spelling_loo.py [--n 1000] [--countries SY,IQ,SO] [--index PICKLE] [--misses 20]

The places come from the committed village layer (``data/gazetteer/wof/*.tsv.gz``):
towns and villages (kind ``city``) with a region and two or more Latin-script
spellings (the row's name and its ``names``, grouped by ``norm_key``: spellings
that differ only in case, accents or apostrophes are one spelling). For each
place one spelling is held out, chosen by a hash of the place's id among those
that read as a variant of another spelling (similar letters, difflib ratio >=
0.5, lengths within a factor 2: "Saraqeb"/"Saraqib" yes, "Kobane"/"Ain al Arab" no: another name, not
another spelling). The sample is deterministic (ids ordered by hash), split
evenly over the country families below and, within a family, evenly over its
countries.

Each held-out spelling is written (accents dropped, as wire copy writes it)
into one of a few report-like sentences with the place's region, and the
sentence is geoparsed in process by ``Geoparser`` over the loaded index (the
default cached index, or ``--index``), in two conditions:

* **held out**: the index is changed in memory so that the place no longer
  has that spelling. Every index entry that is this place (same GeoNames id,
  ``wof:<wof_id>``, or the same name within 1 km) loses the name keys only the
  held-out spelling gives it; the keys its other spellings (the layer's and
  the names the index already holds) also give are kept. The keys are found
  by indexing the place twice in a one-place ``Gazetteer``, with and without
  the spelling, and comparing every name table, so the benchmark follows
  whatever keys the index grows. A place the index does not hold at all
  stays absent (that is the product today).
* **control**: the index unchanged, to show what the sentence and the
  recogniser alone give.

Counted for the mention covering the spelling: placed within 25 km of the
layer's point, nothing placed, placed 25-1,000 km away, placed > 1,000 km
away. Prints a markdown table overall (families weigh equally) and per family,
and the share of sampled places the index holds.
"""
from __future__ import annotations

import argparse
import csv
import difflib
import gzip
import hashlib
import pickle
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# After the path set-up above.
from conflictmap.geo.gazetteer import Gazetteer  # noqa: E402
from conflictmap.geo.geoparser import Geoparser  # noqa: E402
from conflictmap.geo.names import is_latin, norm_key  # noqa: E402
from conflictmap.geo.records import PlaceRecord  # noqa: E402
from conflictmap.model import Place, haversine_km  # noqa: E402

LAYER_DIR = ROOT / "data" / "gazetteer" / "wof"
#: Country families by the script their names are romanised from (the issue's grouping).
FAMILIES: dict[str, tuple[str, ...]] = {
    "Arabic script": ("SY", "IQ", "YE", "LB", "PS", "SA", "EG", "LY", "TN", "DZ", "SD"),
    "Somali": ("SO",),
    "Persian/Pashto": ("AF", "IR", "PK"),
    "Cyrillic (UA AM AZ)": ("UA", "AM", "AZ"),
}
OTHER = "the rest"
TEMPLATES = (
    "Shelling hit {x} village in {region} on Monday.",
    "Clashes erupted near {x}, {region}, killing two fighters.",
    "Residents of {x} in {region} province said the road had been cut.",
)
#: Trailing admin words dropped from a region name (the third template says "province").
_ADMIN_WORDS = frozenset("province governorate region state oblast wilayah wilaya muhafazah".split())
#: Spellings with these are labels, not names a report would write.
_BAD_CHARS = set('()[]",/;:0123456789\u201c\u201d')
NEAR_KM, FAR_KM, SAME_PLACE_KM = 25.0, 1000.0, 1.0
OUTCOMES = ("near", "none", "mid", "far")


@dataclass(frozen=True)
class Case:
    """One place with one spelling held out, in one sentence."""

    cc: str
    wof_id: str
    geonameid: int | None
    lat: float
    lon: float
    spellings: tuple[str, ...]  # every Latin spelling of the row
    held_key: str  # norm key of the held-out spelling
    surface: str  # the held-out spelling as the sentence writes it
    text: str
    start: int


def family(cc: str) -> str:
    """The country family of ``cc`` (see ``FAMILIES``)."""
    return next((name for name, ccs in FAMILIES.items() if cc in ccs), OTHER)


def _hash(*parts: object) -> int:
    return int(hashlib.sha1(":".join(map(str, parts)).encode()).hexdigest()[:12], 16)


def _ascii(name: str) -> str:
    """``name`` as wire copy writes it: accents dropped, curly apostrophes straight."""
    folded = unicodedata.normalize("NFKD", name.replace("\u2018", "'").replace("\u2019", "'"))
    return "".join(c for c in folded if not unicodedata.combining(c))


def _usable(name: str) -> bool:
    """Whether ``name`` could stand in a sentence as a village's name."""
    words = name.split()
    return (1 <= len(words) <= 4 and name[:1].isalpha() and not _BAD_CHARS & set(name)
            and len(norm_key(name)) >= 3 and _ascii(name).isascii())


def _variant(a: str, b: str) -> bool:
    """Whether norm keys ``a`` and ``b`` read as two spellings of one name (similar letters, similar length)."""
    return (max(len(a), len(b)) <= 2 * min(len(a), len(b))
            and difflib.SequenceMatcher(None, a, b).ratio() >= 0.5)


def _region(name: str) -> str:
    """A region name as a report writes it: no parenthesis, no trailing admin word."""
    words = name.split("(")[0].split()
    while len(words) > 1 and words[-1].lower() in _ADMIN_WORDS:
        words.pop()
    return " ".join(words)


def make_case(row: dict[str, str]) -> Case | None:
    """The case of one layer row, or None when it has no spelling to hold out."""
    spellings = tuple(s for s in dict.fromkeys([row["name"], *row["names"].split("|")]) if s and is_latin(s))
    groups: dict[str, list[str]] = defaultdict(list)
    for s in spellings:
        if norm_key(s):
            groups[norm_key(s)].append(s)
    region = _region(row["region"])
    if len(groups) < 2 or not region:
        return None
    # A variant spelling of another spelling, not another name of the place.
    held = [k for k, members in groups.items()
            if any(_usable(m) for m in members)
            and any(_variant(k, o) for o in groups if o != k)]
    if not held:
        return None
    key = sorted(held)[_hash(row["wof_id"], "hold") % len(held)]
    # The member with the fewest non-ASCII letters: the one wire copy is likeliest to write.
    surface = _ascii(min((m for m in groups[key] if _usable(m)), key=lambda m: (sum(not c.isascii() for c in m), m)))
    template = TEMPLATES[_hash(row["wof_id"], "template") % len(TEMPLATES)]
    prefix = template.split("{x}")[0].format(region=region)
    gid = row["geonameid"]
    return Case(row["cc"], row["wof_id"], int(gid) if gid else None, float(row["lat"]), float(row["lon"]),
                spellings, key, surface, template.format(x=surface, region=region), len(prefix))


class CountryCases:
    """One country's candidate rows in hash order, made into cases only as far as a sample needs."""

    def __init__(self, rows: list[dict[str, str]]) -> None:
        self.rows = sorted(rows, key=lambda r: _hash(r["wof_id"]))
        self.cases: list[Case] = []
        self.read = 0

    def take(self, k: int) -> list[Case]:
        """The first ``k`` eligible cases (fewer when the country has fewer)."""
        while len(self.cases) < k and self.read < len(self.rows):
            case = make_case(self.rows[self.read])
            self.read += 1
            if case is not None:
                self.cases.append(case)
        return self.cases[:k]


def read_candidates(countries: Iterable[str]) -> dict[str, CountryCases]:
    """The layer's towns and villages with a region and another spelling, by country."""
    wanted = set(countries)
    rows: dict[str, list[dict[str, str]]] = defaultdict(list)
    for path in sorted(LAYER_DIR.glob("*.tsv.gz")):
        if path.name.split(".")[0] not in wanted | ({"XS"} if "SO" in wanted else set()):
            continue
        with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
                if row["kind"] == "city" and row["cc"] in wanted and row["names"] and row["region"]:
                    rows[row["cc"]].append(row)
    return {cc: CountryCases(r) for cc, r in rows.items()}


def spread(total: int, sizes: dict[str, int]) -> dict[str, int]:
    """Split ``total`` as evenly as the ``sizes`` allow (a group never gets more than it has)."""
    quota = dict.fromkeys(sizes, 0)
    left = total
    open_ = sorted(k for k, v in sizes.items() if v > 0)
    while left > 0 and open_:
        share, extra = divmod(left, len(open_))
        for i, k in enumerate(open_):
            quota[k] += min(share + (i < extra), sizes[k] - quota[k])
        left = total - sum(quota.values())
        open_ = [k for k in open_ if quota[k] < sizes[k]]
    return quota


def _quotas(n: int, sizes: dict[str, int]) -> dict[str, int]:
    """Cases per country: ``n`` evenly over the families present, then over each family's countries."""
    fam_sizes: Counter[str] = Counter()
    for cc, size in sizes.items():
        fam_sizes[family(cc)] += size
    out: dict[str, int] = {}
    for fam, quota in spread(n, dict(fam_sizes)).items():
        out.update(spread(quota, {cc: s for cc, s in sizes.items() if family(cc) == fam}))
    return out


def sample_cases(by_country: dict[str, CountryCases], n: int) -> list[Case]:
    """``n`` cases spread over families and countries, each country's first ones in hash order.

    A country's row count bounds its eligible cases from above; a country that
    runs short gets its true count and the quotas are spread again, which ends
    with the quotas exact counts would give.
    """
    sizes = {cc: len(c.rows) for cc, c in by_country.items()}
    while True:
        quotas = _quotas(n, sizes)
        short = {cc: len(by_country[cc].take(k)) for cc, k in quotas.items() if len(by_country[cc].take(k)) < k}
        if not short:
            return [case for cc in sorted(quotas) for case in by_country[cc].take(quotas[cc])]
        sizes.update(short)


# -- the index, changed in memory ------------------------------------------------------


class IndexView:
    """Finds a place's entries in a loaded index and takes one spelling away from them (and back)."""

    def __init__(self, gaz: Gazetteer) -> None:
        self.gaz = gaz
        self.by_gid: dict[int, list[int]] = defaultdict(list)
        self.by_pid: dict[str, int] = {}
        # Iterating makes each place without keeping it (the index's own cache stays small).
        for idx, place in enumerate(self.gaz.places):
            self.by_pid[place.place_id] = idx
            if place.geonameid is not None:
                self.by_gid[place.geonameid].append(idx)
        self.names: dict[int, set[str]] = defaultdict(set)
        self.warned: set[str] = set()

    def locate(self, case: Case) -> list[int]:
        """The index entries that are this place: same GeoNames or WOF id, or same name within 1 km."""
        found = set(self.by_gid.get(case.geonameid, ()) if case.geonameid else ())
        if f"wof:{case.wof_id}" in self.by_pid:
            found.add(self.by_pid[f"wof:{case.wof_id}"])
        for key in {norm_key(s) for s in case.spellings}:
            for idx in self.gaz._norm.get(key, ()) or ():
                place = self.gaz.places[idx]
                if haversine_km(case.lat, case.lon, place.lat, place.lon) <= SAME_PLACE_KM:
                    found.add(idx)
        return sorted(found)

    def learn_names(self, idxs: set[int]) -> None:
        """Remember the norm keys the index holds for ``idxs`` (its names, GeoNames' included)."""
        for key, value in dict.items(self.gaz._norm):
            for idx in ((value,) if isinstance(value, int) else value):
                if idx in idxs:
                    self.names[idx].add(key)

    def hold_out(self, idx: int, case: Case) -> list[tuple[dict, str, object]]:
        """Drop the keys only the held-out spelling gives entry ``idx``; returns what ``restore`` undoes."""
        place: Place = self.gaz.places[idx]
        every = list(dict.fromkeys([*case.spellings, *sorted(self.names[idx])]))
        kept = [s for s in every if norm_key(s) != case.held_key]
        with_it, without = Gazetteer([PlaceRecord(place, tuple(every))]), Gazetteer([PlaceRecord(place, tuple(kept))])
        undo: list[tuple[dict, str, object]] = []
        for attr, table in vars(with_it).items():
            other = getattr(without, attr)
            # The place list and other objects hold the place, not its spellings.
            if not isinstance(table, (dict, list, set, frozenset, tuple)) or table == other:
                continue
            if not isinstance(table, dict) or set(table) == set(other):
                self._warn(attr)
                continue
            big = getattr(self.gaz, attr)
            for key in set(table) - set(other):
                raw = dict.get(big, key)
                if raw is None:
                    continue
                left = None if raw == idx else tuple(i for i in raw if i != idx) if not isinstance(raw, int) else raw
                if left == raw:
                    continue
                undo.append((big, key, raw))
                if left:
                    dict.__setitem__(big, key, left)
                else:
                    dict.__delitem__(big, key)
        return undo

    def _warn(self, attr: str) -> None:
        if attr not in self.warned:
            self.warned.add(attr)
            print(f"warning: Gazetteer.{attr} changes with a spelling but is not a key table; "
                  "the benchmark does not take the spelling out of it", file=sys.stderr)


def restore(undo: list[tuple[dict, str, object]]) -> None:
    """Put back what ``IndexView.hold_out`` took away (last change first)."""
    for table, key, raw in reversed(undo):
        dict.__setitem__(table, key, raw)


# -- running and counting --------------------------------------------------------------


def outcome(parser: Geoparser, case: Case) -> tuple[str, str]:
    """Bucket of the mention covering the spelling, and what it resolved to (for misses)."""
    end = case.start + len(case.surface)
    for m in parser.geoparse(case.text):
        if m.place is not None and m.start < end and m.end > case.start:
            d = haversine_km(case.lat, case.lon, m.place.lat, m.place.lon)
            where = f"{m.place.name}/{m.place.country_code} {d:.0f} km"
            return ("near" if d <= NEAR_KM else "far" if d > FAR_KM else "mid"), where
    return "none", ""


def run(gaz: Gazetteer, cases: list[Case]) -> tuple[list[dict[str, object]], int]:
    """Each case's outcome held out and as a control; and how many places the index holds."""
    view = IndexView(gaz)
    located = {c.wof_id: view.locate(c) for c in cases}
    view.learn_names({i for idxs in located.values() for i in idxs})
    parser = Geoparser(gaz)
    results: list[dict[str, object]] = []
    for case in cases:
        control = outcome(parser, case)
        undo = [change for idx in located[case.wof_id] for change in view.hold_out(idx, case)]
        try:
            held = outcome(parser, case)
        finally:
            restore(undo)
        results.append({"case": case, "family": family(case.cc), "held": held, "control": control,
                        "in_index": bool(located[case.wof_id])})
    return results, sum(bool(v) for v in located.values())


def _row(label: str, groups: list[list[dict[str, object]]], cond: str) -> str:
    """One table row; with several groups, each rate is the mean over the groups (families weigh equally)."""
    def rate(pred: object) -> float:
        return sum(sum(pred(r) for r in g) / len(g) for g in groups) / len(groups)  # type: ignore[operator]
    cells = [f"{rate(lambda r, o=o: r[cond][0] == o):.3f}" for o in OUTCOMES]  # type: ignore[index]
    n = sum(len(g) for g in groups)
    return f"| {label} | {cond} | {n} | {rate(lambda r: r['in_index']):.3f} | " + " | ".join(cells) + " |"


def table(results: list[dict[str, object]]) -> str:
    """The markdown table: overall, then each family, held out and control."""
    by_family: dict[str, list[dict[str, object]]] = defaultdict(list)
    for r in results:
        by_family[str(r["family"])].append(r)
    order = [f for f in [*FAMILIES, OTHER] if f in by_family]
    lines = ["| places | spelling | n | place in index | within 25 km | nothing placed | 25-1,000 km | > 1,000 km |",
             "|---|---|---|---|---|---|---|---|"]
    for cond in ("held", "control"):
        lines.append(_row("all (families weigh equally)", [by_family[f] for f in order], cond))
    for fam in order:
        ccs = sorted({r["case"].cc for r in by_family[fam]})  # type: ignore[attr-defined]
        for cond in ("held", "control"):
            lines.append(_row(f"{fam} ({' '.join(ccs)})" if fam == OTHER else fam, [by_family[fam]], cond))
    return "\n".join(lines).replace("| held |", "| held out |").replace("| control |", "| in index (control) |")


def load_index(path: Path | None) -> tuple[Gazetteer, str]:
    """The pickled index at ``path``, or the default cached one (built if missing); and its file name."""
    if path is None:
        from conflictmap.config import load_settings
        from conflictmap.geo.loader import cache_path, load_gazetteer
        return load_gazetteer(), cache_path(load_settings()).name
    with path.open("rb") as fh:
        return pickle.load(fh), path.name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1000, help="places to sample (default 1000)")
    parser.add_argument("--countries", default="", help="comma-separated ISO2 codes (default: every layer country)")
    parser.add_argument("--index", type=Path, default=None, help="a gazetteer-*.pickle (default: the cached index)")
    parser.add_argument("--misses", type=int, default=0, help="also print this many held-out cases not within 25 km")
    args = parser.parse_args(argv)
    every = sorted({p.name.split(".")[0] for p in LAYER_DIR.glob("*.tsv.gz")} - {"XS"})
    countries = [c.strip().upper() for c in args.countries.split(",") if c.strip()] or every
    t0 = time.perf_counter()
    cases = sample_cases(read_candidates(countries), args.n)
    if not cases:
        print("no places with two spellings in those countries", file=sys.stderr)
        return 2
    gaz, name = load_index(args.index)
    t1 = time.perf_counter()
    results, held = run(gaz, cases)
    print(table(results))
    print(f"\n{len(cases)} places, {held} held by the index ({name}, {len(gaz):,} places); "
          f"read {t1 - t0:.0f} s, ran {time.perf_counter() - t1:.0f} s")
    misses = [r for r in results if r["held"][0] != "near"][:args.misses]  # type: ignore[index]
    for r in misses:
        c: Case = r["case"]  # type: ignore[assignment]
        print(f"{r['held'][0]:5} {c.cc} {c.surface!r:28} [{r['held'][1]}] control={r['control'][0]}  {c.text!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
