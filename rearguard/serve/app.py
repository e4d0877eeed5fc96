"""The HTTP API and the map page (``rearguard serve``; docs/serve.md).

Read-only unless the server was given a token: the review POSTs need
``Authorization: Bearer TOKEN``. Every filter value goes into SQL as a parameter
(:mod:`.queries`); bad values are 400 with ``{"error": "one line"}``.
"""

import contextlib
import datetime as dt
import logging
import re
import secrets
import threading
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from importlib import resources
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Header, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response, StreamingResponse
from pydantic import BaseModel, Field

from ..errors import InputError, RearguardError, StoreError
from ..store import open_store, utc_now
from ..types import ControlChange, Event
from . import queries
from .cache import Cache, DropOnWrite
from .connections import Connections
from .formats import (
    FORMATS,
    MEDIA_TYPES,
    dumps,
    feature_bytes,
    render_events,
    render_features,
    render_page,
    row_json_bytes,
    stream,
)
from .limits import RateLimit
from .queries import EVENT_FIELDS, BadCursor, EventQuery

log = logging.getLogger("rearguard.serve")

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
EXPORT_BATCH = 1000
CACHE_MB = 256
Format = Literal["json", "csv", "geojson", "ndjson"]


class ApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class ErrorBody(BaseModel):
    error: str = Field(description="What was wrong, in one line.")


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "A bad parameter."},
    429: {"model": ErrorBody, "description": "Too many requests from this client."},
}
_PAGE_CONTENT: dict[str, dict[str, Any]] = {
    "application/json": {}, "text/csv": {}, "application/geo+json": {},
    "application/x-ndjson": {}}


def _message(error: RearguardError) -> str:
    # The library's messages name command-line options (--country); here they are
    # query parameters (country).
    return re.sub(r"^\[(E\d+)\] --([a-z-]+)",
                  lambda m: f"[{m.group(1)}] {m.group(2).replace('-', '_')}", error.message)


# -- parameters -------------------------------------------------------------------------

def _date(name: str, value: str | None) -> str | None:
    if value is None:
        return None
    text = value.strip()
    try:
        if len(text) != 10:
            raise ValueError
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise ApiError(400, f"{name}: expected a date YYYY-MM-DD, got {value!r}") from None


def parse_bbox(value: str | None) -> tuple[float, float, float, float] | None:
    if value is None:
        return None
    try:
        parts = tuple(float(x) for x in value.split(","))
    except ValueError:
        parts = ()
    if not queries.finite_bbox(parts) or parts[1] > parts[3] \
            or not (-90 <= parts[1] <= 90 and -90 <= parts[3] <= 90):
        raise ApiError(400, "bbox: expected min_lon,min_lat,max_lon,max_lat (finite "
                       f"numbers, min_lat <= max_lat), got {value!r}")
    return parts  # type: ignore[return-value]


def _sync_time(name: str, value: str | None) -> str | None:
    if value is None:
        return None
    from ..export import sync_time

    try:
        return sync_time(name, value)
    except RearguardError as e:
        raise ApiError(400, _message(e)) from None
    except (OverflowError, ValueError):
        raise ApiError(400, f"{name}: not a usable time: {value!r}") from None


def parse_fields(value: str | None) -> list[str] | None:
    if value is None or not value.strip():
        return None
    names = [n.strip() for n in value.split(",") if n.strip()]
    unknown = [n for n in names if n not in EVENT_FIELDS]
    if unknown:
        raise ApiError(400, f"fields: unknown field(s) {', '.join(map(repr, unknown))}; "
                       f"choose from {', '.join(EVENT_FIELDS)}")
    if "event_id_cnty" not in names:
        names.insert(0, "event_id_cnty")
    return list(dict.fromkeys(names))


