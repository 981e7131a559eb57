/**
 * Results of an @modelcontextprotocol/conformance run (its `-o` directory: one `checks.json` per scenario)
 * compared with a committed baseline of expected failures, which may only shrink.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Check {
  readonly scenario: string;
  readonly id: string;
  readonly status: 'SUCCESS' | 'FAILURE' | 'WARNING' | 'SKIPPED' | 'INFO';
  readonly errorMessage?: string;
}

export interface Baseline {
  readonly expected: readonly { readonly scenario: string; readonly id: string; readonly reason: string }[];
}

/** Every check of every scenario under `dir` (`<dir>/<suite>-<scenario>-<timestamp>/checks.json`). */
export function readChecks(dir: string): Check[] {
  const out: Check[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const scenario = entry.name.replace(/-\d{4}-\d{2}-\d{2}T[\d-]+Z$/, '');
    const checks = JSON.parse(readFileSync(join(dir, entry.name, 'checks.json'), 'utf8')) as Omit<Check, 'scenario'>[];
    for (const c of checks) out.push({ scenario, id: c.id, status: c.status, ...(c.errorMessage ? { errorMessage: c.errorMessage } : {}) });
  }
  return out;
}

/** Regressions (failing, not in the baseline) and stale entries (in the baseline, no longer failing). */
export function compare(checks: readonly Check[], baseline: Baseline): { regressions: Check[]; stale: string[] } {
  const key = (scenario: string, id: string) => `${scenario} :: ${id}`;
  const expected = new Set(baseline.expected.map((e) => key(e.scenario, e.id)));
  const failing = checks.filter((c) => c.status === 'FAILURE');
  const failingKeys = new Set(failing.map((c) => key(c.scenario, c.id)));
  return {
    regressions: failing.filter((c) => !expected.has(key(c.scenario, c.id))),
    stale: [...expected].filter((k) => !failingKeys.has(k)),
  };
}
