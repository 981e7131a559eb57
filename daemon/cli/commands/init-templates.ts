/** Files `mxcp init` writes. Kept as data so the command reads as a sequence of steps. */

export const kProjectDirs = ['tools', 'resources', 'prompts', 'evals', 'python', 'plugins', 'sql', 'drift', 'audit', 'data'] as const;

export function siteConfigText(project: string, profile: string): string {
  return `mxcp: 1
project: ${JSON.stringify(project)}
profile: ${JSON.stringify(profile)}
profiles:
  ${JSON.stringify(profile)}:
    duckdb:
      path: data/db-${profile}.duckdb
    audit:
      enabled: false
`;
}

export const kHelloToolYaml = `mxcp: 1
tool:
  name: hello_world
  description: Say hello to someone by name.
  annotations:
    readOnlyHint: true
    idempotentHint: true
  parameters:
    - name: name
      type: string
      description: The name to greet
      minLength: 1
      examples: ["World"]
  return:
    type: string
    description: The greeting
  source:
    file: ../sql/hello_world.sql
  tests:
    - name: greets_world
      description: Greets the world
      arguments:
        - key: name
          value: World
      result: "Hello, World!"
`;

export const kHelloSql = `SELECT 'Hello, ' || $name || '!' AS greeting
`;

/** Claude Desktop's `mcpServers` entry: stdio transport, started in the project directory. */
export function claudeConfig(project: string, dir: string, profile: string): string {
  const config = {
    mcpServers: {
      [project]: {
        command: 'mxcp',
        args: ['serve', '--transport', 'stdio', '--profile', profile],
        cwd: dir,
      },
    },
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}
