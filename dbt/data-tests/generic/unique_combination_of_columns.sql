{#
  Fails for every combination of `combination_of_columns` that occurs more than once.
  Our own small version (no dbt_utils dependency: the project must build offline).
#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
select
    {{ combination_of_columns | join(', ') }},
    count(*) as occurrences
from {{ model }}
group by {{ combination_of_columns | join(', ') }}
having count(*) > 1
{% endtest %}
