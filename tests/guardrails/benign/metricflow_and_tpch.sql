-- metricflow_simple_metric_by_month
SELECT
  metric_time__month
  , SUM(net_sales) AS net_sales
FROM (
  SELECT
    DATE_TRUNC('month', sale_date) AS metric_time__month
    , net_amount AS net_sales
  FROM marts.fct_sales sales_src_10000
) subq_2
GROUP BY
  metric_time__month

-- metricflow_ratio_with_cte_and_full_outer_join
WITH sma_28019_cte AS (
  SELECT DATE_TRUNC('day', sale_date) AS metric_time__day, store_id AS store, net_amount AS net_sales
    , CASE WHEN NOT is_return THEN receipt_id END AS orders_receipt
  FROM marts.fct_sales sales_src_28000
)
SELECT
  metric_time__week
  , CAST(net_sales AS DOUBLE) / CAST(NULLIF(orders, 0) AS DOUBLE) AS average_order_value
FROM (
  SELECT
    COALESCE(subq_5.metric_time__week, subq_9.metric_time__week) AS metric_time__week
    , MAX(subq_5.net_sales) AS net_sales
    , MAX(subq_9.orders) AS orders
  FROM (
    SELECT DATE_TRUNC('week', metric_time__day) AS metric_time__week, SUM(net_sales) AS net_sales
    FROM sma_28019_cte GROUP BY DATE_TRUNC('week', metric_time__day)
  ) subq_5
  FULL OUTER JOIN (
    SELECT DATE_TRUNC('week', metric_time__day) AS metric_time__week, COUNT(DISTINCT orders_receipt) AS orders
    FROM sma_28019_cte GROUP BY DATE_TRUNC('week', metric_time__day)
  ) subq_9
  ON subq_5.metric_time__week = subq_9.metric_time__week
  GROUP BY COALESCE(subq_5.metric_time__week, subq_9.metric_time__week)
) subq_10

-- metricflow_dimension_join_with_where
SELECT
  stores_src.region AS store__region
  , stores_src.store_type AS store__store_type
  , SUM(sales_src.quantity) AS units_sold
FROM marts.fct_sales sales_src
LEFT OUTER JOIN marts.dim_stores stores_src
ON sales_src.store_id = stores_src.store_id
WHERE DATE_TRUNC('day', sales_src.sale_date) BETWEEN CAST('2024-01-01' AS TIMESTAMP) AND CAST('2024-02-15' AS TIMESTAMP)
GROUP BY stores_src.region, stores_src.store_type

-- metricflow_cumulative_over_time_spine
SELECT subq_1.date_day AS metric_time__day, SUM(s.net_amount) AS trailing_7d_net_sales
FROM marts.metricflow_time_spine subq_1
INNER JOIN marts.fct_sales s
ON s.sale_date <= subq_1.date_day AND s.sale_date > subq_1.date_day - INTERVAL 7 DAY
WHERE subq_1.date_day BETWEEN DATE '2024-01-01' AND DATE '2024-02-01'
GROUP BY subq_1.date_day

-- metricflow_cross_join_of_totals
SELECT
  MAX(subq_3.net_sales) AS net_sales
  , MAX(subq_7.sessions) AS sessions
  , MAX(subq_11.email_revenue) AS email_revenue
FROM (SELECT SUM(net_amount) AS net_sales FROM marts.fct_sales) subq_3
CROSS JOIN (SELECT SUM(sessions) AS sessions FROM marts.fct_web_sessions) subq_7
CROSS JOIN (SELECT SUM(attributed_revenue) AS email_revenue FROM marts.fct_email_campaigns) subq_11

-- metricflow_last_snapshot_semi_additive
SELECT snapshot_date AS metric_time__day, SUM(on_hand_units) AS on_hand_units
FROM marts.fct_inventory_snapshots inv
WHERE snapshot_date = (SELECT MAX(snapshot_date) FROM marts.fct_inventory_snapshots)
GROUP BY snapshot_date

