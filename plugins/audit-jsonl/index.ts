/**
 * Built-in `audit-sink` plugin: audit records as JSON Lines in the profile's `audit.path` (see
 * jsonl-sink.ts for the durability design).
 *
 * The daemon's audit trail creates it with the profile's audit settings under `kAuditSettings`. An instance
 * created anywhere else (a generation loading every discovered plugin) finds no settings and stays on
 * standby: it opens nothing and refuses records, so it can never compete with the real one for the file.
 */
import { type AuditRecord, type AuditSettings, type AuditSink, kAuditSettings } from '../../sdk/audit.js';
import { auditErrors } from '../../sdk/errors/audit.js';
import type { PluginContext } from '../../sdk/plugin-definition.js';
import { JsonlAuditSink } from './jsonl-sink.js';
import { sinkOptions } from './options.js';

export { JsonlAuditSink } from './jsonl-sink.js';

/** The plugin's factory (the entry loader's shorthand form: the default export is called with the context). */
export default function createJsonlAuditSink(context: PluginContext): AuditSink {
  const settings = settingsOf(context);
  if (!settings) return new StandbySink();
  return new JsonlAuditSink({ ...settings, ...sinkOptions(context.config) }, context.logger);
}

function settingsOf(context: PluginContext): AuditSettings | undefined {
  try {
    return context.resolve(kAuditSettings);
  } catch {
    return undefined; // not registered: created outside the audit trail
  }
}

class StandbySink implements AuditSink {
  readonly name = 'jsonl';

  write(_record: AuditRecord): void {
    throw new auditErrors.MXCP_E_AUDIT_SINK_UNCONFIGURED({ sink: this.name });
  }

  async flush(): Promise<void> {}

  async reopen(): Promise<void> {}

  async close(): Promise<void> {}
}
