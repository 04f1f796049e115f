-- ProHandel "articles" in contract vocabulary.
with latest as (
    {{ dedupe_latest(source('raw', 'prohandel_articles'), ['article_id']) }}
)

select
    tenant_id,
    cast(article_id as varchar) as product_id,
    cast(article_number as varchar) as sku,
    cast(description as varchar) as product_name,
    cast(category as varchar) as category,
    cast(subcategory as varchar) as subcategory,
    cast(brand as varchar) as brand,
    cast(color as varchar) as color,
    cast(season as varchar) as season,
    cast(retail_price as decimal(12, 2)) as list_price,
    cast(purchase_price as decimal(12, 2)) as unit_cost
from latest
