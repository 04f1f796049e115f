{#
  Post-hook of every mart: on Snowflake, (re-)attach the tenant row access policy created by
  snowflake/multi_tenant_setup.sql. dbt rebuilds tables with CREATE OR REPLACE, which drops
  attached policies, so attaching once by hand would silently expire on the next build.
  Tenant-neutral models (the time spine) opt out with `tenant_scoped=false`. On DuckDB this
  renders to nothing: there, isolation is the guardrails' tenant filter alone.
#}
{% macro apply_tenant_row_access_policy() -%}
    {%- if target.type == 'snowflake' and config.get('tenant_scoped', true) -%}
        alter table {{ this }} add row access policy {{ target.database }}.governance.tenant_isolation on (tenant_id)
    {%- endif -%}
{%- endmacro %}
