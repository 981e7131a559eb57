/**
 * Shapes of the validated configuration. The JSON Schemas in `config/schemas/` are authoritative; these
 * types describe what the loaders hand out after validation and defaulting (so defaulted keys are required).
 */

export type Duration = number | string;

export interface SiteProfile {
  duckdb: { path?: string; readonly: boolean; query_timeout: Duration };
  drift: { path?: string };
  audit: {
    enabled: boolean;
    path?: string;
    max_file_size: number;
    fsync: 'always' | 'interval' | 'never';
    fsync_interval: Duration;
    on_full: 'wait' | 'drop';
    include_output: boolean;
    retention_days: number;
  };
  auth: { enabled: boolean; provider?: string };
}

export interface SiteConfig {
  mxcp: 1;
  project: string;
  profile: string;
  secrets: string[];
  plugin: { name: string; module: string; config?: string }[];
  extensions: ({ name: string; repo?: 'community' | 'core_nightly' } | string)[];
  dbt: {
    enabled: boolean;
    model_paths: string[];
    analysis_paths: string[];
    test_paths: string[];
    seed_paths: string[];
    macro_paths: string[];
    snapshot_paths: string[];
    target_path: string;
    clean_targets: string[];
  };
  sql_tools: {
    enabled: boolean;
    execute_sql_query?: { description?: string };
    list_tables?: { description?: string };
    get_table_schema?: { description?: string };
  };
  paths: {
    tools: string;
    resources: string;
    prompts: string;
    evals: string;
    python: string;
    plugins: string;
    sql: string;
    drift: string;
    audit: string;
    data: string;
  };
  profiles: Record<string, SiteProfile>;
}

export interface UserSecret {
  name: string;
  type: string;
  parameters: Record<string, unknown>;
}

export interface UserProfile {
  secrets: UserSecret[];
  plugin: { config: Record<string, Record<string, string>> };
  auth?: Record<string, unknown>;
  telemetry?: Record<string, unknown>;
}

export interface UserConfig {
  mxcp: 1;
  projects: Record<string, { profiles: Record<string, UserProfile> }>;
  vault?: { enabled: boolean; address?: string; token_env?: string; [k: string]: unknown };
  onepassword?: { enabled: boolean; token_env?: string; [k: string]: unknown };
  transport: {
    provider: 'streamable-http' | 'http' | 'sse' | 'stdio';
    http: {
      port: number;
      host: string;
      scheme: 'http' | 'https';
      base_url?: string;
      trust_proxy: boolean;
      stateless: boolean;
      drain_timeout: Duration;
      metrics_port?: number;
      allowed_hosts?: string[];
      allowed_origins?: string[];
      sse_keepalive: Duration;
      session_idle_timeout: Duration;
      tls?: { cert: string; key: string; ca?: string };
    };
  };
  reload: { watch: boolean; debounce: Duration };
  models?: { default?: string; models: Record<string, Record<string, unknown>> };
  logging: { enabled: boolean; path?: string; level: string; max_bytes: number; backup_count: number };
  plugins?: { packages: string[]; config: Record<string, Record<string, unknown>> };
}
