{#
  Custom schemas are used as they are (`staging`, `marts`), not prefixed with the target
  schema: the assistant, the guardrails' allow-list and the Snowflake row access policies all
  name these schemas literally, so they must not change with the target.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
