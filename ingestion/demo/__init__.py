"""Deterministic demo data: three retail tenants with two years of history in the raw schema.

Public API: `generate_demo`, `DemoSummary`, `TENANT_PROFILES`, `PLANTED_ANOMALIES`.
"""

from ingestion.demo.anomalies import PLANTED_ANOMALIES, AnomalyKind, PlantedAnomaly
from ingestion.demo.generator import DemoSummary, UnknownTenantError, generate_demo
from ingestion.demo.profiles import BranchProfile, CategoryProfile, TenantProfile
from ingestion.demo.tenants import TENANT_PROFILES

__all__ = [
    "PLANTED_ANOMALIES",
    "TENANT_PROFILES",
    "AnomalyKind",
    "BranchProfile",
    "CategoryProfile",
    "DemoSummary",
    "PlantedAnomaly",
    "TenantProfile",
    "UnknownTenantError",
    "generate_demo",
]
