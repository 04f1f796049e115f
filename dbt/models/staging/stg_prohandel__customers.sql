with latest as (
    {{ dedupe_latest(source('raw', 'prohandel_customers'), ['customer_id']) }}
)

select
    tenant_id,
    cast(customer_id as varchar) as customer_id,
    cast(city as varchar) as city,
    lower(cast(loyalty_tier as varchar)) as loyalty_tier,
    cast(registered_on as date) as signup_date,
    cast(home_branch_id as varchar) as home_store_id
from latest