def event_query(
    country: Annotated[str | None, Query(description="Country name or ISO 3166 code "
                                         "(Iraq, IQ, IRQ).")] = None,
    admin1: Annotated[str | None, Query(description="First-level subdivision.")] = None,
    date_from: Annotated[str | None, Query(description="First event date, YYYY-MM-DD.")
                         ] = None,
    date_to: Annotated[str | None, Query(description="Last event date, YYYY-MM-DD.")] = None,
    event_type: Annotated[str | None, Query(description="ACLED event type or sub-event "
                                            "type (Battles, Armed clash).")] = None,
    sub_event_type: Annotated[str | None, Query(description="ACLED sub-event type.")
                              ] = None,
    actor: Annotated[str | None, Query(description="Part of an actor's name.")] = None,
    bbox: Annotated[str | None, Query(description="min_lon,min_lat,max_lon,max_lat "
                                      "(min_lon > max_lon crosses the antimeridian).")
                    ] = None,
    rear_area: Annotated[bool | None, Query(description="Only rear-area attacks (true) or "
                                            "only the others (false).")] = None,
    min_confidence: Annotated[float | None, Query(ge=0, le=1)] = None,
    min_fatalities: Annotated[int | None, Query(ge=0, le=10**9)] = None,
    updated_since: Annotated[str | None, Query(
        description="Only events created or changed at or after this UTC time or date "
        "(the synced_at of an earlier response), for incremental sync.")] = None,
) -> EventQuery:
    from ..export import check_filters

    for name, text in (("country", country), ("admin1", admin1), ("actor", actor),
                       ("event_type", event_type), ("sub_event_type", sub_event_type)):
        if text is not None and "\x00" in text:
            raise ApiError(400, f"{name}: the NUL character is not allowed")
    try:
        check_filters(None, event_type=event_type, sub_event_type=sub_event_type)
    except RearguardError as e:
        raise ApiError(400, _message(e)) from None
    return EventQuery(
        country=country, admin1=admin1, date_from=_date("date_from", date_from),
        date_to=_date("date_to", date_to), event_type=event_type,
        sub_event_type=sub_event_type, actor=actor, bbox=parse_bbox(bbox),
        rear_area=rear_area, min_confidence=min_confidence, min_fatalities=min_fatalities,
        updated_since=_sync_time("updated_since", updated_since))


FieldsParam = Annotated[str | None, Query(
    description="Comma-separated event fields to return (event_id_cnty is always "
    "included); default: all.")]


# -- the application --------------------------------------------------------------------

