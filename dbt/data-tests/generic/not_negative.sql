{# Fails for every row where the column is negative (counts and stock can never be). #}
{% test not_negative(model, column_name) %}
select {{ column_name }}
from {{ model }}
where {{ column_name }} < 0
{% endtest %}
