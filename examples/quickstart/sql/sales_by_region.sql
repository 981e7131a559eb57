SELECT
  o.region,
  COUNT(*) AS orders,
  SUM(o.quantity) AS units,
  ROUND(SUM(o.quantity * p.price), 2) AS revenue
FROM orders o
JOIN products p ON p.id = o.product_id
WHERE o.order_date BETWEEN $start_date AND $end_date
GROUP BY o.region
ORDER BY revenue DESC
