/**
 * An audit sink appending one JSON line per record to a file of its own. `write` buffers; `flush` appends
 * the buffer and fsyncs, so what `flush` acknowledged survives a crash. Runs after other sinks (`order: post`).
 * Like every audit sink it is opened by the daemon's audit trail, which outlives generations.
 */
import { type FileHandle, open } from 'node:fs/promises';
import { type AuditRecord, type AuditSink, definePlugin, injectable, kPluginConfig } from 'mxcp/sdk';

interface SinkConfig {
  readonly path: string;
}

@injectable(kPluginConfig)
class JsonlSink implements AuditSink {
  readonly name = 'lines-example';
  #file: FileHandle | undefined;
  #pending: string[] = [];

  constructor(private readonly config: SinkConfig) {}

  async init(): Promise<void> {
    this.#file = await open(this.config.path, 'a', 0o600);
  }

  write(record: AuditRecord): void {
    this.#pending.push(`${JSON.stringify(record)}\n`);
  }

  async flush(): Promise<void> {
    if (!this.#file || this.#pending.length === 0) return;
    const chunk = this.#pending.join('');
    this.#pending = [];
    await this.#file.appendFile(chunk);
    await this.#file.sync();
  }

  async close(): Promise<void> {
    await this.flush();
    await this.#file?.close();
    this.#file = undefined;
  }
}

export default definePlugin({ kind: 'audit-sink', useClass: JsonlSink });
