"""The functions a guarded query may call, by lower-case SQL name.

A positive list: aggregates, window functions, date/time, string, math, conditional and cast
functions that compute over the rows a query already reads. Nothing here reads files, the
environment, settings, the network, the catalog or system state, and nothing raises an error
built from data (such as `error()`), so a query cannot reach outside the rows the tenant filter
lets through. A name missing from this list is refused; adding one is a reviewed decision.

Names are matched against the function's name as written (for functions sqlglot does not know)
and against every SQL name sqlglot gives its typed function node (e.g. `DATE_TRUNC`), so both
spellings of one function can be listed.
"""

from __future__ import annotations

_AGGREGATES = """
sum count count_if avg mean min max median mode stddev stddev_samp stddev_pop variance var_samp var_pop
approx_distinct approx_count_distinct approx_quantile approx_percentile quantile quantile_cont quantile_disc
percentile_cont percentile_disc any_value arbitrary first last bool_and bool_or logical_and logical_or
booland_agg boolor_agg array_agg list string_agg group_concat listagg corr covar_pop covar_samp
regr_slope regr_intercept regr_r2 sum_if avg_if max_by min_by arg_max arg_min argmax argmin
kurtosis skewness product grouping hll_count_distinct countif
"""

_WINDOW = """
row_number rank dense_rank percent_rank cume_dist ntile lag lead first_value last_value nth_value
ratio_to_report
"""

_DATE_TIME = """
date_trunc timestamp_trunc datetime_trunc time_trunc trunc date_part datepart extract year quarter month week
weekofyear yearweek isoyear dayofweek dayofyear dayofmonth day dayname monthname hour minute second
date_add date_sub dateadd datediff date_diff timestampadd timestampdiff timestamp_add timestamp_sub
timestamp_diff
time_add time_sub add_months last_day next_day date time timestamp to_date to_timestamp try_to_date
try_to_timestamp str_to_date str_to_time strftime strptime try_strptime date_format time_to_str
time_str_to_date time_str_to_time ts_or_ds_to_date ts_or_ds_add ts_or_ds_diff date_from_parts make_date
make_timestamp current_date current_timestamp localtimestamp now today epoch epoch_ms
unix_to_time time_to_unix date_to_di di_to_date date_to_date_str date_str_to_date iso_week iso_year
age generate_date_array
"""

_STRING = """
lower upper initcap length len char_length character_length octet_length concat concat_ws substring substr
left right trim ltrim rtrim lpad rpad replace reverse strpos position instr contains starts_with
startswith ends_with endswith split split_part string_split regexp_like regexp_matches regexp_replace
regexp_extract regexp_substr like ilike md5 sha1 sha256 hash translate ascii chr format printf
array_to_string array_join
"""

_MATH = """
abs ceil ceiling floor round trunc sign sqrt cbrt exp ln log log2 log10 pow power mod div greatest least
pi radians degrees sin cos tan asin acos atan atan2 safe_divide div0 div0null nullifzero zeroifnull
bit_count even isnan isinf
"""

_CONDITIONAL = """
case if iif ifnull isnull nvl nvl2 coalesce nullif decode iff equal_null
"""

_CASTS = """
cast try_cast safe_cast to_char to_varchar to_number to_decimal to_double try_to_number try_to_decimal
to_boolean
"""

_STRUCTURAL = """
exists in any all array struct array_contains array_length array_size list_contains list_value
cardinality bracket
"""

DEFAULT_ALLOWED_FUNCTIONS: frozenset[str] = frozenset(
    " ".join((_AGGREGATES, _WINDOW, _DATE_TIME, _STRING, _MATH, _CONDITIONAL, _CASTS, _STRUCTURAL)).split()
)
