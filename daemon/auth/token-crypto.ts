/**
 * Token material: random tokens, the hashes that key them in the store (a stolen store file yields no usable
 * bearer token), and authenticated encryption (AES-256-GCM) of what must be read back (upstream tokens,
 * client secrets) when `persistence.encryption_key` is set.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { authErrors } from '../../sdk/errors/auth.js';

export function randomToken(prefix: string, bytes = 32): string {
  return `${prefix}${randomBytes(bytes).toString('hex')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Constant-time equality of two secrets (compared as hashes, so lengths never leak). */
export function secretsEqual(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

/** PKCE S256: base64url(sha256(verifier)) must equal the challenge (RFC 7636 4.6). */
export function pkceMatches(verifier: string, challenge: string): boolean {
  if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) return false;
  return secretsEqual(createHash('sha256').update(verifier).digest('base64url'), challenge);
}

/** Seals strings for the store: `gcm:` + iv|tag|ciphertext with a key, `plain:` without one (MXCP's default). */
export class SecretBox {
  readonly #key: Buffer | undefined;
  readonly #path: string;

  constructor(key: string | undefined, storePath: string) {
    this.#key = key === undefined ? undefined : keyBytes(key);
    this.#path = storePath;
  }

  get encrypted(): boolean {
    return this.#key !== undefined;
  }

  seal(text: string): string {
    if (!this.#key) return `plain:${text}`;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
    return `gcm:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
  }

  open(sealed: string): string {
    if (sealed.startsWith('plain:')) return sealed.slice(6);
    if (!sealed.startsWith('gcm:') || !this.#key) throw this.#unreadable('it was encrypted and no encryption_key is configured');
    const raw = Buffer.from(sealed.slice(4), 'base64url');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch (err) {
      throw this.#unreadable('decryption failed (was encryption_key changed?)', err);
    }
  }

  #unreadable(detail: string, cause?: unknown): Error {
    return new authErrors.MXCP_E_AUTH_STORE({ path: this.#path, detail: `a stored secret is unreadable: ${detail}` }, { cause });
  }
}

/**
 * The configured key: 32 bytes in URL-safe base64 (a Fernet key, as MXCP's `auth_encryption_key`) is used
 * as is; any other string of at least 32 characters is stretched with SHA-256. Shorter keys are refused.
 */
function keyBytes(key: string): Buffer {
  const decoded = Buffer.from(key, 'base64url');
  if (decoded.length === 32 && /^[A-Za-z0-9_-]{43}=?$/.test(key)) return decoded;
  if (key.length < 32) {
    throw new authErrors.MXCP_E_AUTH_CONFIG({
      where: 'auth.persistence.encryption_key',
      detail: 'must be 32 bytes in URL-safe base64 (a Fernet key) or a passphrase of at least 32 characters',
    });
  }
  return createHash('sha256').update(key).digest();
}
