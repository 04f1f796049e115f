with latest as (
    {{ dedupe_latest(source('raw', 'prohandel_receipts'), ['receipt_id']) }}
)

select
    tenant_id,
    cast(receipt_id as varchar) as receipt_id,
    cast(branch_id as varchar) as store_id,
    cast(customer_id as varchar) as customer_id,
    cast(booked_at as timestamp) as sold_at,
    lower(cast(receipt_type as varchar)) = 'return' as is_return
from latest