-- window_running_total_and_rank
SELECT store_id, sale_date, net_amount,
  SUM(net_amount) OVER (PARTITION BY store_id ORDER BY sale_date, sale_line_id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running,
  RANK() OVER (PARTITION BY store_id ORDER BY net_amount DESC) AS rnk,
  LAG(net_amount) OVER (PARTITION BY store_id ORDER BY sale_line_id) AS prev
FROM fct_sales
QUALIFY rnk <= 3

-- nested_ctes
WITH daily AS (
  SELECT sale_date, SUM(net_amount) AS net FROM fct_sales GROUP BY sale_date
), weekly AS (
  WITH d AS (SELECT * FROM daily) SELECT DATE_TRUNC('week', sale_date) AS wk, SUM(net) AS net FROM d GROUP BY 1
)
SELECT wk, net, net - LAG(net) OVER (ORDER BY wk) AS delta FROM weekly ORDER BY wk

-- tpch_q1_pricing_summary
SELECT channel, is_return,
  SUM(quantity) AS sum_qty, SUM(gross_amount) AS sum_base_price,
  SUM(gross_amount - discount_amount) AS sum_disc_price, AVG(quantity) AS avg_qty,
  AVG(discount_amount) AS avg_disc, COUNT(*) AS count_order
FROM fct_sales
WHERE sale_date <= DATE '2024-03-31' - INTERVAL 10 DAY
GROUP BY channel, is_return
ORDER BY channel, is_return

-- tpch_q3_top_receipts
SELECT f.receipt_id, SUM(f.net_amount) AS revenue, MIN(f.sale_date) AS sale_date
FROM dim_customers c, fct_sales f, dim_stores s
WHERE c.customer_id = f.customer_id AND f.store_id = s.store_id AND s.store_type = 'outlet'
GROUP BY f.receipt_id
ORDER BY revenue DESC, sale_date
LIMIT 10

-- tpch_q5_local_volume
SELECT s.region, SUM(f.net_amount) AS revenue
FROM fct_sales f, dim_stores s, dim_products p, dim_customers c
WHERE f.store_id = s.store_id AND f.product_id = p.product_id AND f.customer_id = c.customer_id
  AND c.city = s.city AND f.sale_date >= DATE '2024-01-01' AND f.sale_date < DATE '2025-01-01'
GROUP BY s.region ORDER BY revenue DESC

-- tpch_q13_customer_distribution
SELECT c_count, COUNT(*) AS custdist
FROM (
  SELECT c.customer_id, COUNT(f.receipt_id) AS c_count
  FROM dim_customers c LEFT OUTER JOIN fct_sales f ON c.customer_id = f.customer_id AND f.channel <> 'online'
  GROUP BY c.customer_id
) c_orders
GROUP BY c_count ORDER BY custdist DESC, c_count DESC

-- tpch_q18_large_receipts
SELECT c.customer_id, f.receipt_id, SUM(f.quantity) AS qty
FROM dim_customers c JOIN fct_sales f ON c.customer_id = f.customer_id
WHERE f.receipt_id IN (SELECT receipt_id FROM fct_sales GROUP BY receipt_id HAVING SUM(quantity) > 2)
GROUP BY c.customer_id, f.receipt_id ORDER BY qty DESC, f.receipt_id

-- weeks_of_supply_style
WITH last_snap AS (SELECT MAX(snapshot_date) AS d FROM fct_inventory_snapshots),
on_hand AS (SELECT SUM(on_hand_units) AS units FROM fct_inventory_snapshots WHERE snapshot_date = (SELECT d FROM last_snap)),
weekly AS (
  SELECT DATE_TRUNC('week', sale_date) AS wk, SUM(quantity) AS units FROM fct_sales
  WHERE sale_date > (SELECT d FROM last_snap) - INTERVAL 28 DAY AND sale_date <= (SELECT d FROM last_snap) GROUP BY 1
)
SELECT on_hand.units / NULLIF((SELECT AVG(units) FROM weekly), 0) AS weeks_of_supply FROM on_hand

-- email_and_web_rates
SELECT
  (SELECT SUM(opens) * 1.0 / SUM(delivered) FROM fct_email_campaigns) AS email_open_rate,
  (SELECT SUM(transactions) * 1.0 / SUM(sessions) FROM fct_web_sessions) AS web_conversion_rate,
  EXTRACT(year FROM (SELECT MIN(send_date) FROM fct_email_campaigns)) AS first_year

-- returns_and_customers
SELECT p.category,
  SUM(CASE WHEN f.is_return THEN -f.quantity ELSE 0 END) AS returned_units,
  COUNT(DISTINCT CASE WHEN NOT f.is_return THEN f.customer_id END) AS active_customers,
  COUNT(*) FILTER (WHERE f.channel = 'online') AS online_lines,
  ROUND(SUM(f.net_amount - f.cost_amount) / NULLIF(SUM(f.net_amount), 0), 4) AS gross_margin_pct
FROM fct_sales f JOIN dim_products p USING (product_id)
GROUP BY ROLLUP (p.category)
ORDER BY p.category NULLS LAST

-- union_and_except_of_dimensions
SELECT city FROM dim_stores UNION SELECT city FROM dim_customers EXCEPT SELECT city FROM dim_customers WHERE loyalty_tier = 'gold'

-- string_and_date_functions
SELECT UPPER(store_name) AS n, LENGTH(city) AS l, strftime(opened_on, '%Y-%m') AS opened, date_diff('day', opened_on, DATE '2024-06-01') AS age_days,
  COALESCE(NULLIF(store_type, 'outlet'), 'other') AS kind, GREATEST(selling_area_sqm, 150) AS area
FROM dim_stores ORDER BY n
