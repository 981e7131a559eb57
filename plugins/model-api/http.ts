/**
 * One JSON POST to a model API with the policy both providers share: a deadline per attempt (`timeout`,
 * default 60 s), and up to `max_retries` (default 2) more attempts after a 429 (waiting what `Retry-After`
 * says, capped at 30 s), a 5xx, a timeout or a dropped connection, with exponential back-off otherwise.
 * Errors are coded and carry the API's own message, never the request headers (they hold the key).
 */
import { modelErrors } from '../../sdk/errors/models.js';
import type { ModelSettings } from '../../sdk/model-provider.js';

export interface PostResult {
  readonly body: unknown;
}

const kMaxWaitMs = 30_000;

function retryAfterMs(header: string | string[] | undefined, attempt: number): number {
  const value = Array.isArray(header) ? header[0] : header;
  const seconds = value === undefined ? Number.NaN : Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, kMaxWaitMs);
  const date = value === undefined ? Number.NaN : Date.parse(value);
  if (Number.isFinite(date)) return Math.min(Math.max(0, date - Date.now()), kMaxWaitMs);
  return Math.min(500 * 2 ** attempt, kMaxWaitMs);
}

/** The API's error message, from its documented error shapes (`{error: {message}}` for both). */
function apiMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown; type?: unknown } | string };
    if (typeof body.error === 'string') return body.error;
    if (body.error && typeof body.error.message === 'string') return body.error.message;
  } catch {
    // not JSON: the text itself, shortened
  }
  return text.slice(0, 300) || '(empty body)';
}

export async function postJson(
  provider: string,
  url: string,
  headers: Record<string, string>,
  payload: unknown,
  settings: ModelSettings | undefined,
  signal: AbortSignal | undefined,
): Promise<PostResult> {
  const { request } = await import('undici');
  const seconds = settings?.timeout ?? 60;
  const retries = settings?.maxRetries ?? 2;
  const body = JSON.stringify(payload);
  let last: Error | undefined;
  for (let attempt = 0; attempt <= retries; attempt++) {
    const deadline = AbortSignal.timeout(seconds * 1000);
    let wait = 0;
    try {
      const res = await request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
        body,
        signal: signal ? AbortSignal.any([signal, deadline]) : deadline,
      });
      const text = await res.body.text();
      if (res.statusCode >= 200 && res.statusCode < 300) {
        try {
          return { body: JSON.parse(text) };
        } catch {
          throw new modelErrors.MXCP_E_MODEL_BAD_RESPONSE({ provider, detail: `the body is not JSON: ${text.slice(0, 120)}` });
        }
      }
      last = new modelErrors.MXCP_E_MODEL_HTTP({ provider, status: res.statusCode, detail: apiMessage(text), attempts: attempt + 1 });
      if (res.statusCode !== 429 && res.statusCode < 500) throw last;
      wait = res.statusCode === 429 ? retryAfterMs(res.headers['retry-after'], attempt) : Math.min(500 * 2 ** attempt, kMaxWaitMs);
    } catch (err) {
      // (DOMException codes are numbers: only our own coded errors pass straight through.)
      const own = (err as { code?: unknown }).code;
      if (typeof own === 'string' && own.startsWith('MXCP_E_')) throw err;
      if (signal?.aborted) throw err;
      if (deadline.aborted) last = new modelErrors.MXCP_E_MODEL_TIMEOUT({ provider, seconds, attempts: attempt + 1 });
      else {
        const code =
          (err as { code?: string; cause?: { code?: string } }).cause?.code ?? (err as { code?: string }).code ?? (err as Error).name;
        last = new modelErrors.MXCP_E_MODEL_UNREACHABLE({ provider, url, detail: String(code) });
      }
      wait = Math.min(500 * 2 ** attempt, kMaxWaitMs);
    }
    if (attempt < retries) await new Promise((r) => setTimeout(r, wait));
  }
  throw last ?? new Error('unreachable');
}
