"""Reading the store: what the dashboard, the export and the CLI ask for."""
from __future__ import annotations

import json
from typing import Any, cast

from sqlalchemy import and_, case, distinct, exists, func, literal_column, or_, select
from sqlalchemy.engine import Engine

from conflictmap.model import (
    ArticleListRow,
    ArticleRow,
    CountryCount,
    DayCount,
    EventFilter,
    EventRow,
    EventSummary,
    Facets,
    GridCell,
    MapEventRow,
    MentionRow,
    PlaceCountRow,
    ReferenceRow,
    SourceRow,
)
from conflictmap.store import rollup
from conflictmap.store.rows import as_date, event_row, like_pattern
from conflictmap.store.schema import (
    MAP_COLUMNS,
    Scope,
    articles,
    corrections,
    daily_counts,
    event_actors,
    event_sources,
    events,
    mentions,
    range_clauses,
    reference_events,
)


class StoreReader:
    """The reading half of :class:`conflictmap.store.Store`."""

    engine: Engine
    #: Answer aggregates from the roll-up tables when the filter allows; tests
    #: turn it off to check both paths give the same answers.
    use_rollups: bool = True

    def is_empty(self) -> bool:
        """True when no article is stored."""
        with self.engine.connect() as conn:
            return conn.execute(select(articles.c.article_id).limit(1)).first() is None

    def data_version(self) -> str:
        """A token that every change of what the dashboard shows moves, and nothing else.

        Built from the articles (how many, the latest ``ingested_at``), the
        corrections (how many, the highest id) and the reference rows (how many),
        so an ingest, a correction, a reference import or a wipe each give a new
        token, while reruns of an unchanged store get the same one. Cheap: index
        reads only, no counter row that concurrent ingests would queue on.
        """
        counts = select(
            select(func.count()).select_from(articles).scalar_subquery(),
            select(func.max(articles.c.ingested_at)).scalar_subquery(),
            select(func.count()).select_from(corrections).scalar_subquery(),
            select(func.max(corrections.c.id)).scalar_subquery(),
            select(func.count()).select_from(reference_events).scalar_subquery(),
        )
        with self.engine.connect() as conn:
            row = conn.execute(counts).one()
        return "/".join("" if v is None else str(v) for v in row)

    def reference_count(self) -> int:
        """How many reference events are stored."""
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(reference_events)).scalar_one())

    def facets(self) -> Facets:
        """The values the dashboard's filters offer, and overall counts.

        Dates, types, countries and the event count come from the roll-ups; actors,
        first-level units and the article count from their own tables.
        """
        dc = daily_counts
        with self.engine.connect() as conn:
            lo, hi, n_events = conn.execute(
                select(func.min(dc.c.event_date), func.max(dc.c.event_date), func.coalesce(func.sum(dc.c.events), 0))
                .where(dc.c.events > 0)
            ).one()
            types = conn.execute(
                select(dc.c.event_type).where(dc.c.events > 0).distinct().order_by(dc.c.event_type)
            ).scalars().all()
            countries = conn.execute(
                select(dc.c.country_code).where(dc.c.events > 0, dc.c.country_code != "").distinct()
                .order_by(dc.c.country_code)
            ).scalars().all()
            actors = conn.execute(_distinct_actors()).scalars().all()
            admin1 = conn.execute(
                select(events.c.admin1).where(events.c.admin1 != "").distinct().order_by(events.c.admin1)
            ).scalars().all()
            n_articles = conn.execute(select(func.count()).select_from(articles)).scalar_one()
        return {
            "date_min": as_date(lo), "date_max": as_date(hi), "event_types": list(types),
            "actors": list(actors), "countries": list(countries), "admin1": list(admin1),
            "events": int(n_events), "articles": int(n_articles),
        }

    def _where(self, f: EventFilter) -> list[Any]:
        clauses = range_clauses(events, Scope.of(f))
        if f.actors:
            clauses.append(
                exists().where(event_actors.c.event_id == events.c.event_id, event_actors.c.actor.in_(f.actors))
            )
        if f.admin1:
            clauses.append(events.c.admin1.in_(f.admin1))
        if f.min_fatalities > 0:
            clauses.append(func.coalesce(events.c.fatalities_best, 0) >= f.min_fatalities)
        if f.max_geo_precision < 3:
            clauses.append(events.c.geo_precision <= f.max_geo_precision)
        if f.max_time_precision < 3:
            clauses.append(events.c.time_precision <= f.max_time_precision)
        if f.text.strip():
            pattern = like_pattern(f.text.strip())
            clauses.append(
                or_(
                    func.lower(events.c.excerpt).like(pattern, escape="\\"),
                    func.lower(articles.c.title).like(pattern, escape="\\"),
                    func.lower(events.c.place).like(pattern, escape="\\"),
                )
            )
        return clauses

    def _from(self, f: EventFilter) -> Any:
        """Events alone, or joined to articles when the filter searches titles.

        Skipping the join when it is not needed keeps aggregate queries on the
        covering index instead of one article lookup per event.
        """
        if f.text.strip():
            return events.join(articles, events.c.article_id == articles.c.article_id)
        return events

    def _event_select(self, f: EventFilter) -> Any:
        cols = [c for c in events.c if c.name != "surface_key"]
        return (
            select(*cols, articles.c.title, articles.c.url, articles.c.published)
            .select_from(events.join(articles, events.c.article_id == articles.c.article_id))
            .where(*self._where(f))
        )

    def query_events(self, f: EventFilter, limit: int | None = None) -> list[EventRow]:
        """Events matching the filter, newest first, one flat dict each."""
        stmt = self._event_select(f).order_by(events.c.event_date.desc(), events.c.event_id)
        if limit is not None:
            stmt = stmt.limit(limit)
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).mappings().all()
        return [event_row(r) for r in rows]

    def get_event(self, event_id: str) -> EventRow | None:
        """One event by id, shaped like a ``query_events`` row, or None."""
        stmt = self._event_select(EventFilter()).where(events.c.event_id == event_id)
        with self.engine.connect() as conn:
            row = conn.execute(stmt).mappings().first()
        return event_row(row) if row is not None else None

    def map_events(self, f: EventFilter, limit: int | None = None) -> list[MapEventRow]:
        """What a map marker and its popup need, for every matching event: a lean ``query_events``.

        Leaves out actors, offsets and provenance columns, so large layers cost
        less to fetch; ``event_date`` stays a ``date``.
        """
        cols = [events.c[name] for name in MAP_COLUMNS]
        stmt = (
            select(*cols, articles.c.title, articles.c.url)
            .select_from(events.join(articles, events.c.article_id == articles.c.article_id))
            .where(*self._where(f))
            .order_by(events.c.event_date.desc(), events.c.event_id)
        )
        if limit is not None:
            stmt = stmt.limit(limit)
        names = (*MAP_COLUMNS, "title", "url")
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).all()
        out = []
        for row in rows:
            d = dict(zip(names, row, strict=True))
            d["event_date"] = as_date(d["event_date"])
            out.append(cast(MapEventRow, d))
        return out

    def _rollups_answer(self, f: EventFilter) -> bool:
        return self.use_rollups and rollup.answers(f)

    def summary(self, f: EventFilter) -> EventSummary:
        """Events, reports, places and best-estimate fatalities in the filtered set.

        ``reports`` counts article reports behind the events: an incident three
        articles reported counts three (additive, unlike distinct articles, so
        the roll-ups can answer it).
        """
        with self.engine.connect() as conn:
            if self._rollups_answer(f):
                n, deaths, reports = rollup.totals(conn, f)
                n_places = rollup.count_places(conn, f) if n else 0
            else:
                n, n_places, deaths, reports = conn.execute(
                    select(
                        func.count(),
                        func.count(distinct(events.c.place_id)),
                        func.coalesce(func.sum(events.c.fatalities_best), 0),
                        func.coalesce(func.sum(events.c.sources), 0),
                    )
                    .select_from(self._from(f))
                    .where(*self._where(f))
                ).one()
        return {"events": int(n), "reports": int(reports), "places": int(n_places), "fatalities": int(deaths)}

    def counts_by_day(self, f: EventFilter) -> list[DayCount]:
        """Events per day and type in the filtered set."""
        with self.engine.connect() as conn:
            if self._rollups_answer(f):
                rows = rollup.per_day(conn, f)
            else:
                rows = conn.execute(
                    select(events.c.event_date, events.c.event_type, func.count())
                    .select_from(self._from(f))
                    .where(*self._where(f))
                    .group_by(events.c.event_date, events.c.event_type)
                    .order_by(events.c.event_date, events.c.event_type)
                ).all()
        return [DayCount(day=as_date(d), event_type=t, events=int(n)) for d, t, n in rows]

    def counts_by_country(self, f: EventFilter) -> list[CountryCount]:
        """Events and fatalities per country in the filtered set, most events first."""
        with self.engine.connect() as conn:
            if self._rollups_answer(f):
                rows = rollup.per_country(conn, f)
            else:
                n = func.count()
                rows = conn.execute(
                    select(func.coalesce(events.c.country_code, literal_column("''")), n,
                           func.coalesce(func.sum(events.c.fatalities_best), 0))
                    .select_from(self._from(f))
                    .where(*self._where(f))
                    .group_by(func.coalesce(events.c.country_code, literal_column("''")))
                    .order_by(n.desc())
                ).all()
        return [CountryCount(country_code=c or "", events=int(n), fatalities=int(d)) for c, n, d in rows]

    def grid_counts(self, f: EventFilter, cell_degrees: float) -> list[GridCell]:
        """Filtered events aggregated on a grid of ``cell_degrees`` cells, in the database.

        For wide views of large stores: one row per non-empty cell with the mean
        position of its events, so markers sit where the events are, not at cell
        corners. Whole multiples of ``CELL_DEGREES`` come from the roll-ups.
        """
        if cell_degrees <= 0:
            raise ValueError("cell_degrees must be positive")
        with self.engine.connect() as conn:
            if self._rollups_answer(f):
                cells = rollup.grid(conn, f, cell_degrees)
                if cells is not None:
                    return cells
            gy = func.floor(events.c.lat / cell_degrees)
            gx = func.floor(events.c.lon / cell_degrees)
            rows = conn.execute(
                select(gy, gx, func.avg(events.c.lat), func.avg(events.c.lon), func.count(),
                       func.coalesce(func.sum(events.c.fatalities_best), 0))
                .select_from(self._from(f))
                .where(*self._where(f))
                .group_by(gy, gx)
                .order_by(gy, gx)
            ).all()
        return [
            GridCell(lat=float(lat), lon=float(lon), events=int(n), fatalities=int(d))
            for _, _, lat, lon, n, d in rows
        ]

    def event_sources(self, event_id: str) -> list[SourceRow]:
        """Every article that reported an event, with the sentence it used."""
        stmt = (
            select(articles.c.article_id, articles.c.title, articles.c.url, articles.c.published,
                   event_sources.c.excerpt)
            .select_from(event_sources.join(articles, event_sources.c.article_id == articles.c.article_id))
            .where(event_sources.c.event_id == event_id)
            .order_by(articles.c.published, event_sources.c.excerpt_start)
        )
        with self.engine.connect() as conn:
            return [cast(SourceRow, dict(r)) for r in conn.execute(stmt).mappings().all()]

    def list_articles(self, text: str = "", limit: int = 200) -> list[ArticleListRow]:
        """Articles, newest first, optionally matching text in title or body."""
        n_events = select(func.count()).where(event_sources.c.article_id == articles.c.article_id).scalar_subquery()
        n_mentions = select(func.count()).where(mentions.c.article_id == articles.c.article_id).scalar_subquery()
        stmt = select(
            articles.c.article_id, articles.c.title, articles.c.published, articles.c.url, articles.c.agency,
            articles.c.dateline, articles.c.origin, n_events.label("events"), n_mentions.label("mentions"),
        )
        if text.strip():
            pattern = like_pattern(text.strip())
            stmt = stmt.where(or_(func.lower(articles.c.title).like(pattern, escape="\\"),
                                  func.lower(articles.c.body).like(pattern, escape="\\")))
        stmt = stmt.order_by(articles.c.published.desc(), articles.c.title).limit(limit)
        with self.engine.connect() as conn:
            return [cast(ArticleListRow, dict(r)) for r in conn.execute(stmt).mappings().all()]

    def get_article(self, article_id: str) -> ArticleRow | None:
        """One article with all its columns; ``warnings`` as a list."""
        with self.engine.connect() as conn:
            row = conn.execute(select(articles).where(articles.c.article_id == article_id)).mappings().first()
        if row is None:
            return None
        out = dict(row)
        out["warnings"] = json.loads(out["warnings"] or "[]")
        return cast(ArticleRow, out)

    def article_mentions(self, article_id: str) -> list[MentionRow]:
        """Place mentions of one article in text order."""
        stmt = select(mentions).where(mentions.c.article_id == article_id).order_by(mentions.c.start)
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).mappings().all()
        return [cast(MentionRow, {k: v for k, v in r.items() if k not in ("id", "surface_key")}) for r in rows]

    def article_events(self, article_id: str) -> list[EventRow]:
        """Events one article reported (including those merged into another article's event)."""
        reported = select(event_sources.c.event_id).where(event_sources.c.article_id == article_id)
        stmt = self._event_select(EventFilter()).where(events.c.event_id.in_(reported)).order_by(events.c.excerpt_start)
        with self.engine.connect() as conn:
            return [event_row(r) for r in conn.execute(stmt).mappings().all()]

    def places(self, text: str = "", limit: int = 500) -> list[PlaceCountRow]:
        """Every resolved place with its mention and event counts and the surfaces that named it.

        Most mentioned first; the place under ``PlaceRow``'s keys (``place`` is its name).
        """
        stmt = (
            select(
                mentions.c.place_id, func.max(mentions.c.place).label("place"), func.max(mentions.c.lat).label("lat"),
                func.max(mentions.c.lon).label("lon"), func.max(mentions.c.feature).label("feature"),
                func.max(mentions.c.country_code).label("country_code"), func.count().label("mentions"),
                func.max(case((mentions.c.resolved_by == "correction", 1), else_=0)).label("corrected"),
            )
            .where(mentions.c.place_id.is_not(None))
            .group_by(mentions.c.place_id)
            .order_by(func.count().desc(), func.max(mentions.c.place))
            .limit(limit)
        )
        if text.strip():
            pattern = like_pattern(text.strip())
            stmt = stmt.where(or_(func.lower(mentions.c.place).like(pattern, escape="\\"),
                                  mentions.c.surface_key.like(pattern, escape="\\")))
        with self.engine.connect() as conn:
            rows = [dict(r) for r in conn.execute(stmt).mappings().all()]
            ids = [r["place_id"] for r in rows]
            surfaces: dict[str, set[str]] = {}
            for pid, surface in conn.execute(
                select(mentions.c.place_id, mentions.c.surface).where(mentions.c.place_id.in_(ids)).distinct()
            ):
                surfaces.setdefault(pid, set()).add(surface)
            counts = dict(
                conn.execute(
                    select(events.c.place_id, func.count())
                    .where(events.c.place_id.in_(ids)).group_by(events.c.place_id)
                ).all()
            )
        for r in rows:
            r["surfaces"] = sorted(surfaces.get(r["place_id"], ()))
            r["events"] = int(counts.get(r["place_id"], 0))
            r["corrected"] = bool(r["corrected"])
        return cast(list[PlaceCountRow], rows)

    def query_reference(self, f: EventFilter, limit: int | None = None) -> list[ReferenceRow]:
        """Reference events (UCDP GED, ACLED) in the filter's date range and countries."""
        clauses = range_clauses(reference_events, Scope(f.date_from, f.date_to, countries=f.countries))
        if f.min_fatalities > 0:
            clauses.append(func.coalesce(reference_events.c.deaths_best, 0) >= f.min_fatalities)
        stmt = select(reference_events).where(and_(True, *clauses)).order_by(reference_events.c.event_date.desc())
        if limit is not None:
            stmt = stmt.limit(limit)
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).mappings().all()
        out = []
        for r in rows:
            d = dict(r)
            d["event_date"] = as_date(d["event_date"])
            d["date_end"] = as_date(d["date_end"])
            d["where"] = d.pop("where_text")
            out.append(cast(ReferenceRow, d))
        return out


def _distinct_actors() -> Any:
    """Every actor, in order, by walking the actor index one value at a time.

    A plain DISTINCT reads every (event, actor) row, two million at 1M events;
    this recursive walk does one index lookup per distinct actor, on both back ends.
    """
    ea = event_actors
    walk = select(func.min(ea.c.actor).label("actor")).cte("actor_walk", recursive=True)
    following = select(func.min(ea.c.actor)).where(ea.c.actor > walk.c.actor).scalar_subquery()
    walk = walk.union_all(select(following).where(walk.c.actor.is_not(None)))
    return select(walk.c.actor).where(walk.c.actor.is_not(None)).order_by(walk.c.actor)
