/** The Python side: loads the endpoint's file, calls the function named like the tool with the JSON parameters from stdin. */
export const kHarness = `
import asyncio, importlib.util, inspect, json, sys
path, name = sys.argv[1], sys.argv[2]
spec = importlib.util.spec_from_file_location("mxcp_endpoint", path)
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
fn = getattr(module, name, None)
if fn is None:
    sys.stderr.write(f"Function '{name}' not found in {path}\\n")
    sys.exit(3)
result = fn(**json.load(sys.stdin))
if inspect.iscoroutine(result):
    result = asyncio.run(result)
json.dump(result, sys.stdout, default=str)
`;
