"""Score ACLED-style event extraction on the hand-written events dev set, field by field.

    .venv/bin/python -m bench.events_dev [--jsonl PATH] [--region R] [--show-misses N] [--json]

``bench/events_dev/*.jsonl`` holds short reports written for this repo (see
its README), each describing one coded event, or none (gold ``event_type``
null: background, threats, denials, commentary). Every report goes through the
real pipeline, ``conflictmap.pipeline.process_article`` with the default
geoparser (loaded once), as an ``Article`` built from its title, text and
publication date.

The event that answers a report is the extracted event with the gold event
type if there is one, else the first extracted event. Field figures are over
all gold-positive reports (a report that gives no event counts as wrong for
every field), except where a narrower denominator is named:

- ``positives``: gold-positive reports giving at least one event;
- ``false events (neg)``: negative reports giving at least one event (lower is better);
- ``type`` / ``sub-type``: ACLED event type and sub-event type;
- ``date``: the exact day when the gold time precision is 1, within 7 days
  when it is 2, the same month when it is 3;
- ``place <= 25 km``: the event's mention point within 25 km of the gold point;
- ``deaths best (>0)``: ``fatalities_best`` exact, over reports with gold best > 0;
  ``deaths best (known)``: the same over reports with any known gold best, 0 included;
  ``deaths unknown kept``: extracted best is None, over reports whose gold best is null;
- ``actor1 type`` / ``actor2 type``: the ACLED actor type of the event's
  ``actor1`` / ``actor2`` as ``conflictmap.events.actors.actor_type`` reads it,
  over reports with that gold actor (n/a while the function does not exist);
- ``interaction``: the event's two-digit ACLED interaction code;
- ``civ targeting``: the event's ``civilian_targeting`` flag.

Prints one table, a column per region and one overall (``hits/denominator``
and the share); ``--json`` prints the same figures as JSON instead and
``--show-misses N`` adds the first N misses of every field, with the text and
what was extracted.
"""
from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "events_dev"
sys.path.insert(0, str(ROOT))

from conflictmap.model import Article, Event, haversine_km  # noqa: E402  (after the path set-up above)

#: The rows of the table, in order.
METRICS = (
    "positives", "false events (neg)", "type", "sub-type", "date", "place <= 25 km",
    "deaths best (>0)", "deaths best (known)", "deaths unknown kept",
    "actor1 type", "actor2 type", "interaction", "civ targeting",
)
#: The regions, in the order the table shows them.
REGIONS = ("syria-iraq", "somalia", "south-asia", "southeast-asia", "africa", "other")


@dataclass
class Tally:
    """Hits and denominators per metric, and the misses kept for ``--show-misses``."""

    n: int = 0
    counts: dict[str, list[int]] = field(default_factory=lambda: {m: [0, 0] for m in METRICS})

    def add(self, metric: str, ok: bool) -> None:
        """Count one scored report for ``metric``."""
        self.counts[metric][1] += 1
        self.counts[metric][0] += int(ok)


def load_reports(paths: list[Path]) -> list[dict[str, Any]]:
    """The reports of the given JSONL files, in file order.

    Parameters
    ----------
    paths : list of Path
        JSONL files, one report object a line.

    Returns
    -------
    list of dict
        The parsed reports.
    """
    reports: list[dict[str, Any]] = []
    for path in paths:
        with path.open(encoding="utf-8") as fh:
            reports.extend(json.loads(line) for line in fh if line.strip())
    return reports


def _actor_type_fn() -> Callable[[str], object] | None:
    """``conflictmap.events.actors.actor_type`` if it exists, else None."""
    try:
        mod = importlib.import_module("conflictmap.events.actors")
    except ImportError:
        return None
    fn = getattr(mod, "actor_type", None)
    return fn if callable(fn) else None


def _as_type(value: object) -> int | None:
    """An actor type code from what ``actor_type`` returned (int, numeric string or None)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    try:
        return int(str(value))
    except ValueError:
        return None


def _type_at(actor_type: Callable[..., object], name: str, ev: Event) -> int | None:
    """The actor's type in the event's country: a state's forces abroad are external (8) there."""
    country = ev.mention.place.country_code if ev.mention.place else ""
    try:
        return _as_type(actor_type(name, country_code=country))
    except TypeError:  # an actor_type without the country argument
        return _as_type(actor_type(name))


