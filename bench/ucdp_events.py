"""Death tolls, sides and event types that ConflictMap reads from real UCDP headlines.

    .venv/bin/python -m bench.ucdp_events [--ucdp ../shared/ucdp/ged191_syria.csv] [--n 1000] [--seed S]
                                          [--show-misses N] [--json]

What it measures
----------------
UCDP GED 19.1 (Syria, 2016-2019; read at run time from ``../shared/ucdp``, never copied
into the repository) keeps, for each event, the headline of its source report and the
human-coded deaths (``best``, ``low``, ``high``), the two sides (``side_a``, ``side_b``) and
the type of violence (1 state-based, 2 non-state, 3 one-sided). This samples ``--n``
single-source events (``number_of_sources == 1``, headline non-empty) by a hash of their
UCDP id (with ``--seed 0``, the default, the same order as ``bench/ucdp_headlines.py``;
another seed hashes ``"<seed>:<id>"``), makes each headline one article (body = the
headline, ``;`` made a sentence break as ``bench/ucdp_headlines.py`` does, a full stop
added when it ends without ``.``, ``!`` or ``?``; published = ``source_date``) and runs
``conflictmap.pipeline.process_article`` with the full offline geoparser. It reports:

* events: the share of headlines that give at least one event, and events per headline;
* tolls: our figure for a headline is the largest ``fatalities_best`` over its events
  (none when no event gives one). Over the headlines that state a toll (below): the share
  where it equals UCDP ``best``, where it lies in [``low``, ``high``], where we give no
  figure. Over the headlines that state none: the share where we (wrongly) give a positive
  figure. The same columns are given for all headlines, and for the toll headlines that
  belong to one UCDP event only (many SOHR headlines are daily round-ups, "63 were killed
  yesterday including ...", that UCDP splits into several events, none of which is the
  headline's total);
* sides: over the headlines where our events name an actor (union of ``actors``,
  ``actor1``, ``actor2``), the share where one of them maps to ``side_a`` or ``side_b``
  and where they cover both sides; the share where an event's ``actor1`` maps to
  ``side_a`` (strict) and to either side (either order: UCDP's order of non-state sides
  is not "who acted"), and where ``actor1``/``actor2`` map to the two sides. Each figure
  is given with UCDP's sides alone and with their allies (below). ``actor1``, ``actor2``
  and ``interaction`` may be unset by the extractor: those rows then show 0;
* type of violence against our event type: a compact crosstab (row: UCDP type; column:
  the type of the headline's first event, "-" for none), and the share of one-sided
  (type 3) headlines where an event is "Violence against civilians" or an explosion with
  ``civilian_targeting`` (with the same share for types 1 and 2 as the contrast).

The toll regex
--------------
A headline "states a toll" when a number and a death word stand within five words of
each other, in either order, with no ``.;:!?`` between them (``TOLL_RE``). A number is
digits (not part of a date, an ordinal or a decimal, and not a year 19xx/20xx) or a
number word (one..twenty, the tens, hundred(s), dozen(s), scores, thousand(s)), not
followed by a unit of time, distance or percent ("48 hours", "30 km"). The death words
are kill/kills/killed/killing, dead, die/dies/died/dying, death(s), martyr(s)/martyred,
bodies, corpses, toll, lives, slain, fatalities. "Casualties" is left out on purpose:
SOHR often uses it for deaths, but it also counts the wounded, and ConflictMap reads no
toll from it. So "63 were killed yesterday", "kill 8 civilians", "claims the lives of
20" and "raises the death toll to 66" state a toll; "Missile strikes target Douma cause
casualties" does not.

The side table
--------------
``SIDES`` maps each UCDP actor name (a side is a comma-separated list of them) to
ConflictMap actor names from ``data/vocab/actors.csv``: Government of Syria -> Syrian
government forces (and the generic government names the extractor may leave), IS -> IS,
SDF -> SDF, YPG, Kurdish forces, Civilians -> Civilians, Syrian insurgents -> every rebel
name ConflictMap has (Rebels, HTS, Free Syrian Army, Ahrar al-Sham, Jaysh al-Islam,
Faylaq al-Rahman, Nour al-Din al-Zenki, Turkish-backed rebels, al-Qaeda), named rebel
groups -> their own name (Rahman Corps -> Faylaq al-Rahman, Jabhat Fateh al-Sham -> HTS
and al-Qaeda, SNA -> Turkish-backed rebels and Free Syrian Army, ...) and the generic
Rebels, the governments of Turkey, Israel, Russia, Iraq and the USA -> Turkish, Israeli,
Russian, Iraqi, US forces. A rebel group missing from the table counts as "Rebels".
``ALLIES`` adds the supporting parties UCDP folds into a primary side (its codebook's
secondary warring parties; GED lists only the primary ones): Russian forces and
Hezbollah with the Government of Syria, the US-led coalition and US forces with the SDF
(UCDP codes coalition strikes on IS as IS - SDF), Turkish forces with the SNA and the
Turkish-backed operations rooms.

Data credit
-----------
UCDP GED 19.1, CC BY 4.0: Sundberg, Ralph, and Erik Melander, 2013, "Introducing the
UCDP Georeferenced Event Dataset", Journal of Peace Research 50(4): 523-532; Högbladh,
Stina, 2019, "UCDP GED Codebook version 19.1", Department of Peace and Conflict Research,
Uppsala University.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import html
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from conflictmap.model import EVENT_TYPES, Article, Event  # noqa: E402  (after the path set-up above)

DEFAULT_UCDP = ROOT.parent / "shared" / "ucdp" / "ged191_syria.csv"

# --- the toll regex -------------------------------------------------------------------------------

_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    "seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundreds?|"
    "dozens?|scores|thousands?"
)
_DIGITS = r"(?<![\w/.\-])(?!(?:19|20)\d\d\b)\d+(?:,\d{3})*(?![\w/]|[.,]\d)"
_UNIT = r"(?!\s+(?:hours?|days?|weeks?|months?|years?|km|kilomet(?:er|re)s?|miles?|met(?:er|re)s?|percent)\b|\s*%)"
NUMBER = rf"(?:{_DIGITS}|\b(?:{_NUMBER_WORDS})\b){_UNIT}"
DEATH_WORD = (
    r"\b(?:kill(?:s|ed|ing)?|dead|die[sd]?|dying|deaths?|martyr(?:s|ed)?|bodies|corpses|toll|lives|slain|"
    r"fatalities)\b"
)
_GAP = r"\s+(?:[^\s.;:!?]+\s+){0,5}"
#: A number and a death word within five words of each other, either order, in one sentence.
TOLL_RE = re.compile(rf"{NUMBER}{_GAP}{DEATH_WORD}|{DEATH_WORD}{_GAP}{NUMBER}", re.I)


def states_toll(headline: str) -> bool:
    """Whether a headline gives a death count by the toll regex (``TOLL_RE``).

    >>> states_toll("63 were killed yesterday"), states_toll("Missile strikes cause casualties")
    (True, False)
    """
    return TOLL_RE.search(headline) is not None


# --- the side table -------------------------------------------------------------------------------

#: Every rebel name ConflictMap's vocabulary has (``data/vocab/actors.csv``).
REBELS = frozenset({
    "Rebels", "HTS", "Free Syrian Army", "Ahrar al-Sham", "Jaysh al-Islam", "Faylaq al-Rahman",
    "Nour al-Din al-Zenki", "Turkish-backed rebels", "al-Qaeda",
})
_SYRIAN_GOVERNMENT = frozenset({"Syrian government forces", "{government}", "Government forces"})

#: UCDP actor name -> the ConflictMap actor names that stand for it.
SIDES: dict[str, frozenset[str]] = {
    "Government of Syria": _SYRIAN_GOVERNMENT,
    "IS": frozenset({"IS"}),
    "SDF": frozenset({"SDF", "YPG", "Kurdish forces"}),
    "PKK": frozenset({"Kurdish forces", "YPG"}),
    "Civilians": frozenset({"Civilians"}),
    "Syrian insurgents": REBELS,
    "Government of Turkey": frozenset({"Turkish forces"}),
    "Government of Israel": frozenset({"Israeli forces"}),
    "Government of Russia (Soviet Union)": frozenset({"Russian forces"}),
    "Government of Russia": frozenset({"Russian forces"}),
    "Government of Iraq": frozenset({"Iraqi forces", "Popular Mobilization Forces"}),
    "Government of United States of America": frozenset({"US forces", "US-led coalition"}),
    "Government of Iran": frozenset(),
    "Government of Jordan": frozenset(),
    "Hezbollah": frozenset({"Hezbollah"}),
    "HTS": frozenset({"HTS"}),
    "Jabhat Fateh al-Sham": frozenset({"HTS", "al-Qaeda"}),
    "al-Qaida": frozenset({"al-Qaeda"}),
    "Tanzim Hurras ad-Din": frozenset({"al-Qaeda"}),
    "Ahrar al-Sham": frozenset({"Ahrar al-Sham"}),
    "Jaysh al-Islam": frozenset({"Jaysh al-Islam"}),
    "Rahman Corps": frozenset({"Faylaq al-Rahman"}),
    "Nour al-Din al-Zenki": frozenset({"Nour al-Din al-Zenki"}),
    "FSA": frozenset({"Free Syrian Army"}),
    "Southern Front": frozenset({"Free Syrian Army"}),
    "SNA": frozenset({"Turkish-backed rebels", "Free Syrian Army"}),
    "Hawar Kilis Operations Room": frozenset({"Turkish-backed rebels", "Free Syrian Army"}),
    "National Front for Liberation": frozenset({"Free Syrian Army", "Ahrar al-Sham", "Nour al-Din al-Zenki"}),
    "Syrian Liberation Front": frozenset({"Ahrar al-Sham", "Nour al-Din al-Zenki"}),
}
#: Names that are not rebel groups (everything else non-governmental also matches "Rebels").
_NOT_REBELS = frozenset({"IS", "SDF", "PKK", "Civilians", "Hezbollah"})

#: Supporting parties UCDP folds into a primary side (GED lists only the primary ones).
ALLIES: dict[str, frozenset[str]] = {
    "Government of Syria": frozenset({"Russian forces", "Hezbollah"}),
    "SDF": frozenset({"US-led coalition", "US forces"}),
    "SNA": frozenset({"Turkish forces"}),
    "Hawar Kilis Operations Room": frozenset({"Turkish forces"}),
    "Government of Turkey": frozenset({"Turkish-backed rebels"}),
}


def side_names(side: str, *, allies: bool = False) -> tuple[frozenset[str], list[str]]:
    """The ConflictMap actor names that stand for a UCDP side.

    Parameters
    ----------
    side : str
        A UCDP ``side_a`` or ``side_b``: one actor name or a comma-separated list of them.
    allies : bool
        Also accept the supporting parties of ``ALLIES``.

    Returns
    -------
    tuple of (frozenset of str, list of str)
        The names, and the UCDP names the table does not list (a non-governmental one
        counts as "Rebels").
    """
    names: set[str] = set()
    unlisted: list[str] = []
    for part in (p.strip() for p in side.split(",")):
        if not part:
            continue
        mapped = SIDES.get(part)
        if mapped is None:
            unlisted.append(part)
            mapped = frozenset() if part.startswith("Government of") else frozenset({"Rebels"})
        names |= mapped
        if not part.startswith("Government of") and part not in _NOT_REBELS:
            names.add("Rebels")
        if allies:
            names |= ALLIES.get(part, frozenset())
    return frozenset(names), unlisted


# --- sampling and running -------------------------------------------------------------------------


def sample_events(path: Path, n: int, seed: int = 0) -> tuple[list[dict[str, str]], Counter[str]]:
    """``n`` single-source UCDP events with a headline, chosen by a hash of their id.

    Parameters
    ----------
    path : Path
        The UCDP GED CSV.
    n : int
        How many to take.
    seed : int
        0 orders by ``sha1(id)`` as ``bench/ucdp_headlines.py`` does; another value by
        ``sha1("<seed>:<id>")``.

    Returns
    -------
    tuple of (list of dict, Counter)
        The sampled rows, and how many UCDP events (any number of sources) each headline has.
    """
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    per_headline = Counter(r["source_headline"].strip() for r in rows if r["source_headline"].strip())
    rows = [r for r in rows if r["number_of_sources"] == "1" and r["source_headline"].strip()]

    def key(row: dict[str, str]) -> str:
        text = row["id"] if seed == 0 else f"{seed}:{row['id']}"
        return hashlib.sha1(text.encode()).hexdigest()

    rows.sort(key=key)
    return rows[:n], per_headline


def article_text(headline: str) -> str:
    """The article body for a headline: entities decoded, ``;`` a sentence break, a closing full stop."""
    text = html.unescape(headline).replace(";", ". ").strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def _published(row: dict[str, str]) -> date | None:
    for name in ("source_date", "date_start"):
        try:
            return date.fromisoformat(row.get(name, "").strip())
        except ValueError:
            continue
    return None


@dataclass
class Result:
    """One sampled UCDP event and what ConflictMap made of its headline."""

    row: dict[str, str]
    headline: str
    toll_stated: bool
    shared: bool
    events: list[Event] = field(default_factory=list)
    error: str = ""

    def _int(self, name: str) -> int:
        try:
            return int(self.row.get(name) or 0)
        except ValueError:
            return 0

    @property
    def best(self) -> int:
        """UCDP's best estimate."""
        return self._int("best")

    @property
    def low(self) -> int:
        """UCDP's low estimate."""
        return self._int("low")

    @property
    def high(self) -> int:
        """UCDP's high estimate."""
        return self._int("high")

    @property
    def toll_event(self) -> Event | None:
        """Our event with the largest ``fatalities_best`` (None when none gives a figure)."""
        given = [e for e in self.events if getattr(e, "fatalities_best", None) is not None]
        return max(given, key=lambda e: e.fatalities_best or 0) if given else None

    @property
    def ours(self) -> int | None:
        """Our figure: the largest ``fatalities_best`` over the headline's events."""
        event = self.toll_event
        return None if event is None else event.fatalities_best


