"""The production `ReportSource`: insight reports and catalog values from the semantic layer.

Both go through the semantic layer's tenant guard; the tenant's profile (name, currency, locale)
comes from whichever tenant directory the caller has (app database in the service, warehouse
registry in the CLI).
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from assistant.channels.digests.focus import TenantValues, tenant_values
from assistant.core.insights.model import InsightReport
from assistant.core.insights.periods import Cadence
from assistant.core.insights.report import build_report
from assistant.core.tenants import TenantProfile
from semantic_layer.facade import SemanticLayer


class ProfileLookup(Protocol):
    def get(self, tenant_id: str) -> TenantProfile: ...


class SemanticReportSource:
    def __init__(self, layer: SemanticLayer, tenants: ProfileLookup) -> None:
        self.layer = layer
        self.tenants = tenants

    def report(self, tenant_id: str, as_of: dt.date, cadence: Cadence) -> InsightReport:
        return build_report(self.layer, self.tenants.get(tenant_id), as_of, cadence=cadence)

    def values(self, tenant_id: str) -> TenantValues:
        return tenant_values(self.layer, tenant_id, self.layer.catalog)