def create_app(db: str | None, *, token: str | None = None, cors: Sequence[str] = (),
               max_limit: int = MAX_LIMIT, rate: float = 0.0, burst: int | None = None,
               threads: int = 8, map_page: bool = True, settings: Any = None,
               cache_mb: float = CACHE_MB, fast_pages: bool = True) -> FastAPI:
    """The API on the store at ``db`` (which must exist: StoreError E714 otherwise).

    ``token``: enables the review POSTs for requests bearing it; ``cors``: origins allowed
    to call from a browser (none by default); ``max_limit``: the largest page;
    ``rate``/``burst``: requests per second per client (0: no limit); ``threads``: the
    handler pool (and at most that many store connections); ``settings``: the extraction
    settings of ``POST /ingest`` (default: ``load_settings()``); ``cache_mb``: the
    megabytes of rendered events and counts kept while the store does not change (0:
    none; :mod:`.cache`); ``fast_pages``: answer the common page requests without
    FastAPI's parameter handling (:class:`FastPages`; the same answers)."""
    with open_store(db, create=False):  # exists, migrated; a one-line error otherwise
        pass
    connections = Connections(db)
    cache = Cache(int(cache_mb * 1_000_000))
    read_only = not token

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        import anyio.to_thread

        anyio.to_thread.current_default_thread_limiter().total_tokens = max(1, threads)
        try:
            yield
        finally:
            connections.close()

    app = FastAPI(
        title="rearguard", version=_version(), lifespan=lifespan,
        description="Conflict events coded the way ACLED codes them, with their sources, "
        "evidence and history; the control ledger; alerts. Read-only unless the server "
        "was started with --token. See docs/serve.md.")
    app.state.connections = connections
    app.state.cache = cache

    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse({"error": exc.message}, status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        parts = []
        for error in exc.errors()[:3]:
            where = ".".join(str(x) for x in error.get("loc", ()) if x not in ("query", "path",
                                                                               "body"))
            parts.append(f"{where or 'request'}: {error.get('msg', 'invalid')}")
        return JSONResponse({"error": "; ".join(parts)}, status_code=400)

    @app.exception_handler(RearguardError)
    async def _rearguard(_: Request, exc: RearguardError) -> JSONResponse:
        if exc.code == "E715":
            return JSONResponse({"error": _message(exc)}, status_code=404)
        if isinstance(exc, StoreError):
            log.error("store error: %s", exc.message)
            return JSONResponse({"error": exc.message}, status_code=503)
        return JSONResponse({"error": _message(exc)}, status_code=400)

    def page_response(request: Request, q: EventQuery, fmt: str, limit: int,
                      cursor: str | None, fields: list[str] | None, total: bool) -> Response:
        synced_at = utc_now()
        after = None
        if cursor is not None:
            try:
                after = queries.decode_cursor(cursor)
            except BadCursor:
                raise ApiError(400, "cursor: not a cursor this server handed out; use the "
                               "'next' URL of the previous page") from None
        db = connections.db()
        _check_country(connections, q)
        size = min(limit, max_limit)
        generation = cache.check(db)
        keys, more = queries.page_keys(db, q, limit=size, after=after)
        ids = [k["event_id_cnty"] for k in keys]
        headers = {"X-Synced-At": synced_at}
        def load_json(missing: list[str]) -> dict[str, bytes]:
            return {i: row_json_bytes(row) for i, row in queries.rows_by_id(db, missing).items()}

        def load_features(missing: list[str]) -> dict[str, bytes]:
            """Each feature (b"" for an event without a point: none on the page)."""
            points = {k["event_id_cnty"]: k for k in keys}
            bodies = cache.events(missing, generation, load_json)
            return {i: feature_bytes(i, points[i]["latitude"], points[i]["longitude"], body)
                    or b"" for i, body in zip(missing, bodies, strict=True) if body is not None}

        if fmt != "csv" and not fields:  # every field: each event's JSON or feature, cached
            items = cache.events(ids, generation, load_features, kind="geojson") \
                if fmt == "geojson" else cache.events(ids, generation, load_json)
            keys = [k for k, item in zip(keys, items, strict=True) if item is not None]
            found: list[bytes] = [item for item in items if item is not None]
        else:
            rows = queries.rows_by_id(db, ids)
            keys = [k for k in keys if k["event_id_cnty"] in rows]
        next_url = None
        if more and keys:
            next_url = str(request.url.include_query_params(
                cursor=queries.encode_cursor(queries.row_cursor(keys[-1]))))
            headers["Link"] = f'<{next_url}>; rel="next"'
        meta: dict[str, Any] = {"count": len(keys), "limit": size, "next": next_url,
                                "synced_at": synced_at}
        if total:
            meta["total"] = cache.count(("events", q), generation,
                                        lambda: queries.count_events(db, q))
        if fmt == "geojson" and not fields:
            content: bytes | str = render_features([f for f in found if f], meta)
        elif fmt != "csv" and not fields:
            content = render_events(fmt, keys, found, meta)
        else:
            events = [queries.row_event(rows[k["event_id_cnty"]]) for k in keys]
            content = render_page(fmt, events, fields, meta)
        return Response(content, media_type=MEDIA_TYPES[fmt], headers=headers)

    limit_doc = (f"Page size (default {DEFAULT_LIMIT}; larger values are clamped to "
                 f"{max_limit}).")

    @app.get("/events", tags=["events"], responses={**ERRORS, 200: {"content": _PAGE_CONTENT}})
    def list_events(
        request: Request, q: Annotated[EventQuery, Depends(event_query)],
        format: Annotated[Format, Query(description="json, csv (ACLED's 31 columns "
                                        "first), geojson or ndjson.")] = "json",
        limit: Annotated[int, Query(ge=1, le=10**9, description=limit_doc)] = DEFAULT_LIMIT,
        cursor: Annotated[str | None, Query(description="From the 'next' URL.")] = None,
        fields: FieldsParam = None,
        total: Annotated[bool, Query(description="Also count every match.")] = False,
    ) -> Response:
        """Events matching every filter, by event date (undated last) then id, one page
        at a time: follow `next` (also in the Link header) until it is null."""
        return page_response(request, q, format, limit, cursor, parse_fields(fields), total)

    @app.get("/events.{ext}", tags=["events"],
             responses={**ERRORS, 200: {"content": _PAGE_CONTENT}})
    def list_events_ext(
        request: Request, ext: Annotated[Format, Path(description="The format.")],
        q: Annotated[EventQuery, Depends(event_query)],
        limit: Annotated[int, Query(ge=1, le=10**9, description=limit_doc)] = DEFAULT_LIMIT,
        cursor: Annotated[str | None, Query()] = None, fields: FieldsParam = None,
        total: Annotated[bool, Query()] = False,
    ) -> Response:
        """`/events` in the format the extension names (`/events.csv`)."""
        return page_response(request, q, ext, limit, cursor, parse_fields(fields), total)

    def export_response(q: EventQuery, fmt: str, fields: list[str] | None) -> Response:
        _check_country(connections, q)

        def batches() -> Iterator[list[dict[str, Any]]]:
            after = None
            while True:
                rows, more = queries.page_of_rows(connections.db(), q, limit=EXPORT_BATCH,
                                                  after=after)
                if rows:
                    yield rows
                if not more or not rows:
                    return
                after = queries.row_cursor(rows[-1])

        suffix = {"ndjson": "ndjson", "geojson": "geojson", "csv": "csv", "json": "json"}[fmt]
        return StreamingResponse(
            stream(fmt, batches(), fields), media_type=MEDIA_TYPES[fmt],
            headers={"X-Synced-At": utc_now(),
                     "Content-Disposition": f'attachment; filename="events.{suffix}"'})

    @app.get("/export", tags=["events"], responses={**ERRORS, 200: {"content": _PAGE_CONTENT}})
    def export(q: Annotated[EventQuery, Depends(event_query)],
               format: Annotated[Format, Query()] = "csv",
               fields: FieldsParam = None) -> Response:
        """Every matching event in one streamed response (read from the store in batches
        of 1,000, never the whole dataset at once). CSV by default."""
        return export_response(q, format, parse_fields(fields))

    @app.get("/export.{ext}", tags=["events"],
             responses={**ERRORS, 200: {"content": _PAGE_CONTENT}})
    def export_ext(ext: Annotated[Format, Path()],
                   q: Annotated[EventQuery, Depends(event_query)],
                   fields: FieldsParam = None) -> Response:
        """`/export` in the format the extension names (`/export.geojson`)."""
        return export_response(q, ext, parse_fields(fields))

    @app.get("/events/{event_id_cnty}", tags=["events"],
             responses={**ERRORS, 404: {"model": ErrorBody}})
    def event_detail(
        event_id_cnty: str,
        context: Annotated[int, Query(ge=0, le=5000, description="Characters of article "
                                      "text shown before and after each evidence span.")
                           ] = 200,
        text: Annotated[bool, Query(description="Include each source's whole text.")
                        ] = False,
    ) -> Response:
        """One event (any status) with every source, its evidence spans in their article
        text, its status and edits, and its history (created, merged, revised, rejected)."""
        store = connections.store()
        event = store.get_event(event_id_cnty)
        if event is None:
            raise ApiError(404, f"no event {event_id_cnty!r} in this dataset")
        status = queries.event_status(connections.db(), event_id_cnty) or {}
        articles = queries.articles_by_id(connections.db(), event.article_ids, text=True)
        body = {"event": event.to_dict(), **status,
                "sources": _sources(event, articles, context, text),
                "history": store.history(event_id_cnty)}
        return Response(dumps(body), media_type="application/json")

    @app.get("/deleted", tags=["sync"], responses=ERRORS)
    def deleted(since: Annotated[str | None, Query(description="UTC time or date.")] = None,
                format: Annotated[Literal["json", "csv", "ndjson"], Query()] = "json"
                ) -> Response:
        """ACLED's deleted list: events rejected or no longer reported (at or after
        `since`), with when and why. Remove these ids from a copy."""
        from ..export.deletions import deletion_record

        synced_at = utc_now()
        rows = connections.store().deletions(_sync_time("since", since))
        records = [deletion_record(r) for r in rows]
        if format == "csv":
            import io

            from ..export import write_deletions

            out = io.StringIO()
            write_deletions(rows, "csv", out)
            return Response(out.getvalue(), media_type=MEDIA_TYPES["csv"])
        if format == "ndjson":
            return Response("".join(dumps(r) + "\n" for r in records),
                            media_type=MEDIA_TYPES["ndjson"])
        return Response(dumps({"count": len(records), "synced_at": synced_at,
                               "deleted": records}), media_type="application/json")

    @app.get("/control", tags=["control"], responses=ERRORS)
    def control(
        place: Annotated[str | None, Query(description="A place name (GeoNames' or the "
                                           "text's spelling: Shirqat).")] = None,
        at: Annotated[str | None, Query(description="The ledger as of this date, as "
                                        "GeoJSON: each place's latest statement.")] = None,
        bbox: Annotated[str | None, Query(description="With at: only places in it.")
                        ] = None,
    ) -> Response:
        """Who held a place when, with sources (`place=`), or the whole ledger as of a
        date (`at=`, GeoJSON)."""
        if (place is None) == (at is None):
            raise ApiError(400, "give either place= (who held it when) or at=DATE "
                           "(the ledger as of that date)")
        if place is not None:
            if "\x00" in place or not place.strip():
                raise ApiError(400, "place: expected a place name")
            records = connections.store().control(place=place)
            return Response(dumps({"place": place, "records": _control_records(
                connections, records)}), media_type="application/json")
        day = _date("at", at)
        assert day is not None
        records = queries.control_until(connections.db(), day, parse_bbox(bbox))
        return Response(dumps(_ledger_geojson(connections, records, day)),
                        media_type=MEDIA_TYPES["geojson"])

    @app.get("/control/{geonameid}", tags=["control"],
             responses={**ERRORS, 404: {"model": ErrorBody}})
    def control_place(geonameid: Annotated[int, Path(ge=0, le=2**62)]) -> Response:
        """Who held the place with this GeoNames id when, with sources."""
        records = queries.control_by_geonameid(connections.db(), geonameid)
        if not records:
            raise ApiError(404, f"no control records for GeoNames id {geonameid}")
        return Response(dumps({"geonameid": geonameid, "place": records[-1].place,
                               "records": _control_records(connections, records)}),
                        media_type="application/json")

    @app.get("/alerts", tags=["sync"], responses=ERRORS)
    def alerts(
        since: Annotated[str, Query(description="UTC time or date: alerts for what "
                                    "changed at or after it.")],
        rule: Annotated[list[str] | None, Query(description="rear-area, control or "
                                                "fatalities>=N[:PLACE]; default: "
                                                "rear-area and control.")] = None,
    ) -> Response:
        """What `rearguard watch` would have raised for the changes since a time:
        rear-area attacks, control changes, deadly events."""
        from ..alerts import evaluate, parse_rules

        start = _sync_time("since", since)
        assert start is not None
        try:
            rules = parse_rules(rule)
        except RearguardError as e:
            raise ApiError(400, _message(e)) from None
        synced_at = utc_now()
        view = _SinceView(connections, start)
        found = evaluate(rules, view, start, ledger_before=())
        return Response(dumps({"count": len(found), "since": start, "synced_at": synced_at,
                               "alerts": [a.to_dict() for a in found]}),
                        media_type="application/json")

    @app.get("/health", tags=["meta"])
    def health() -> Response:
        """The server and its store: backend, event count, whether writes are enabled."""
        db = connections.db()
        active = cache.count("active", cache.check(db), lambda: int(db.scalar(
            "SELECT COUNT(*) FROM events WHERE status = ?", ["active"])))
        body = {"status": "ok", "version": _version(), "backend": db.backend,
                "events": active,
                "read_only": read_only, "max_limit": max_limit}
        return Response(dumps(body), media_type="application/json")

    # -- review (POST, with the token) ------------------------------------------------

    def authorised(authorization: Annotated[str | None, Header()] = None) -> None:
        if read_only:
            raise ApiError(403, "this server is read-only: start it with --token to allow "
                           "review actions")
        scheme, _, given = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not secrets.compare_digest(
                given.strip().encode("utf-8", "surrogatepass"),
                (token or "").encode("utf-8")):
            raise ApiError(401, "a review action needs 'Authorization: Bearer TOKEN' with "
                           "the server's token")

    writes = {**ERRORS, 401: {"model": ErrorBody}, 403: {"model": ErrorBody},
              404: {"model": ErrorBody}}

    @app.post("/events/{event_id_cnty}/reject", tags=["review"], responses=writes,
              dependencies=[Depends(authorised)])
    def reject(event_id_cnty: str, body: Why) -> Response:
        """Take the event out of the dataset (it stays stored; listed by /deleted)."""
        from ..dataset import reject_event

        done = reject_event(connections.store(), event_id_cnty, body.why)
        return _done(event_id_cnty, "rejected" if done else "already rejected")

    @app.post("/events/{event_id_cnty}/restore", tags=["review"], responses=writes,
              dependencies=[Depends(authorised)])
    def restore(event_id_cnty: str, body: Why) -> Response:
        """Bring a rejected event back."""
        from ..dataset import restore_event

        done = restore_event(connections.store(), event_id_cnty, body.why)
        return _done(event_id_cnty, "restored" if done else "already active")

    @app.post("/events/{event_id_cnty}/edit", tags=["review"], responses=writes,
              dependencies=[Depends(authorised)])
    def edit(event_id_cnty: str, body: Edit) -> Response:
        """Set fields by hand (kept over every later report and re-extraction)."""
        from ..dataset import edit_event

        values = {k: ("" if v is None else str(v).lower() if isinstance(v, bool) else str(v))
                  for k, v in body.fields.items()}
        event = edit_event(connections.store(), event_id_cnty,
                           [f"{k}={v}" for k, v in values.items()], body.why)
        return Response(dumps({"event_id_cnty": event_id_cnty, "result": "edited",
                               "event": event.to_dict()}), media_type="application/json")

    @app.post("/sources/reject", tags=["review"], responses=writes,
              dependencies=[Depends(authorised)])
    def reject_source(body: SourceReject) -> Response:
        """Reject an article (id or URL) as a source; the events it fed are derived again."""
        from ..dataset import reject_source as run

        fed = run(connections.store(), body.article, body.why)
        return Response(dumps({"article": body.article, "result": "rejected",
                               "events": fed}), media_type="application/json")

    ingesting = _IngestLock(db)

    @app.post("/ingest", tags=["review"], responses=writes, dependencies=[Depends(authorised)])
    def ingest(body: Articles) -> Response:
        """Add articles to the dataset, as `rearguard ingest` does with a JSON Lines file
        (the same cleaning, identification, merge and change log; one at a time)."""
        import json
        import tempfile

        from ..dataset import ingest as run
        from ..settings import load_settings

        with tempfile.TemporaryDirectory() as folder:
            path = f"{folder}/articles.jsonl"
            with open(path, "w", encoding="utf-8") as out:
                for article in body.articles:
                    record = article.model_dump(exclude_none=True)
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
            with ingesting:
                report = run([path], store=connections.store(),
                             settings=settings or load_settings())
        errors = [" ".join(e.replace(path, "articles").split()) for e in report.errors]
        result = {"error": "; ".join(errors)} if errors else {}
        return Response(dumps({**result, "summary": report.summary().replace(path, "articles"),
                               "articles": report.articles, "seen": report.seen,
                               "revised": report.revised, "events_new": report.events_new,
                               "events_merged": report.events_merged,
                               "control": report.control, "errors": errors}),
                        media_type="application/json", status_code=400 if errors else 200)

    # -- the map ------------------------------------------------------------------------

    if map_page:
        from fastapi.staticfiles import StaticFiles

        static = resources.files("rearguard.serve") / "static"
        app.mount("/map", StaticFiles(directory=str(static), html=True), name="map")

        @app.get("/", include_in_schema=False)
        def root() -> RedirectResponse:
            return RedirectResponse("/map/")

    if cors:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=list(cors),
                           allow_methods=["GET"] + ([] if read_only else ["POST"]),
                           allow_headers=["Authorization", "Content-Type"],
                           expose_headers=["Link", "X-Synced-At"])
    if fast_pages:  # the innermost: after the rate limit and CORS, as the routes are
        app.add_middleware(FastPages, pages=page_response)  # type: ignore[arg-type]
    if rate > 0:
        app.add_middleware(RateLimit, rate=rate,  # type: ignore[arg-type]
                           burst=burst or max(1, int(rate * 2)))
    if not read_only:
        app.add_middleware(DropOnWrite, cache=cache)  # type: ignore[arg-type]
    return app


