"""Sync one tenant's ProHandel data into the raw tables: page by page, resumable, validated.

The watermark of a resource is the largest `changedAt` of its last durably landed page; it is
written in the same transaction as that page's rows. A crash therefore loses at most the page in
flight, and the next run asks for records changed at or after the watermark: the boundary
records come again and the upsert on natural keys absorbs them. Every row is tagged with the
tenant of the *credentials* that fetched it; nothing in the payload can redirect it.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from prometheus_client import Counter

from ingestion.landing.batch import LandingBatch, LoadRecord, TableRows
from ingestion.landing.protocols import RawSink
from ingestion.prohandel.client import ClientStats, ProHandelClient
from ingestion.prohandel.prefetch import prefetched
from ingestion.prohandel.resources import RESOURCES, SOURCE, Resource
from ingestion.quality.validation import SchemaDrift, ValidatedPage, validate_page

log = logging.getLogger(__name__)

REJECTED_ROWS = Counter(
    "mercurios_ingest_rejected_rows", "Records quarantined by validation", ["source", "resource"]
)
QUALITY_ALERTS = Counter(
    "mercurios_ingest_quality_alerts",
    "Loads whose rejected share passed the threshold",
    ["source", "resource"],
)


@dataclass
class SyncReport:
    tenant_id: str
    load_id: str
    loads: list[LoadRecord] = field(default_factory=list)
    client: ClientStats = field(default_factory=ClientStats)
    alerts: list[str] = field(default_factory=list)

    def load(self, resource: str) -> LoadRecord:
        return next(r for r in self.loads if r.resource == resource)

    @property
    def rows_loaded(self) -> int:
        return sum(r.rows_loaded for r in self.loads)

    @property
    def rows_rejected(self) -> int:
        return sum(r.rows_rejected for r in self.loads)


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _tables(resource: Resource, page: ValidatedPage) -> tuple[TableRows, ...]:
    main = TableRows(resource.table, resource.key, page.columns, {f.column: f.kind for f in resource.fields})
    if resource.child is None or page.child_columns is None:
        return (main,)
    child = resource.child
    kinds = {child.parent_key_column: "str", **{f.column: f.kind for f in child.fields}}
    return (
        main,
        TableRows(child.table, child.key, page.child_columns, kinds, replace_by=child.parent_key_column),
    )


def sync_resource(
    client: ProHandelClient,
    sink: RawSink,
    resource: Resource,
    *,
    load_id: str,
    full_refresh: bool = False,
    page_size: int = 1000,
    alert_share: float = 0.01,
) -> LoadRecord:
    """Load every changed record of one resource; the load log row says how it went."""
    tenant_id = client.credentials.tenant_id
    started = utc_now()
    clock = time.perf_counter()
    record = LoadRecord(load_id, tenant_id, SOURCE, resource.name, full_refresh, started)
    sink.start_load(record)
    since = None if full_refresh else sink.watermark(tenant_id, SOURCE, resource.name)
    record.watermark = since
    drift = SchemaDrift()
    try:
        known = sink.known_keys(tenant_id)
        pages = client.pages(resource.name, changed_since=since, page_size=page_size)
        for api_page in prefetched(pages):
            validating = time.perf_counter()
            page = validate_page(resource, api_page.items, known)
            record.validation_s += time.perf_counter() - validating
            sink.land(
                LandingBatch(
                    tenant_id=tenant_id,
                    source=SOURCE,
                    resource=resource.name,
                    load_id=load_id,
                    loaded_at=utc_now(),
                    tables=_tables(resource, page),
                    rejected=tuple(page.rejected),
                    extras=tuple(page.extras),
                    watermark=page.max_changed_at,
                )
            )
            record.pages += 1
            record.rows_received += page.received
            record.rows_loaded += page.accepted
            record.rows_rejected += len(page.rejected)
            record.duplicates += page.duplicates
            if page.max_changed_at is not None and (
                record.watermark is None or page.max_changed_at > record.watermark
            ):
                record.watermark = page.max_changed_at
            drift.merge(page.drift)
        if full_refresh:
            tables = [resource.table] + ([resource.child.table] if resource.child else [])
            for table in tables:
                sink.sweep(tenant_id, table, started)
        record.status = "success"
    except BaseException as exc:
        record.status = "failed"
        record.error = f"{type(exc).__name__}: {exc}"[:1000]
        raise
    finally:
        record.finished_at = utc_now()
        record.duration_s = time.perf_counter() - clock
        record.schema_drift = {} if drift.is_empty else drift.as_dict()
        if record.rows_rejected:
            REJECTED_ROWS.labels(SOURCE, resource.name).inc(record.rows_rejected)
        sink.finish_load(record)
    share = record.rows_rejected / record.rows_received if record.rows_received else 0.0
    if share > alert_share:
        QUALITY_ALERTS.labels(SOURCE, resource.name).inc()
        log.warning(
            "data quality alert: %s/%s quarantined %d of %d records (%.1f%%) in load %s",
            tenant_id,
            resource.name,
            record.rows_rejected,
            record.rows_received,
            share * 100,
            load_id,
        )
    if not drift.is_empty:
        log.info("schema drift in %s/%s: %s", tenant_id, resource.name, drift.as_dict())
    return record


def sync_tenant(
    client: ProHandelClient,
    sink: RawSink,
    *,
    resources: Sequence[Resource] = RESOURCES,
    full_refresh: bool = False,
    page_size: int = 1000,
    alert_share: float = 0.01,
) -> SyncReport:
    """Load every resource for the client's tenant, in dependency order (branches before receipts)."""
    report = SyncReport(client.credentials.tenant_id, uuid.uuid4().hex)
    for resource in resources:
        rec = sync_resource(
            client,
            sink,
            resource,
            load_id=report.load_id,
            full_refresh=full_refresh,
            page_size=page_size,
            alert_share=alert_share,
        )
        report.loads.append(rec)
        share = rec.rows_rejected / rec.rows_received if rec.rows_received else 0.0
        if share > alert_share:
            report.alerts.append(
                f"{resource.name}: {rec.rows_rejected} of {rec.rows_received} records quarantined"
            )
    report.client = client.stats
    return report
