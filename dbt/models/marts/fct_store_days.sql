-- Helper for sales_per_sqm: one row per physical store (anything but the online shop) and
-- calendar day it was open, from its opening (at the earliest the tenant's first sale) to the
-- tenant's last sale date, carrying its selling area. The semantic layer takes the area on the
-- last day of a period (not summed over days), i.e. the selling area of the stores open then.
with tenant_range as (
    select tenant_id, min(sale_date) as first_date, max(sale_date) as last_date
    from {{ ref('fct_sales') }}
    group by tenant_id
),

stores as (
    select tenant_id, store_id, opened_on, selling_area_sqm
    from {{ ref('stg_prohandel__stores') }}
    where store_type <> 'online'
)

select
    stores.tenant_id,
    stores.tenant_id || '|' || stores.store_id || '|' || cast(spine.date_day as varchar) as store_day_id,
    stores.store_id,
    spine.date_day as store_day,
    coalesce(stores.selling_area_sqm, 0) as selling_area_sqm
from stores
inner join tenant_range on stores.tenant_id = tenant_range.tenant_id
inner join {{ ref('metricflow_time_spine') }} as spine
    on spine.date_day >= tenant_range.first_date
    and spine.date_day >= stores.opened_on
    and spine.date_day <= tenant_range.last_date