_FAST_PARAMETERS = frozenset((
    "country", "admin1", "date_from", "date_to", "event_type", "sub_event_type", "actor",
    "bbox", "rear_area", "updated_since", "format", "limit", "cursor", "fields", "total"))
_FAST_LIMIT = re.compile(r"[1-9][0-9]{0,8}")
_FAST_BOOLEAN = {"true": True, "false": False}
_FAST_PATHS = {"/events": None, **{f"/events.{f}": f for f in ("json", "csv", "geojson",
                                                                "ndjson")}}


class FastPages:
    """ASGI middleware: ``GET /events`` and ``/events.{ext}`` answered without FastAPI's
    parameter handling and routing (about half the CPU time of a page served from the
    cache), by the same ``page_response`` the routes call, with the same helpers checking
    the parameters. Only for a query whose every parameter is one of the routes' and is
    read here exactly as FastAPI reads it (an integer ``limit`` of plain digits, ``true``
    or ``false`` for a boolean, each parameter once); any other request, and any answer
    but a page (a bad parameter, a store error), goes the normal way, so errors and edge
    cases are FastAPI's own. ``tests/serve/test_api.py`` checks both ways give the same
    answers."""

    def __init__(self, app: Callable[..., Any], pages: Callable[..., Response]) -> None:
        self.app = app
        self.pages = pages

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        response = None
        if scope["type"] == "http" and scope["method"] == "GET" \
                and scope["path"] in _FAST_PATHS:
            arguments = self._arguments(scope)
            if arguments is not None:
                import anyio.to_thread

                try:
                    response = await anyio.to_thread.run_sync(
                        lambda: self.pages(Request(scope), *arguments))
                except Exception:  # answered the normal way below
                    response = None
        if response is None:
            await self.app(scope, receive, send)
            return
        await response(scope, receive, send)

    @staticmethod
    def _arguments(scope: Any) -> tuple[Any, ...] | None:
        from urllib.parse import parse_qsl

        pairs = parse_qsl(scope.get("query_string", b"").decode("latin-1"),
                          keep_blank_values=True)
        given = dict(pairs)
        if len(given) != len(pairs) or not _FAST_PARAMETERS.issuperset(given):
            return None
        fmt = _FAST_PATHS[scope["path"]]
        if fmt is None:
            fmt = given.pop("format", "json")
            if fmt not in FORMATS:
                return None
        elif "format" in given:
            return None
        limit = given.pop("limit", None)
        if limit is not None and not _FAST_LIMIT.fullmatch(limit):
            return None
        booleans: dict[str, bool | None] = {}
        for name in ("rear_area", "total"):
            text = given.pop(name, None)
            if text is not None and text not in _FAST_BOOLEAN:
                return None
            booleans[name] = None if text is None else _FAST_BOOLEAN[text]
        cursor, fields = given.pop("cursor", None), given.pop("fields", None)
        try:
            q = event_query(rear_area=booleans["rear_area"], **given)
            return (q, fmt, DEFAULT_LIMIT if limit is None else int(limit), cursor,
                    parse_fields(fields), bool(booleans["total"]))
        except Exception:  # a bad value: FastAPI says so, its way
            return None