def _actor1(event: Event) -> str:
    return str(getattr(event, "actor1", "") or "")


def _actor2(event: Event) -> str:
    return str(getattr(event, "actor2", "") or "")


def our_actors(events: Iterable[Event]) -> set[str]:
    """Every actor our events name: the union of ``actors``, ``actor1`` and ``actor2``."""
    names: set[str] = set()
    for event in events:
        names.update(a for a in (getattr(event, "actors", ()) or ()) if a)
        names.update(a for a in (_actor1(event), _actor2(event)) if a)
    return names


def run(rows: Sequence[dict[str, str]], per_headline: Counter[str]) -> list[Result]:
    """Process each sampled headline with the default geoparser (each distinct text once).

    Parameters
    ----------
    rows : sequence of dict
        Sampled UCDP rows.
    per_headline : Counter
        UCDP events per headline text (for the "one UCDP event" column).

    Returns
    -------
    list of Result
        One per row, in order. A headline the pipeline fails on keeps its error and no events.
    """
    from conflictmap.pipeline import default_geoparser, process_article

    geoparser = default_geoparser()
    cache: dict[tuple[str, date | None], tuple[list[Event], str]] = {}
    results: list[Result] = []
    for row in rows:
        raw = row["source_headline"].strip()
        text = article_text(raw)
        published = _published(row)
        if (text, published) not in cache:
            article = Article.create(title="", body=text, published=published)
            try:
                cache[text, published] = (list(process_article(article, geoparser)[1]), "")
            except Exception as exc:  # a benchmark reports a crash on one headline and goes on
                cache[text, published] = ([], f"{type(exc).__name__}: {exc}")
        events, error = cache[text, published]
        results.append(Result(row=row, headline=html.unescape(raw), toll_stated=states_toll(html.unescape(raw)),
                              shared=per_headline[raw] > 1, events=events, error=error))
    return results


