-- Deterministic demo data (DuckDB hash() spreads it): 8 products, 4 regions, 20,000 orders over 2024.
CREATE OR REPLACE TABLE products AS
SELECT * FROM (VALUES
  (1, 'Espresso Machine', 'kitchen', 249.00),
  (2, 'Coffee Grinder', 'kitchen', 89.50),
  (3, 'Standing Desk', 'office', 499.00),
  (4, 'Ergonomic Chair', 'office', 329.00),
  (5, 'Noise-Cancelling Headphones', 'electronics', 199.99),
  (6, 'Mechanical Keyboard', 'electronics', 129.00),
  (7, 'Water Bottle', 'outdoor', 24.95),
  (8, 'Trail Backpack', 'outdoor', 119.00)
) AS t(id, name, category, price);

CREATE OR REPLACE TABLE orders AS
SELECT
  i AS id,
  DATE '2024-01-01' + CAST(i % 366 AS INTEGER) AS order_date,
  (['north', 'south', 'east', 'west'])[1 + CAST(hash(i) % 4 AS INTEGER)] AS region,
  1 + CAST(hash(i * 31 + 7) % 8 AS INTEGER) AS product_id,
  1 + CAST(hash(i * 17 + 3) % 4 AS INTEGER) AS quantity
FROM range(20000) AS r(i);
