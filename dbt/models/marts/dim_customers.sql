-- Loyalty customers with an RFM segment. Scores are computed per tenant as of that tenant's
-- last sale date: R = days since the last purchase, F = number of purchase receipts,
-- M = net spend (returns deducted). Each is scored 1..5 by percentile within the tenant
-- (percent_rank, so customers with equal values share a score), then mapped to a named segment.
with tenant_as_of as (
    select tenant_id, max(sale_date) as as_of_date
    from {{ ref('fct_sales') }}
    group by tenant_id
),

purchases as (
    select
        tenant_id,
        customer_id,
        max(case when not is_return then sale_date end) as last_purchase_date,
        count(distinct case when not is_return then receipt_key end) as purchase_count,
        sum(net_amount) as net_spend
    from {{ ref('fct_sales') }}
    where customer_id is not null
    group by tenant_id, customer_id
),

buyers as (
    select
        purchases.tenant_id,
        purchases.customer_id,
        {{ dbt.datediff('purchases.last_purchase_date', 'tenant_as_of.as_of_date', 'day') }}
            as days_since_last_purchase,
        purchases.purchase_count,
        purchases.net_spend
    from purchases
    inner join tenant_as_of on purchases.tenant_id = tenant_as_of.tenant_id
    where purchases.last_purchase_date is not null
),

scored as (
    select
        tenant_id,
        customer_id,
        purchase_count,
        least(5, 1 + cast(floor(5 * percent_rank() over (
            partition by tenant_id order by days_since_last_purchase desc
        )) as integer)) as recency_score,
        least(5, 1 + cast(floor(5 * percent_rank() over (
            partition by tenant_id order by purchase_count
        )) as integer)) as frequency_score,
        least(5, 1 + cast(floor(5 * percent_rank() over (
            partition by tenant_id order by net_spend
        )) as integer)) as monetary_score
    from buyers
),

segmented as (
    select
        tenant_id,
        customer_id,
        recency_score,
        frequency_score,
        monetary_score,
        case
            when recency_score >= 4 and (frequency_score + monetary_score) >= 8 then 'champions'
            when recency_score >= 3 and (frequency_score + monetary_score) >= 6 then 'loyal'
            when recency_score >= 4 and purchase_count = 1 then 'new'
            when recency_score >= 3 then 'potential_loyalist'
            when (frequency_score + monetary_score) >= 6 then 'at_risk'
            when recency_score = 2 then 'hibernating'
            else 'lost'
        end as rfm_segment
    from scored
)

select
    customers.tenant_id,
    customers.customer_id,
    customers.city,
    customers.loyalty_tier,
    customers.signup_date,
    customers.home_store_id,
    coalesce(
        segmented.rfm_segment,
        -- never bought: a recent sign-up is new, an old one is lost
        case
            when tenant_as_of.as_of_date is null
                or customers.signup_date > {{ dbt.dateadd('day', -90, 'tenant_as_of.as_of_date') }}
                then 'new'
            else 'lost'
        end
    ) as rfm_segment,
    segmented.recency_score,
    segmented.frequency_score,
    segmented.monetary_score
from {{ ref('stg_prohandel__customers') }} as customers
left join tenant_as_of on customers.tenant_id = tenant_as_of.tenant_id
left join segmented
    on customers.tenant_id = segmented.tenant_id
    and customers.customer_id = segmented.customer_id
