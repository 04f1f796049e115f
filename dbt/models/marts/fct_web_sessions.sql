-- GA4 traffic per day x source x medium x device. Summed over GA4 properties, so a tenant with
-- two properties (e.g. two shop domains) still has one row per grain.
select
    tenant_id,
    session_date,
    source,
    medium,
    device_category,
    sum(sessions) as sessions,
    sum(engaged_sessions) as engaged_sessions,
    sum(add_to_carts) as add_to_carts,
    sum(transactions) as transactions,
    sum(purchase_revenue) as purchase_revenue
from {{ ref('stg_ga4__sessions') }}
group by tenant_id, session_date, source, medium, device_category