OPTIONS_VARIABLE = "REARGUARD_SERVE_OPTIONS"


def app_from_environment() -> FastAPI:
    """The app of one of several server processes (``rearguard serve --workers N``):
    ``create_app``'s arguments come as JSON in the environment variable
    :data:`OPTIONS_VARIABLE`, which the command sets before uvicorn starts the processes."""
    import json
    import os

    from ..settings import Settings

    options = json.loads(os.environ[OPTIONS_VARIABLE])
    if options.get("settings") is not None:
        options["settings"] = Settings(**options["settings"])
    return create_app(options.pop("db"), **options)


class Why(BaseModel):
    why: str = Field(min_length=1, max_length=2000, description="Recorded in the change log.")


class Edit(Why):
    fields: dict[str, str | int | float | bool | None] = Field(
        min_length=1, max_length=50, description="Field values, e.g. {\"fatalities\": 81}.")


class SourceReject(Why):
    article: str = Field(min_length=1, max_length=4000, description="Article id or URL.")


class ArticleIn(BaseModel):
    text: str = Field(min_length=1, max_length=2_000_000)
    id: str | None = Field(None, max_length=500)
    published: str | None = Field(None, max_length=40, description="YYYY-MM-DD")
    title: str | None = Field(None, max_length=2000)
    url: str | None = Field(None, max_length=4000)
    source: str | None = Field(None, max_length=500)


