with latest as (
    {{ dedupe_latest(source('raw', 'prohandel_inventory'), ['snapshot_date', 'branch_id', 'article_id']) }}
)

select
    tenant_id,
    cast(snapshot_date as date) as snapshot_date,
    cast(branch_id as varchar) as store_id,
    cast(article_id as varchar) as product_id,
    cast(on_hand as integer) as on_hand_units,
    cast(on_order as integer) as on_order_units
from latest
