/**
 * Parsing of the CLI's structured inputs: `--param name=value` / `name=@file.json`, `--user-context`
 * (JSON or `@file.json`) and `--request-headers`. Malformed input is a usage error (exit 2).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Errors } from '../../sdk/errors/index.js';
import type { UserContext } from '../../sdk/user-context.js';
import { userContextFromJson } from '../engine/user-context.js';

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function usage(detail: string): never {
  throw new Errors.MXCP_E_CLI_USAGE({ detail });
}

function readJsonFile(path: string, cwd: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, path), 'utf8');
  } catch (err) {
    usage(`${what}: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    usage(`${what}: ${path} is not valid JSON: ${(err as Error).message}`);
  }
}

/** `name=value` (value kept as a string; the endpoint's types convert it) or `name=@file.json` (parsed). */
export function parseParams(list: readonly string[] | undefined, cwd: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of list ?? []) {
    const eq = p.indexOf('=');
    if (eq <= 0) usage(`Parameter must be in format name=value or name=@file.json: ${p}`);
    const name = p.slice(0, eq);
    const value = p.slice(eq + 1);
    out[name] = value.startsWith('@') ? readJsonFile(value.slice(1), cwd, `Parameter '${name}'`) : value;
  }
  return out;
}

function parseJsonArg(raw: string, cwd: string, what: string): unknown {
  if (raw.startsWith('@')) return readJsonFile(raw.slice(1), cwd, what);
  try {
    return JSON.parse(raw);
  } catch (err) {
    usage(`${what} must be JSON or @file.json: ${(err as Error).message}`);
  }
}

export function parseUserContext(raw: string | undefined, cwd: string): UserContext | undefined {
  if (raw === undefined) return undefined;
  return userContextFromJson(parseJsonArg(raw, cwd, '--user-context'), 'cli');
}

export function parseRequestHeaders(raw: string | undefined, cwd: string): Record<string, string> | undefined {
  if (raw === undefined) return undefined;
  const value = parseJsonArg(raw, cwd, '--request-headers');
  if (!value || typeof value !== 'object' || Array.isArray(value)) usage('Request headers must be a JSON object');
  // HTTP transports deliver lower-case keys; the CLI does the same so SQL sees one convention.
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), String(v)]));
}