class Articles(BaseModel):
    articles: list[ArticleIn] = Field(min_length=1, max_length=100)


class _IngestLock:
    """One ``POST /ingest`` at a time on a store, across the server's processes
    (``--workers``) too: a thread lock, then an exclusive lock on a file named after the
    store in the temporary folder (ingest assumes one writer)."""

    def __init__(self, db: str | None) -> None:
        import hashlib
        import tempfile

        digest = hashlib.sha1(str(db or "rearguard.db").encode("utf-8")).hexdigest()[:16]
        self.path = f"{tempfile.gettempdir()}/rearguard-serve-ingest-{digest}.lock"
        self._thread = threading.Lock()
        self._file: Any = None

    def __enter__(self) -> None:
        self._thread.acquire()
        try:
            import fcntl

            self._file = open(self.path, "a")  # closed in __exit__
            fcntl.flock(self._file, fcntl.LOCK_EX)
        except ImportError:  # no fcntl (Windows): one process
            self._file = None
        except BaseException:
            self._thread.release()
            raise

    def __exit__(self, *exc: object) -> None:
        try:
            if self._file is not None:
                self._file.close()  # releases the file lock
                self._file = None
        finally:
            self._thread.release()


def _done(event_id: str, result: str) -> Response:
    return Response(dumps({"event_id_cnty": event_id, "result": result}),
                    media_type="application/json")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("rearguard")
    except PackageNotFoundError:
        return "unknown"


