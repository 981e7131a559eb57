/**
 * The plugin's own configuration block (`plugins.config.audit-jsonl` in the user config): tuning knobs only.
 * Where and how to write (path, rotation size, fsync policy, queue-full behaviour) is the profile's `audit`
 * block, which the daemon hands over as {@link AuditSettings} (see sdk/audit.ts).
 *
 * The manifest's configSchema validates the block and fills in the defaults; this module only types it.
 */

export interface SinkOptions {
  /** Queue bound in records. */
  readonly queueCapacity: number;
  /** Queue bound in bytes of serialized records. */
  readonly queueMaxBytes: number;
  /** Upper bound of one write(2). */
  readonly maxBatchBytes: number;
  /** How long `close` keeps retrying a failing write before it gives up on the queued records. */
  readonly closeTimeoutMs: number;
}

export const kDefaultSinkOptions: SinkOptions = {
  queueCapacity: 10_000,
  queueMaxBytes: 32 * 1024 * 1024,
  maxBatchBytes: 1024 * 1024,
  closeTimeoutMs: 5000,
};

/** Maps the validated block (snake_case, as in YAML) to {@link SinkOptions}. */
export function sinkOptions(config: Readonly<Record<string, unknown>>): SinkOptions {
  const int = (key: string, fallback: number) => (typeof config[key] === 'number' ? (config[key] as number) : fallback);
  return {
    queueCapacity: int('queue_capacity', kDefaultSinkOptions.queueCapacity),
    queueMaxBytes: int('queue_max_bytes', kDefaultSinkOptions.queueMaxBytes),
    maxBatchBytes: int('max_batch_bytes', kDefaultSinkOptions.maxBatchBytes),
    closeTimeoutMs: int('close_timeout_ms', kDefaultSinkOptions.closeTimeoutMs),
  };
}
