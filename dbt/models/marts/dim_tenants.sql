select
    tenant_id,
    tenant_name,
    currency,
    timezone,
    country,
    locale
from {{ ref('stg_tenants') }}