# --- scoring --------------------------------------------------------------------------------------


def _share(num: int, den: int) -> float | None:
    return num / den if den else None


def toll_figures(results: Sequence[Result]) -> dict[str, Any]:
    """Toll agreement over a set of headlines.

    Returns
    -------
    dict
        ``n``; the shares ``exact`` (ours == best), ``within`` (low <= ours <= high),
        ``no_figure`` (we give none), ``no_event`` (no event at all, a part of ``no_figure``),
        ``positive`` (we give one above 0) and ``zero``.
    """
    n = len(results)
    ours = [(r.ours, r) for r in results]
    return {
        "n": n,
        "exact": _share(sum(o is not None and o == r.best for o, r in ours), n),
        "within": _share(sum(o is not None and r.low <= o <= r.high for o, r in ours), n),
        "no_figure": _share(sum(o is None for o, _ in ours), n),
        "no_event": _share(sum(not r.events for r in results), n),
        "positive": _share(sum(o is not None and o > 0 for o, _ in ours), n),
        "zero": _share(sum(o == 0 for o, _ in ours), n),
    }


def side_figures(results: Sequence[Result], *, allies: bool) -> dict[str, Any]:
    """Side agreement over the headlines whose events name an actor.

    Parameters
    ----------
    results : sequence of Result
        All the sampled headlines.
    allies : bool
        Whether UCDP's sides include their ``ALLIES``.

    Returns
    -------
    dict
        ``named`` (headlines naming any actor), the shares over them ``any_side``, ``both_sides``,
        ``actor1_side_a`` (strict), ``actor1_either`` and ``actor1_actor2_pair`` (either order),
        and ``with_actor1`` (headlines where an event has an ``actor1``).
    """
    named = any_side = both = strict = either = pair = with_actor1 = 0
    for r in results:
        ours = our_actors(r.events)
        if not ours:
            continue
        named += 1
        a, _ = side_names(r.row["side_a"], allies=allies)
        b, _ = side_names(r.row["side_b"], allies=allies)
        any_side += bool(ours & (a | b))
        both += bool(ours & a) and bool(ours & b)
        firsts = [(_actor1(e), _actor2(e)) for e in r.events]
        with_actor1 += any(x for x, _ in firsts)
        strict += any(x in a for x, _ in firsts if x)
        either += any(x in a or x in b for x, _ in firsts if x)
        pair += any((x in a and y in b) or (x in b and y in a) for x, y in firsts if x and y)
    return {
        "named": named,
        "any_side": _share(any_side, named),
        "both_sides": _share(both, named),
        "with_actor1": with_actor1,
        "actor1_side_a": _share(strict, named),
        "actor1_either": _share(either, named),
        "actor1_actor2_pair": _share(pair, named),
    }