def pick_event(events: list[Event], gold_type: str | None) -> Event | None:
    """The event that answers a report: the first with the gold type, else the first of all.

    Parameters
    ----------
    events : list of Event
        What the pipeline extracted from the report.
    gold_type : str or None
        The gold ACLED event type.

    Returns
    -------
    Event or None
        The chosen event, None when nothing was extracted.
    """
    for ev in events:
        if gold_type and ev.event_type == gold_type:
            return ev
    return events[0] if events else None


def date_ok(gold: dict[str, Any], got: date) -> bool:
    """Whether an extracted date matches the gold date at the gold's time precision."""
    want = date.fromisoformat(gold["date"])
    precision = int(gold.get("time_precision") or 1)
    if precision == 1:
        return got == want
    if precision == 2:
        return abs((got - want).days) <= 7
    return (got.year, got.month) == (want.year, want.month)


def describe(ev: Event | None, actor_type: Callable[[str], object] | None) -> str:
    """One line saying what was extracted, for the misses listing."""
    if ev is None:
        return "no event"
    place = ev.mention.place
    where = f"{place.name} ({place.lat:.3f},{place.lon:.3f})" if place else "no place"
    a1 = f"{ev.actor1}/{_type_at(actor_type, ev.actor1, ev) if actor_type and ev.actor1 else '-'}"
    a2 = f"{ev.actor2}/{_type_at(actor_type, ev.actor2, ev) if actor_type and ev.actor2 else '-'}"
    return (f"{ev.event_type} / {ev.sub_event_type}; {ev.event_date} p{ev.time_precision}; {where}; "
            f"deaths {ev.fatalities_best}/{ev.fatalities_low}/{ev.fatalities_high}; "
            f"{a1} > {a2}; inter {ev.interaction}; civ {ev.civilian_targeting}")


def score_report(report: dict[str, Any], events: list[Event], tallies: list[Tally],
                 misses: dict[str, list[str]], actor_type: Callable[[str], object] | None) -> None:
    """Add one report's results to every tally in ``tallies``; note its misses.

    Parameters
    ----------
    report : dict
        The report with its gold answer.
    events : list of Event
        What the pipeline extracted.
    tallies : list of Tally
        Updated in place (its region's and the overall one).
    misses : dict of str to list of str
        Per metric, lines describing misses; appended to.
    actor_type : callable or None
        Reads an actor name's ACLED type; None while it does not exist.
    """
    gold = report["gold"]
    ev = pick_event(events, gold.get("event_type"))
    results: list[tuple[str, bool, str]] = []
    for t in tallies:
        t.n += 1
    if not gold.get("event_type"):
        results.append(("false events (neg)", bool(events), "negative"))
    else:
        results.append(("positives", ev is not None, gold["event_type"]))
        results.append(("type", ev is not None and ev.event_type == gold["event_type"], gold["event_type"]))
        results.append(("sub-type", ev is not None and ev.sub_event_type == gold["sub_event_type"],
                        gold["sub_event_type"]))
        results.append(("date", ev is not None and date_ok(gold, ev.event_date),
                        f"{gold['date']} p{gold['time_precision']}"))
        gp = gold["place"]
        place = ev.mention.place if ev is not None else None
        near = place is not None and haversine_km(gp["lat"], gp["lon"], place.lat, place.lon) <= 25
        results.append(("place <= 25 km", near, f"{gp['name']} ({gp['lat']},{gp['lon']})"))
        best = gold["fatalities"]["best"]
        got_best = ev.fatalities_best if ev is not None else None
        if best is None:
            results.append(("deaths unknown kept", ev is not None and got_best is None, "unknown"))
        else:
            if best > 0:
                results.append(("deaths best (>0)", ev is not None and got_best == best, str(best)))
            results.append(("deaths best (known)", ev is not None and got_best == best, str(best)))
        for metric, key, attr in (("actor1 type", "actor1", "actor1"), ("actor2 type", "actor2", "actor2")):
            want = gold.get(key)
            if want is None or actor_type is None:
                continue
            name = getattr(ev, attr, "") if ev is not None else ""
            results.append((metric, bool(name) and ev is not None and _type_at(actor_type, name, ev) == want["type"],
                            f"{want['name']}/{want['type']}"))
        results.append(("interaction", ev is not None and ev.interaction == gold["interaction"],
                        str(gold["interaction"])))
        results.append(("civ targeting", ev is not None and bool(ev.civilian_targeting) == gold["civilian_targeting"],
                        str(gold["civilian_targeting"])))
    for metric, ok, want in results:
        for t in tallies:
            t.add(metric, ok)
        if not ok:
            got = "; ".join(describe(e, actor_type) for e in events[:3]) if metric == "false events (neg)" \
                else describe(ev, actor_type)
            misses.setdefault(metric, []).append(
                f"  {report['id']}: {report['text'][:220]}\n      gold: {want}\n      got:  {got}")


