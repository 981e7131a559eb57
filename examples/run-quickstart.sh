#!/usr/bin/env bash
# The README's first command ends here: seed the example's DuckDB, validate and test the endpoints, run a
# few of them, then serve the project over Streamable HTTP on localhost:8000 until Ctrl-C.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
mxcp="node $here/../dist/daemon/cli/main.js"
cd "$here/quickstart"

echo "== seed data/quickstart.duckdb"
$mxcp query --file seed/seed.sql >/dev/null
echo "== mxcp validate"
$mxcp validate
echo "== mxcp test"
$mxcp test
echo "== mxcp run tool sales_by_region"
$mxcp run tool sales_by_region --param start_date=2024-01-01 --param end_date=2024-03-31
echo "== mxcp run tool order_summary"
$mxcp run tool order_summary --param region=north
echo "== mxcp serve (Streamable HTTP on http://localhost:8000/mcp; Ctrl-C to stop)"
exec $mxcp serve --transport streamable-http
