// A TypeScript endpoint: queries through the daemon's DuckDB and shapes the answer in code.
import { db } from 'mxcp/sdk';

interface Row {
  orders: number;
  units: number;
  revenue: number;
}

export async function order_summary({ region }: { region: string }) {
  const rows = (await db.execute(
    `SELECT COUNT(*) AS orders, SUM(o.quantity) AS units, ROUND(SUM(o.quantity * p.price), 2) AS revenue
     FROM orders o JOIN products p ON p.id = o.product_id WHERE o.region = $region`,
    { region },
  )) as Row[];
  const row = rows[0] ?? { orders: 0, units: 0, revenue: 0 };
  return {
    region,
    orders: row.orders,
    average_order_value: row.orders > 0 ? Math.round((row.revenue / row.orders) * 100) / 100 : 0,
    units: row.units,
  };
}
