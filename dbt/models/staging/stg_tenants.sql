with latest as (
    {{ dedupe_latest(source('raw', 'tenants'), ['tenant_id']) }}
)

select
    cast(tenant_id as varchar) as tenant_id,
    cast(tenant_name as varchar) as tenant_name,
    upper(cast(currency as varchar)) as currency,
    cast(timezone as varchar) as timezone,
    upper(cast(country as varchar)) as country,
    cast(locale as varchar) as locale
from latest