_TOV = {"1": "1 state-based", "2": "2 non-state", "3": "3 one-sided"}
_SHORT = {
    "Battles": "Battles", "Explosions/Remote violence": "Expl/RV", "Violence against civilians": "VAC",
    "Protests": "Protests", "Riots": "Riots", "Strategic developments": "StratDev",
}


def _targets_civilians(event: Event) -> bool:
    return event.event_type == "Violence against civilians" or (
        event.event_type == "Explosions/Remote violence" and bool(getattr(event, "civilian_targeting", False)))


def violence_figures(results: Sequence[Result]) -> dict[str, Any]:
    """UCDP type of violence against our event types.

    Returns
    -------
    dict
        ``crosstab``: for each UCDP type, counts by the type of the headline's first event
        ("-" for none); ``civilian_targeted``: for each UCDP type, ``n`` and the share of
        headlines where an event is "Violence against civilians" or a civilian-targeting explosion.
    """
    crosstab: dict[str, Counter[str]] = {label: Counter() for label in _TOV.values()}
    targeted: dict[str, list[int]] = {label: [0, 0] for label in _TOV.values()}
    for r in results:
        label = _TOV.get(r.row["type_of_violence"], r.row["type_of_violence"])
        crosstab.setdefault(label, Counter())[r.events[0].event_type if r.events else "-"] += 1
        counts = targeted.setdefault(label, [0, 0])
        counts[0] += 1
        counts[1] += any(_targets_civilians(e) for e in r.events)
    return {
        "crosstab": {k: dict(v) for k, v in crosstab.items()},
        "civilian_targeted": {k: {"n": n, "share": _share(hit, n)} for k, (n, hit) in targeted.items()},
    }


