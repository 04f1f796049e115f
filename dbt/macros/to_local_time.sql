{#
  A UTC timestamp as wall-clock time in an IANA time zone (a column or a literal).
  Retailers think in their own day: an e-mail sent at 23:30 UTC on Sunday went out on Monday
  in Berlin, and "campaigns sent on Monday" must count it.
#}
{% macro to_local_time(utc_ts, tz_expr) -%}
    {{ return(adapter.dispatch('to_local_time', 'mercurios')(utc_ts, tz_expr)) }}
{%- endmacro %}

{% macro default__to_local_time(utc_ts, tz_expr) -%}
    convert_timezone('UTC', {{ tz_expr }}, {{ utc_ts }})
{%- endmacro %}

{% macro duckdb__to_local_time(utc_ts, tz_expr) -%}
    cast(timezone({{ tz_expr }}, timezone('UTC', {{ utc_ts }})) as timestamp)
{%- endmacro %}
