select
    tenant_id,
    store_id,
    store_name,
    city,
    region,
    country,
    store_type,
    opened_on,
    selling_area_sqm,
    store_type = 'online' as is_online
from {{ ref('stg_prohandel__stores') }}
