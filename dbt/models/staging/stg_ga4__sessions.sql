with latest as (
    {{ dedupe_latest(
        source('raw', 'ga4_sessions_report'),
        ['property', 'date', 'session_source', 'session_medium', 'device_category']
    ) }}
)

select
    tenant_id,
    cast(property as varchar) as ga4_property,
    cast("date" as date) as session_date,
    lower(cast(session_source as varchar)) as source,
    lower(cast(session_medium as varchar)) as medium,
    lower(cast(device_category as varchar)) as device_category,
    cast(sessions as integer) as sessions,
    cast(engaged_sessions as integer) as engaged_sessions,
    cast(add_to_carts as integer) as add_to_carts,
    cast(transactions as integer) as transactions,
    cast(purchase_revenue as decimal(14, 2)) as purchase_revenue
from latest
