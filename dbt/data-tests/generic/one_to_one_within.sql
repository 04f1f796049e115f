{#
  Fails for every value of the column that does not map one-to-one onto `other` within `within`
  (e.g. an integer surrogate key and the string id it stands for, per tenant): a key with two
  ids, an id with two keys, or a key present where the id is empty (or the reverse).
#}
{% test one_to_one_within(model, column_name, other, within) %}
with pairs as (
    select distinct {{ within }}, {{ column_name }} as key_value, {{ other }} as id_value
    from {{ model }}
)

select {{ within }}, key_value, count(*) as ids
from pairs
where key_value is not null
group by {{ within }}, key_value
having count(*) > 1 or count(id_value) <> count(*)

union all

select {{ within }}, null as key_value, count(*) as ids
from pairs
where id_value is not null
group by {{ within }}, id_value
having count(*) > 1 or count(key_value) <> count(*)
{% endtest %}