def figures(results: Sequence[Result]) -> dict[str, Any]:
    """Every figure the benchmark reports, as one JSON-ready dict."""
    n = len(results)
    stated = [r for r in results if r.toll_stated]
    unlisted: Counter[str] = Counter()
    for r in results:
        for side in (r.row["side_a"], r.row["side_b"]):
            unlisted.update(side_names(side)[1])
    events = [e for r in results for e in r.events]
    return {
        "headlines": n,
        "errors": sum(bool(r.error) for r in results),
        "with_event": _share(sum(bool(r.events) for r in results), n),
        "events_per_headline": _share(len(events), n),
        "states_toll": _share(len(stated), n),
        "shared_headline": _share(sum(r.shared for r in results), n),
        "tolls": {
            "toll stated": toll_figures(stated),
            "toll stated, one UCDP event": toll_figures([r for r in stated if not r.shared]),
            "no toll stated": toll_figures([r for r in results if not r.toll_stated]),
            "all": toll_figures(results),
        },
        "sides": {"UCDP sides": side_figures(results, allies=False),
                  "with allies": side_figures(results, allies=True)},
        "events_with_actor1": sum(bool(_actor1(e)) for e in events),
        "events_with_interaction": sum(getattr(e, "interaction", None) is not None for e in events),
        "events": len(events),
        "unlisted_side_names": dict(unlisted.most_common()),
        "violence": violence_figures(results),
    }


