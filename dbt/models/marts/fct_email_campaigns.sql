-- Sent e-mail campaigns with their performance. Drafts and cancelled campaigns never reached
-- anyone, so they are not here. sent_at / send_date are in the tenant's local time.
select
    campaigns.tenant_id,
    campaigns.campaign_id,
    campaigns.campaign_name,
    {{ to_local_time('campaigns.sent_at_utc', 'tenants.timezone') }} as sent_at,
    cast({{ to_local_time('campaigns.sent_at_utc', 'tenants.timezone') }} as date) as send_date,
    coalesce(perf.recipients, 0) as recipients,
    coalesce(perf.delivered, 0) as delivered,
    coalesce(perf.opens, 0) as opens,
    coalesce(perf.clicks, 0) as clicks,
    coalesce(perf.unsubscribes, 0) as unsubscribes,
    coalesce(perf.attributed_orders, 0) as attributed_orders,
    coalesce(perf.attributed_revenue, 0) as attributed_revenue
from {{ ref('stg_klaviyo__campaigns') }} as campaigns
inner join {{ ref('stg_tenants') }} as tenants
    on campaigns.tenant_id = tenants.tenant_id
left join {{ ref('stg_klaviyo__campaign_performance') }} as perf
    on campaigns.tenant_id = perf.tenant_id
    and campaigns.campaign_id = perf.campaign_id
where campaigns.campaign_status = 'sent'
    and campaigns.sent_at_utc is not null
    and campaigns.campaign_channel = 'email'
