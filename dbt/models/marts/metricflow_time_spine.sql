-- MetricFlow's daily time spine (tenant-neutral): one row per calendar day, 2015 through 2035.
{{ config(materialized='table', tenant_scoped=false) }}

with days as (
    {{ dbt.date_spine('day', "cast('2015-01-01' as date)", "cast('2036-01-01' as date)") }}
)

select cast(date_day as date) as date_day
from days