def _check_country(connections: Connections, q: EventQuery) -> None:
    """A country that is neither a code or name pycountry knows nor in the data: 400 with
    close values (the export command's rule)."""
    if q.country is None:
        return
    from ..export import check_filters

    try:
        check_filters(connections.store(), country=q.country)
    except InputError as e:
        raise ApiError(400, _message(e)) from None


def _sources(event: Event, articles: dict[str, dict[str, Any]], context: int,
             with_text: bool) -> list[dict[str, Any]]:
    """Each source article with the evidence spans it holds, in their text."""
    sources = []
    only = event.article_ids[0] if len(event.article_ids) == 1 else None
    for article_id in event.article_ids:
        row = articles.get(article_id)
        text = (row or {}).get("text") or ""
        spans = []
        for item in event.evidence:
            if (item.article_id or only) != article_id:
                continue
            found = 0 <= item.start <= item.end <= len(text) \
                and text[item.start:item.end] == item.text
            span = {"field": item.field, "text": item.text, "start": item.start,
                    "end": item.end, "in_text": found}
            if found:
                span["before"] = text[max(0, item.start - context):item.start]
                span["after"] = text[item.end:item.end + context]
            spans.append(span)
        source: dict[str, Any] = {"article_id": article_id}
        if row is not None:
            source.update({k: row[k] for k in queries.ARTICLE_COLUMNS if k != "id"})
        if with_text:
            source["text"] = text
        source["evidence"] = spans
        sources.append(source)
    return sources


