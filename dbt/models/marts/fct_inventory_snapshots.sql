-- Weekly stock per store x product, taken on Sundays. `trailing_4_weeks_units_sold` (the net
-- units sold in the 28 days ending on the snapshot date, same store and product) is here so
-- that weeks_of_supply can be computed exactly at the snapshot, per store and product.
with snapshots as (
    select
        inv.tenant_id,
        inv.snapshot_date,
        inv.store_id,
        inv.product_id,
        inv.on_hand_units,
        inv.on_order_units,
        cast(inv.on_hand_units * products.unit_cost as decimal(16, 2)) as inventory_cost_value
    from {{ ref('stg_prohandel__inventory') }} as inv
    left join {{ ref('stg_prohandel__products') }} as products
        on inv.tenant_id = products.tenant_id
        and inv.product_id = products.product_id
),

daily_sales as (
    -- pre-aggregate to store x product x day so the range join below stays small
    select
        tenant_id,
        store_id,
        product_id,
        sale_date,
        sum(quantity) as units_sold
    from {{ ref('fct_sales') }}
    group by tenant_id, store_id, product_id, sale_date
),

trailing_sales as (
    select
        snapshots.tenant_id,
        snapshots.snapshot_date,
        snapshots.store_id,
        snapshots.product_id,
        sum(daily_sales.units_sold) as units_sold
    from snapshots
    inner join daily_sales
        on snapshots.tenant_id = daily_sales.tenant_id
        and snapshots.store_id = daily_sales.store_id
        and snapshots.product_id = daily_sales.product_id
        and daily_sales.sale_date <= snapshots.snapshot_date
        and daily_sales.sale_date > {{ dbt.dateadd('day', -28, 'snapshots.snapshot_date') }}
    group by snapshots.tenant_id, snapshots.snapshot_date, snapshots.store_id, snapshots.product_id
)

select
    snapshots.tenant_id,
    snapshots.snapshot_date,
    snapshots.store_id,
    snapshots.product_id,
    snapshots.on_hand_units,
    snapshots.on_order_units,
    snapshots.inventory_cost_value,
    coalesce(trailing_sales.units_sold, 0) as trailing_4_weeks_units_sold
from snapshots
left join trailing_sales
    on snapshots.tenant_id = trailing_sales.tenant_id
    and snapshots.snapshot_date = trailing_sales.snapshot_date
    and snapshots.store_id = trailing_sales.store_id
    and snapshots.product_id = trailing_sales.product_id
