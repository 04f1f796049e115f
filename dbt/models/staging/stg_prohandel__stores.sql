-- ProHandel "branches" in contract vocabulary: a branch is a store; the online shop is a store
-- with store_type 'online'.
with latest as (
    {{ dedupe_latest(source('raw', 'prohandel_branches'), ['branch_id']) }}
)

select
    tenant_id,
    cast(branch_id as varchar) as store_id,
    cast(branch_number as integer) as store_number,
    cast(name as varchar) as store_name,
    cast(city as varchar) as city,
    cast(region as varchar) as region,
    upper(cast(country as varchar)) as country,
    lower(cast(branch_type as varchar)) as store_type,
    cast(opening_date as date) as opened_on,
    cast(sales_area_sqm as double) as selling_area_sqm
from latest
