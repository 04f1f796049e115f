"""Open the lake's Iceberg catalog: a SQL catalog (SQLite beside a local lake by default).

The catalog only holds pointers to table metadata; the Parquet data and Iceberg metadata live under
the lake root, which is a local directory by default and S3 when the root is an `s3://` URI (the
catalog database must then be given explicitly, since SQLite cannot live in a bucket).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pyiceberg.catalog.sql import SqlCatalog

from ingestion.lake.errors import LakeConfigError


@dataclass(frozen=True)
class LakeLocation:
    """Where the lake is: its root (a directory or an s3:// URI) and its catalog database URL."""

    root: str
    catalog_uri: str | None = None

    @property
    def is_local(self) -> bool:
        return "://" not in self.root or self.root.startswith("file://")

    @property
    def local_root(self) -> Path:
        return Path(self.root.removeprefix("file://")).resolve()


def open_catalog(location: LakeLocation) -> SqlCatalog:
    """The catalog named `mercurios`; creates the local root and its SQLite file on first use."""
    if location.is_local:
        root = location.local_root
        root.mkdir(parents=True, exist_ok=True)
        warehouse = root.as_uri()
        uri = location.catalog_uri or f"sqlite:///{root / 'catalog.db'}"
    else:
        if not location.catalog_uri:
            raise LakeConfigError(
                f"lake root {location.root} is remote: set MERCURIOS_LAKE_CATALOG_URI to a SQL database URL"
            )
        warehouse, uri = location.root, location.catalog_uri
    return SqlCatalog("mercurios", uri=uri, warehouse=warehouse)
