{#
  Keep one row per key: the most recently loaded one. Connectors re-deliver rows (Fivetran
  re-syncs, ProHandel corrections), so the latest `_loaded_at` is the truth.
  QUALIFY works on both DuckDB and Snowflake.
#}
{% macro dedupe_latest(relation, key_columns) -%}
    select *
    from {{ relation }}
    qualify row_number() over (
        partition by tenant_id, {{ key_columns | join(', ') }}
        order by _loaded_at desc
    ) = 1
{%- endmacro %}
