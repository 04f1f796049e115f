with latest as (
    {{ dedupe_latest(source('raw', 'klaviyo_campaign_performance'), ['campaign_id']) }}
)

select
    tenant_id,
    cast(campaign_id as varchar) as campaign_id,
    cast(recipients as integer) as recipients,
    cast(delivered as integer) as delivered,
    cast(opens_unique as integer) as opens,
    cast(clicks_unique as integer) as clicks,
    cast(unsubscribes as integer) as unsubscribes,
    cast(conversions as integer) as attributed_orders,
    cast(conversion_value as decimal(14, 2)) as attributed_revenue
from latest