def _control_records(connections: Connections, records: list[ControlChange]
                     ) -> list[dict[str, Any]]:
    articles = queries.articles_by_id(connections.db(), (r.article_id for r in records))
    out = []
    for record in records:
        data = record.to_dict()
        row = articles.get(record.article_id)
        data["source"] = ({k: row[k] for k in ("url", "title", "source", "published")}
                          if row else None)
        out.append(data)
    return out


def _place_key(record: ControlChange) -> tuple[Any, ...]:
    if record.geonameid is not None:
        return ("id", record.geonameid)
    return ("at", round(record.latitude or 0.0, 4), round(record.longitude or 0.0, 4))


def _ledger_geojson(connections: Connections, records: list[ControlChange], day: str
                    ) -> dict[str, Any]:
    """One feature per place: its latest statement up to ``day`` (records come oldest
    first), with ``held_by``/``held_since`` from the latest statement that someone holds
    it (captured, retaken, liberated, held, handed over; the rear-area rule's kinds) and
    ``statements``, how many there were."""
    from ..control.rear import HOLDING_KINDS

    latest: dict[tuple[Any, ...], ControlChange] = {}
    holding: dict[tuple[Any, ...], ControlChange] = {}
    counts: dict[tuple[Any, ...], int] = {}
    for record in records:
        key = _place_key(record)
        latest[key] = record
        counts[key] = counts.get(key, 0) + 1
        if record.kind in HOLDING_KINDS and record.holder:
            holding[key] = record
    described = _control_records(connections, list(latest.values()))
    features = []
    for (key, record), properties in zip(latest.items(), described, strict=True):
        held = holding.get(key)
        properties.update(statements=counts[key], held_by=held.holder if held else None,
                          held_since=held.date if held else None)
        features.append({"type": "Feature", "id": record.geonameid,
                         "geometry": {"type": "Point",
                                      "coordinates": [round(record.longitude or 0.0, 6),
                                                      round(record.latitude or 0.0, 6)]},
                         "properties": properties})
    return {"type": "FeatureCollection", "at": day, "features": features}


class _SinceView:
    """What :func:`rearguard.alerts.evaluate` reads, narrowed to the changes since a time:
    the change log from then on and the control records of articles stored or changed
    since then (read in SQL, not the whole log)."""

    def __init__(self, connections: Connections, since: str) -> None:
        self._connections = connections
        self._since = since

    def history(self, event_id: str | None = None) -> list[dict[str, Any]]:
        return queries.history_since(self._connections.db(), self._since)

    def control(self) -> list[ControlChange]:
        return queries.control_of_articles_since(self._connections.db(), self._since)

    def get_event(self, event_id: str) -> Event | None:
        return self._connections.store().get_event(event_id)

    def event_meta(self, event_id: str) -> Any:
        return self._connections.store().event_meta(event_id)