def _cell(hits: int, den: int) -> str:
    return f"{hits / den:.3f} {hits}/{den}" if den else "n/a"


def print_table(tallies: dict[str, Tally]) -> None:
    """Print the metrics (rows) by region and overall (columns) as a Markdown table."""
    cols = list(tallies)
    print("| metric | " + " | ".join(cols) + " |")
    print("|---" * (len(cols) + 1) + "|")
    print("| n | " + " | ".join(str(tallies[c].n) for c in cols) + " |")
    for m in METRICS:
        print(f"| {m} | " + " | ".join(_cell(*tallies[c].counts[m]) for c in cols) + " |")


def main(argv: list[str] | None = None) -> int:
    """Run the pipeline on the dev set and print the figures.

    Parameters
    ----------
    argv : list of str, optional
        Command-line arguments (``sys.argv[1:]`` when None).

    Returns
    -------
    int
        The exit status: 0, or 2 when there is nothing to score.
    """
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jsonl", type=Path, action="append",
                        help="a JSONL file of reports (repeatable; default: every bench/events_dev/*.jsonl)")
    parser.add_argument("--region", help="score only this region")
    parser.add_argument("--show-misses", type=int, default=0, metavar="N", help="print the first N misses per field")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    reports = load_reports(args.jsonl or sorted(DATA.glob("*.jsonl")))
    if args.region:
        reports = [r for r in reports if r["region"] == args.region]
    if not reports:
        print("no reports to score", file=sys.stderr)
        return 2

    from conflictmap.pipeline import default_geoparser, process_article

    geoparser = default_geoparser()
    actor_type = _actor_type_fn()
    present = {r["region"] for r in reports}
    tallies = {r: Tally() for r in REGIONS if r in present}
    tallies.update({r: Tally() for r in sorted(present - set(REGIONS))})
    tallies["overall"] = Tally()
    misses: dict[str, list[str]] = {}
    errors = 0
    for report in reports:
        published = date.fromisoformat(report["published"]) if report.get("published") else None
        article = Article.create(report.get("title", ""), report["text"], published=published)
        try:
            _, events = process_article(article, geoparser)
        except Exception as exc:  # noqa: BLE001  (a crash on one report is scored as no event, and reported)
            errors += 1
            print(f"{report['id']}: {type(exc).__name__}: {exc}", file=sys.stderr)
            events = []
        score_report(report, list(events), [tallies[report["region"]], tallies["overall"]], misses, actor_type)

    if args.json:
        out = {name: {"n": t.n, **{m: {"hits": h, "n": d, "share": round(h / d, 4) if d else None}
                                   for m, (h, d) in t.counts.items()}}
               for name, t in tallies.items()}
        out["errors"] = errors  # type: ignore[assignment]
        out["actor_type_available"] = actor_type is not None  # type: ignore[assignment]
        print(json.dumps(out, indent=2))
    else:
        print_table(tallies)
        if errors:
            print(f"\n{errors} report(s) raised an error and were scored as giving no event")
        if actor_type is None:
            print("\nactor types: n/a (conflictmap.events.actors.actor_type does not exist yet)")
    if args.show_misses:
        for metric in METRICS:
            lines = misses.get(metric, [])
            if lines:
                print(f"\n## misses: {metric} ({len(lines)})")
                print("\n".join(lines[: args.show_misses]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
