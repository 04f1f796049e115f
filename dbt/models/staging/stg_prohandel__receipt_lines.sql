with latest as (
    {{ dedupe_latest(source('raw', 'prohandel_receipt_lines'), ['receipt_id', 'line_number']) }}
)

select
    tenant_id,
    -- receipt ids are globally unique, so this line id is unique across tenants too
    cast(receipt_id as varchar) || '-' || cast(line_number as varchar) as sale_line_id,
    cast(receipt_id as varchar) as receipt_id,
    cast(line_number as integer) as line_number,
    cast(article_id as varchar) as product_id,
    cast(quantity as integer) as quantity,
    cast(unit_price as decimal(12, 2)) as unit_price,
    cast(gross_amount as decimal(14, 2)) as gross_amount,
    cast(discount_amount as decimal(14, 2)) as discount_amount,
    cast(net_amount as decimal(14, 2)) as net_amount,
    cast(cost_amount as decimal(14, 2)) as cost_amount
from latest
