with latest as (
    {{ dedupe_latest(source('raw', 'klaviyo_campaign'), ['id']) }}
)

select
    tenant_id,
    cast(id as varchar) as campaign_id,
    cast(name as varchar) as campaign_name,
    lower(cast(status as varchar)) as campaign_status,
    cast(send_time as timestamp) as sent_at_utc,
    lower(cast(channel as varchar)) as campaign_channel
from latest
