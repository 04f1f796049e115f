-- One row per receipt line. Returns are their own receipts whose lines carry negative
-- quantity and amounts, so plain sums are net of returns.
--
-- Stored in (tenant_id, sold_at) order, hence also in sale_date order: a tenant's period then
-- reads only that tenant's and that period's row groups (DuckDB's zone maps, Snowflake's
-- micro-partition pruning) instead of every row group, and a receipt's lines lie next to each
-- other. Answers do not depend on the order.
--
-- receipt_key and customer_key are integer surrogates of receipt_id and customer_id, one-to-one
-- with them within a tenant (dense rank per tenant, numbered from 1 in each tenant, so a key
-- says nothing about another tenant's data). The distinct-count measures (orders, active
-- customers) count these keys: hashing 64-bit integers is several times cheaper than hashing
-- strings. They are rebuilt with the table and never shown; the string ids stay the entities.
with receipts as (
    select
        tenant_id,
        receipt_id,
        store_id,
        customer_id,
        sold_at,
        is_return,
        dense_rank() over (partition by tenant_id order by receipt_id) as receipt_key,
        case when customer_id is not null
            then dense_rank() over (partition by tenant_id order by customer_id)
        end as customer_key
    from {{ ref('stg_prohandel__receipts') }}
)

select
    lines.tenant_id,
    lines.sale_line_id,
    lines.receipt_id,
    cast(receipts.receipt_key as bigint) as receipt_key,
    receipts.sold_at,
    cast(receipts.sold_at as date) as sale_date,
    receipts.store_id,
    lines.product_id,
    receipts.customer_id,
    cast(receipts.customer_key as bigint) as customer_key,
    case when stores.store_type = 'online' then 'online' else 'store' end as channel,
    lines.quantity,
    lines.gross_amount,
    lines.discount_amount,
    lines.net_amount,
    lines.cost_amount,
    receipts.is_return
from {{ ref('stg_prohandel__receipt_lines') }} as lines
inner join receipts
    on lines.tenant_id = receipts.tenant_id
    and lines.receipt_id = receipts.receipt_id
left join {{ ref('stg_prohandel__stores') }} as stores
    on receipts.tenant_id = stores.tenant_id
    and receipts.store_id = stores.store_id
order by lines.tenant_id, receipts.sold_at
