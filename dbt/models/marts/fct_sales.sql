-- One row per receipt line. Returns are their own receipts whose lines carry negative
-- quantity and amounts, so plain sums are net of returns.
--
-- Stored in (tenant_id, sold_at) order, hence also in sale_date order: a tenant's period then
-- reads only that tenant's and that period's row groups (DuckDB's zone maps, Snowflake's
-- micro-partition pruning) instead of every row group, and a receipt's lines lie next to each
-- other. Answers do not depend on the order.
select
    lines.tenant_id,
    lines.sale_line_id,
    lines.receipt_id,
    receipts.sold_at,
    cast(receipts.sold_at as date) as sale_date,
    receipts.store_id,
    lines.product_id,
    receipts.customer_id,
    case when stores.store_type = 'online' then 'online' else 'store' end as channel,
    lines.quantity,
    lines.gross_amount,
    lines.discount_amount,
    lines.net_amount,
    lines.cost_amount,
    receipts.is_return
from {{ ref('stg_prohandel__receipt_lines') }} as lines
inner join {{ ref('stg_prohandel__receipts') }} as receipts
    on lines.tenant_id = receipts.tenant_id
    and lines.receipt_id = receipts.receipt_id
left join {{ ref('stg_prohandel__stores') }} as stores
    on receipts.tenant_id = stores.tenant_id
    and receipts.store_id = stores.store_id
order by lines.tenant_id, receipts.sold_at