# --- printing -------------------------------------------------------------------------------------


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def print_report(fig: dict[str, Any]) -> None:
    """Print the figures as compact markdown tables."""
    print(f"{fig['headlines']} headlines ({fig['errors']} pipeline errors); >= 1 event: {_pct(fig['with_event'])}; "
          f"events/headline: {fig['events_per_headline']:.2f}; state a toll: {_pct(fig['states_toll'])}; "
          f"headline shared with other UCDP events: {_pct(fig['shared_headline'])}")
    print()
    print("| tolls | n | ours == best | in [low, high] | no figure | (no event) | positive figure | zero |")
    print("|---|---|---|---|---|---|---|---|")
    for name, t in fig["tolls"].items():
        print(f"| {name} | {t['n']} | {_pct(t['exact'])} | {_pct(t['within'])} | {_pct(t['no_figure'])} "
              f"| {_pct(t['no_event'])} | {_pct(t['positive'])} | {_pct(t['zero'])} |")
    print()
    print("| sides (over headlines naming an actor) | named | any actor on a side | both sides "
          "| actor1 = side_a | actor1 either side | actor1/actor2 pair |")
    print("|---|---|---|---|---|---|---|")
    for name, s in fig["sides"].items():
        print(f"| {name} | {s['named']} | {_pct(s['any_side'])} | {_pct(s['both_sides'])} "
              f"| {_pct(s['actor1_side_a'])} | {_pct(s['actor1_either'])} | {_pct(s['actor1_actor2_pair'])} |")
    print(f"events with actor1: {fig['events_with_actor1']}/{fig['events']}; with interaction: "
          f"{fig['events_with_interaction']}/{fig['events']}; UCDP side names not in the table: "
          + (", ".join(f"{k} ({v})" for k, v in fig["unlisted_side_names"].items()) or "none"))
    print()
    columns = [*EVENT_TYPES, "-"]
    print("| UCDP type \\ our first event | " + " | ".join(_SHORT.get(c, c) for c in columns)
          + " | VAC or civ-targeting expl |")
    print("|---|" + "---|" * (len(columns) + 1))
    for label, counts in fig["violence"]["crosstab"].items():
        target = fig["violence"]["civilian_targeted"][label]
        print(f"| {label} | " + " | ".join(str(counts.get(c, 0)) for c in columns)
              + f" | {_pct(target['share'])} (n={target['n']}) |")


def print_misses(results: Sequence[Result], limit: int) -> None:
    """Print up to ``limit`` toll headlines where our figure is not UCDP's best."""
    shown = 0
    for r in results:
        if shown >= limit:
            break
        if not r.toll_stated or r.ours == r.best:
            continue
        shown += 1
        event = r.toll_event
        ours = ("none" if event is None else
                f"{event.fatalities_best}/{event.fatalities_low}/{event.fatalities_high} "
                f"{getattr(event, 'deaths_phrase', '')!r}")
        note = " [shared]" if r.shared else ""
        print(f"UCDP {r.best}/{r.low}/{r.high}  ours {ours}{note}  {r.headline[:140]!r}"
              + (f"  ERROR {r.error}" if r.error else ""))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ucdp", type=Path, default=DEFAULT_UCDP)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0, help="0: the order of bench/ucdp_headlines.py")
    parser.add_argument("--show-misses", type=int, default=0, metavar="N",
                        help="also print N toll headlines where our figure is not UCDP's best")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if not args.ucdp.exists():
        print(f"no UCDP file at {args.ucdp}", file=sys.stderr)
        return 2
    rows, per_headline = sample_events(args.ucdp, args.n, args.seed)
    results = run(rows, per_headline)
    fig = figures(results)
    if args.json:
        print(json.dumps(fig, indent=2, ensure_ascii=False))
    else:
        print_report(fig)
    if args.show_misses:
        print()
        print_misses(results, args.show_misses)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
