select
    tenant_id,
    product_id,
    sku,
    product_name,
    category,
    subcategory,
    brand,
    color,
    season,
    list_price,
    unit_cost
from {{ ref('stg_prohandel__products') }}
